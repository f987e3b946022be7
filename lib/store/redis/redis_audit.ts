/**
 * The audit trail on Redis (docs/contract.md §17): a stream, read with the same filters
 * as the file trail (`eventMatcher`), the newest `limit` kept in a ring, and
 * followed with blocking reads (the server wakes the reader; no polling).
 *
 * @module
 */

import type { AuditEvent } from "../../model/audit_event.ts";
import type { AuditQuery } from "../../model/audit_query.ts";
import { eventMatcher } from "../../model/audit_query.ts";
import type { AuditReadOptions } from "../lock_store.ts";
import type { RedisClient, Reply } from "./redis_client.ts";

type StreamEntry = [string, string[]];

/**
 * The events of the stream that match a query, oldest first; with a
 * `limit`, the newest that many.
 *
 * @param client A connection.
 * @param key The stream's key.
 * @param query Filters and limit.
 * @returns The events, and the id of the last entry read (where following starts).
 *
 * @example Usage
 * ```ts ignore
 * import { readAuditStream } from "./redis_audit.ts";
 * const { events } = await readAuditStream(client, "lokt:{ns}:audit", { limit: 10 });
 * ```
 */
export async function readAuditStream(
  client: RedisClient,
  key: string,
  query: AuditQuery & { limit?: number | null },
): Promise<{ events: AuditEvent[]; lastId: string }> {
  const match = eventMatcher(query);
  const limit = query.limit ?? null;
  const events: AuditEvent[] = [];
  // Stream ids are the server's milliseconds: time bounds become id bounds.
  let from = query.sinceMs != null ? String(query.sinceMs) : "-";
  const to = query.untilMs != null ? String(query.untilMs) : "+";
  let lastId = "0-0";
  for (;;) {
    const batch = await client.command("XRANGE", key, from, to, "COUNT", 1000) as StreamEntry[];
    for (const [id, fields] of batch) {
      lastId = id;
      const event = match(fields[1] ?? "");
      if (event === null || event === "malformed") continue;
      events.push(event);
      if (limit !== null && events.length > limit) events.shift();
    }
    if (batch.length < 1000) break;
    from = `(${lastId}`;
  }
  if (to === "+" && lastId === "0-0") {
    const last = await client.command("XREVRANGE", key, "+", "-", "COUNT", 1) as StreamEntry[];
    lastId = last[0]?.[0] ?? "0-0";
  }
  return { events: limit === 0 ? [] : events, lastId };
}

/**
 * Follows the stream after `lastId`: yields matching events as they are
 * added, until `signal` aborts.
 *
 * @param client A connection of its own (it blocks).
 * @param key The stream's key.
 * @param query Filters.
 * @param lastId Where to start (exclusive).
 * @param signal Stops following.
 * @returns The events.
 *
 * @example Usage
 * ```ts ignore
 * import { followAuditStream } from "./redis_audit.ts";
 * for await (const e of followAuditStream(client, key, {}, "0-0", signal)) console.log(e);
 * ```
 */
export async function* followAuditStream(
  client: RedisClient,
  key: string,
  query: AuditQuery,
  lastId: string,
  signal: AbortSignal,
): AsyncIterable<AuditEvent> {
  const match = eventMatcher(query);
  let from = lastId;
  while (!signal.aborted) {
    const reply: Reply = await client.command("XREAD", "BLOCK", 500, "STREAMS", key, from);
    if (!Array.isArray(reply)) continue;
    const entries = (reply[0] as [string, StreamEntry[]])[1];
    for (const [id, fields] of entries) {
      from = id;
      const event = match(fields[1] ?? "");
      if (event !== null && event !== "malformed") yield event;
    }
  }
}

/** What {@linkcode redisAuditEvents} needs of the store. */
export interface AuditStreamSource {
  /** The shared connection. */
  client(): Promise<RedisClient>;
  /** A connection of its own, for blocking reads; closed by the caller. */
  connectAnother(): Promise<RedisClient>;
  /** The stream's key. */
  auditKey: string;
}

/**
 * The stream's events that match, then, with `follow`, the new ones (read
 * by blocking reads on a connection of their own, from the last one read).
 *
 * @param source The store's connections and stream key.
 * @param query The filters and limit.
 * @param options Following, and the end of the history.
 * @returns The events, oldest first.
 *
 * @example Usage
 * ```ts ignore
 * import { redisAuditEvents } from "./redis_audit.ts";
 * for await (const e of redisAuditEvents(store, { name: "build" })) console.log(e.event);
 * ```
 */
export async function* redisAuditEvents(
  source: AuditStreamSource,
  query: AuditQuery,
  options: AuditReadOptions = {},
): AsyncGenerator<AuditEvent> {
  const { events, lastId } = await readAuditStream(await source.client(), source.auditKey, query);
  yield* events;
  options.onHistoryEnd?.();
  if (!options.follow) return;
  const reader = await source.connectAnother();
  try {
    yield* followAuditStream(reader, source.auditKey, query, lastId, options.follow);
  } finally {
    reader.close();
  }
}
