/**
 * Breaking locks: `--break-stale` (only what is stale; of a shared or
 * semaphore name only its stale holds) and the break-glass `--force` (a
 * whole name, or one owner's holds of a shared or semaphore name). Each
 * compare-and-swaps exactly what it judged, like the engine.
 *
 * @module
 */

import { MAX_CAS_ROUNDS } from "../../model/defaults.ts";
import { ContentionError } from "../../model/errors.ts";
import { NotFoundError } from "../../model/lock_errors.ts";
import type { LockRecord } from "../../model/lock_record.ts";
import type { EngineContext } from "../context.ts";
import { decideBreak } from "./decisions.ts";
import { applyChange, inspectLock } from "./engine.ts";
import type { Change } from "./multi_hold_transitions.ts";
import { contentOf, staleRemoval } from "./multi_hold_transitions.ts";
import type { StaleBreak } from "./judge.ts";
import { breakEvents, holdBreakEvents } from "./transitions.ts";

/** The result of breaking a lock. */
export interface BreakResult {
  /** The lock name. */
  name: string;
  /** The event recorded. */
  event: StaleBreak | "force-break";
  /** The removed record of an exclusive lock, or `null` when it was corrupt or had several holds. */
  previous: LockRecord | null;
  /** Every hold removed (for an exclusive lock, its record). */
  holds: LockRecord[];
  /** Why it was corrupt, when it was. */
  corruption: string | null;
}

/**
 * Breaks a lock: `stale` removes it only when expired, dead or corrupt past
 * its grace period; `force` removes anything, corrupt files included.
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @param mode `stale` or `force`.
 * @returns What was removed.
 * @throws {NotFoundError} When nothing is there.
 * @throws {NotStaleError} In `stale` mode, when the lock is validly held.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { breakLock } from "./breaks.ts";
 * import { tryAcquire } from "./engine.ts";
 * import { openContext } from "../context.ts";
 * const root = Deno.makeTempDirSync();
 * await tryAcquire(openContext({ root, owner: "a" }), "build", { ttlMs: 60_000, liveness: "ttl" });
 * const result = await breakLock(openContext({ root, owner: "ops" }), "build", "force");
 * assert(result.event === "force-break" && result.previous?.owner === "a");
 * ```
 */
export async function breakLock(
  ctx: EngineContext,
  name: string,
  mode: "stale" | "force",
): Promise<BreakResult> {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const state = await inspectLock(ctx, name);
    const event = decideBreak(state, mode);
    // A shared or semaphore name loses only its stale holds to --break-stale (§14).
    const perHold = mode === "stale" && state.mode !== "exclusive";
    const change: Change = perHold
      ? staleRemoval(state, ctx.identity, ctx.now())
      : { content: null, audit: breakEvents(state, event, ctx.identity, ctx.now()) };
    if (await applyChange(ctx, state, change)) {
      const removed = state.holds.filter((h) => !perHold || h.status !== "held");
      return {
        name,
        event,
        previous: state.record,
        holds: removed.map((h) => h.record),
        corruption: state.corruption,
      };
    }
  }
  throw new ContentionError("break", name);
}

/**
 * Force-breaks the holds of one owner of a shared or semaphore name (`unlock
 * --owner O --force`), leaving the other holders theirs.
 *
 * @param ctx The engine context.
 * @param name The name.
 * @param owner Whose holds.
 * @returns What was removed (`holds`), audited as `force-break`, one per hold.
 * @throws {NotFoundError} When the owner holds none of it.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { breakOwnerHolds } from "./breaks.ts";
 * import { tryAcquire } from "./engine.ts";
 * import { openContext } from "../context.ts";
 * const root = Deno.makeTempDirSync();
 * const spec = { ttlMs: 60_000, liveness: "ttl", mode: "shared" } as const;
 * await tryAcquire(openContext({ root, owner: "a" }), "deps", spec);
 * await tryAcquire(openContext({ root, owner: "b" }), "deps", spec);
 * const result = await breakOwnerHolds(openContext({ root, owner: "ops" }), "deps", "a");
 * assert(result.holds.length === 1 && result.holds[0]?.owner === "a");
 * ```
 */
export async function breakOwnerHolds(
  ctx: EngineContext,
  name: string,
  owner: string,
): Promise<BreakResult> {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const state = await inspectLock(ctx, name);
    const removed = state.holds.filter((h) => h.record.owner === owner);
    if (removed.length === 0) throw new NotFoundError("lock", name);
    const rest = state.holds.filter((h) => h.record.owner !== owner).map((h) => h.record);
    const change: Change = {
      content: contentOf(state, rest),
      audit: holdBreakEvents(removed, ctx.identity, ctx.now(), "force-break"),
    };
    if (await applyChange(ctx, state, change)) {
      const holds = removed.map((h) => h.record);
      return { name, event: "force-break", previous: null, holds, corruption: null };
    }
  }
  throw new ContentionError("break", name);
}
