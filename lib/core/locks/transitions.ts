/**
 * What each transition of a lock writes: the new record and the audit events
 * of an acquisition, a renewal, a release and a break. The engine and the
 * CLI's fast path both write through these, so both leave the same records
 * and the same trail.
 *
 * @module
 */

import type { AuditEvent } from "../../model/audit_event.ts";
import { holderDetail, makeEvent, recordEvent } from "../../model/audit_event.ts";
import { encodeMultiHold, makeMultiHold } from "../../model/multi_hold_record.ts";
import type { LockRecord, RecordSpec } from "../../model/lock_record.ts";
import { newRecord } from "../../model/lock_record.ts";
import { encodeRecord } from "../../model/record_codec.ts";
import type { Produced } from "../../store/lock_store.ts";
import type { Identity } from "../../sys/identity.ts";
import { staleBreak } from "./decisions.ts";
import type { HoldState, LockState, StaleBreak } from "./judge.ts";
import { isoTime } from "../../model/iso_time.ts";

/** The record and events of a transition that writes a record. */
export interface Written extends Produced {
  /** The record written. */
  record: LockRecord;
}

/**
 * A new acquisition, in any mode: a fresh record with the allocated fence
 * (and, for a semaphore, the lowest free slot), its `acquire` event, and
 * before it a break event for each stale or corrupt hold it replaces. The
 * valid holds of a shared or semaphore name it joins are kept beside it.
 *
 * @param state The judged state the acquisition replaces or joins.
 * @param fence The fence allocated for it.
 * @param identity Who acquires.
 * @param spec What to record (TTL, liveness, reason, command, mode).
 * @param now The time in ms.
 * @param detail More for the `acquire` event's `detail` (e.g. `waited_ms`).
 * @returns Content, events and record.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { acquisition } from "./transitions.ts";
 * import { judge } from "./judge.ts";
 * import { currentIdentity } from "../../sys/identity.ts";
 * const me = currentIdentity();
 * const free = judge("build", null, me, Date.now());
 * const written = acquisition(free, 7, me, { ttlMs: 60_000, liveness: "ttl" }, Date.now());
 * assert(written.record.fence === 7 && written.audit[0]?.event === "acquire");
 * ```
 */
export function acquisition(
  state: LockState,
  fence: number,
  identity: Identity,
  spec: RecordSpec,
  now: number,
  detail: Record<string, unknown> | null = null,
): Written {
  const mode = spec.mode ?? "exclusive";
  // Joining a shared or semaphore name keeps its valid holds; anything else
  // is replaced whole (a free name has nothing to replace).
  const kept = state.mode !== "exclusive" && mode === state.mode
    ? state.holds.filter((h) => h.status === "held").map((h) => h.record)
    : [];
  const used = new Set(kept.map((r) => r.slot));
  let slot: number | null = null;
  if (mode === "slots") { for (slot = 0; used.has(slot); slot++); }
  const record = newRecord(state.name, fence, identity, spec, now, slot);
  const audit = replacedEvents(state, kept, identity, now);
  const took = audit[0]?.event;
  const acquired = { ...(took ? { took_over: took } : {}), ...detail };
  audit.push(
    recordEvent("acquire", record, identity, now, Object.keys(acquired).length ? acquired : null),
  );
  const content = mode === "exclusive"
    ? encodeRecord(record)
    : encodeMultiHold(makeMultiHold(state.name, mode, spec.slots ?? null, [...kept, record]));
  return { record, content, audit };
}

/** The break events of what an acquisition replaces: every stored hold it does not keep. */
function replacedEvents(
  state: LockState,
  kept: LockRecord[],
  identity: Identity,
  now: number,
): AuditEvent[] {
  if (state.status === "free") return [];
  if (state.mode === "exclusive") {
    const event = staleBreak(state);
    return event
      ? [makeEvent(event, state.name, identity, { detail: breakDetail(state) }, now)]
      : [];
  }
  return holdBreakEvents(state.holds.filter((h) => !kept.includes(h.record)), identity, now);
}

/**
 * The break events of removed holds of a shared or semaphore name, one per
 * hold: `expire-break` or `dead-break` as each was judged, or `event` for
 * all of them (a forced break).
 *
 * @param holds The removed holds.
 * @param identity Who removes them.
 * @param now The time in ms.
 * @param event The event of every hold (`force-break`), or judged per hold.
 * @returns One event per hold.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { holdBreakEvents } from "./transitions.ts";
 * import { currentIdentity } from "../../sys/identity.ts";
 * assert(holdBreakEvents([], currentIdentity(), 0).length === 0);
 * ```
 */
