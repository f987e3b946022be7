/**
 * How one hold is judged: held, expired or dead, with its liveness verdict,
 * as a pure function of the record, the storage's clock, the identity and
 * the current time (plus a liveness probe of the holder's process). An
 * exclusive lock has one hold; a shared or semaphore name has several, each
 * judged alone (docs/contract.md §14: staleness works per hold).
 *
 * @module
 */

import { SKEW_MS } from "../../model/defaults.ts";
import type { LockRecord } from "../../model/lock_record.ts";
import type { Identity } from "../../sys/identity.ts";
import type { ProcessState } from "../../sys/liveness.ts";
import { probeGroup, probeProcess } from "../../sys/liveness.ts";
import { commandRuns } from "../../sys/process_scan.ts";
import { foreignNamespace, probeInNamespace } from "../../sys/pid_namespace.ts";

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

/** The judged state of one hold. */
export interface HoldState {
  /** The hold's record. */
  record: LockRecord;
  /** `held` (valid), `expired`, or `dead` (its process is gone). */
  status: "held" | "expired" | "dead";
  /** The liveness verdict. */
  liveness: HolderLiveness;
  /** Whether the acting owner owns it. */
  mine: boolean;
  /** Time since acquisition, in ms. */
  ageMs: number;
  /** Time until expiry (negative when past), or `null` without TTL. */
  expiresInMs: number | null;
  /** A clock problem seen in the record, or `null`. */
  clockSkew: string | null;
}

/** How the holder's processes are probed (replaceable in tests). */
export interface Probes {
  /** Probes a holder's process. */
  process: (pid: number, start: string | null, namespace?: string | null) => ProcessState;
  /** Probes a guard's command group. */
  group: (pgid: number, namespace?: string | null) => ProcessState;
  /** Probes the command a guard started for a hold, before its group was recorded. */
  command: (lockId: string) => ProcessState;
}

/** The real probes of this machine. */
export const SYSTEM_PROBES: Probes = {
  process: (pid, start, namespace) =>
    namespace ? probeInNamespace(namespace, pid, "pid", start) : probeProcess(pid, start),
  group: (pgid, namespace) =>
    namespace ? probeInNamespace(namespace, pgid, "pgid", null) : probeGroup(pgid),
  command: commandRuns,
};

/**
 * Judges one hold.
 *
 * @param record The hold's record.
 * @param writtenAtMs When the storage last wrote it (its file time).
 * @param sharedFile Whether that file holds other holds too (a group
 * document, rewritten for each of them): its time then only bounds a hold
 * dated in the future.
 * @param identity Who is asking (owner, and machine id for liveness).
 * @param now The current time in ms.
 * @param probes The liveness probes. @default {SYSTEM_PROBES}
 * @returns The judged hold.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { judgeHold } from "./hold_judge.ts";
 * import { newRecord } from "../../model/lock_record.ts";
 * const me = { owner: "me", agentId: "a", host: "h", machineId: "m", pid: 1, pidStart: null };
 * const record = newRecord("build", 1, me, { ttlMs: 1_000, liveness: "ttl" }, 0);
 * assert(judgeHold(record, 0, false, me, 60_000).status === "expired");
 * ```
 */
export function judgeHold(
  record: LockRecord,
  writtenAtMs: number,
  sharedFile: boolean,
  identity: Pick<Identity, "owner" | "machineId">,
  now: number,
  probes: Probes = SYSTEM_PROBES,
): HoldState {
  const acquiredAt = Date.parse(record.acquired_at);
  const expiry = effectiveExpiry(record, writtenAtMs, sharedFile, now);
  let clockSkew: string | null = null;
  if (Date.parse(record.renewed_at) > now + SKEW_MS) {
    clockSkew =
      `renewed_at ${record.renewed_at} is in the future; expiry judged from the file time`;
  } else if (acquiredAt > now + SKEW_MS) {
    clockSkew = `acquired_at ${record.acquired_at} is in the future`;
  }
  // A holder in another PID namespace of this machine (a sandbox) is probed there.
  const namespace = foreignNamespace(record.machine_id, identity.machineId);
  const hold: HoldState = {
    record,
    status: "held",
    liveness: record.liveness === "ttl"
      ? "ttl-only"
      : record.machine_id !== identity.machineId && namespace === null
      ? "unknown-host"
      : probes.process(record.pid, record.pid_start, namespace),
    mine: record.owner === identity.owner,
    ageMs: now - acquiredAt,
    expiresInMs: expiry === null ? null : expiry - now,
    clockSkew,
  };
  // A guard killed outright leaves its command running: while any process of
  // the command's group lives, the hold stands, whatever its TTL says (§5).
  if (
    hold.liveness === "dead" && record.pgid !== null &&
    probes.group(record.pgid, namespace) !== "dead"
  ) {
    hold.liveness = "orphaned";
  } else if (
    // Killed between starting its command and recording the command's group:
    // the command is found by the LOKT_LOCK_ID guard gave it.
    hold.liveness === "dead" && record.pgid === null && record.command !== null &&
    probes.command(record.lock_id) !== "dead"
  ) {
    hold.liveness = "orphaned";
  } else if (hold.liveness === "dead") {
    hold.status = "dead";
  } else if (expiry !== null && now > expiry + SKEW_MS) {
    hold.status = "expired";
  }
  return hold;
}

/**
 * When a hold expires. The writer's clock is trusted only as far as the
 * storage's clock agrees: a record dated in the past does not expire before
 * its TTL has passed since it was written, and a record dated in the future
 * is judged from the file time alone [W13]. A file shared with other holds
 * is rewritten for each of them, so there its time only bounds a hold dated
 * in the future (it was written no later than the file).
 */
function effectiveExpiry(
  record: LockRecord,
  writtenAtMs: number,
  sharedFile: boolean,
  now: number,
): number | null {
  if (record.ttl_ms === null || record.expires_at === null) return null;
  const byFile = writtenAtMs + record.ttl_ms;
  if (Date.parse(record.renewed_at) > now + SKEW_MS) return byFile;
  const byRecord = Date.parse(record.expires_at);
  return sharedFile ? byRecord : Math.max(byRecord, byFile);
}
