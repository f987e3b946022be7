// Counting semaphores and shared locks through the real CLI (docs/contract.md §14): slots,
// readers and a writer, refusals, bad input, status/why/exists/unlock per
// hold, freezes, lokt.jsonc policies, the library's acquire({ slots, shared }).
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { acquire, LockHeldError, UsageError } from "../mod.ts";
import {
  auditEvents,
  freshRoot,
  lineReader,
  listTree,
  lokt,
  reap,
  spawnLokt,
  waitFor,
} from "./_helpers.ts";

const json = (text: string) => JSON.parse(text);

Deno.test("lock --slots 3: three owners get slots 0, 1, 2 with fences from one counter; the fourth is refused naming every holder; a released slot is the next one's", async () => {
  const { dir, root } = await freshRoot();
  const got = [];
  for (const owner of ["a", "b", "c"]) {
    const out = await lokt(["lock", "db", "--slots", "3", "--json"], { root, owner });
    assertEquals(out.code, 0, out.stderr);
    got.push(json(out.stdout));
  }
  assertEquals(got.map((g) => [g.slot, g.slots, g.mode, g.lock.fence]), [
    [0, 3, "slots", 1],
    [1, 3, "slots", 2],
    [2, 3, "slots", 3],
  ]);
  const text = await lokt(["lock", "db", "--slots", "3"], { root, owner: "d" });
  assertEquals(text.code, 2);
  assertMatch(text.stderr, /all 3 slots held \(a, b, c\)/);
  assertMatch(text.stderr, /--wait/);
  assert(!text.stderr.includes("--force"), text.stderr);
  // The owner's second lock renews its one hold: no second slot.
  const again = json(
    (await lokt(["lock", "db", "--slots", "3", "--json"], { root, owner: "b" }))
      .stdout,
  );
  assertEquals([again.outcome, again.slot, again.lock.fence], ["renewed", 1, 2]);
  assertEquals(
    (await lokt(["unlock", "db"], { root, owner: "b" })).stdout.trim(),
    'released "db" slot 1 (fence 2)',
  );
  const next = await lokt(["lock", "db", "--slots", "3"], { root, owner: "d" });
  assertEquals(next.stdout.trim().split(" (")[0], 'acquired "db" slot 1 of 3');
  assertMatch(next.stdout, /fence 4/);
  const events = (await auditEvents(root)).filter((e) => e.event === "acquire");
  assertEquals(events.map((e) => (e.detail as Record<string, unknown>).slot), [0, 1, 2, 1]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("bad slot input is exit 64 naming the rule (and both numbers), writing nothing", async () => {
  const { dir, root } = await freshRoot();
  for (
    const args of [
      ["--slots", "1"],
      ["--slots", "65"],
      ["--slots", "2.5"],
      ["--slots", "abc"],
      ["--slots", "3", "--shared"],
      ["--shared", "--exclusive"],
      ["--slots", "3", "--exclusive"],
    ]
  ) {
    const out = await lokt(["lock", "db", ...args], { root, owner: "a" });
    assertEquals(out.code, 64, `${args}: ${out.stderr}`);
    assertEquals(out.stderr.trim().split("\n").length <= 2, true, out.stderr);
    const guard = await lokt(["guard", "db", ...args, "--", "true"], { root, owner: "a" });
    assertEquals(guard.code, 64, `${args}: ${guard.stderr}`);
  }
  assertMatch((await lokt(["lock", "db", "--slots", "1"], { root })).stderr, /from 2 to 64/);
  assertEquals(await listTree(root), []);
  // Against the current holders: another N, or a mode that does not match.
  assertEquals((await lokt(["lock", "db", "--slots", "3"], { root, owner: "a" })).code, 0);
  assertEquals((await lokt(["lock", "x", "--shared"], { root, owner: "a" })).code, 0);
  const before = [await listTree(root), await Deno.readTextFile(`${root}/audit.jsonl`)];
  const other = await lokt(["lock", "db", "--slots", "4"], { root, owner: "b" });
  assertEquals(other.code, 64);
  assertMatch(other.stderr, /semaphore of 3 slots.*asked for 4 slots.*\(3 vs 4\)/);
  const plain = await lokt(["guard", "db", "--", "true"], { root, owner: "b" });
  assertEquals(plain.code, 64);
  assertMatch(plain.stderr, /ask with --slots 3|only with --slots 3/);
  const slotsOnShared = await lokt(["lock", "x", "--slots", "2", "--wait"], { root, owner: "b" });
  assertEquals(slotsOnShared.code, 64);
  assertMatch(slotsOnShared.stderr, /without --slots/);
  // Re-locking one's own hold in another mode (§4a rule 1).
  const mine = await lokt(["lock", "x"], { root, owner: "a" });
  assertEquals(mine.code, 64);
  assertMatch(mine.stderr, /your hold of "x" is a shared lock/);
  assertEquals([await listTree(root), await Deno.readTextFile(`${root}/audit.jsonl`)], before);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("shared: readers coexist, an exclusive request waits for all of them, a reader waits for a writer", async () => {
  const { dir, root } = await freshRoot();
  assertEquals((await lokt(["lock", "deps", "--shared"], { root, owner: "r1" })).code, 0);
  const second = await lokt(["lock", "deps", "--shared"], { root, owner: "r2" });
  assertEquals(second.stdout.split(" (")[0], 'acquired "deps" shared');
  const writer = await lokt(["lock", "deps"], { root, owner: "w" });
  assertEquals(writer.code, 2);
  assertMatch(writer.stderr, /held shared by 2 reader\(s\) \(r1, r2\); an exclusive hold waits/);
  assertEquals((await lokt(["exists", "deps"], { root })).code, 0);
  assertEquals((await lokt(["unlock", "deps"], { root, owner: "r1" })).code, 0);
  assertEquals((await lokt(["unlock", "deps"], { root, owner: "r2" })).code, 0);
  assertEquals((await lokt(["exists", "deps"], { root })).code, 3);
  assertEquals(await listTree(`${root}/locks`), []);
  assertEquals((await lokt(["lock", "deps"], { root, owner: "w" })).code, 0);
  const reader = await lokt(["lock", "deps", "--shared"], { root, owner: "r1" });
  assertEquals(reader.code, 2);
  assertMatch(reader.stderr, /held by w/);
  // The writer's own exclusive owner hold covers its shared guard (nested).
  const nested = await lokt(["guard", "deps", "--shared", "--", "true"], { root, owner: "w" });
  assertEquals(nested.code, 0, nested.stderr);
  assertMatch(nested.stderr, /running nested/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("status --json: mode, slots and holders (with slot) on every lock entry; an exclusive entry keeps its record at the top", async () => {
  const { dir, root } = await freshRoot();
  await lokt(["lock", "db", "--slots", "2", "--reason", "tests"], { root, owner: "a" });
  await lokt(["lock", "db", "--slots", "2"], { root, owner: "b" });
  await lokt(["lock", "build"], { root, owner: "c" });
  const status = json((await lokt(["status", "--json"], { root, owner: "a" })).stdout);
  const [build, db] = status.locks;
  assertEquals([build.name, build.mode, build.slots, build.owner], [
    "build",
    "exclusive",
    null,
    "c",
  ]);
  assertEquals(build.holders.length, 1);
  assertEquals(build.holders[0].lock_id, build.lock_id);
  assertEquals(build.holders[0].slot, null);
  assertEquals([db.name, db.mode, db.slots, db.owner, db.record, db.mine], [
    "db",
    "slots",
    2,
    null,
    null,
    true,
  ]);
  assertEquals(db.holders.map((h: Record<string, unknown>) => [h.owner, h.slot, h.reason]), [
    ["a", 0, "tests"],
    ["b", 1, null],
  ]);
  assertEquals(db.holders[0].liveness, "ttl");
  assertEquals(db.holders[0].judged.status, "held");
  assertEquals(db.holders[0].judged.mine, true);
  const text = (await lokt(["status"], { root, owner: "a" })).stdout;
  assertMatch(text, /db \[slot 0\/2\]\s+held \(you\)\s+a/);
  assertMatch(text, /db \[slot 1\/2\]\s+held\s+b/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("why judges a shared or semaphore name in its holders' mode", async () => {
  const { dir, root } = await freshRoot();
  await lokt(["lock", "db", "--slots", "2"], { root, owner: "a" });
  const room = await lokt(["why", "db", "--json"], { root, owner: "z" });
  assertEquals(room.code, 0);
  assertEquals(json(room.stdout).reasons.map((r: { code: string }) => r.code), ["slots"]);
  await lokt(["lock", "db", "--slots", "2"], { root, owner: "b" });
  const full = await lokt(["why", "db"], { root, owner: "z" });
  assertEquals(full.code, 2);
  assertMatch(full.stdout, /full: all 2 slots are held \(a slot 0, b slot 1\)/);
  assertMatch(full.stdout, /lokt lock db --slots 2 --wait/);
  const mine = json((await lokt(["why", "db", "--json"], { root, owner: "a" })).stdout);
  assertEquals([mine.can_acquire, mine.reasons[0].code], [true, "mine"]);
  await lokt(["lock", "deps", "--shared"], { root, owner: "a" });
  const shared = json((await lokt(["why", "deps", "--json"], { root, owner: "z" })).stdout);
  assertEquals([shared.can_acquire, shared.reasons[0].code], [true, "shared"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("unlock per hold: --break-stale removes only the stale holds, --mine only your own, --force the whole name; each audited per hold", async () => {
  const { dir, root } = await freshRoot();
  await lokt(["lock", "db", "--slots", "3"], { root, owner: "me" });
  await lokt(["lock", "db", "--slots", "3"], { root, owner: "other" });
  // Nothing stale: --break-stale refuses, as for an exclusive lock.
  const early = await lokt(["unlock", "db", "--break-stale"], { root, owner: "ops" });
  assertEquals(early.code, 1, early.stderr);
  assertMatch(early.stderr, /not stale/);
  await lokt(["lock", "db", "--slots", "3", "--ttl", "1s"], { root, owner: "short" });
  // Once its TTL (and the clock-skew tolerance) has passed, only that hold is stale.
  const stale = await waitFor(async () => {
    const out = await lokt(["unlock", "db", "--break-stale", "--json"], { root, owner: "ops" });
    return out.code === 0 ? json(out.stdout) : null;
  }, "the 1s slot hold to expire");
  assertEquals(stale.broken[0].holds.map((h: { owner: string }) => h.owner), ["short"]);
  const left = json((await lokt(["status", "db", "--json"], { root })).stdout).locks[0];
  assertEquals(left.holders.map((h: { owner: string; slot: number }) => [h.owner, h.slot]), [
    ["me", 0],
    ["other", 1],
  ]);
  const mine = await lokt(["unlock", "--mine"], { root, owner: "me" });
  assertEquals(mine.code, 0);
  assertMatch(mine.stdout, /released 1 lock\(s\) of me: db/);
  const rest = json((await lokt(["status", "db", "--json"], { root })).stdout).locks[0];
  assertEquals(rest.holders.map((h: { owner: string }) => h.owner), ["other"]);
  // Someone else's hold: refused with the holder named, never a hint to force.
  const refused = await lokt(["unlock", "db"], { root, owner: "me" });
  assertEquals(refused.code, 4);
  assertMatch(refused.stderr, /other/);
  const forced = await lokt(["unlock", "db", "--force"], { root, owner: "ops" });
  assertEquals(forced.code, 0);
  assertMatch(forced.stdout, /1 hold\(s\) of other/);
  assertEquals((await lokt(["exists", "db"], { root })).code, 3);
  const events = (await auditEvents(root)).map((e) => [e.event, e.owner]);
  assert(events.some(([e]) => e === "expire-break"), JSON.stringify(events));
  assertEquals(events.filter(([e]) => e === "force-break").length, 1);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a freeze blocks every mode; lokt.jsonc gives a name slots or shared by default, --exclusive overrides shared", async () => {
  const { dir, root } = await freshRoot();
  await lokt(["freeze", "db", "--ttl", "1m"], { root, owner: "ops" });
  for (const args of [["--slots", "2"], ["--shared"], []]) {
    const out = await lokt(["lock", "db", ...args], { root, owner: "a" });
    assertEquals(out.code, 2, out.stderr);
    assertMatch(out.stderr, /frozen/);
  }
  await lokt(["unfreeze", "db"], { root, owner: "ops" });
  const project = `${dir}/project`;
  await Deno.mkdir(`${project}/.lokt`, { recursive: true });
  await Deno.writeTextFile(
    `${project}/lokt.jsonc`,
    `{ "locks": { "pool": { "slots": 2 }, "deps": { "shared": true } } }`,
  );
  const at = { cwd: project, owner: "a" };
  const pool = json((await lokt(["lock", "pool", "--json"], at)).stdout);
  assertEquals([pool.mode, pool.slots, pool.slot], ["slots", 2, 0]);
  const deps = json((await lokt(["lock", "deps", "--json"], at)).stdout);
  assertEquals(deps.mode, "shared");
  const writer = await lokt(["lock", "deps", "--exclusive"], { cwd: project, owner: "b" });
  assertEquals(writer.code, 2);
  assertMatch(writer.stderr, /held shared by 1 reader/);
  await Deno.writeTextFile(`${project}/lokt.jsonc`, `{ "locks": { "pool": { "slots": 1 } } }`);
  const bad = await lokt(["lock", "pool"], at);
  assertEquals(bad.code, 1);
  assertMatch(bad.stderr, /locks\.pool\.slots" must be an integer from 2 to 64/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("guard --slots gives its command LOKT_SLOT; a nested guard runs under the same slot; an inherited shared hold refuses an exclusive request at once", async () => {
  const { dir, root } = await freshRoot();
  const script = `echo "slot=$LOKT_SLOT"; ${Deno.execPath()} run -A --quiet ${
    new URL("../cli.ts", import.meta.url).pathname
  } guard pool --slots 2 -- sh -c 'echo "inner=$LOKT_SLOT"'`;
  const out = await lokt(["guard", "pool", "--slots", "2", "--", "sh", "-c", script], {
    root,
    owner: "a",
  });
  assertEquals(out.code, 0, out.stderr);
  assertEquals(out.stdout.trim().split("\n"), ["slot=0", "inner=0"]);
  assertMatch(out.stderr, /running nested/);
  const held = spawnLokt(["guard", "pool", "--slots", "2", "--", "sh", "-c", "echo up; sleep 30"], {
    root,
    owner: "b",
  });
  try {
    assertEquals(await lineReader(held.stdout).next(), "up");
    const second = await lokt(
      ["guard", "pool", "--slots", "2", "--", "sh", "-c", 'echo "slot=$LOKT_SLOT"'],
      { root, owner: "b" },
    );
    assertEquals(second.stdout.trim(), "slot=1");
  } finally {
    await reap(held);
  }
  const upgrade = `${Deno.execPath()} run -A --quiet ${
    new URL("../cli.ts", import.meta.url).pathname
  } guard deps --wait --timeout 20s -- true`;
  const started = Date.now();
  const refused = await lokt(["guard", "deps", "--shared", "--", "sh", "-c", upgrade], {
    root,
    owner: "a",
  });
  assertEquals(refused.code, 2, refused.stderr);
  assertMatch(refused.stderr, /shared hold this command inherited/);
  assert(Date.now() - started < 15_000, "refused at once, not after the wait");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("library: acquire({ slots }) gives lock.slot, acquire({ shared }) readers; bad options are UsageErrors", async () => {
  const { dir, root } = await freshRoot();
  const one = await acquire("pool", { root, owner: "lib", slots: 2 });
  const two = await acquire("pool", { root, owner: "lib", slots: 2 });
  assertEquals([one.slot, two.slot, one.mode], [0, 1, "slots"]);
  let refused: unknown = null;
  try {
    await acquire("pool", { root, owner: "other", slots: 2 });
  } catch (err) {
    refused = err;
  }
  assert(refused instanceof LockHeldError, String(refused));
  await two.release();
  const three = await acquire("pool", { root, owner: "other", slots: 2 });
  assertEquals(three.slot, 1);
  await one.release();
  await three.release();
  const readers = [
    await acquire("deps", { root, owner: "r1", shared: true }),
    await acquire("deps", { root, owner: "r2", shared: true }),
  ];
  assertEquals(readers.map((r) => r.mode), ["shared", "shared"]);
  for (const r of readers) await r.release();
  assertEquals(await listTree(`${root}/locks`), []);
  for (const options of [{ slots: 1 }, { slots: 2, shared: true }, { slots: 2.5 }]) {
    let error: unknown = null;
    try {
      await acquire("pool", { root, owner: "lib", ...options });
    } catch (err) {
      error = err;
    }
    assert(error instanceof UsageError, `${JSON.stringify(options)}: ${error}`);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a multi-hold document is version 3: a lokt that knows records up to version 2 sees it as a newer lokt's, held, never free", async () => {
  const { dir, root } = await freshRoot();
  await lokt(["lock", "db", "--slots", "2"], { root, owner: "a" });
  const stored = json(await Deno.readTextFile(`${root}/locks/db.json`));
  assertEquals([stored.version, stored.mode, stored.slots, stored.holders.length], [
    3,
    "slots",
    2,
    1,
  ]);
  // Every earlier lokt (record versions 1 and 2) judges a higher version as a
  // newer lokt's record: held for exists, never replaced, never broken stale.
  assert(stored.version > 2);
  assertEquals(stored.holders[0].version, 2);
  await Deno.remove(dir, { recursive: true });
});
