// The library API of mod.ts, used in-process as a Deno script would.
import { assert, assertEquals } from "./_assert.ts";
import { rejects } from "node:assert/strict";
import {
  acquire,
  checkPaths,
  freeze,
  FrozenError,
  LockHeldError,
  LockLostError,
  readAudit,
  reservations,
  reserve,
  status,
  unfreeze,
  UsageError,
  WaitTimeoutError,
  why,
  withLock,
} from "../mod.ts";
import { openContext } from "../lib/core/context.ts";
import { breakLock } from "../lib/core/locks/breaks.ts";
import { setFreeze } from "../lib/core/freezes/freezes.ts";
import {
  auditEvents,
  freshRoot,
  listTree,
  MOD,
  spawnScript,
  tempDir,
  waitFor,
} from "./_helpers.ts";

Deno.test("acquire() holds the lock until release; a second owner gets LockHeldError with the holder", async () => {
  const root = `${await tempDir()}/root`;
  const lock = await acquire("build", { root, owner: "alice", ttl: "1m", reason: "compile" });
  assertEquals(lock.name, "build");
  assertEquals(lock.lockId.length, 32);
  assert(lock.fence >= 1);
  const err = await acquire("build", { root, owner: "bob" }).catch((e) => e);
  assert(err instanceof LockHeldError);
  assertEquals(err.exitCode, 2);
  assertEquals(err.holder?.owner, "alice");
  assertEquals(err.holder?.reason, "compile");
  // The library runs from a bundle: its public classes still show their own names.
  assertEquals([lock.constructor.name, err.constructor.name], ["Lock", "LockHeldError"]);
  assert(Deno.inspect(lock).startsWith("Lock "), Deno.inspect(lock));
  assertEquals(await lock.release(), true);
  assertEquals(await lock.release(), false);
  const next = await acquire("build", { root, owner: "bob" });
  assert(next.fence > lock.fence);
  await next.release();
  await Deno.remove(root, { recursive: true });
});

Deno.test("await using releases the lock at the end of the scope", async () => {
  const root = `${await tempDir()}/root`;
  {
    await using lock = await acquire("scoped", { root, owner: "alice" });
    assert(lock.fence > 0);
  }
  const again = await acquire("scoped", { root, owner: "bob" });
  await again.release();
  const kinds = (await auditEvents(root)).map((e) => e.event);
  assertEquals(kinds, ["acquire", "release", "acquire", "release"]);
  await Deno.remove(root, { recursive: true });
});

Deno.test("withLock() releases after the function throws, and rejects bad input with UsageError", async () => {
  const root = `${await tempDir()}/root`;
  await rejects(
    withLock("w", { root, owner: "alice" }, () => {
      throw new Error("boom");
    }),
    /boom/,
  );
  assertEquals(await withLock("w", { root, owner: "bob" }, (lock) => lock.name), "w");
  await rejects(acquire("../escape", { root }), UsageError);
  await rejects(acquire(null as never, { root }), UsageError);
  await rejects(acquire({ name: "x" } as never, { root }), UsageError);
  await rejects(acquire("ok", { root, ttl: 500 }), UsageError);
  await rejects(acquire("ok", { root, ttl: "soon" }), UsageError);
  await Deno.remove(root, { recursive: true });
});

Deno.test("lock.signal aborts with LockLostError when the lock is broken, and release leaves the new holder alone", async () => {
  const root = `${await tempDir()}/root`;
  const lock = await acquire("lost", { root, owner: "alice", ttl: "2s" });
  const bob = openContext({ root, owner: "bob" });
  await breakLock(bob, "lost", "force");
  const thief = await acquire("lost", { root, owner: "bob", heartbeat: false });
  await waitFor(() => lock.signal.aborted, "loss detected by the heartbeat", 5000);
  assert(lock.signal.reason instanceof LockLostError);
  assertEquals(await lock.release(), false);
  const record = JSON.parse(await Deno.readTextFile(`${root}/locks/lost.json`));
  assertEquals(record.lock_id, thief.lockId);
  const events = (await auditEvents(root)).map((e) => e.event);
  assert(events.includes("lost"));
  await thief.release();
  await Deno.remove(root, { recursive: true });
});

Deno.test("the heartbeat renews a TTL lock past its TTL", async () => {
  const root = `${await tempDir()}/root`;
  const started = Date.now();
  const lock = await acquire("beat", { root, owner: "alice", ttl: "1s" });
  const first = lock.record.expires_at;
  await waitFor(() => lock.record.expires_at !== first, "a renewal", 5000);
  // Well past TTL + skew tolerance, the lock must still be alice's.
  await waitFor(() => Date.now() - started > 3000, "three seconds to pass", 5000, 100);
  const err = await acquire("beat", { root, owner: "bob" }).catch((e) => e);
  assert(err instanceof LockHeldError, String(err));
  assertEquals(lock.signal.aborted, false);
  await lock.release();
  await Deno.remove(root, { recursive: true });
});

