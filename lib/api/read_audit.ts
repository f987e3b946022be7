/**
 * The library's view of the audit trail: `readAudit`, streamed.
 *
 * @module
 */

import { openContext } from "../core/context.ts";
import type { ContextOptions } from "../core/context.ts";
import type { AuditEvent } from "../model/audit_event.ts";
import { parseEventList, parseTimeBound } from "../model/audit_query.ts";
import type { AuditQuery } from "../model/audit_query.ts";
import { UsageError } from "../model/errors.ts";
import { validateName } from "../model/name.ts";
import { optionsOf } from "./options.ts";

/** A query of {@linkcode readAudit}. */
export interface ReadAuditOptions extends ContextOptions {
  /** Events since a duration ago (`"1h"`) or a timestamp. */
  since?: string;
  /** Events until a duration ago or a timestamp. */
  until?: string;
  /** Only this lock. */
  name?: string;
  /** Only this actor. */
  owner?: string;
  /** Only these kinds. */
  events?: string[];
  /** Only the newest N (yielded oldest first). */
  limit?: number;
}

/**
 * Reads the audit trail (both generations), oldest first, streaming.
 *
 * @param query Filters.
 * @returns The matching events.
 *
 * @example Usage
 * ```ts ignore
 * import { readAudit } from "jsr:@lokt/cli";
 * for await (const e of readAudit({ since: "12h", events: ["deny", "lost"] })) console.log(e.ts, e.event, e.name);
 * ```
 *
 * @example Every acquire and release, in order
 * ```ts
 * import assert from "node:assert";
 * import { readAudit } from "./read_audit.ts";
 * import { withLock } from "./acquire.ts";
 * const root = Deno.makeTempDirSync();
 * await withLock("build", { root, owner: "agent-1" }, () => {});
 * const events = await Array.fromAsync(readAudit({ root, name: "build" }));
 * assert.deepEqual(events.map((e) => e.event), ["acquire", "release"]);
 * ```
 */
export function readAudit(query: ReadAuditOptions = {}): AsyncIterable<AuditEvent> {
  query = optionsOf(query, "readAudit");
  const { events, limit } = query;
  if (
    events !== undefined && !(Array.isArray(events) && events.every((e) => typeof e === "string"))
  ) {
    throw new UsageError("readAudit(): option events must be an array of event names");
  }
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new UsageError("readAudit(): option limit must be a whole number, 0 or more");
  }
  const ctx = openContext(query);
  const now = Date.now();
  const q: AuditQuery = {
    sinceMs: query.since === undefined ? null : parseTimeBound(query.since, now, "since"),
    untilMs: query.until === undefined ? null : parseTimeBound(query.until, now, "until"),
    name: query.name === undefined ? null : validateName(query.name),
    owner: query.owner ?? null,
    events: events === undefined ? null : parseEventList(events.join(",")),
    limit: limit ?? null,
  };
  return ctx.store.readAudit(q);
}
