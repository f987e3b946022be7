/**
 * The decisions on a shared or semaphore name (docs/contract.md §14), with the holds of
 * §4a applying per hold: whether an acquirer joins, renews or runs nested
 * under a hold, waits, or asked in the wrong mode; and which hold a release
 * takes away. `decisions.ts` hands these names here, so every caller still
 * decides through one entry point.
 *
 * @module
 */

import type { HeldDetail } from "../../model/lock_errors.ts";
import { LockHeldError, NotOwnerError } from "../../model/lock_errors.ts";
import { LockLostError } from "../../model/record_errors.ts";
import type { LockRecord } from "../../model/lock_record.ts";
import type { ModeAsk } from "../../model/mode_errors.ts";
import { ModeMismatchError } from "../../model/mode_errors.ts";
import type { HoldState, LockState } from "./judge.ts";

/** What an acquirer may do with a shared or semaphore name that has valid holds. */
export type MultiHoldAction =
  | { kind: "join" }
  | { kind: "renew"; record: LockRecord }
  | { kind: "nested"; record: LockRecord }
  | { kind: "deny"; error: LockHeldError };

/**
 * Decides an acquisition of a name held shared or as a semaphore, with at
 * least one valid hold (a name whose holds are all stale is taken over).
 *
 * @param state The judged state (`mode` shared or slots, `status` held).
 * @param ask The mode asked for.
 * @param hold `owner` for `lock`, `instance` for guard and the library.
 * @param inherited The `lock_id` inherited from an ancestor guard, or `null`.
 * @returns The action.
 * @throws {ModeMismatchError} When the mode does not match the holders (or the caller's own hold).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { decideMultiHoldAcquire } from "./multi_hold_decisions.ts";
 * import { judge } from "./judge.ts";
 * import { acquisition } from "./transitions.ts";
 * import { currentIdentity } from "../../sys/identity.ts";
 * const me = { ...currentIdentity(), owner: "me" };
 * const spec = { ttlMs: 60_000, liveness: "ttl", mode: "shared" } as const;
 * const { content } = acquisition(judge("deps", null, me, 0), 1, me, spec, 0);
 * const state = judge("deps", { raw: content, problem: null, mtimeMs: 0, token: "t" }, { ...me, owner: "you" }, 0);
 * assert(decideMultiHoldAcquire(state, { mode: "shared", slots: null }, "owner", null).kind === "join");
 * ```
 */
export function decideMultiHoldAcquire(
  state: LockState,
  ask: ModeAsk,
  hold: "owner" | "instance",
  inherited: string | null,
): MultiHoldAction {
  const live = state.holds.filter((h) => h.status === "held");
  const held: ModeAsk = { mode: state.mode, slots: state.slots };
  if (
    (ask.mode === "slots") !== (held.mode === "slots") ||
    (ask.mode === "slots" && ask.slots !== held.slots)
  ) {
    throw new ModeMismatchError(state.name, held, ask);
  }
  const passed = live.find((h) => h.record.lock_id === inherited);
  if (passed) {
    if (ask.mode === "exclusive") return deny(state, { kind: "upgrade", via: "inherited" });
    return { kind: "nested", record: passed.record };
  }
  const own = live.find((h) => h.mine && h.record.hold === "owner");
  if (own) {
    if (hold === "owner") {
      if (ask.mode !== held.mode) throw new ModeMismatchError(state.name, held, ask, true);
      return { kind: "renew", record: own.record };
    }
    if (ask.mode === "exclusive") return deny(state, { kind: "upgrade", via: "owner" });
    return { kind: "nested", record: own.record };
  }
  if (ask.mode === "shared") return { kind: "join" };
  if (ask.mode === "slots" && live.length < (held.slots as number)) return { kind: "join" };
  return deny(state, fullDetail(state));
}

/**
 * Why a shared or semaphore name refuses a newcomer: its valid holds.
 *
 * @param state The judged state.
 * @returns The `full` detail.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { fullDetail } from "./multi_hold_decisions.ts";
 * import { judge } from "./judge.ts";
 * const detail = fullDetail(judge("x", null, { owner: "me", machineId: "m" }, 0));
 * assert(detail.kind === "full" && detail.owners.length === 0);
 * ```
 */
export function fullDetail(state: LockState): HeldDetail {
  const live = state.holds.filter((h) => h.status === "held");
  const expiries = live.flatMap((h) => (h.expiresInMs === null ? [] : [h.expiresInMs]));
  return {
    kind: "full",
    mode: state.mode === "slots" ? "slots" : "shared",
    slots: state.slots,
    owners: live.map((h) => h.record.owner),
    expiresInMs: expiries.length > 0 ? Math.min(...expiries) : null,
  };
}

function deny(state: LockState, detail: HeldDetail): MultiHoldAction {
  return { kind: "deny", error: new LockHeldError(state.name, null, detail) };
}

/**
 * Decides which hold of a shared or semaphore name a release takes away:
 * with `lockId`, that acquisition; otherwise the acting owner's own owner
 * hold (§4a: never another process's live instance hold, never an inherited one).
 *
 * @param state The judged state (`mode` shared or slots).
 * @param you The acting owner.
 * @param lockId Release only this acquisition (a handle or a guard).
 * @param inherited The `lock_id` inherited from an ancestor guard, if any.
 * @returns The hold to remove.
 * @throws {LockLostError} `lockId` is not among the holds.
 * @throws {NotOwnerError} The caller has no owner hold of the name.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { decideMultiHoldRelease } from "./multi_hold_decisions.ts";
 * import { judge } from "./judge.ts";
 * import { acquisition } from "./transitions.ts";
 * import { currentIdentity } from "../../sys/identity.ts";
 * const me = { ...currentIdentity(), owner: "me" };
 * const spec = { ttlMs: 60_000, liveness: "ttl", mode: "slots", slots: 2 } as const;
 * const { content, record } = acquisition(judge("db", null, me, 0), 1, me, spec, 0);
 * const state = judge("db", { raw: content, problem: null, mtimeMs: 0, token: "t" }, me, 0);
 * assert(decideMultiHoldRelease(state, "me").record.lock_id === record.lock_id);
 * ```
 */
export function decideMultiHoldRelease(
  state: LockState,
  you: string,
  lockId?: string,
  inherited: string | null = null,
): HoldState {
  if (lockId !== undefined) {
    const hold = state.holds.find((h) => h.record.lock_id === lockId);
    if (!hold) throw new LockLostError(state.name, null);
    return hold;
  }
  const passed = state.holds.find((h) => h.record.lock_id === inherited && h.status === "held");
  if (passed) throw new NotOwnerError("inherited", state.name, String(passed.record.pid), you);
  // Its own owner hold; or a hold of its own that is no longer valid.
  const own = state.holds.find((h) => h.mine && (h.record.hold === "owner" || h.status !== "held"));
  if (own) return own;
  const instance = state.holds.find((h) => h.mine && h.status === "held");
  if (instance) throw new NotOwnerError("instance", state.name, String(instance.record.pid), you);
  const owners = [...new Set(state.holds.map((h) => h.record.owner))].join(", ");
  throw new NotOwnerError("lock", state.name, owners, you);
}