export function holdBreakEvents(
  holds: HoldState[],
  identity: Identity,
  now: number,
  event?: StaleBreak | "force-break",
): AuditEvent[] {
  return holds.map((h) =>
    makeEvent(
      event ?? (h.status === "dead" ? "dead-break" : "expire-break"),
      h.record.name,
      identity,
      {
        lock_id: h.record.lock_id,
        fence: h.record.fence,
        detail: {
          ...holderDetail(h.record),
          liveness: h.liveness,
          expired_ms_ago: h.expiresInMs === null ? null : -h.expiresInMs,
          mode: h.record.mode,
          slot: h.record.slot,
        },
      },
      now,
    )
  );
}

/**
 * A renewal: the same acquisition (`lock_id`, fence) with a new TTL from now,
 * and the reason kept unless a new one is given.
 *
 * @param record The record renewed.
 * @param ttlMs The new TTL, or `null` for none.
 * @param identity Who renews.
 * @param now The time in ms.
 * @param options `reason`: a new reason; `audit`: record a `renew` event; `restate`: a
 * re-acquisition's liveness and pid, which replace the record's. @default {{ audit: true }}
 * @returns Content, events and record.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { acquisition, renewal } from "./transitions.ts";
 * import { judge } from "./judge.ts";
 * import { currentIdentity } from "../../sys/identity.ts";
 * const me = currentIdentity();
 * const first = acquisition(judge("b", null, me, 0), 1, me, { ttlMs: 1_000, liveness: "ttl" }, 0);
 * const renewed = renewal(first.record, 5_000, me, 10);
 * assert(renewed.record.lock_id === first.record.lock_id && renewed.record.ttl_ms === 5_000);
 * ```
 */
export function renewal(
  record: LockRecord,
  ttlMs: number | null,
  identity: Identity,
  now: number,
  options: { reason?: string | null; audit?: boolean; restate?: RecordSpec } = {},
): Written {
  // A re-acquisition states the hold anew (§4a rule 1): liveness and pid as
  // this call asks; a heartbeat renewal only moves the expiry.
  const restate = options.restate;
  const renewed: LockRecord = {
    ...record,
    ...(restate
      ? {
        liveness: restate.liveness,
        machine_id: restate.machineId ?? identity.machineId,
        pid: restate.pid ?? identity.pid,
        pid_start: restate.pid === undefined ? identity.pidStart : restate.pidStart ?? null,
      }
      : {}),
    renewed_at: isoTime(now),
    ttl_ms: ttlMs,
    expires_at: ttlMs === null ? null : isoTime(now + ttlMs),
    reason: options.reason ?? record.reason,
  };
  const audit = options.audit === false ? [] : [recordEvent("renew", renewed, identity, now)];
  return { record: renewed, content: encodeRecord(renewed), audit };
}

/**
 * The events of a release by its holder.
 *
 * @param record The record released.
 * @param identity Who releases.
 * @param now The time in ms.
 * @param detail How it ended, e.g. guard's `{ exit_code }` or `{ signal }`.
 * @returns The `release` event.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { acquisition, releaseEvents } from "./transitions.ts";
 * import { judge } from "./judge.ts";
 * import { currentIdentity } from "../../sys/identity.ts";
 * const me = currentIdentity();
 * const { record } = acquisition(judge("b", null, me, 0), 1, me, { ttlMs: null, liveness: "process" }, 0);
 * assert(releaseEvents(record, me, 1)[0]?.lock_id === record.lock_id);
 * ```
 */
export function releaseEvents(
  record: LockRecord,
  identity: Identity,
  now: number,
  detail: Record<string, unknown> | null = null,
): AuditEvent[] {
  return [recordEvent("release", record, identity, now, detail)];
}

/**
 * The events of a break (stale or forced), naming the previous holder.
 *
 * @param state The judged state broken.
 * @param event The break event.
 * @param identity Who breaks.
 * @param now The time in ms.
 * @returns The break event.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { breakEvents } from "./transitions.ts";
 * import { judge } from "./judge.ts";
 * import { currentIdentity } from "../../sys/identity.ts";
 * const me = currentIdentity();
 * const corrupt = judge("b", { raw: "", problem: null, mtimeMs: 0, token: "t" }, me, 0);
 * assert(breakEvents(corrupt, "force-break", me, 0)[0]?.detail?.corrupt === "empty record");
 * ```
 */
export function breakEvents(
  state: LockState,
  event: StaleBreak | "force-break",
  identity: Identity,
  now: number,
): AuditEvent[] {
  if (state.mode !== "exclusive") return holdBreakEvents(state.holds, identity, now, event);
  return [
    makeEvent(event, state.name, identity, {
      lock_id: state.record?.lock_id,
      fence: state.record?.fence,
      detail: breakDetail(state),
    }, now),
  ];
}

/** Who was broken: the previous holder and why it was stale, or the corruption. */
function breakDetail(state: LockState): Record<string, unknown> {
  if (state.record) {
    return {
      ...holderDetail(state.record),
      liveness: state.liveness,
      expired_ms_ago: state.expiresInMs === null ? null : -state.expiresInMs,
    };
  }
  return { corrupt: state.corruption };
}
