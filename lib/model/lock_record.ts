/**
 * The lock record (docs/contract.md §3): one JSON object per file, every field present,
 * `null` where not applicable.
 *
 * @module
 */

import { isoTime } from "./iso_time.ts";
import { UsageError } from "./errors.ts";
import { hasUnsafeText } from "./safe_text.ts";

/** How a holder is protected from takeover. */
export type LivenessMode = "process" | "ttl";

/**
 * Whose hold it is (docs/contract.md §4a): an `owner` hold (taken by `lock`) belongs to
 * its owner; an `instance` hold (guard, the library) to one process.
 */
export type HoldKind = "owner" | "instance";

/** How a name is held (docs/contract.md §14): one holder, readers, or counted slots. */
export type LockMode = "exclusive" | "shared" | "slots";

/** The record format this lokt writes; it reads this one and every earlier one. */
export const RECORD_VERSION = 2;

/** One held lock, as stored in `locks/<name>.json`. */
export interface LockRecord {
  /** Record format version: 2 (1 for records of an earlier lokt, read with defaults). */
  version: 1 | 2;
  /** The lock name. */
  name: string;
  /** Random 128-bit hex id, new per acquisition. */
  lock_id: string;
  /** Fencing token: strictly increasing per name across all acquisitions. */
  fence: number;
  /** Who holds the lock. */
  owner: string;
  /** The holder's agent id. */
  agent_id: string;
  /** The holder's host name. */
  host: string;
  /** The holder's machine id (plus PID namespace). */
  machine_id: string;
  /** The holder's PID. */
  pid: number;
  /** The holder process's start marker, for PID-reuse detection. */
  pid_start: string | null;
  /** `process`: the holder process must stay alive; `ttl`: only the TTL protects it. */
  liveness: LivenessMode;
  /** ISO time of acquisition. */
  acquired_at: string;
  /** ISO time of the last renewal (equal to `acquired_at` at first). */
  renewed_at: string;
  /** Time to live in ms, or `null` for no expiry. */
  ttl_ms: number | null;
  /** ISO expiry time, or `null` for no expiry. */
  expires_at: string | null;
  /** Free-text reason, or `null`. */
  reason: string | null;
  /** The guarded command's argv, or `null`. */
  command: string[] | null;
  /** Whose hold it is: the owner's (`lock`) or one process's (guard, library). */
  hold: HoldKind;
  /** The process group of guard's command, or `null`. */
  pgid: number | null;
  /** How the name is held. */
  mode: LockMode;
  /** The slot of a semaphore hold, or `null`. */
  slot: number | null;
}

/** What an acquisition records beyond the acquirer's identity. */
export interface RecordSpec {
  /** TTL in ms, or `null` for no expiry. */
  ttlMs: number | null;
  /** How the holder is protected. */
  liveness: LivenessMode;
  /** The holder PID (default: this process). */
  pid?: number;
  /** The holder's start marker (default: this process's). */
  pidStart?: string | null;
  /**
   * The machine id (with PID namespace) `pid` is numbered in, when not this
   * process's: a sandbox's shell holding for its harness outside. @default {the holder's}
   */
  machineId?: string;
  /** Reason text. */
  reason?: string | null;
  /** Guarded command. */
  command?: string[] | null;
  /** Whose hold it is. @default {"owner" for a TTL hold, "instance" for a process hold} */
  hold?: HoldKind;
  /** How the name is held (docs/contract.md §14). @default {"exclusive"} */
  mode?: LockMode;
  /** The number of slots of a semaphore (`mode: "slots"`), else `null`. @default {null} */
  slots?: number | null;
}

/** The holder fields of a record: who acquires. */
export interface RecordHolder {
  /** The owner. */
  owner: string;
  /** The agent id. */
  agentId: string;
  /** The host name. */
  host: string;
  /** The machine id. */
  machineId: string;
  /** This process's PID. */
  pid: number;
  /** This process's start marker. */
  pidStart: string | null;
}

/**
 * Builds the record of a new acquisition, with a fresh `lock_id`.
 *
 * @param name The lock name.
 * @param fence The fencing token allocated for it.
 * @param holder Who acquires (an {@linkcode Identity}-shaped value).
 * @param spec TTL, liveness and what else to record.
 * @param now The time in ms.
 * @param slot The slot of a semaphore hold, else `null`.
 * @returns The record.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { newRecord } from "./lock_record.ts";
 * const holder = { owner: "me", agentId: "a", host: "h", machineId: "m", pid: 1, pidStart: null };
 * const record = newRecord("build", 1, holder, { ttlMs: 60_000, liveness: "ttl" }, 0);
 * assert(record.expires_at === "1970-01-01T00:01:00.000Z");
 * ```
 */
export function newRecord(
  name: string,
  fence: number,
  holder: RecordHolder,
  spec: RecordSpec,
  now: number,
  slot: number | null = null,
): LockRecord {
  const at = isoTime(now);
  return {
    version: RECORD_VERSION,
    name,
    lock_id: randomId(),
    fence,
    owner: holder.owner,
    agent_id: holder.agentId,
    host: holder.host,
    machine_id: spec.machineId ?? holder.machineId,
    pid: spec.pid ?? holder.pid,
    pid_start: spec.pid === undefined ? holder.pidStart : spec.pidStart ?? null,
    liveness: spec.liveness,
    acquired_at: at,
    renewed_at: at,
    ttl_ms: spec.ttlMs,
    expires_at: spec.ttlMs === null ? null : isoTime(now + spec.ttlMs),
    reason: spec.reason ?? null,
    command: spec.command ?? null,
    hold: spec.hold ?? (spec.liveness === "ttl" ? "owner" : "instance"),
    pgid: null,
    mode: spec.mode ?? "exclusive",
    slot,
  };
}

/**
 * A random 128-bit id as 32 hex digits.
 *
 * @returns The id.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { randomId } from "./lock_record.ts";
 * assert(randomId().length === 32);
 * ```
 */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The longest accepted `reason`. */
export const MAX_REASON_LENGTH = 1000;

/**
 * Whether a reason can be recorded: one line of at most
 * {@linkcode MAX_REASON_LENGTH} characters.
 *
 * @param reason The reason text.
 * @returns `true` when valid.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { isValidReason } from "./lock_record.ts";
 * assert(!isValidReason("two\nlines"));
 * ```
 */
export function isValidReason(reason: string): boolean {
  return reason.length <= MAX_REASON_LENGTH && !hasUnsafeText(reason);
}

/**
 * Refuses a reason that cannot be recorded, naming the field as the caller
 * knows it (`--reason`, `reason`).
 *
 * @param reason The reason, or `null`/`undefined` for none.
 * @param label The field's name in the message.
 * @param command The command whose help explains it, if any.
 * @throws {UsageError} When the reason is too long or holds a control character or a bidirectional override.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { checkReason } from "./lock_record.ts";
 * assert.throws(() => checkReason("evil\u202eexe", "--reason"), /bidirectional/);
 * checkReason(null, "--reason");
 * ```
 */
export function checkReason(
  reason: string | null | undefined,
  label: string,
  command: string | null = null,
): void {
  if (reason === null || reason === undefined || isValidReason(reason)) return;
  throw new UsageError(
    `${label} must be one line of at most ${MAX_REASON_LENGTH} characters, without control characters or bidirectional overrides`,
    command,
  );
}
