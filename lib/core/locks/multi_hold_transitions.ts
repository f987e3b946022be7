/**
 * What the changes of one hold write for a name with several (docs/contract.md §14): the
 * name's new content after a renewal, a release or the removal of its stale
 * holds — the multi-hold document with the other holds kept as they were, or
 * nothing once no hold is left. An exclusive lock's single record is the
 * degenerate case, so the engine writes every mode through these.
 *
 * @module
 */

import type { AuditEvent } from "../../model/audit_event.ts";
import { encodeMultiHold, makeMultiHold } from "../../model/multi_hold_record.ts";
import type { LockRecord } from "../../model/lock_record.ts";
import { encodeRecord } from "../../model/record_codec.ts";
import type { Identity } from "../../sys/identity.ts";
import type { LockState } from "./judge.ts";
import { holdBreakEvents, releaseEvents } from "./transitions.ts";

/** A name's content after a change (`null`: remove it) and the change's events. */
export interface Change {
  /** The new content, or `null` when no hold is left. */
  content: string | null;
  /** The events of the change. */
  audit: AuditEvent[];
}

/**
 * The content of a name holding `holds`, in its judged mode.
 *
 * @param state The judged state (its name, mode and slot count).
 * @param holds The holds to store.
 * @returns The content, or `null` for no holds.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { contentOf } from "./multi_hold_transitions.ts";
 * import { judge } from "./judge.ts";
 * assert(contentOf(judge("x", null, { owner: "me", machineId: "m" }, 0), []) === null);
 * ```
 */
export function contentOf(state: LockState, holds: LockRecord[]): string | null {
  if (holds.length === 0) return null;
  if (state.mode === "exclusive") return encodeRecord(holds[0] as LockRecord);
  return encodeMultiHold(makeMultiHold(state.name, state.mode, state.slots, holds));
}

/**
 * The name's content with one hold replaced by its updated record (renewed,
 * or with its command's process group).
 *
 * @param state The judged state.
 * @param updated The updated record (same `lock_id`).
 * @returns The content.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { withUpdated } from "./multi_hold_transitions.ts";
 * import { acquisition, renewal } from "./transitions.ts";
 * import { judge } from "./judge.ts";
 * import { currentIdentity } from "../../sys/identity.ts";
 * const me = { ...currentIdentity(), owner: "me" };
 * const spec = { ttlMs: 60_000, liveness: "ttl", mode: "shared" } as const;
 * const first = acquisition(judge("d", null, me, 0), 1, me, spec, 0);
 * const state = judge("d", { raw: first.content, problem: null, mtimeMs: 0, token: "t" }, me, 0);
 * const content = withUpdated(state, renewal(first.record, 90_000, me, 10).record);
 * assert(JSON.parse(content).holders[0].ttl_ms === 90_000);
 * ```
 */
export function withUpdated(state: LockState, updated: LockRecord): string {
  const holds = state.holds.map((h) => h.record.lock_id === updated.lock_id ? updated : h.record);
  return contentOf(state, holds) as string;
}

/**
 * A release of one hold: the others stay as they were.
 *
 * @param state The judged state.
 * @param record The hold released.
 * @param identity Who releases.
 * @param now The time in ms.
 * @param detail How it ended (guard: `exit_code` or `signal`).
 * @returns The new content and the `release` event.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { departure } from "./multi_hold_transitions.ts";
 * import { acquisition } from "./transitions.ts";
 * import { judge } from "./judge.ts";
 * import { currentIdentity } from "../../sys/identity.ts";
 * const me = { ...currentIdentity(), owner: "me" };
 * const first = acquisition(judge("d", null, me, 0), 1, me, { ttlMs: null, liveness: "process" }, 0);
 * const state = judge("d", { raw: first.content, problem: null, mtimeMs: 0, token: "t" }, me, 0);
 * assert(departure(state, first.record, me, 1).content === null);
 * ```
 */
export function departure(
  state: LockState,
  record: LockRecord,
  identity: Identity,
  now: number,
  detail: Record<string, unknown> | null = null,
): Change {
  const rest = state.holds.map((h) => h.record).filter((r) => r.lock_id !== record.lock_id);
  return {
    content: contentOf(state, rest),
    audit: releaseEvents(record, identity, now, detail),
  };
}

/**
 * The removal of a name's stale holds (`--break-stale` of a shared or
 * semaphore name): its valid holds stay.
 *
 * @param state The judged state.
 * @param identity Who breaks.
 * @param now The time in ms.
 * @returns The new content and one break event per removed hold.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { staleRemoval } from "./multi_hold_transitions.ts";
 * import { judge } from "./judge.ts";
 * import { currentIdentity } from "../../sys/identity.ts";
 * const me = currentIdentity();
 * const change = staleRemoval(judge("x", null, me, 0), me, 0);
 * assert(change.content === null && change.audit.length === 0);
 * ```
 */
export function staleRemoval(state: LockState, identity: Identity, now: number): Change {
  const stale = state.holds.filter((h) => h.status !== "held");
  const live = state.holds.filter((h) => h.status === "held").map((h) => h.record);
  return { content: contentOf(state, live), audit: holdBreakEvents(stale, identity, now) };
}
