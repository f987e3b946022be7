/**
 * The JSON view of a judged lock, shared by `status`, `why` and `exists`
 * (documented in docs/json.md).
 *
 * @module
 */

import type { LockState } from "../core/judge.ts";

/**
 * The JSON view of a lock's state: every key always present.
 *
 * @param state The judged state.
 * @returns The view.
 *
 * @example Usage
 * ```ts
 * import { stateJson } from "./state_view.ts";
 * import { judge } from "../core/judge.ts";
 * const view = stateJson(judge("build", null, { owner: "me", machineId: "m" }, 0));
 * console.assert(view.status === "free" && view.owner === null);
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
  };
}
