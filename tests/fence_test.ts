// Fencing tokens strictly increase across acquisitions, takeovers included.
import { assert, assertEquals } from "./_assert.ts";
import { openContext } from "../lib/core/context.ts";
import { releaseLock, tryAcquire } from "../lib/core/locks/engine.ts";
import { breakLock } from "../lib/core/locks/breaks.ts";
import { tempDir } from "./_helpers.ts";

Deno.test("fence tokens strictly increase across 1,000 acquisitions, including takeovers", async () => {
  const dir = await tempDir();
  const root = `${dir}/root`;
  const alice = openContext({ root, owner: "alice" });
  const bob = openContext({ root, owner: "bob" });
  let last = 0;
  const kinds = new Map<string, number>();
  for (let i = 0; i < 1000; i++) {
    const kind = i % 4;
    let fence: number;
    if (kind === 0) {
      // Plain acquire and release.
      fence = (await tryAcquire(alice, "f", { ttlMs: 60_000, liveness: "ttl" })).record.fence;
      await releaseLock(alice, "f");
    } else if (kind === 1) {
      // Bob holds it; Alice force-breaks and takes it.
      await tryAcquire(bob, "f", { ttlMs: 60_000, liveness: "ttl" }).then((r) => {
        assert(r.record.fence > last);
        last = r.record.fence;
      });
      await breakLock(alice, "f", "force");
      fence = (await tryAcquire(alice, "f", { ttlMs: 60_000, liveness: "ttl" })).record.fence;
    } else if (kind === 2) {
      // Alice's record is expired (clock moved on): Bob takes it over.
      const later = { ...bob, now: () => Date.now() + 120_000 };
      const result = await tryAcquire(later, "f", { ttlMs: 1_000, liveness: "ttl" });
      assertEquals(result.broke?.event, "expire-break");
      fence = result.record.fence;
      await releaseLock(bob, "f");
    } else {
      // A corrupt record past its grace period is replaced.
      await Deno.writeTextFile(`${root}/locks/f.json`, "{ truncated");
      const past = new Date(Date.now() - 60_000);
      await Deno.utime(`${root}/locks/f.json`, past, past);
      const result = await tryAcquire(alice, "f", { ttlMs: 60_000, liveness: "ttl" });
      assertEquals(result.broke?.event, "corrupt-break");
      fence = result.record.fence;
      await releaseLock(alice, "f");
    }
    assert(fence > last, `acquisition ${i}: fence ${fence} after ${last}`);
    last = fence;
    kinds.set(String(kind), (kinds.get(String(kind)) ?? 0) + 1);
  }
  assertEquals(kinds.size, 4);
  await Deno.remove(dir, { recursive: true });
});