Deno.test("the heartbeat never keeps a program alive: a script that acquires a TTL lock and returns exits at once, its lock left to expire", async () => {
  const dir = await tempDir();
  const script = `${dir}/holder.ts`;
  await Deno.writeTextFile(
    script,
    `import { acquire } from ${JSON.stringify(MOD)};\n` +
      `const lock = await acquire("kept", { root: ${
        JSON.stringify(`${dir}/root`)
      }, owner: "alice", ttl: "2s" });\n` +
      `console.log(lock.fence);\n`,
  );
  const child = spawnScript(script, []);
  const exited = await Promise.race([
    child.status.then((s) => s.code),
    new Promise<"alive">((done) =>
      AbortSignal.timeout(10_000).addEventListener("abort", () => done("alive"))
    ),
  ]);
  if (exited === "alive") child.kill("SIGKILL");
  const out = await child.output();
  assertEquals(exited, 0, new TextDecoder().decode(out.stderr));
  assertEquals(new TextDecoder().decode(out.stdout), "1\n");
});

Deno.test("acquire() with wait: true waits for release; a freeze yields FrozenError", async () => {
  const root = `${await tempDir()}/root`;
  const alice = await acquire("q", { root, owner: "alice" });
  const waiting = acquire("q", { root, owner: "bob", wait: true, timeout: "10s" });
  await waitFor(
    async () => (await auditEvents(root)).some((e) => e.event === "wait"),
    "wait event",
  );
  await alice.release();
  const bob = await waiting;
  assert(bob.fence > alice.fence);
  await bob.release();
  await setFreeze(openContext({ root, owner: "ops" }), "q", 60_000, "incident");
  const err = await acquire("q", { root, owner: "carol" }).catch((e) => e);
  assert(err instanceof FrozenError);
  assertEquals(err.freeze?.reason, "incident");
  await Deno.remove(root, { recursive: true });
});

Deno.test("status(), why(), freeze(), unfreeze() and readAudit() answer like the CLI", async () => {
  const { acquire: take, freeze, readAudit, status, unfreeze, why } = await import("../mod.ts");
  const root = `${await tempDir()}/root`;
  const lock = await take("lib", { root, owner: "alice", reason: "lib test" });
  const report = await status({ root, owner: "bob" });
  assertEquals(report.locks.map((l) => [l.name, l.status, l.record?.owner]), [[
    "lib",
    "held",
    "alice",
  ]]);
  assertEquals((await status({ root, name: "other" })).locks, []);
  const blocked = await why("lib", { root, owner: "bob" });
  assertEquals(blocked.canAcquire, false);
  assertEquals(blocked.reasons[0]?.code, "held");
  // Alice's hold is an instance hold (this process's): not hers to take again (§4a).
  const own = await why("lib", { root, owner: "alice" });
  assertEquals([own.canAcquire, own.reasons[0]?.code], [false, "own-instance"]);
  await freeze("lib", "1m", { root, owner: "ops", reason: "maintenance" });
  assertEquals(
    (await why("lib", { root, owner: "alice" })).reasons.some((r) => r.code === "frozen"),
    true,
  );
  assertEquals((await unfreeze("lib", { root, owner: "ops" }))?.reason, "maintenance");
  await lock.release();
  const kinds: string[] = [];
  for await (const e of readAudit({ root, name: "lib" })) kinds.push(e.event);
  assertEquals(kinds, ["acquire", "freeze", "unfreeze", "release"]);
  const newest: string[] = [];
  for await (const e of readAudit({ root, limit: 1, events: ["acquire", "release"] })) {
    newest.push(e.event);
  }
  assertEquals(newest, ["release"]);
  await Deno.remove(root, { recursive: true });
});

Deno.test("an owner's second acquire() in the same process throws at once instead of queueing behind others (no self-deadlock)", async () => {
  const root = `${await tempDir()}/root`;
  const lock = await acquire("own", { root, owner: "alice", ttl: "1m" });
  const bob = acquire("own", { root, owner: "bob", wait: true, timeout: "10s" });
  await waitFor(
    async () => (await auditEvents(root)).some((e) => e.event === "wait"),
    "bob queued",
  );
  const again = await acquire("own", { root, owner: "alice", wait: true, timeout: "2s" })
    .catch((e) => e);
  assert(again instanceof LockHeldError, String(again));
  assertEquals(again.holder?.lock_id, lock.lockId);
  assertEquals(lock.lost, false);
  await lock.release();
  await (await bob).release();
  await Deno.remove(root, { recursive: true });
});

