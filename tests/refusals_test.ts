// Refusals an agent meets every day point to the safe remedies, never to --force, and
// guard can report them under an exit code of the caller's choice.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { freshRoot, lokt } from "./_helpers.ts";

Deno.test("ordinary refusals point to safe remedies and never to --force; why lists --force last, as break-glass", async () => {
  const { dir, root } = await freshRoot();
  const a = { root, owner: "agent-a" };
  const b = { root, owner: "agent-b" };
  assertEquals((await lokt(["lock", "x", "--ttl", "5m"], a)).code, 0);
  assertEquals((await lokt(["freeze", "f", "--ttl", "5m"], a)).code, 0);
  const refusals = [
    [await lokt(["lock", "x"], b), 2],
    [await lokt(["guard", "x", "--", "true"], b), 2],
    [await lokt(["unlock", "x"], b), 4],
    [await lokt(["unlock", "x", "--break-stale"], b), 1],
    [await lokt(["unfreeze", "f"], b), 4],
    [await lokt(["freeze", "f", "--ttl", "1m"], b), 2],
    [await lokt(["lock", "f"], b), 2],
  ] as const;
  for (const [result, code] of refusals) {
    assertEquals(result.code, code, result.stderr);
    assert(!result.stderr.includes("--force"), result.stderr);
    assertMatch(result.stderr, /^error: .*(lokt why|--wait|ask)/);
  }
  const frozen = JSON.parse((await lokt(["why", "f", "--json"], b)).stdout);
  const fixes = frozen.reasons.find((r: { code: string }) => r.code === "frozen").fix;
  assertEquals(fixes[0], "lokt lock f --wait");
  assertMatch(fixes[fixes.length - 1], /--force +# break-glass/);
  await Deno.writeTextFile(`${root}/locks/bad.json`, "{ torn");
  const past = new Date(Date.now() - 60_000);
  await Deno.utime(`${root}/locks/bad.json`, past, past);
  const corrupt = JSON.parse((await lokt(["why", "bad", "--json"], b)).stdout);
  const repair = corrupt.reasons.find((r: { code: string }) => r.code === "corrupt").fix;
  assert(repair.indexOf("lokt unlock bad --break-stale") >= 0, repair.join(" | "));
  assert(repair.indexOf("lokt unlock bad --break-stale") < repair.length - 1);
  assertMatch(repair[repair.length - 1], /--force +# break-glass/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("guard --conflict-exit N replaces the 2 of a refusal, so a command's own 2 stays unambiguous", async () => {
  const { dir, root } = await freshRoot();
  assertEquals((await lokt(["lock", "build"], { root, owner: "a" })).code, 0);
  const refused = await lokt(
    ["guard", "build", "--conflict-exit", "75", "--json", "--", "true"],
    { root, owner: "b" },
  );
  assertEquals(refused.code, 75, refused.stderr);
  assertMatch(refused.stderr, /held by a/);
  const doc = JSON.parse(refused.stdout);
  assertEquals([doc.ok, doc.exit_code, doc.error.type], [false, 75, "LockHeldError"]);
  const timedOut = await lokt(
    ["guard", "build", "--conflict-exit=9", "--timeout", "300ms", "--", "true"],
    { root, owner: "b" },
  );
  assertEquals(timedOut.code, 9, timedOut.stderr);
  const own = await lokt(["guard", "free", "--conflict-exit", "75", "--", "sh", "-c", "exit 2"], {
    root,
    owner: "b",
  });
  assertEquals(own.code, 2);
  for (const bad of ["256", "-1", "x", ""]) {
    const usage = await lokt(["guard", "g", `--conflict-exit=${bad}`, "--", "true"], {
      root,
      owner: "b",
    });
    assertEquals(usage.code, 64, `${bad}: ${usage.stderr}`);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("an expired reservation within the clock-skew tolerance says expired, never 'expires in 0s'; why on a semaphore suggests the command that works", async () => {
  const { root } = await freshRoot();
  assertEquals((await lokt(["reserve", "docs", "--ttl", "1m"], { root, owner: "a" })).code, 0);
  // Past its expiry by 300 ms: within the clock-skew tolerance, so it still counts.
  const index = `${root}/reservations/_index.json`;
  const text = await Deno.readTextFile(index);
  const expired = new Date(Date.now() - 300).toISOString();
  await Deno.writeTextFile(
    index,
    text.replace(/"expires_at":"[^"]+"/, `"expires_at":"${expired}"`),
  );
  const check = await lokt(["check", "docs/x.md"], { root, owner: "b" });
  assertEquals(check.code, 2, check.stdout);
  assertMatch(check.stdout, /expired (just now|\d+s ago)/);
  assert(!check.stdout.includes("expires in 0s"), check.stdout);
  const status = await lokt(["status"], { root, owner: "b" });
  assert(!status.stdout.includes("expires in 0s"), status.stdout);
  for (const owner of ["a", "b"]) {
    assertEquals((await lokt(["lock", "db", "--slots", "2"], { root, owner })).code, 0);
  }
  const why = await lokt(["why", "db"], { root, owner: "c" });
  assertEquals(why.code, 2);
  assertMatch(why.stdout, /lokt lock db --slots 2 --wait/);
  assert(!/lokt lock db --wait/.test(why.stdout), why.stdout);
  const followed = await lokt(["lock", "db", "--slots", "2"], { root, owner: "c" });
  assertEquals(followed.code, 2, followed.stderr);
});
