/**
 * How a stored lock entry is judged: free, held, expired, dead or corrupt, as
 * a pure function of the entry, the identity and the clock (plus a liveness
 * probe of the holder's process). What may be done with a judged lock is in
 * `decisions.ts`; the engine and the CLI's fast path both use the two, so
 * there is one rule set.
 *
 * @module
 */

import { CORRUPT_GRACE_MS } from "../../model/defaults.ts";
import { formatDuration } from "../../model/duration_format.ts";
import type { MultiHoldRecord } from "../../model/multi_hold_record.ts";
import { isMultiHoldDocument, KNOWN_VERSION, multiHoldOf } from "../../model/multi_hold_record.ts";
import type { LockMode, LockRecord } from "../../model/lock_record.ts";
import { parseObject, recordOf } from "../../model/record_codec.ts";
import type { Entry } from "../../store/lock_store.ts";
import type { Identity } from "../../sys/identity.ts";
import type { HolderLiveness, HoldState, Probes } from "./hold_judge.ts";
import { judgeHold, SYSTEM_PROBES } from "./hold_judge.ts";

export type { HolderLiveness, HoldState } from "./hold_judge.ts";

/** The judged state of one lock name. */
export interface LockState {
  /** The lock name. */
  name: string;
  /**
   * free, held (a valid holder; for a shared or semaphore name, at least one
   * valid hold), expired, dead (holder gone; for several holds, every one
   * stale), corrupt.
   */
  status: "free" | "held" | "expired" | "dead" | "corrupt";
  /** The record of an exclusive lock, when readable; `null` for a shared or semaphore name. */
  record: LockRecord | null;
  /** The raw entry, when present. */
  entry: Entry | null;
  /** Liveness verdict of an exclusive lock's holder, when a record exists. */
  liveness: HolderLiveness | null;
  /** Whether the acting identity owns it (for several holds: one of the valid ones). */
  mine: boolean;
  /** Time since acquisition (for several holds: of the oldest valid one), in ms. */
  ageMs: number | null;
  /** Time until expiry (for several holds: the soonest of the valid ones), or `null`. */
  expiresInMs: number | null;
  /** A clock problem seen in the record, or `null`. */
  clockSkew: string | null;
  /** Why the record is corrupt, or `null`. */
  corruption: string | null;
  /**
   * For corrupt records: ms until an acquirer may replace it (0 = now);
   * `null` for records an acquirer never replaces (written by a newer lokt).
   */
  graceLeftMs: number | null;
  /** How the name is held (`exclusive` when free or corrupt). */
  mode: LockMode;
  /** The slot count of a semaphore, else `null`. */
  slots: number | null;
  /** Every hold, judged one by one (none when free or corrupt). */
  holds: HoldState[];
}

/** The events that record a stale or corrupt record being broken. */
export type StaleBreak = "expire-break" | "dead-break" | "corrupt-break";

/**
 * Judges the state of a lock from its stored entry. A record that does not
 * parse, or that names another lock, is corrupt. A shared or semaphore name
 * (a multi-hold document) is judged hold by hold.
 *
 * @param name The lock name.
 * @param entry The stored entry, or `null`.
 * @param identity Who is asking (owner, and machine id for liveness).
 * @param now The current time in ms.
 * @param probes The liveness probes. @default {SYSTEM_PROBES}
 * @returns The judged state.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { judge } from "./judge.ts";
 * import { currentIdentity } from "../../sys/identity.ts";
 * const raw = JSON.stringify({ version: 1, name: "other" });
 * const entry = { raw, problem: null, mtimeMs: 0, token: "t" };
 * const state = judge("x", entry, currentIdentity(), 10_000);
 * assert(state.status === "corrupt" && state.graceLeftMs === 0);
 * ```
 */
