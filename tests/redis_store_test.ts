// The Redis LockStore (docs/contract.md §17) under the engine, against a real
// redis-server: acquire, deny, renew, release and break with server-clock
// times and strictly increasing fences; semaphores and reservations through
// the same compare-and-swap; FIFO waiting woken by the server; and processes
// racing for one name, never two inside.
import { assert, assertEquals } from "./_assert.ts";
import { releaseLock, tryAcquire } from "../lib/core/locks/engine.ts";
import { renewLock } from "../lib/core/locks/lock_renewal.ts";
import { acquireWaiting } from "../lib/core/locks/acquisition.ts";
import { checkLiteralPaths } from "../lib/core/reservations/reservation_index.ts";
import { reservePatterns } from "../lib/core/reservations/reservation_writes.ts";
import { LockHeldError } from "../lib/model/lock_errors.ts";
import { RedisClient } from "../lib/store/redis/redis_client.ts";
import { RedisStore } from "../lib/store/redis/redis_store.ts";
import { currentIdentity } from "../lib/sys/identity.ts";
import { FIXTURES, freshRoot, MOD, spawnScript } from "./_helpers.ts";
import { startRedis } from "./_redis.ts";

function contexts(port: number, namespace: string, ...owners: string[]) {
  const stores: RedisStore[] = [];
  const ctxs = owners.map((owner) => {
    const store = new RedisStore({ host: "127.0.0.1", port, tls: false }, { namespace });
    stores.push(store);
    return { store, identity: { ...currentIdentity(), owner }, now: Date.now };
  });
  return { ctxs, close: () => stores.forEach((s) => s.close()) };
}

Deno.test("engine on Redis: acquire, deny, renew, release; fences strictly increase; times are the server's; the audit is a stream", async () => {
  const server = await startRedis();
  const { ctxs: [a, b], close } = contexts(server.port, "repo-1", "a", "b");
  try {
    const first = await tryAcquire(a!, "build", { ttlMs: 60_000, liveness: "ttl" });
    // A name's first fence starts above the server's clock (in µs): fences survive data loss.
    assert(first.record.fence > Date.now() * 1000 - 60_000_000, String(first.record.fence));
    let denied: unknown = null;
    try {
      await tryAcquire(b!, "build", { ttlMs: 60_000, liveness: "ttl" });
    } catch (err) {
      denied = err;
    }
    assert(denied instanceof LockHeldError && denied.holder?.owner === "a");
    const entry = await a!.store.read("lock", "build");
    assert(entry !== null && Math.abs(entry.mtimeMs - Date.now()) < 5_000);
    const renewed = await renewLock(a!, "build", first.record.lock_id, {
      ttlMs: 90_000,
      audit: true,
    });
    assertEquals([renewed.fence, renewed.ttl_ms], [first.record.fence, 90_000]);
    await releaseLock(a!, "build");
    assertEquals(
      (await tryAcquire(b!, "build", { ttlMs: 60_000, liveness: "ttl" })).record.fence,
      first.record.fence + 1,
    );
    assertEquals(await a!.store.list("lock"), ["build"]);
    const client = await RedisClient.connect({ host: "127.0.0.1", port: server.port, tls: false });
    const events = await client.command("XRANGE", "lokt:{repo-1}:audit", "-", "+") as [
      string,
      string[],
    ][];
    assertEquals(
      events.map(([, fields]) => JSON.parse(fields[1] as string).event),
      ["acquire", "deny", "renew", "release", "acquire"],
    );
    // Keys of one namespace share one hash tag; another namespace is another world.
    const keys = await client.command("KEYS", "*") as string[];
    assert(keys.every((k) => k.startsWith("lokt:{repo-1}:")), keys.join(" "));
    client.close();
    const { ctxs: [other], close: closeOther } = contexts(server.port, "repo-2", "c");
    const otherFence = (await tryAcquire(other!, "build", { ttlMs: 60_000, liveness: "ttl" }))
      .record.fence;
    assert(otherFence !== first.record.fence + 2, "another namespace has its own counter");
    closeOther();
  } finally {
    close();
    await server.stop();
  }
});

