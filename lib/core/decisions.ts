/**
 * The decisions: what an acquisition, a release or a break may do with a lock
 * in a judged state (`judge.ts`). The engine and the CLI's fast path both
 * decide through these functions.
 *
 * @module
 */

import type { HeldDetail } from "../model/lock_errors.ts";
import { LockHeldError, NotFoundError, NotOwnerError } from "../model/lock_errors.ts";
import { CorruptRecordError, LockLostError, NotStaleError } from "../model/record_errors.ts";
import type { HoldKind, LockRecord } from "../model/lock_record.ts";
import type { LockState, StaleBreak } from "./judge.ts";
import { replaceableIn } from "./judge.ts";

/** What an acquirer may do with a lock in a judged state. */
export type AcquireAction =
  | { kind: "create" }
  | { kind: "renew"; record: LockRecord }
  | { kind: "nested"; record: LockRecord }
  | { kind: "take-over"; event: StaleBreak }
  | { kind: "deny"; error: LockHeldError };

/** What kind of hold an acquirer asks for (SPEC §4a). */
export interface Claim {
  /** `owner` for `lock`; `instance` for guard and the library. */
  hold: HoldKind;
  /** The `lock_id` this process inherited for the name from an ancestor guard, or `null`. */
  inherited: string | null;
}

/**
 * Decides an acquisition (SPEC §4a): a free name is created; a hold this
 * process inherited from an ancestor guard is run under, nested; the owner's
 * own owner hold is renewed by `lock` and run under, nested, by guard and
 * the library; another process's instance hold excludes its own owner too; a
 * stale lock (expired, dead holder, corrupt past its grace period) is taken
 * over; anything else is denied.
 *
 * @param state The judged state.
 * @param claim What the acquirer asks for. @default {an owner hold, nothing inherited}
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
export function decideAcquire(
  state: LockState,
  claim: Claim = { hold: "owner", inherited: null },
): AcquireAction {
  if (state.status === "free") return { kind: "create" };
  const record = state.record;
  if (state.status === "held" && record) {
    if (claim.inherited === record.lock_id) return { kind: "nested", record };
    if (state.mine && record.hold === "owner") {
      return claim.hold === "owner" ? { kind: "renew", record } : { kind: "nested", record };
    }
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
  if (state.mine && state.record?.hold === "instance") {
    return {
      kind: "own",
      pid: state.record.pid,
      ageMs: state.ageMs ?? 0,
      expiresInMs: state.expiresInMs,
    };
  }
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
 * @param inherited The `lock_id` inherited from an ancestor guard for the name, if any.
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
export function decideRelease(
  state: LockState,
  you: string,
  lockId?: string,
  inherited: string | null = null,
): LockRecord {
  const record = state.record;
  if (state.status === "free") {
    if (lockId !== undefined) throw new LockLostError(state.name, null);
    throw new NotFoundError("lock", state.name);
  }
  if (!record) throw new CorruptRecordError(state.name, state.corruption ?? "unreadable");
  if (lockId !== undefined) {
    if (record.lock_id !== lockId) throw new LockLostError(state.name, record);
    return record;
  }
  // Nobody releases a hold they did not take (§4a rule 5).
  if (inherited === record.lock_id) {
    throw new NotOwnerError("inherited", state.name, String(record.pid), you);
  }
  if (!state.mine) throw new NotOwnerError("lock", state.name, record.owner, you);
  if (record.hold === "instance" && state.status === "held") {
    throw new NotOwnerError("instance", state.name, String(record.pid), you);
  }
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
