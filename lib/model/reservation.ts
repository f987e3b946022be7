/**
 * Path reservations (docs/contract.md §15): one reservation per pattern, kept together in
 * one index so that a call's patterns are granted all or none with one
 * compare-and-replace.
 *
 * @module
 */

import { randomId } from "./lock_record.ts";
import { isTime, parseObject } from "./record_codec.ts";
import type { LivenessMode, RecordHolder } from "./lock_record.ts";
import { isoTime } from "./iso_time.ts";

/** The index format this lokt writes and reads. */
export const INDEX_VERSION = 1;

/** `exclusive` (write intent) or `shared` (read intent). */
export type ReservationMode = "exclusive" | "shared";

/** One reservation: one pattern of one owner. */
export interface ReservationRecord {
  /** Random 128-bit hex id. */
  id: string;
  /** The pattern, in normal form (exactly one). */
  patterns: [string];
  /** Write or read intent. */
  mode: ReservationMode;
  /** Who reserved it. */
  owner: string;
  /** Its agent id. */
  agent_id: string;
  /** Its host. */
  host: string;
  /** Its machine id. */
  machine_id: string;
  /** The process it is tied to (`--pid`, the library), or the reserving process. */
  pid: number;
  /** That process's start marker. */
  pid_start: string | null;
  /** `process`: it ends with that process too; `ttl`: only its TTL ends it. */
  liveness: LivenessMode;
  /** Why, or `null`. */
  reason: string | null;
  /** When it was first reserved (ISO time). */
  reserved_at: string;
  /** When it was last reserved again (ISO time). */
  renewed_at: string;
  /** Its time to live in ms. */
  ttl_ms: number;
  /** When it expires (ISO time). */
  expires_at: string;
  /**
   * `true` when the pattern is the literal path of a file (taken by a hook's
   * `reserve_on_edit`): it covers that file only, nothing below it.
   */
  exact?: boolean;
}

/** The stored index of every reservation. */
export interface ReservationIndex {
  /** Always {@linkcode INDEX_VERSION}. */
  version: 1;
  /** The reservations, oldest first. */
  reservations: ReservationRecord[];
}

/** What a reservation records beyond its holder. */
export interface ReservationSpec {
  /** Write or read intent. */
  mode: ReservationMode;
  /** Time to live in ms. */
  ttlMs: number;
  /** Why. */
  reason: string | null;
  /** How it is protected. */
  liveness: LivenessMode;
  /** The process it is tied to (default: the reserving one). */
  pid?: number;
  /** That process's start marker. */
  pidStart?: string | null;
  /** The machine id (with PID namespace) `pid` is numbered in, when not the reserving process's. */
  machineId?: string;
  /** The patterns are literal file paths, covering nothing below them. @default {false} */
  exact?: boolean;
}

/**
 * A new reservation of one pattern.
 *
 * @param pattern The pattern, in normal form.
 * @param holder Who reserves it.
 * @param spec Mode, TTL, reason, liveness.
 * @param now The time in ms.
 * @returns The reservation.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { newReservation } from "./reservation.ts";
 * const holder = { owner: "me", agentId: "a", host: "h", machineId: "m", pid: 1, pidStart: null };
 * const r = newReservation("src/auth", holder, { mode: "exclusive", ttlMs: 60_000, reason: null, liveness: "ttl" }, 0);
 * assert(r.patterns[0] === "src/auth" && r.expires_at === "1970-01-01T00:01:00.000Z");
 * ```
 */
export function newReservation(
  pattern: string,
  holder: RecordHolder,
  spec: ReservationSpec,
  now: number,
): ReservationRecord {
  return {
    id: randomId(),
    patterns: [pattern],
    mode: spec.mode,
    owner: holder.owner,
    agent_id: holder.agentId,
    host: holder.host,
    machine_id: spec.machineId ?? holder.machineId,
    pid: spec.pid ?? holder.pid,
    pid_start: spec.pid === undefined ? holder.pidStart : spec.pidStart ?? null,
    liveness: spec.liveness,
    reason: spec.reason,
    reserved_at: isoTime(now),
    renewed_at: isoTime(now),
    ttl_ms: spec.ttlMs,
    expires_at: isoTime(now + spec.ttlMs),
    ...(spec.exact ? { exact: true } : {}),
  };
}

