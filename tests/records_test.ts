// Records across versions and spellings: names are case-insensitive, and records are
// version 2, a newer lokt's record is held, never free.
import { assertEquals, assertMatch } from "./_assert.ts";
import { freshRoot, lineReader, listTree, lokt, reap, spawnLokt } from "./_helpers.ts";

Deno.test("names are case-insensitive: Build and build are one lock; an earlier lokt's mixed-case record is honoured, never joined by a second", async () => {
  const { dir, root } = await freshRoot();
  const upper = await lokt(["lock", "Build", "--json"], { root, owner: "a" });
  assertEquals(upper.code, 0, upper.stderr);
  assertEquals(JSON.parse(upper.stdout).lock.name, "build");
  assertEquals(await listTree(`${root}/locks`), ["build.json"]);
  const lower = await lokt(["lock", "build"], { root, owner: "b" });
  assertEquals(lower.code, 2, lower.stderr);
  assertEquals((await lokt(["unlock", "BUILD"], { root, owner: "a" })).code, 0);
  // A record an earlier lokt wrote under its mixed-case file name.
  const now = Date.now();
  await Deno.writeTextFile(
    `${root}/locks/Deploy.json`,
    JSON.stringify({
      version: 1,
      name: "Deploy",
      lock_id: "0123456789abcdef0123456789abcdef",
      fence: 7,
      owner: "old-lokt",
      agent_id: "agent-old",
      host: "h",
      machine_id: "elsewhere",
      pid: 1,
      pid_start: null,
      liveness: "ttl",
      acquired_at: new Date(now).toISOString(),
      renewed_at: new Date(now).toISOString(),
      ttl_ms: 3_600_000,
      expires_at: new Date(now + 3_600_000).toISOString(),
      reason: null,
      command: null,
    }),
  );
  for (const name of ["deploy", "Deploy", "DEPLOY"]) {
    const denied = await lokt(["lock", name], { root, owner: "b" });
    assertEquals(denied.code, 2, `${name}: ${denied.stderr}`);
    assertMatch(denied.stderr, /held by old-lokt/);
  }
  const status = JSON.parse((await lokt(["status", "--json"], { root, owner: "b" })).stdout);
  assertEquals(status.locks.map((l: { name: string; status: string }) => [l.name, l.status]), [
    ["deploy", "held"],
  ]);
  assertEquals(await listTree(`${root}/locks`), ["Deploy.json"]);
  // Its owner (through this lokt) releases it; the name is then free under any case.
  assertEquals((await lokt(["unlock", "deploy"], { root, owner: "old-lokt" })).code, 0);
  assertEquals(await listTree(`${root}/locks`), []);
  assertEquals((await lokt(["lock", "DePloy"], { root, owner: "b" })).code, 0);
  assertEquals(await listTree(`${root}/locks`), ["deploy.json"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("records are version 2 and say whose hold they are; a version-4 record (newer than any this lokt knows) is held, never free", async () => {
  const { dir, root } = await freshRoot();
  const locked =
    JSON.parse((await lokt(["lock", "a", "--json"], { root, owner: "o" })).stdout).lock;
  assertEquals(
    [locked.version, locked.hold, locked.pgid, locked.mode, locked.slot],
    [2, "owner", null, "exclusive", null],
  );
  const tied = JSON.parse(
    (await lokt(["lock", "p", "--pid", String(Deno.pid), "--ttl", "0", "--json"], {
      root,
      owner: "o",
    })).stdout,
  ).lock;
  assertEquals([tied.liveness, tied.hold], ["process", "owner"]);
  const guard = spawnLokt(["guard", "g", "--", "sh", "-c", "echo ready; sleep 30"], {
    root,
    owner: "o",
  });
  try {
    assertEquals(await lineReader(guard.stdout).next(), "ready");
    const held = JSON.parse((await lokt(["status", "g", "--json"], { root, owner: "o" })).stdout);
    assertEquals([held.locks[0].record.version, held.locks[0].record.hold], [2, "instance"]);
  } finally {
    await reap(guard);
  }
  // A newer lokt's record: held for every command, replaced by nothing automatic.
  await Deno.writeTextFile(
    `${root}/locks/n.json`,
    JSON.stringify({ ...locked, name: "n", version: 4, owner: "future", something_new: true }),
  );
  const past = new Date(Date.now() - 600_000);
  await Deno.utime(`${root}/locks/n.json`, past, past);
  assertEquals((await lokt(["exists", "n"], { root, owner: "o" })).code, 0);
  assertEquals((await lokt(["lock", "n"], { root, owner: "o" })).code, 2);
  assertEquals((await lokt(["lock", "n", "--timeout", "300ms"], { root, owner: "o" })).code, 2);
  assertEquals((await lokt(["unlock", "n", "--break-stale"], { root, owner: "o" })).code, 1);
  const why = JSON.parse((await lokt(["why", "n", "--json"], { root, owner: "o" })).stdout);
  assertEquals(why.can_acquire, false);
  assertMatch(why.lock.corruption, /newer lokt \(record version 4\)/);
  assertEquals(JSON.parse(await Deno.readTextFile(`${root}/locks/n.json`)).version, 4);
  await Deno.remove(dir, { recursive: true });
});