export function judge(
  name: string,
  entry: Entry | null,
  identity: Pick<Identity, "owner" | "machineId">,
  now: number,
  probes: Probes = SYSTEM_PROBES,
): LockState {
  const state: LockState = {
    name,
    status: "free",
    record: null,
    entry,
    liveness: null,
    mine: false,
    ageMs: null,
    expiresInMs: null,
    clockSkew: null,
    corruption: null,
    graceLeftMs: null,
    mode: "exclusive",
    slots: null,
    holds: [],
  };
  if (!entry) return state;
  const value = entry.raw === null ? null : parseObject(entry.raw);
  const group = value && isMultiHoldDocument(value) ? multiHoldOf(value) : null;
  // Names are case-insensitive; a record of an earlier lokt may keep its case.
  if (group && group.name.toLowerCase() === name.toLowerCase()) {
    return judgeMultiHold(state, group, entry, identity, now, probes);
  }
  const record = value && !isMultiHoldDocument(value) ? recordOf(value) : null;
  if (!record || record.name.toLowerCase() !== name.toLowerCase()) {
    state.status = "corrupt";
    const newer = newerVersion(value);
    if (newer !== null) {
      // A newer lokt's record may be a live lock in a format we cannot judge.
      state.corruption =
        `written by a newer lokt (record version ${newer}); only 'lokt unlock ${name} --force' removes it`;
      return state;
    }
    const named = record ?? group;
    state.corruption = entry.problem ??
      (named
        ? `names another lock (${JSON.stringify(named.name)})`
        : corruptionOf(entry.raw ?? ""));
    state.graceLeftMs = Math.max(0, entry.mtimeMs + CORRUPT_GRACE_MS - now);
    return state;
  }
  const hold = judgeHold(record, entry.mtimeMs, false, identity, now, probes);
  return {
    ...state,
    status: hold.status,
    record,
    liveness: hold.liveness,
    mine: hold.mine,
    ageMs: hold.ageMs,
    expiresInMs: hold.expiresInMs,
    clockSkew: hold.clockSkew,
    holds: [hold],
  };
}

/** A shared or semaphore name: every hold judged alone. */
function judgeMultiHold(
  state: LockState,
  group: MultiHoldRecord,
  entry: Entry,
  identity: Pick<Identity, "owner" | "machineId">,
  now: number,
  probes: Probes,
): LockState {
  const holds = group.holders.map((r) => judgeHold(r, entry.mtimeMs, true, identity, now, probes));
  const live = holds.filter((h) => h.status === "held");
  const expiries = live.flatMap((h) => (h.expiresInMs === null ? [] : [h.expiresInMs]));
  return {
    ...state,
    status: live.length > 0
      ? "held"
      : holds.some((h) => h.status === "expired")
      ? "expired"
      : "dead",
    mine: live.some((h) => h.mine),
    ageMs: live.length > 0 ? Math.max(...live.map((h) => h.ageMs)) : null,
    expiresInMs: expiries.length > 0 && expiries.length === live.length
      ? Math.min(...expiries)
      : null,
    clockSkew: holds.find((h) => h.clockSkew !== null)?.clockSkew ?? null,
    mode: group.mode,
    slots: group.slots,
    holds,
  };
}

function newerVersion(value: Record<string, unknown> | null): number | null {
  const version = value?.version;
  return typeof version === "number" && version > KNOWN_VERSION ? version : null;
}

function corruptionOf(raw: string): string {
  if (raw.trim() === "") return "empty record";
  try {
    JSON.parse(raw);
    return "not a valid lock record (wrong schema or version)";
  } catch {
    return "not valid JSON (truncated or garbage)";
  }
}

/**
 * When a corrupt record may be replaced, in words.
 *
 * @param state A corrupt lock's state.
 * @returns E.g. `in 3s`, `now`, or `never automatically`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { replaceableIn } from "./judge.ts";
 * import type { LockState } from "./judge.ts";
 * const state = { graceLeftMs: 3_000 } as LockState;
 * assert(replaceableIn(state) === "in 3s");
 * ```
 */
export function replaceableIn(state: LockState): string {
  if (state.graceLeftMs === null) return "never automatically";
  return state.graceLeftMs === 0 ? "now" : `in ${formatDuration(state.graceLeftMs)}`;
}
