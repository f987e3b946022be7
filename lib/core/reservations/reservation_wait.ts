/**
 * `reserve --wait`: retry a reservation whenever the reservations index
 * changes (a filesystem notification), and at least every 250 ms for
 * reservations that expire or whose process dies, until it is granted or the
 * timeout passes. The first refusal is audited (`reserve-deny`), the retries
 * are not.
 *
 * @module
 */

import { WaitTimeoutError } from "../../model/lock_errors.ts";
import type { ReservationSpec } from "../../model/reservation.ts";
import { ReservationConflictError } from "../../model/reservation_errors.ts";
import type { EngineContext } from "../context.ts";
import type { ReserveResult } from "./reservation_writes.ts";
import { reservePatterns } from "./reservation_writes.ts";

/** Expiry and dead holders are noticed at least this often. */
const POLL_MS = 250;

/** Options of {@linkcode reserveWaiting}. */
export interface ReserveWaitOptions {
  /** Give up after this many ms. */
  timeoutMs: number;
  /** Aborts the wait. */
  signal?: AbortSignal;
  /** Called with the refusal each time the situation is looked at again. */
  onProgress?: (message: string, elapsedMs: number) => void;
}

/**
 * Reserves patterns, waiting while other owners' reservations overlap them.
 *
 * @param ctx The engine context.
 * @param patterns Patterns in normal form.
 * @param spec Mode, TTL, reason, liveness.
 * @param options Timeout, abort signal, progress.
 * @returns What was reserved.
 * @throws {WaitTimeoutError} When the timeout passes first.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { reserveWaiting } from "./reservation_wait.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync(), owner: "a" });
 * const spec = { mode: "exclusive", ttlMs: 60_000, reason: null, liveness: "ttl" } as const;
 * const result = await reserveWaiting(ctx, ["src"], spec, { timeoutMs: 1_000 });
 * assert(result.reservations.length === 1);
 * ```
 */
export async function reserveWaiting(
  ctx: EngineContext,
  patterns: string[],
  spec: ReservationSpec,
  options: ReserveWaitOptions,
): Promise<ReserveResult> {
  const started = ctx.now();
  let refusal = "";
  for (let first = true;; first = false) {
    // Watch before looking, so a change between the look and the wait is not missed.
    const watcher = ctx.store.watch({ kind: "reservations" });
    try {
      try {
        return await reservePatterns(ctx, patterns, spec, { quietDeny: !first });
      } catch (err) {
        if (!(err instanceof ReservationConflictError)) throw err;
        refusal = err.message;
      }
      const left = started + options.timeoutMs - ctx.now();
      if (left <= 0) break;
      options.signal?.throwIfAborted();
      options.onProgress?.(refusal, ctx.now() - started);
      await watcher.changed(Math.min(POLL_MS, left), options.signal);
    } finally {
      watcher.close();
    }
  }
  options.signal?.throwIfAborted();
  throw new WaitTimeoutError(patterns.join(" "), ctx.now() - started, refusal);
}
