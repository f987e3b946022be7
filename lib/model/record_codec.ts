/**
 * Reading and writing lock records (version 1 and 2): the encoding on disk,
 * and the parser that validates every field, so that a torn, hand-edited or
 * foreign file is corrupt, never half-trusted.
 *
 * @module
 */

import type { LockRecord } from "./lock_record.ts";

/** Record files larger than this are treated as corrupt without being parsed. */
export const MAX_RECORD_BYTES = 1 << 20;

/**
 * Serializes a record for storage (pretty JSON, newline-terminated).
 *
 * @param record The record.
 * @returns The file content.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { encodeRecord } from "./record_codec.ts";
 * assert(encodeRecord({ a: 1 }).endsWith("}\n"));
 * ```
 */
export function encodeRecord(record: object): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/**
 * Parses and validates a lock record of version 2, or of version 1 (an earlier
 * lokt's, given the fields it lacked). Returns `null` for anything else:
 * empty, truncated, garbage, wrong schema, or a version this lokt does not
 * know (a newer lokt's record, which `judge` treats as held, never as free).
 *
 * @param raw The file content.
 * @returns The record, or `null` when corrupt.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { parseLockRecord } from "./record_codec.ts";
 * assert(parseLockRecord("{") === null);
 * ```
 */
export function parseLockRecord(raw: string): LockRecord | null {
  const value = parseObject(raw);
  return value ? recordOf(value) : null;
}

/**
 * Validates a parsed object as a lock record (version 1 or 2), as
 * {@linkcode parseLockRecord} does with a file's text; the holders of a
 * shared or semaphore name are validated with it too.
 *
 * @param value The parsed object.
 * @returns The record, or `null` when it is not a valid one.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { recordOf } from "./record_codec.ts";
 * assert(recordOf({ version: 2, name: "x" }) === null);
 * ```
 */
export function recordOf(value: Record<string, unknown>): LockRecord | null {
  if (value.version !== 1 && value.version !== 2) return null;
  const ok = isString(value.name) && isString(value.lock_id) && isCount(value.fence) &&
    isString(value.owner) && isString(value.agent_id) && isString(value.host) &&
    isString(value.machine_id) && isCount(value.pid) &&
    (value.pid_start === null || isString(value.pid_start)) &&
    (value.liveness === "process" || value.liveness === "ttl") &&
    isTime(value.acquired_at) && isTime(value.renewed_at) &&
    (value.ttl_ms === null || isCount(value.ttl_ms)) &&
    (value.expires_at === null || isTime(value.expires_at)) &&
    (value.ttl_ms === null) === (value.expires_at === null) &&
    (value.reason === null || typeof value.reason === "string") &&
    (value.command === null ||
      (Array.isArray(value.command) && value.command.every((a) => typeof a === "string")));
  if (!ok) return null;
  if (value.version === 1) {
    // An earlier lokt's record: what it did not say, as that lokt meant it.
    return {
      ...value,
      hold: value.liveness === "ttl" || value.command === null ? "owner" : "instance",
      pgid: null,
      mode: "exclusive",
      slot: null,
    } as unknown as LockRecord;
  }
  const v2 = (value.hold === "owner" || value.hold === "instance") &&
    (value.pgid === null || isCount(value.pgid)) &&
    (value.mode === "exclusive" || value.mode === "shared" || value.mode === "slots") &&
    (value.slot === null || isCount(value.slot));
  return v2 ? value as unknown as LockRecord : null;
}

/**
 * Parses JSON text that must be an object.
 *
 * @param raw The text.
 * @returns The object, or `null` when not a JSON object.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { parseObject } from "./record_codec.ts";
 * assert(parseObject("[]") === null);
 * ```
 */
export function parseObject(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Not JSON: corrupt.
  }
  return null;
}

function isString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Whether a value is an ISO-8601 time string that `Date` can parse.
 *
 * @param value The value.
 * @returns `true` for a parseable time string.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { isTime } from "./record_codec.ts";
 * assert(isTime("2026-01-01T00:00:00.000Z"));
 * ```
 */
export function isTime(value: unknown): value is string {
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}
