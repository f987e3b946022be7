/**
 * Renewing a held lock: a guard's heartbeat and the library's `renew()`.
 *
 * @module
 */

import { MAX_CAS_ROUNDS } from "../../model/defaults.ts";
import { ContentionError } from "../../model/errors.ts";
import { LockLostError } from "../../model/record_errors.ts";
import type { LockRecord } from "../../model/lock_record.ts";
import type { EngineContext } from "../context.ts";
import { inspectLock } from "./engine.ts";
import { renewal } from "./transitions.ts";
import type { Written } from "./transitions.ts";
import { withUpdated } from "./multi_hold_transitions.ts";

/**
 * Renews a held lock, verifying first that it is still ours (same `lock_id`).
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @param lockId The lock id the caller holds.
 * @param options `ttlMs` for the new TTL; `audit` to record a `renew` event.
 * @returns The renewed record.
 * @throws {LockLostError} When the record is gone or belongs to someone else.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { tryAcquire } from "./engine.ts";
 * import { renewLock } from "./lock_renewal.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync() });
 * const { record } = await tryAcquire(ctx, "build", { ttlMs: 60_000, liveness: "process" });
 * const renewed = await renewLock(ctx, "build", record.lock_id, { ttlMs: 120_000, audit: false });
 * assert(renewed.ttl_ms === 120_000);
 * ```
 */
export async function renewLock(
  ctx: EngineContext,
  name: string,
  lockId: string,
  options: { ttlMs: number | null; audit: boolean },
): Promise<LockRecord> {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const state = await inspectLock(ctx, name);
    const record = state.holds.find((h) => h.record.lock_id === lockId)?.record;
    if (!state.entry || !record) throw new LockLostError(name, state.record);
    let renewed: Written | null = null;
    const ok = await ctx.store.compareAndReplace("lock", name, state.entry.token, () => {
      const next = renewal(record, options.ttlMs, ctx.identity, ctx.now(), {
        audit: options.audit,
      });
      renewed = { ...next, content: withUpdated(state, next.record) };
      return renewed;
    }, { freshFence: false });
    const done = renewed as Written | null;
    if (ok && done) return done.record;
  }
  throw new ContentionError("renew", name);
}
