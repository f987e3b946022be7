/**
 * Recording the process group of guard's command in its lock record, so that
 * a guard killed outright (SIGKILL) does not hand the lock to the next agent
 * while its command still runs: the lock stays `orphaned` until the group's
 * last process exits (SPEC §5).
 *
 * @module
 */

import { MAX_CAS_ROUNDS } from "../model/defaults.ts";
import { ContentionError, toLoktError } from "../model/errors.ts";
import { LockLostError } from "../model/record_errors.ts";
import { encodeRecord, parseLockRecord } from "../model/lock_record.ts";
import type { EngineContext } from "./context.ts";

/**
 * Sets `pgid` in the record of the acquisition `lockId` (a compare-and-swap
 * that changes nothing else).
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @param lockId The guard's acquisition.
 * @param pgid The command's process group.
 * @throws {LockLostError} When the record is no longer this acquisition's.
 *
 * @example Usage
 * ```ts
 * import { recordCommandGroup } from "./command_group.ts";
 * import { tryAcquire } from "./engine.ts";
 * import { openContext } from "./context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync() });
 * const { record } = await tryAcquire(ctx, "g", { ttlMs: null, liveness: "process" });
 * await recordCommandGroup(ctx, "g", record.lock_id, 4242);
 * ```
 */
export async function recordCommandGroup(
  ctx: EngineContext,
  name: string,
  lockId: string,
  pgid: number,
): Promise<void> {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const entry = await ctx.store.read("lock", name);
    const record = entry?.raw ? parseLockRecord(entry.raw) : null;
    if (!entry || !record || record.lock_id !== lockId) throw new LockLostError(name, record);
    try {
      const ok = await ctx.store.compareAndReplace("lock", name, entry.token, () => ({
        content: encodeRecord({ ...record, version: 2, pgid }),
        audit: [],
      }), { freshFence: false });
      if (ok) return;
    } catch (err) {
      throw toLoktError(err);
    }
  }
  throw new ContentionError("update", name);
}
