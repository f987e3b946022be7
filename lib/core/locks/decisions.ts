/**
 * The decisions: what an acquisition, a release or a break may do with a lock
 * in a judged state (`judge.ts`). The engine and the CLI's fast path both
 * decide through these functions.
 *
 * @module
 */

import type { HeldDetail } from "../../model/lock_errors.ts";
import { LockHeldError, NotFoundError, NotOwnerError } from "../../model/lock_errors.ts";
import { CorruptRecordError, LockLostError, NotStaleError } from "../../model/record_errors.ts";
import type { HoldKind, LockMode, LockRecord } from "../../model/lock_record.ts";
import { ModeMismatchError } from "../../model/mode_errors.ts";
import {
  decideMultiHoldAcquire,
  decideMultiHoldRelease,
  fullDetail,
} from "./multi_hold_decisions.ts";
import type { LockState, StaleBreak } from "./judge.ts";
import { replaceableIn } from "./judge.ts";

/** What an acquirer may do with a lock in a judged state. */
export type AcquireAction =
  | { kind: "create" }
  | { kind: "renew"; record: LockRecord }
  | { kind: "nested"; record: LockRecord }
  | { kind: "take-over"; event: StaleBreak }
  | { kind: "join" }
  | { kind: "deny"; error: LockHeldError };

/** What kind of hold an acquirer asks for (docs/contract.md §4a). */
export interface Claim {
  /** `owner` for `lock`; `instance` for guard and the library. */
  hold: HoldKind;
  /** The `lock_id` this process inherited for the name from an ancestor guard, or `null`. */
  inherited: string | null;
  /** The mode asked for (docs/contract.md §14). @default {"exclusive"} */
  mode?: LockMode;
  /** The slot count asked for with `mode: "slots"`. */
  slots?: number | null;
}

/**
 * Decides an acquisition (docs/contract.md §4a): a free name is created; a hold this
 * process inherited from an ancestor guard is run under, nested; the owner's
 * own owner hold is renewed by `lock` and run under, nested, by guard and
 * the library; another process's instance hold excludes its own owner too; a
 * stale lock (expired, dead holder, corrupt past its grace period) is taken
 * over; a shared or semaphore name with room is joined
 * (`group_decisions.ts`); anything else is denied.
 *
 * @param state The judged state.
 * @param claim What the acquirer asks for. @default {an owner hold, nothing inherited}
 * @returns The action.
 * @throws {ModeMismatchError} When the mode asked for does not match the holders (exit 64).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { decideAcquire } from "./decisions.ts";
 * import { judge } from "./judge.ts";
 * const me = { owner: "me", machineId: "m" };
 * assert(decideAcquire(judge("x", null, me, 0)).kind === "create");
 * ```
 */
export function decideAcquire(
  state: LockState,
  claim: Claim = { hold: "owner", inherited: null },
): AcquireAction {
  if (state.status === "free") return { kind: "create" };
  const ask = { mode: claim.mode ?? "exclusive", slots: claim.slots ?? null };
  if (state.mode !== "exclusive" && state.status === "held") {
    return decideMultiHoldAcquire(state, ask, claim.hold, claim.inherited);
  }
  const record = state.record;
  if (state.status === "held" && record) {
    // A semaphore never joins a name held without --slots (§14).
    if (ask.mode === "slots") throw new ModeMismatchError(state.name, EXCLUSIVE_HELD, ask);
    if (claim.inherited === record.lock_id) return { kind: "nested", record };
    if (state.mine && record.hold === "owner") {
      if (claim.hold === "instance") return { kind: "nested", record };
      if (ask.mode !== "exclusive") {
        throw new ModeMismatchError(state.name, EXCLUSIVE_HELD, ask, true);
      }
      return { kind: "renew", record };
    }
  }
  const event = staleBreak(state);
  if (event) return { kind: "take-over", event };
  return { kind: "deny", error: new LockHeldError(state.name, state.record, heldDetail(state)) };
}

/** How an exclusive lock is held. */
const EXCLUSIVE_HELD = { mode: "exclusive", slots: null } as const;

