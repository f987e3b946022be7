/**
 * Audit events (docs/contract.md §8): their shape and how they are built. Appending is the
 * store's job; reading lives in `audit_reader.ts`.
 *
 * @module
 */

import type { LockRecord } from "./lock_record.ts";
import { isoTime } from "./iso_time.ts";

/** Every kind of audit event. */
export const AUDIT_EVENTS = [
  "acquire",
  "renew",
  "release",
  "deny",
  "wait",
  "timeout",
  "expire-break",
  "dead-break",
  "force-break",
  "corrupt-break",
  "lost",
  "freeze",
  "unfreeze",
  "force-unfreeze",
  "freeze-deny",
  "reserve",
  "reserve-deny",
  "unreserve",
  "reserve-break",
] as const;

/** One kind of audit event. */
export type AuditEventKind = typeof AUDIT_EVENTS[number];

/** One line of `audit.jsonl`. */
export interface AuditEvent {
  /** ISO time of the event. */
  ts: string;
  /** What happened. */
  event: AuditEventKind;
  /** The lock or freeze name. */
  name: string;
  /** The lock id concerned, or `null`. */
  lock_id: string | null;
  /** The fence concerned, or `null`. */
  fence: number | null;
  /** The actor: who acquired, was denied, waited, broke, froze. */
  owner: string;
  /** The actor's agent id. */
  agent_id: string;
  /** The actor's host. */
  host: string;
  /** The actor's PID. */
  pid: number;
  /** The TTL concerned, or `null`. */
  ttl_ms: number | null;
  /** The reason given, or `null`. */
  reason: string | null;
  /** Event-specific details, e.g. the previous holder of a broken lock. */
  detail: Record<string, unknown> | null;
}

/** Who acts, as an event names them (an `Identity` is one). */
export interface Actor {
  /** The owner acting. */
  owner: string;
  /** Its agent id. */
  agentId: string;
  /** Its host name. */
  host: string;
  /** Its process id. */
  pid: number;
}

/** Parts of an event the caller provides; the rest comes from the actor. */
export interface EventParts {
  /** The lock id concerned. */
  lock_id?: string | null;
  /** The fence concerned. */
  fence?: number | null;
  /** The TTL concerned. */
  ttl_ms?: number | null;
  /** The reason. */
  reason?: string | null;
  /** Details. */
  detail?: Record<string, unknown> | null;
}

/**
 * Builds an audit event with the acting identity.
 *
 * @param kind The event kind.
 * @param name The lock name.
 * @param actor Who acts.
 * @param parts Event-specific fields.
 * @param now The time, in ms since the epoch.
 * @returns The event.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { makeEvent } from "./audit_event.ts";
 * const me = { owner: "me", agentId: "a", host: "h", pid: 1 };
 * const event = makeEvent("deny", "build", me, { detail: { holder_owner: "them" } }, 0);
 * assert(event.ts === "1970-01-01T00:00:00.000Z" && event.owner === "me");
 * ```
 */
export function makeEvent(
  kind: AuditEventKind,
  name: string,
  actor: Actor,
  parts: EventParts,
  now: number,
): AuditEvent {
  return {
    ts: isoTime(now),
    event: kind,
    name,
    lock_id: parts.lock_id ?? null,
    fence: parts.fence ?? null,
    owner: actor.owner,
    agent_id: actor.agentId,
    host: actor.host,
    pid: actor.pid,
    ttl_ms: parts.ttl_ms ?? null,
    reason: parts.reason ?? null,
    detail: parts.detail ?? null,
  };
}

/**
 * Builds an event about a lock record (acquire, renew, release, lost).
 *
 * @param kind The event kind.
 * @param record The record concerned.
 * @param actor Who acts.
 * @param now The time in ms.
 * @param detail Extra details.
 * @returns The event.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { recordEvent } from "./audit_event.ts";
 * import { newRecord } from "./lock_record.ts";
 * const me = { owner: "me", agentId: "a", host: "h", machineId: "m", pid: 1, pidStart: null };
 * const record = newRecord("build", 3, me, { ttlMs: null, liveness: "process" }, 0);
 * assert(recordEvent("release", record, me, 0).fence === 3);
 * ```
 */
export function recordEvent(
  kind: AuditEventKind,
  record: LockRecord,
  actor: Actor,
  now: number,
  detail: Record<string, unknown> | null = null,
): AuditEvent {
  // A hold of a shared or semaphore name says which (docs/contract.md §14).
  const held = record.mode === "exclusive"
    ? detail
    : { ...detail, mode: record.mode, slot: record.slot };
  return makeEvent(kind, record.name, actor, {
    lock_id: record.lock_id,
    fence: record.fence,
    ttl_ms: record.ttl_ms,
    reason: record.reason,
    detail: held,
  }, now);
}

/**
 * The short description of a holder stored in an event's `detail`: breaks
 * name the `previous` holder, denials the current `holder`.
 *
 * @param record The holder's record.
 * @param prefix The key prefix. @default {"previous"}
 * @returns Its identifying fields.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { holderDetail } from "./audit_event.ts";
 * import { newRecord } from "./lock_record.ts";
 * const them = { owner: "them", agentId: "a", host: "h", machineId: "m", pid: 7, pidStart: null };
 * const record = newRecord("build", 3, them, { ttlMs: null, liveness: "process" }, 0);
 * assert(holderDetail(record, "holder").holder_owner === "them");
 * ```
 */
export function holderDetail(
  record: LockRecord,
  prefix: "previous" | "holder" = "previous",
): Record<string, unknown> {
  return {
    [`${prefix}_owner`]: record.owner,
    [`${prefix}_agent_id`]: record.agent_id,
    [`${prefix}_host`]: record.host,
    [`${prefix}_pid`]: record.pid,
    [`${prefix}_lock_id`]: record.lock_id,
    [`${prefix}_fence`]: record.fence,
  };
}

/**
 * Encodes an event as one JSONL line, including the newline.
 *
 * @param event The event.
 * @returns The line.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { encodeEvent, makeEvent } from "./audit_event.ts";
 * const me = { owner: "me", agentId: "a", host: "h", pid: 1 };
 * const line = encodeEvent(makeEvent("freeze", "deploy", me, {}, 0));
 * assert(line.endsWith("}\n") && JSON.parse(line).event === "freeze");
 * ```
 */
export function encodeEvent(event: AuditEvent): string {
  return `${JSON.stringify(event)}\n`;
}
