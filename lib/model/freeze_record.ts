/**
 * The freeze record stored in `freezes/<name>.json`.
 *
 * @module
 */

import { isTime, parseObject } from "./record_codec.ts";

/** A freeze: no new acquisition of `name` until `expires_at`. */
export interface FreezeRecord {
  /** Record format version (1). */
  version: 1;
  /** The frozen name. */
  name: string;
  /** Who froze it. */
  owner: string;
  /** Their agent id. */
  agent_id: string;
  /** Their host. */
  host: string;
  /** Their PID at the time. */
  pid: number;
  /** ISO time the freeze was set (or last extended). */
  frozen_at: string;
  /** Duration in ms. */
  ttl_ms: number;
  /** ISO time the freeze ends. */
  expires_at: string;
  /** Why, or `null`. */
  reason: string | null;
}

/**
 * Parses and validates a freeze record.
 *
 * @param raw The file content.
 * @returns The record, or `null` when corrupt.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { parseFreezeRecord } from "./freeze_record.ts";
 * assert(parseFreezeRecord("") === null);
 * ```
 */
export function parseFreezeRecord(raw: string): FreezeRecord | null {
  const v = parseObject(raw);
  if (!v) return null;
  const ok = v.version === 1 && typeof v.name === "string" && typeof v.owner === "string" &&
    typeof v.agent_id === "string" && typeof v.host === "string" &&
    typeof v.pid === "number" && isTime(v.frozen_at) && typeof v.ttl_ms === "number" &&
    isTime(v.expires_at) && (v.reason === null || typeof v.reason === "string");
  return ok ? v as unknown as FreezeRecord : null;
}
