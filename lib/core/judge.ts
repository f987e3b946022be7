/**
 * How a stored lock entry is judged: free, held, expired, dead or corrupt, as
 * a pure function of the entry, the identity and the clock (plus a liveness
 * probe of the holder's process). What may be done with a judged lock is in
 * `decisions.ts`; the engine and the CLI's fast path both use the two, so
 * there is one rule set.
 *
 * @module
 */

import { CORRUPT_GRACE_MS, SKEW_MS } from "../model/defaults.ts";
import { formatDuration } from "../model/duration_format.ts";
import type { LockRecord } from "../model/lock_record.ts";
import { parseLockRecord, RECORD_VERSION } from "../model/lock_record.ts";
import type { Entry } from "../store/lock_store.ts";
import type { Identity } from "../sys/identity.ts";
import type { ProcessState } from "../sys/liveness.ts";
import { probeGroup, probeProcess } from "../sys/liveness.ts";

/** The liveness verdict on a holder, as shown by `status`. */
/**
 * The liveness verdict on a holder, as shown by `status`. `orphaned`: a guard
 * that died while its command's process group still runs on this machine.
 */
export type HolderLiveness =
  | "alive"
  | "dead"
  | "orphaned"
  | "ttl-only"
  | "unknown-host"
  | "unknown";

/** The judged state of one lock name. */
export interface LockState {
  /** The lock name. */
  name: string;
  /** free, held (valid holder), expired, dead (holder gone), corrupt. */
  status: "free" | "held" | "expired" | "dead" | "corrupt";
  /** The record, when readable. */
  record: LockRecord | null;
  /** The raw entry, when present. */
  entry: Entry | null;
  /** Liveness verdict, when a record exists. */
  liveness: HolderLiveness | null;
  /** Whether the acting identity owns it. */
  mine: boolean;
  /** Time since acquisition, in ms. */
  ageMs: number | null;
  /** Time until expiry (negative when past), or `null` without TTL. */
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
}

/** The events that record a stale or corrupt record being broken. */
export type StaleBreak = "expire-break" | "dead-break" | "corrupt-break";

/**
 * Judges the state of a lock from its stored entry. A record that does not
 * parse, or that names another lock, is corrupt.
 *
 * @param name The lock name.
 * @param entry The stored entry, or `null`.
 * @param identity Who is asking (owner, and machine id for liveness).
 * @param now The current time in ms.
 * @param probe Probes a holder's process. @default {probeProcess}
 * @param probeGroupOf Probes a guard's command group. @default {probeGroup}
 * @returns The judged state.
 *
 * @example Usage
 * ```ts
 * import { judge } from "./judge.ts";
 * import { currentIdentity } from "../sys/identity.ts";
 * const raw = JSON.stringify({ version: 1, name: "other" });
 * const entry = { raw, problem: null, mtimeMs: 0, token: "t" };
 * const state = judge("x", entry, currentIdentity(), 10_000);
 * console.assert(state.status === "corrupt" && state.graceLeftMs === 0);
 * ```
 */
export function judge(
  name: string,
  entry: Entry | null,
  identity: Pick<Identity, "owner" | "machineId">,
  now: number,
  probe: (pid: number, start: string | null) => ProcessState = probeProcess,
  probeGroupOf: (pgid: number) => ProcessState = probeGroup,
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
  };
  if (!entry) return state;
  const record = entry.raw === null ? null : parseLockRecord(entry.raw);
  // Names are case-insensitive; a record of an earlier lokt may keep its case.
  if (!record || record.name.toLowerCase() !== name.toLowerCase()) {
    state.status = "corrupt";
    const newer = newerVersion(entry.raw);
    if (newer !== null) {
      // A newer lokt's record may be a live lock in a format we cannot judge.
      state.corruption =
        `written by a newer lokt (record version ${newer}); only 'lokt unlock ${name} --force' removes it`;
      return state;
    }
    state.corruption = entry.problem ??
      (record
        ? `names another lock (${JSON.stringify(record.name)})`
        : corruptionOf(entry.raw ?? ""));
    state.graceLeftMs = Math.max(0, entry.mtimeMs + CORRUPT_GRACE_MS - now);
    return state;
  }
  state.record = record;
  state.mine = record.owner === identity.owner;
  const acquiredAt = Date.parse(record.acquired_at);
  state.ageMs = now - acquiredAt;
  const expiry = effectiveExpiry(record, entry, now);
  if (Date.parse(record.renewed_at) > now + SKEW_MS) {
    state.clockSkew =
      `renewed_at ${record.renewed_at} is in the future; expiry judged from the file time`;
  } else if (acquiredAt > now + SKEW_MS) {
    state.clockSkew = `acquired_at ${record.acquired_at} is in the future`;
  }
  state.expiresInMs = expiry === null ? null : expiry - now;
  state.liveness = record.liveness === "ttl"
    ? "ttl-only"
    : record.machine_id !== identity.machineId
    ? "unknown-host"
    : probe(record.pid, record.pid_start);
  // A guard killed outright leaves its command running: while any process of
  // the command's group lives, the lock is held, whatever its TTL says (§5).
  if (state.liveness === "dead" && record.pgid !== null && probeGroupOf(record.pgid) !== "dead") {
    state.liveness = "orphaned";
    state.status = "held";
    return state;
  }
  if (state.liveness === "dead") state.status = "dead";
  else if (expiry !== null && now > expiry + SKEW_MS) state.status = "expired";
  else state.status = "held";
  return state;
}

/**
 * When a record expires. The writer's clock is trusted only as far as the
 * file's own modification time (the storage clock) agrees: a record dated in
 * the past does not expire before its TTL has passed since it was written, and
 * a record dated in the future is judged from the file time alone [W13].
 */
function effectiveExpiry(record: LockRecord, entry: Entry, now: number): number | null {
  if (record.ttl_ms === null || record.expires_at === null) return null;
  const byFile = entry.mtimeMs + record.ttl_ms;
  if (Date.parse(record.renewed_at) > now + SKEW_MS) return byFile;
  return Math.max(Date.parse(record.expires_at), byFile);
}

function newerVersion(raw: string | null): number | null {
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw);
    const version = value?.version;
    return typeof value === "object" && typeof version === "number" && version > RECORD_VERSION
      ? version
      : null;
  } catch {
    return null;
  }
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
 * import { replaceableIn } from "./judge.ts";
 * import type { LockState } from "./judge.ts";
 * const state = { graceLeftMs: 3_000 } as LockState;
 * console.assert(replaceableIn(state) === "in 3s");
 * ```
 */
export function replaceableIn(state: LockState): string {
  if (state.graceLeftMs === null) return "never automatically";
  return state.graceLeftMs === 0 ? "now" : `in ${formatDuration(state.graceLeftMs)}`;
}