Deno.test("acquire() applies lokt.jsonc like the CLI: a per-name TTL and a waiting policy; what the caller passes wins", async () => {
  const dir = await tempDir();
  const root = `${dir}/root`;
  await Deno.writeTextFile(
    `${dir}/lokt.jsonc`,
    '{\n  // team policy\n  "locks": { "build": { "ttl": "5m", "wait": true, "timeout": "300ms" } },\n}\n',
  );
  const lock = await acquire("build", { root, cwd: dir, owner: "alice" });
  assertEquals(lock.record.ttl_ms, 300_000);
  // The policy waits (and times out after its own timeout) where a plain acquire would be denied.
  const started = Date.now();
  const waited = await acquire("build", { root, cwd: dir, owner: "bob" }).catch((e) => e);
  assert(waited instanceof WaitTimeoutError, String(waited));
  assert(Date.now() - started >= 250, "did not wait");
  const denied = await acquire("build", { root, cwd: dir, owner: "bob", wait: false }).catch((e) =>
    e
  );
  assert(denied instanceof LockHeldError, String(denied));
  await lock.release();
  const own = await acquire("build", { root, cwd: dir, owner: "bob", ttl: "1m" });
  assertEquals(own.record.ttl_ms, 60_000);
  await own.release();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("reserve() and checkPaths() given anything but strings from JavaScript throw a UsageError and write nothing", async () => {
  const { dir, root } = await freshRoot();
  for (const bad of [null, undefined, 7, [7], ["src/a.ts", null], { 0: "src" }]) {
    for (
      const call of [
        () => reserve(bad as never, { root }),
        () => checkPaths(bad as never, { root }),
      ]
    ) {
      const err = await call().catch((e) => e);
      assert(err instanceof UsageError, `${JSON.stringify(bad)}: ${err}`);
      assertEquals(err.exitCode, 64);
    }
  }
  assertEquals(await listTree(dir), []);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the library enforces the CLI's limits: a reason over 1,000 characters is a UsageError and writes nothing", async () => {
  const { dir, root } = await freshRoot();
  const err = await acquire("huge", { root, owner: "lib", reason: "r".repeat(1_100_000) })
    .catch((e) => e);
  assert(err instanceof UsageError, String(err));
  assertEquals(err.exitCode, 64);
  const twoLines = await acquire("huge", { root, owner: "lib", reason: "a\nb" }).catch((e) => e);
  assert(twoLines instanceof UsageError);
  assertEquals(await listTree(dir), []);
  assertEquals(await auditEvents(root), []);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("every library call given options of the wrong type from JavaScript throws a UsageError and writes nothing", async () => {
  const { dir, root } = await freshRoot();
  const o = { root, owner: "lib" };
  let ran = false;
  const work = () => {
    ran = true;
  };
  const calls: [string, () => Promise<unknown>][] = [
    ["acquire null", () => acquire("a", null as never)],
    ["acquire array", () => acquire("a", [] as never)],
    ["acquire cwd", () => acquire("a", { ...o, cwd: 5 as never })],
    ["acquire owner", () => acquire("a", { root, owner: {} as never })],
    ["acquire ttl", () => acquire("a", { ...o, ttl: null as never })],
    ["acquire timeout", () => acquire("a", { ...o, wait: true, timeout: [] as never })],
    ["acquire wait", () => acquire("a", { ...o, wait: "yes" as never })],
    ["acquire signal", () => acquire("a", { ...o, signal: "stop" as never })],
    ["acquire onLost", () => acquire("a", { ...o, onLost: "log" as never })],
    ["withLock fn", () => withLock("a", o, "work" as never)],
    ["withLock options", () => withLock("a", null as never, work)],
    ["reserve", () => reserve("src", null as never)],
    ["reserve ttl", () => reserve("src", { ...o, ttl: {} as never })],
    ["checkPaths", () => checkPaths("src", 7 as never)],
    ["reservations", () => reservations(null as never)],
    ["freeze ttl", () => freeze("a", null as never, o)],
    ["freeze options", () => freeze("a", "1h", "ops" as never)],
    ["freeze reason", () => freeze("a", "1h", { ...o, reason: 5 as never })],
    ["unfreeze", () => unfreeze("a", { ...o, force: "yes" as never })],
    ["status", () => status(null as never)],
    ["status name", () => status({ ...o, name: 5 as never })],
    ["why", () => why("a", null as never)],
    ["readAudit", () => Array.fromAsync(readAudit(null as never))],
    ["readAudit limit", () => Array.fromAsync(readAudit({ ...o, limit: -1 }))],
    ["readAudit limit text", () => Array.fromAsync(readAudit({ ...o, limit: "5" as never }))],
    ["readAudit events", () => Array.fromAsync(readAudit({ ...o, events: "acquire" as never }))],
    ["readAudit since", () => Array.fromAsync(readAudit({ ...o, since: 5 as never }))],
  ];
  for (const [label, call] of calls) {
    const err = await (async () => await call())().catch((e) => e);
    assert(err instanceof UsageError, `${label}: ${err}`);
    assertEquals(err.exitCode, 64, label);
    assert(!err.message.includes("Cannot read"), `${label}: ${err.message}`);
  }
  assert(!ran, "withLock ran its work without a valid call");
  assertEquals(await listTree(dir), []);
  await Deno.remove(dir, { recursive: true });
});
