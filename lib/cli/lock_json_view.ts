/**
 * The JSON view of a judged lock, shared by `status`, `why` and `exists`
 * (documented in docs/json.md).
 *
 * @module
 */

import type { HoldState, LockState } from "../core/locks/judge.ts";

/**
 * The JSON view of a lock's state: every key always present. An exclusive
 * lock keeps its record's fields at the top; every entry has `mode`, `slots`
 * and `holders` (docs/contract.md §14), each holder its record's fields and its own
 * judgement.
 *
 * @param state The judged state.
 * @returns The view.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { stateJson } from "./lock_json_view.ts";
 * import { judge } from "../core/locks/judge.ts";
 * const view = stateJson(judge("build", null, { owner: "me", machineId: "m" }, 0));
 * assert(view.status === "free" && view.owner === null);
 * ```
 */
export function stateJson(state: LockState): Record<string, unknown> {
  const r = state.record;
  return {
    name: state.name,
    status: state.status,
    mine: state.mine,
    owner: r?.owner ?? null,
    agent_id: r?.agent_id ?? null,
    host: r?.host ?? null,
    pid: r?.pid ?? null,
    fence: r?.fence ?? null,
    lock_id: r?.lock_id ?? null,
    liveness: state.liveness,
    age_ms: state.ageMs,
    ttl_ms: r?.ttl_ms ?? null,
    expires_in_ms: state.expiresInMs,
    reason: r?.reason ?? null,
    command: r?.command ?? null,
    corruption: state.corruption,
    clock_skew: state.clockSkew,
    record: r,
    mode: state.mode,
    slots: state.slots,
    holders: state.holds.map(holderJson),
  };
}

/**
 * One hold in the JSON view: its record's fields as stored, and how it is
 * judged under `judged` (the record has a `liveness` field of its own).
 *
 * @param hold The judged hold.
 * @returns The view.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { holderJson } from "./lock_json_view.ts";
 * import { judgeHold } from "../core/locks/hold_judge.ts";
 * import { newRecord } from "../model/lock_record.ts";
 * const me = { owner: "me", agentId: "a", host: "h", machineId: "m", pid: 1, pidStart: null };
 * const record = newRecord("b", 1, me, { ttlMs: 60_000, liveness: "ttl" }, 0);
 * const view = holderJson(judgeHold(record, 0, false, me, 0));
 * assert((view.judged as { status: string }).status === "held");
 * ```
 */
export function holderJson(hold: HoldState): Record<string, unknown> {
  return {
    ...hold.record,
    judged: {
      status: hold.status,
      liveness: hold.liveness,
      mine: hold.mine,
      age_ms: hold.ageMs,
      expires_in_ms: hold.expiresInMs,
      clock_skew: hold.clockSkew,
    },
  };
}
