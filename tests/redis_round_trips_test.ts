// The Redis store's round trips and the steps that save them (docs/contract.md
// §17): an acquisition reads once (freeze, lock and fence counter together) and
// writes once (the fence taken in the same script as the hold); a release
// decides on the entry this process wrote and compares-and-removes it, reading
// only when it changed; a name this process gave back is taken without a read,
// the server checking it is still free, unfrozen and not waited for. Saving a step must never let a write through that the
// full path would refuse.
import { assert, assertEquals } from "./_assert.ts";
import { releaseLock, tryAcquire } from "../lib/core/locks/engine.ts";
import { acquireNow } from "../lib/core/locks/acquisition.ts";
import { LockHeldError, NotOwnerError } from "../lib/model/lock_errors.ts";
import { FrozenError } from "../lib/model/freeze_errors.ts";
import { liftFreeze, setFreeze } from "../lib/core/freezes/freezes.ts";
import { ticketContent } from "../lib/core/locks/waiters.ts";
import { RedisStore } from "../lib/store/redis/redis_store.ts";
import { fenceIn } from "../lib/store/lock_store.ts";
import { currentIdentity } from "../lib/sys/identity.ts";
import { startRedis } from "./_redis.ts";

function context(port: number, owner: string) {
  const store = new RedisStore({ host: "127.0.0.1", port, tls: false }, { namespace: "trips" });
  return { store, identity: { ...currentIdentity(), owner }, now: () => store.now() };
}

const spec = { ttlMs: 60_000, liveness: "ttl" as const };

Deno.test("on Redis an acquisition is 2 round trips (the queue checked too), 1 for a name this process gave back, and a release of one's own hold is 1", async () => {
  const server = await startRedis();
  const a = context(server.port, "a");
  const b = context(server.port, "b");
  try {
    await tryAcquire(a, "x", spec);
    await releaseLock(a, "x");
    const client = await a.store.client();
    for (let i = 0; i < 5; i++) {
      // Used before by b (a name's very first fence takes one more round trip: its counter starts).
      await releaseLock(b, (await tryAcquire(b, `y${i}`, spec)).record.name);
      const before = client.sends;
      await tryAcquire(a, "x", spec);
      assertEquals(client.sends - before, 2, "acquire");
      await releaseLock(a, "x");
      assertEquals(client.sends - before, 3, "acquire + release");
      // What `lock` and the library's acquire() do: a name this process gave back is taken
      // without a read (the server checks it is still free, unfrozen, not waited for).
      await acquireNow(a, "x", spec);
      assertEquals(client.sends - before, 4, "acquire of a name seen free");
      await releaseLock(a, "x");
      // A name not seen yet: the queue is read with the freeze and the lock, then written.
      await acquireNow(a, `y${i}`, spec);
      assertEquals(client.sends - before, 7, "acquire of a name not seen");
      await releaseLock(a, `y${i}`);
    }
  } finally {
    a.store.close();
    b.store.close();
    await server.stop();
  }
});

Deno.test("a fresh fence is taken with the write: a counter that moved since the read refuses it, and the next fence is above every earlier one", async () => {
  const server = await startRedis();
  const a = context(server.port, "a");
  const b = context(server.port, "b");
  try {
    const first = await tryAcquire(b, "x", spec);
    await releaseLock(b, "x");
    // a reads the free lock and its counter; b takes and gives back the lock meanwhile.
    assertEquals(await a.store.read("lock", "x"), null);
    const second = await tryAcquire(b, "x", spec);
    await releaseLock(b, "x");
    const produced = { content: JSON.stringify({ fence: 0 }), audit: [] };
    let proposed = 0;
    const wrote = await a.store.createIfAbsent("lock", "x", (fence) => {
      proposed = fence;
      return produced;
    }, { freshFence: true });
    assert(!wrote, `a wrote fence ${proposed} after b's ${second.record.fence}`);
    const third = await tryAcquire(a, "x", spec);
    assert(
      first.record.fence < second.record.fence && second.record.fence < third.record.fence,
      `${first.record.fence}, ${second.record.fence}, ${third.record.fence}`,
    );
    assertEquals(fenceIn(await a.store.read("lock", "x")), third.record.fence);
  } finally {
    a.store.close();
    b.store.close();
    await server.stop();
  }
});

Deno.test("a release decided on the entry this process wrote never removes what changed since", async () => {
  const server = await startRedis();
  const a = context(server.port, "a");
  const b = context(server.port, "b");
  try {
    await tryAcquire(a, "x", spec);
    // A person breaks a's hold (as --force does) and b takes the lock.
    const held = await b.store.read("lock", "x");
    assert(held && await b.store.compareAndRemove("lock", "x", held.token, []));
    const taken = await tryAcquire(b, "x", spec);
    assert(a.store.known("lock", "x") !== null, "a keeps the entry it wrote");
    const refused = await releaseLock(a, "x").then(() => null, (err) => err);
    assert(refused instanceof NotOwnerError, String(refused));
    const entry = await b.store.read("lock", "x");
    assert(entry?.raw?.includes(taken.record.lock_id), "b's hold is still there");
    // Given back by b, the lock is free; a's stale knowledge changes nothing.
    await releaseLock(b, "x");
    assertEquals(await a.store.read("lock", "x"), null);
  } finally {
    a.store.close();
    b.store.close();
    await server.stop();
  }
});

Deno.test("an acquisition without a read never takes a frozen name, a name waited for, or a fence another took, and its fence rises after the server lost its data", async () => {
  const server = await startRedis();
  const a = context(server.port, "a");
  const b = context(server.port, "b");
  try {
    await acquireNow(a, "x", spec);
    await releaseLock(a, "x");
    assertEquals(a.store.known("lock", "x"), null, "a saw x free last");
    await setFreeze(b, "x", 60_000, "incident");
    const frozen = await acquireNow(a, "x", spec).then(() => null, (err) => err);
    assert(frozen instanceof FrozenError, String(frozen));
    await liftFreeze(b, "x", false);
    await acquireNow(a, "x", spec);
    await releaseLock(a, "x");
    const ticket = await b.store.enqueue("x", ticketContent(b.identity, b.now()));
    const queued = await acquireNow(a, "x", spec).then(() => null, (err) => err);
    assert(queued instanceof LockHeldError, String(queued));
    assertEquals(await a.store.read("lock", "x"), null, "nothing written out of turn");
    await b.store.dequeue("x", ticket);
    const mine = await acquireNow(a, "x", spec);
    await releaseLock(a, "x");
    const theirs = await acquireNow(b, "x", spec);
    await releaseLock(b, "x");
    const again = await acquireNow(a, "x", spec);
    await releaseLock(a, "x");
    // The server loses everything: what a saw (the counter) is gone, and its fence still rises.
    await (await b.store.client()).command("FLUSHALL");
    const afterLoss = await acquireNow(a, "x", spec);
    const fences = [mine, theirs, again, afterLoss].map((r) => r.record.fence);
    assert(fences.every((f, i) => i === 0 || f > fences[i - 1]!), fences.join(", "));
  } finally {
    a.store.close();
    b.store.close();
    await server.stop();
  }
});
