/**
 * Audit queries: the filters of `lokt audit` and `readAudit()`, how their
 * values are parsed, and how one line of the trail is judged against them.
 *
 * @module
 */

import type { AuditEvent } from "./audit_event.ts";
import { AUDIT_EVENTS } from "./audit_event.ts";
import { parseDuration } from "./duration.ts";
import { UsageError } from "./errors.ts";
import { isoTime } from "./iso_time.ts";

/** What to read from the trail. */
export interface AuditQuery {
  /** Only events at or after this time (ms since epoch). */
  sinceMs?: number | null;
  /** Only events at or before this time (ms since epoch). */
  untilMs?: number | null;
  /** Only this lock name. */
  name?: string | null;
  /** Only this owner (the actor). */
  owner?: string | null;
  /** Only these event kinds. */
  events?: readonly string[] | null;
  /** Keep only the newest N (still yielded oldest first). */
  limit?: number | null;
}

/**
 * Parses a `--since`/`--until` value: a duration ago (`1h`) or a timestamp.
 *
 * @param text The value.
 * @param now The current time in ms.
 * @param flag The flag, for messages.
 * @returns The time in ms since the epoch.
 * @throws {UsageError} When neither a duration nor a timestamp.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { parseTimeBound } from "./audit_query.ts";
 * assert(parseTimeBound("1h", 3_600_000, "--since") === 0);
 * ```
 */
export function parseTimeBound(text: string, now: number, flag: string): number {
  if (/^\d+(\.\d+)?(ms|s|m|h|d)/.test(text)) return now - parseDuration(text, flag);
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new UsageError(
    `Invalid ${flag} ${
      JSON.stringify(text)
    }: use a duration (30m, 2h) or a timestamp (2026-01-31T12:00:00Z)`,
  );
}

/**
 * Validates `--event` values.
 *
 * @param text A comma-separated list of event kinds.
 * @returns The kinds.
 * @throws {UsageError} On an unknown kind.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { parseEventList } from "./audit_query.ts";
 * assert(parseEventList("acquire,release").length === 2);
 * ```
 */
export function parseEventList(text: string): string[] {
  const kinds = text.split(",").map((k) => k.trim()).filter((k) => k !== "");
  for (const kind of kinds) {
    if (!(AUDIT_EVENTS as readonly string[]).includes(kind)) {
      throw new UsageError(
        `unknown event ${JSON.stringify(kind)}: one of ${AUDIT_EVENTS.join(", ")}`,
      );
    }
  }
  if (kinds.length === 0) throw new UsageError("--event needs at least one event kind");
  return kinds;
}

/**
 * A line matcher for a query: cheap text checks first (the `ts` prefix, the
 * quoted name), then a full parse and validation of the candidates.
 *
 * @param query The filters (the limit is not applied here).
 * @returns For a line: the event when it matches, `null` when it does not,
 * `"malformed"` when it is not an event.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { eventMatcher } from "./audit_query.ts";
 * const match = eventMatcher({ name: "build" });
 * const line = '{"ts":"2026-01-01T00:00:00.000Z","event":"acquire","name":"build","owner":"a"}';
 * assert.equal((match(line) as { event: string }).event, "acquire");
 * // A line without the name is skipped unparsed; one that is read and is no event is malformed.
 * assert.equal(match(line.replace('"build"', '"test"')), null);
 * assert.equal(match("garbage"), null);
 * assert.equal(eventMatcher({})("garbage"), "malformed");
 * ```
 */
export function eventMatcher(query: AuditQuery): (line: string) => AuditEvent | null | "malformed" {
  const since = query.sinceMs != null ? isoTime(query.sinceMs) : null;
  const until = query.untilMs != null ? isoTime(query.untilMs) : null;
  const nameText = query.name ? `"name":${JSON.stringify(query.name)}` : null;
  const ownerText = query.owner ? `"owner":${JSON.stringify(query.owner)}` : null;
  const events = query.events && query.events.length ? new Set(query.events) : null;
  return (line) => {
    if (line.trim() === "") return null;
    // Lines written by lokt start with {"ts":"<ISO time>"; ISO times compare as strings.
    if (line.startsWith('{"ts":"') && (since || until)) {
      const ts = line.slice(7, 31);
      if (since && ts < since) return null;
      if (until && ts > until) return null;
    }
    // ... followed by "event":"<kind>": a kind not asked for is skipped unparsed.
    if (events && line.startsWith('"event":"', 33)) {
      const end = line.indexOf('"', 42);
      if (end > 42 && !events.has(line.slice(42, end))) return null;
    }
    if (nameText && !line.includes(nameText)) return null;
    if (ownerText && !line.includes(ownerText)) return null;
    const event = parseEvent(line);
    if (!event) return "malformed";
    if (query.name && event.name !== query.name) return null;
    if (query.owner && event.owner !== query.owner) return null;
    if (events && !events.has(event.event)) return null;
    const at = Date.parse(event.ts);
    if (query.sinceMs != null && at < query.sinceMs) return null;
    if (query.untilMs != null && at > query.untilMs) return null;
    return event;
  };
}

/**
 * Parses one line into an event, or `null` when it is not one.
 *
 * @param line The line.
 * @returns The event, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { parseEvent } from "./audit_query.ts";
 * assert(parseEvent("not json") === null);
 * ```
 */
export function parseEvent(line: string): AuditEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object") return null;
  const e = value as Record<string, unknown>;
  if (
    typeof e.ts !== "string" || Number.isNaN(Date.parse(e.ts)) || typeof e.event !== "string" ||
    typeof e.name !== "string" || typeof e.owner !== "string"
  ) {
    return null;
  }
  return e as unknown as AuditEvent;
}
