/**
 * The decisions: what an acquisition, a release or a break may do with a lock
 * in a judged state (`judge.ts`). The engine and the CLI's fast path both
 * decide through these functions.
 *
 * @module
 */

import type { HeldDetail } from "../model/lock_errors.ts";
import {
  CorruptRecordError,
  LockHeldError,
  LockLostError,
  NotFoundError,
  NotOwnerError,
  NotStaleError,
} from "../model/lock_errors.ts";
import type { LockRecord } from "../model/lock_record.ts";
import type { LockState, StaleBreak } from "./judge.ts";
import { replaceableIn } from "./judge.ts";

/** What an acquirer may do with a lock in a judged state. */
export type AcquireAction =
  | { kind: "create" }
  | { kind: "renew"; record: LockRecord }
  | { kind: "take-over"; event: StaleBreak }
  | { kind: "deny"; error: LockHeldError };

/**
 * Decides an acquisition: a free name is created, the owner's own live lock is
 * renewed, a stale one (expired, dead holder, corrupt past its grace period)
 * is taken over, anything else is denied.
 *
 * @param state The judged state.
 * @returns The action.
 *
 * @example Usage
 * ```ts
 * import { decideAcquire } from "./decisions.ts";
 * import { judge } from "./judge.ts";
 * const me = { owner: "me", machineId: "m" };
 * console.assert(decideAcquire(judge("x", null, me, 0)).kind === "create");
 * ```
 */
export function decideAcquire(state: LockState): AcquireAction {
  if (state.status === "free") return { kind: "create" };
  if (state.status === "held" && state.mine && state.record) {
    return { kind: "renew", record: state.record };
  }
  const event = staleBreak(state);
  if (event) return { kind: "take-over", event };
  return { kind: "deny", error: new LockHeldError(state.name, state.record, heldDetail(state)) };
}

/**
 * Why a lock that is not stale refuses an acquirer, for {@linkcode LockHeldError}.
 *
 * @param state The judged state (held, or corrupt within its grace period).
 * @returns The detail.
 *
 * @example Usage
 * ```ts
 * import { heldDetail } from "./decisions.ts";
 * import { judge } from "./judge.ts";
 * const entry = { raw: "", problem: null, mtimeMs: 0, token: "t" };
 * const detail = heldDetail(judge("x", entry, { owner: "me", machineId: "m" }, 1_000));
 * console.assert(detail.kind === "corrupt" && detail.replaceableIn === "in 4s");
 * ```
 */
export function heldDetail(state: LockState): HeldDetail {
  if (!state.record) {
    return {
      kind: "corrupt",
      corruption: state.corruption ?? "unreadable",
      replaceableIn: replaceableIn(state),
    };
  }
  return { kind: "holder", ageMs: state.ageMs ?? 0, expiresInMs: state.expiresInMs };
}

/**
 * The break event that applies to a stale lock, or `null` when it is not stale.
 *
 * @param state The judged state.
 * @returns `expire-break`, `dead-break`, `corrupt-break` (past its grace period), or `null`.
 *
 * @example Usage
 * ```ts
 * import { staleBreak } from "./decisions.ts";
 * import { judge } from "./judge.ts";
 * const entry = { raw: "garbage", problem: null, mtimeMs: 0, token: "t" };
 * console.assert(staleBreak(judge("x", entry, { owner: "me", machineId: "m" }, 60_000)) === "corrupt-break");
 * ```
 */
export function staleBreak(state: LockState): StaleBreak | null {
  if (state.status === "expired") return "expire-break";
  if (state.status === "dead") return "dead-break";
  if (state.status === "corrupt" && state.graceLeftMs === 0) return "corrupt-break";
  return null;
}

/**
 * Decides a release by the acting owner (with `lockId`, of that acquisition
 * only): returns the record to remove, or throws why it may not be released.
 *
 * @param state The judged state.
 * @param you The acting owner.
 * @param lockId Release only this acquisition (a handle or a guard).
 * @returns The record to remove.
 * @throws {NotFoundError} Nothing is held.
 * @throws {CorruptRecordError} The record cannot be judged.
 * @throws {LockLostError} `lockId` no longer matches.
 * @throws {NotOwnerError} Another owner holds it.
 *
 * @example Usage
 * ```ts
 * import { decideRelease } from "./decisions.ts";
 * import { judge } from "./judge.ts";
 * let refused = "";
 * try {
 *   decideRelease(judge("x", null, { owner: "me", machineId: "m" }, 0), "me");
 * } catch (err) {
 *   refused = (err as Error).name;
 * }
 * console.assert(refused === "NotFoundError");
 * ```
 */
export function decideRelease(state: LockState, you: string, lockId?: string): LockRecord {
  const record = state.record;
  if (state.status === "free") {
    if (lockId !== undefined) throw new LockLostError(state.name, null);
    throw new NotFoundError("lock", state.name);
  }
  if (!record) throw new CorruptRecordError(state.name, state.corruption ?? "unreadable");
  if (lockId !== undefined && record.lock_id !== lockId) {
    throw new LockLostError(state.name, record);
  }
  if (!state.mine) throw new NotOwnerError("lock", state.name, record.owner, you);
  return record;
}

/**
 * Decides a break: `stale` only of an expired, dead or corrupt (past its
 * grace period) lock; `force` of anything present.
 *
 * @param state The judged state.
 * @param mode `stale` or `force`.
 * @returns The event that records the break.
 * @throws {NotFoundError} Nothing is there.
 * @throws {NotStaleError} In `stale` mode, when the lock is not stale.
 *
 * @example Usage
 * ```ts
 * import { decideBreak } from "./decisions.ts";
 * import { judge } from "./judge.ts";
 * const entry = { raw: "garbage", problem: null, mtimeMs: 0, token: "t" };
 * const state = judge("x", entry, { owner: "me", machineId: "m" }, 0);
 * console.assert(decideBreak(state, "force") === "force-break");
 * ```
 */
export function decideBreak(
  state: LockState,
  mode: "stale" | "force",
): StaleBreak | "force-break" {
  if (state.status === "free") throw new NotFoundError("lock", state.name);
  if (mode === "force") return "force-break";
  const event = staleBreak(state);
  if (event) return event;
  if (state.status === "corrupt") {
    throw new NotStaleError(
      state.name,
      state.graceLeftMs === null
        ? { kind: "newer" }
        : { kind: "young-corrupt", retryInMs: state.graceLeftMs },
    );
  }
  const held = new LockHeldError(state.name, state.record, heldDetail(state));
  throw new NotStaleError(state.name, { kind: "held", held });
}

/**
 * Whether `exists` reports the name as held: a live holder, or a corrupt
 * record still in its grace period (it may be a lock being written).
 *
 * @param state The judged state.
 * @returns `true` when held.
 *
 * @example Usage
 * ```ts
 * import { isHeld } from "./decisions.ts";
 * import { judge } from "./judge.ts";
 * console.assert(!isHeld(judge("x", null, { owner: "me", machineId: "m" }, 0)));
 * ```
 */
export function isHeld(state: LockState): boolean {
  return state.status === "held" || (state.status === "corrupt" && state.graceLeftMs !== 0);
}
