/**
 * The state of every lock and freeze, or of one name: what `lokt status`
 * shows and the library's `status()` returns.
 *
 * @module
 */

import type { EngineContext } from "../context.ts";
import { inspectLock } from "../locks/engine.ts";
import { listLocks } from "../locks/lock_list.ts";
import type { LockState } from "../locks/judge.ts";
import type { FreezeState } from "../freezes/freezes.ts";
import { inspectFreeze, listFreezes } from "../freezes/freezes.ts";
import { liveWaiters } from "../locks/waiters.ts";
import type { JudgedReservation } from "../reservations/reservation_index.ts";
import { inspectReservations } from "../reservations/reservation_index.ts";
import type { Waiter } from "../locks/waiters.ts";

/** Locks and freezes, as judged now. */
export interface StatusReport {
  /** The lokt root (the store's location). */
  root: string;
  /** Held, stale and corrupt locks (free ones are left out). */
  locks: LockState[];
  /** Freezes (active, expired or corrupt files). */
  freezes: FreezeState[];
  /** The live waiters queued for each lock listed, oldest first. */
  waiters: Record<string, Waiter[]>;
  /** Every path reservation (with no name asked for; else none), live and stale. */
  reservations: JudgedReservation[];
  /** Why the reservations index is corrupt, or `null`. */
  reservationsCorruption: string | null;
}

/**
 * Judges every lock and freeze, or those of one (validated) name. Read-only.
 *
 * @param ctx The engine context.
 * @param name One name, or `null` for all.
 * @returns The report.
 *
 * @example Usage
 * ```ts
 * import { collectStatus } from "./status_report.ts";
 * import { openContext } from "../context.ts";
 * const report = await collectStatus(openContext(), null);
 * for (const lock of report.locks) console.log(lock.name, lock.status, lock.record?.owner);
 * ```
 */
export async function collectStatus(
  ctx: EngineContext,
  name: string | null,
): Promise<StatusReport> {
  let locks: LockState[];
  let freezes: FreezeState[];
  if (name === null) {
    locks = await listLocks(ctx);
    freezes = await listFreezes(ctx);
  } else {
    const state = await inspectLock(ctx, name);
    const freeze = await inspectFreeze(ctx, name);
    locks = state.status === "free" ? [] : [state];
    freezes = freeze ? [freeze] : [];
  }
  const waiters: Record<string, Waiter[]> = {};
  for (const lock of locks) waiters[lock.name] = await liveWaiters(ctx, lock.name);
  const reserved = name === null ? await inspectReservations(ctx) : null;
  return {
    root: ctx.store.location,
    locks,
    freezes,
    waiters,
    reservations: reserved?.reservations ?? [],
    reservationsCorruption: reserved?.corruption ?? null,
  };
}
