/**
 * Recording the process group of guard's command in its lock record, so that
 * a guard killed outright (SIGKILL) does not hand the lock to the next agent
 * while its command still runs: the lock stays `orphaned` until the group's
 * last process exits (docs/contract.md §5).
 *
 * @module
 */

import { MAX_CAS_ROUNDS } from "../../model/defaults.ts";
import { ContentionError, toLoktError } from "../../model/errors.ts";
import { LockLostError } from "../../model/record_errors.ts";
import type { EngineContext } from "../context.ts";
import { inspectLock } from "../locks/engine.ts";
import { withUpdated } from "../locks/multi_hold_transitions.ts";

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
 * import { recordCommandGroup } from "./process_group.ts";
 * import { tryAcquire } from "../locks/engine.ts";
 * import { openContext } from "../context.ts";
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
    const state = await inspectLock(ctx, name);
    const record = state.holds.find((h) => h.record.lock_id === lockId)?.record;
    if (!state.entry || !record) throw new LockLostError(name, state.record);
    try {
      const content = withUpdated(state, { ...record, version: 2, pgid });
      const ok = await ctx.store.compareAndReplace("lock", name, state.entry.token, () => ({
        content,
        audit: [],
      }), { freshFence: false });
      if (ok) return;
    } catch (err) {
      throw toLoktError(err);
    }
  }
  throw new ContentionError("update", name);
}
