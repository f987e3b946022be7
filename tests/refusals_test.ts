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