Deno.test("semaphores and reservations work on Redis through the same compare-and-swap", async () => {
  const server = await startRedis();
  const { ctxs: [a, b, c], close } = contexts(server.port, "repo", "a", "b", "c");
  try {
    const spec = { ttlMs: 60_000, liveness: "ttl", mode: "slots", slots: 2 } as const;
    assertEquals((await tryAcquire(a!, "pool", spec)).record.slot, 0);
    assertEquals((await tryAcquire(b!, "pool", spec)).record.slot, 1);
    let full: unknown = null;
    try {
      await tryAcquire(c!, "pool", spec);
    } catch (err) {
      full = err;
    }
    assert(full instanceof LockHeldError && full.detail.kind === "full");
    const r = { mode: "exclusive", ttlMs: 60_000, reason: "x", liveness: "ttl" } as const;
    await reservePatterns(a!, ["src/auth"], r);
    const { conflicts } = await checkLiteralPaths(b!, ["src/auth/login.ts"], false);
    assertEquals(conflicts.map((x) => x.reservation.owner), ["a"]);
  } finally {
    close();
    await server.stop();
  }
});

Deno.test("a waiter on Redis is woken by the server when the holder releases", async () => {
  const server = await startRedis();
  const { ctxs: [a, b], close } = contexts(server.port, "repo", "a", "b");
  try {
    const held = await tryAcquire(a!, "deploy", { ttlMs: 60_000, liveness: "ttl" });
    const waiting = acquireWaiting(b!, "deploy", { ttlMs: 60_000, liveness: "ttl" }, {
      timeoutMs: 20_000,
    });
    await new Promise((r) => setTimeout(r, 300));
    await releaseLock(a!, "deploy", { lockId: held.record.lock_id });
    const got = await waiting;
    assertEquals([got.outcome, got.record.owner, got.record.fence], [
      "acquired",
      "b",
      held.record.fence + 1,
    ]);
    assertEquals(await b!.store.queue("deploy"), []);
  } finally {
    close();
    await server.stop();
  }
});

Deno.test("6 processes x 25 rounds racing for one name on Redis, half of them taking a name seen free without a read: never two inside, every fence unique", async () => {
  const server = await startRedis();
  try {
    const workers = Array.from(
      { length: 6 },
      (_, i) =>
        spawnScript(`${FIXTURES}redis_worker.ts`, [
          String(server.port),
          "race",
          `w${i}`,
          "25",
          i % 2 ? "now" : "try",
        ]).output(),
    );
    const outs = await Promise.all(workers);
    const fences: number[] = [];
    for (const out of outs) {
      assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
      fences.push(...JSON.parse(new TextDecoder().decode(out.stdout)));
    }
    assertEquals(fences.length, 150);
    assertEquals(new Set(fences).size, 150);
  } finally {
    await server.stop();
  }
});

Deno.test("a waiter's ticket is kept young by touching it, on Redis and on files; a gone ticket stays gone", async () => {
  const server = await startRedis();
  const { ctxs: [a], close } = contexts(server.port, "repo", "a");
  const root = await Deno.makeTempDir();
  const { FileStore } = await import("../lib/store/file/file_store.ts");
  try {
    for (const store of [a!.store, new FileStore(root)]) {
      const id = await store.enqueue("q", '{"owner":"w"}');
      const before = (await store.queue("q"))[0]!.mtimeMs;
      await new Promise((r) => setTimeout(r, 1100));
      await store.touch("q", id);
      const after = (await store.queue("q"))[0]!;
      assert(after.mtimeMs > before, `${after.mtimeMs} > ${before}`);
      assertEquals(after.raw, '{"owner":"w"}');
      await store.dequeue("q", id);
      await store.touch("q", id);
      assertEquals(await store.queue("q"), []);
    }
  } finally {
    close();
    await server.stop();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the library keeps one Redis connection per process: 30 acquire+release pairs connect once", async () => {
  const server = await startRedis();
  const { dir, root } = await freshRoot();
  const script = `${dir}/pairs.ts`;
  await Deno.writeTextFile(
    script,
    `import { acquire } from ${JSON.stringify(MOD)};
for (let i = 0; i < 30; i++) {
  const lock = await acquire("shared", { ttl: "1m" });
  await lock.release();
}
console.log("done");
`,
  );
  const probe = await RedisClient.connect({ host: "127.0.0.1", port: server.port, tls: false });
  try {
    const connections = async () => {
      const info = String(await probe.command("INFO", "stats"));
      return Number(/total_connections_received:(\d+)/.exec(info)?.[1]);
    };
    const before = await connections();
    const out = await spawnScript(script, [], {
      root,
      owner: "lib-agent",
      env: { LOKT_BACKEND: `redis://127.0.0.1:${server.port}` },
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert(out.success, stderr);
    assertEquals(new TextDecoder().decode(out.stdout).trim(), "done");
    assertEquals(await connections() - before, 1, "one connection for all 30 pairs");
    const fences = (await probe.command("GET", "lokt:{default}:fence:shared")) as string | null;
    assert(fences === null || Number(fences) >= 30, `fence counter ${fences}`);
  } finally {
    probe.close();
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