/**
 * Parses the stored index; `null` when it is not a valid one (corrupt).
 *
 * @param raw The stored text.
 * @returns The index, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { parseReservationIndex } from "./reservation.ts";
 * assert(parseReservationIndex('{"version":1,"reservations":[]}')?.reservations.length === 0);
 * assert(parseReservationIndex("{") === null);
 * ```
 */
export function parseReservationIndex(raw: string): ReservationIndex | null {
  const value = parseObject(raw);
  if (!value || value.version !== INDEX_VERSION || !Array.isArray(value.reservations)) return null;
  for (const item of value.reservations as unknown[]) if (!isReservation(item)) return null;
  return value as unknown as ReservationIndex;
}

function isReservation(item: unknown): item is ReservationRecord {
  if (!item || typeof item !== "object" || Array.isArray(item)) return false;
  const r = item as Record<string, unknown>;
  const patterns = r.patterns;
  return isText(r.id) && Array.isArray(patterns) && patterns.length === 1 && isText(patterns[0]) &&
    (r.mode === "exclusive" || r.mode === "shared") && isText(r.owner) && isText(r.agent_id) &&
    isText(r.host) && isText(r.machine_id) && isCount(r.pid) &&
    (r.pid_start === null || isText(r.pid_start)) &&
    (r.liveness === "ttl" || r.liveness === "process") &&
    (r.reason === null || typeof r.reason === "string") && isTime(r.reserved_at) &&
    isTime(r.renewed_at) && isCount(r.ttl_ms) && isTime(r.expires_at) &&
    (r.exact === undefined || typeof r.exact === "boolean");
}

function isText(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * The stored text of an index: compact, one reservation per line, so a large
 * index stays small and a diff stays readable.
 *
 * @param reservations The reservations.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { encodeReservationIndex } from "./reservation.ts";
 * assert(JSON.parse(encodeReservationIndex([])).version === 1);
 * ```
 */
export function encodeReservationIndex(reservations: ReservationRecord[]): string {
  const lines = reservations.map((r) => JSON.stringify(r));
  return `{"version":${INDEX_VERSION},"reservations":[${
    lines.length ? `\n${lines.join(",\n")}\n` : ""
  }]}\n`;
}

const INDEX_HEAD = `{"version":${INDEX_VERSION},"reservations":[`;
const PATTERN_KEY = '"patterns":[';

/**
 * The reservations of an index, as {@linkcode encodeReservationIndex} writes
 * it (one per line), whose pattern `wanted` keeps — parsing and validating
 * only those lines, so that a check against a large index pays for the few
 * reservations that may matter. Returns `null` when the text is not in that
 * layout or a kept line is invalid: the caller then parses the whole index.
 *
 * @param raw The stored text.
 * @param wanted Which patterns (in normal form) to keep.
 * @returns The kept reservations, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { encodeReservationIndex, newReservation, reservationLines } from "./reservation.ts";
 * const holder = { owner: "me", agentId: "a", host: "h", machineId: "m", pid: 1, pidStart: null };
 * const spec = { mode: "exclusive", ttlMs: 60_000, reason: null, liveness: "ttl" } as const;
 * const raw = encodeReservationIndex(["src", "docs"].map((p) => newReservation(p, holder, spec, 0)));
 * assert(reservationLines(raw, (p) => p === "docs")?.length === 1);
 * ```
 */
export function reservationLines(
  raw: string,
  wanted: (pattern: string) => boolean,
): ReservationRecord[] | null {
  const lines = raw.split("\n");
  if (lines[0] !== INDEX_HEAD && lines[0] !== `${INDEX_HEAD}]}`) return null;
  if (lines[0] !== `${INDEX_HEAD}]}` && lines.at(-2) !== "]}") return null;
  const kept: ReservationRecord[] = [];
  const last = lines.length - 2;
  for (let i = 1; i < last; i++) {
    const line = lines[i] as string;
    const start = line.indexOf(PATTERN_KEY);
    if (start < 0) return null;
    const end = line.indexOf('"]', start + PATTERN_KEY.length);
    if (end < 0) return null;
    let pattern = line.slice(start + PATTERN_KEY.length + 1, end);
    // A pattern with escapes in its JSON text is read exactly.
    if (pattern.includes("\\")) pattern = JSON.parse(`"${pattern}"`);
    if (!wanted(pattern)) continue;
    const item = parseObject(line.endsWith(",") ? line.slice(0, -1) : line);
    if (!isReservation(item)) return null;
    kept.push(item);
  }
  return kept;
}