/**
 * Why a lock that is not stale refuses an acquirer, for {@linkcode LockHeldError}.
 *
 * @param state The judged state (held, or corrupt within its grace period).
 * @returns The detail.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { heldDetail } from "./decisions.ts";
 * import { judge } from "./judge.ts";
 * const entry = { raw: "", problem: null, mtimeMs: 0, token: "t" };
 * const detail = heldDetail(judge("x", entry, { owner: "me", machineId: "m" }, 1_000));
 * assert(detail.kind === "corrupt" && detail.replaceableIn === "in 4s");
 * ```
 */
export function heldDetail(state: LockState): HeldDetail {
  if (state.mode !== "exclusive") return fullDetail(state);
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
  return {
    kind: "holder",
    ageMs: state.ageMs ?? 0,
    expiresInMs: state.expiresInMs,
    ...(state.liveness === "orphaned" ? { orphanedGroup: state.record.pgid ?? 0 } : {}),
  };
}

/**
 * The break event that applies to a stale lock, or `null` when it is not stale.
 *
 * @param state The judged state.
 * @returns `expire-break`, `dead-break`, `corrupt-break` (past its grace period), or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { staleBreak } from "./decisions.ts";
 * import { judge } from "./judge.ts";
 * const entry = { raw: "garbage", problem: null, mtimeMs: 0, token: "t" };
 * assert(staleBreak(judge("x", entry, { owner: "me", machineId: "m" }, 60_000)) === "corrupt-break");
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
 * import assert from "node:assert";
 * import { decideRelease } from "./decisions.ts";
 * import { judge } from "./judge.ts";
 * let refused = "";
 * try {
 *   decideRelease(judge("x", null, { owner: "me", machineId: "m" }, 0), "me");
 * } catch (err) {
 *   refused = (err as Error).name;
 * }
 * assert(refused === "NotFoundError");
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
  if (state.mode !== "exclusive") {
    return decideMultiHoldRelease(state, you, lockId, inherited).record;
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
 * import assert from "node:assert";
 * import { decideBreak } from "./decisions.ts";
 * import { judge } from "./judge.ts";
 * const entry = { raw: "garbage", problem: null, mtimeMs: 0, token: "t" };
 * const state = judge("x", entry, { owner: "me", machineId: "m" }, 0);
 * assert(decideBreak(state, "force") === "force-break");
 * ```
 */
export function decideBreak(
  state: LockState,
  mode: "stale" | "force",
): StaleBreak | "force-break" {
  if (state.status === "free") throw new NotFoundError("lock", state.name);
  if (mode === "force") return "force-break";
  // A shared or semaphore name: its stale holds go, the valid ones stay (§14).
  const stale = state.holds.find((h) => h.status !== "held");
  if (state.mode !== "exclusive" && stale) {
    return stale.status === "dead" ? "dead-break" : "expire-break";
  }
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
 * import assert from "node:assert";
 * import { isHeld } from "./decisions.ts";
 * import { judge } from "./judge.ts";
 * assert(!isHeld(judge("x", null, { owner: "me", machineId: "m" }, 0)));
 * ```
 */
export function isHeld(state: LockState): boolean {
  return state.status === "held" || (state.status === "corrupt" && state.graceLeftMs !== 0);
}

/**
 * Whether a process may acquire a name again that it already holds through
 * the library (`acquire()`), as the same owner: a shared hold or a slot may
 * be taken more than once; an exclusive hold — or an exclusive request beside
 * this process's shared hold — never, since it would wait for itself.
 *
 * @param state The judged state.
 * @param heldIds The `lock_id`s of this process's holds of the name.
 * @param mode The mode asked for.
 * @returns The refusal to throw at once, or `null` to go on acquiring.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { refuseReacquire } from "./decisions.ts";
 * import { judge } from "./judge.ts";
 * const free = judge("x", null, { owner: "me", machineId: "m" }, 0);
 * assert.equal(refuseReacquire(free, new Set(["id"]), "exclusive"), null);
 * ```
 */
export function refuseReacquire(
  state: LockState,
  heldIds: ReadonlySet<string>,
  mode: LockMode,
): LockHeldError | null {
  const current = state.holds.find((h) => h.status === "held" && heldIds.has(h.record.lock_id));
  if (!current || (current.record.mode !== "exclusive" && mode !== "exclusive")) return null;
  return new LockHeldError(
    state.name,
    state.record,
    current.record.mode === "exclusive"
      ? { kind: "own", pid: current.record.pid, ageMs: current.ageMs, expiresInMs: null }
      : { kind: "upgrade", via: "owner" },
  );
}
