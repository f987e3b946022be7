/**
 * Where the audit trail is read from: the files under the root, or the
 * Redis stream (SPEC §17) — one entry point for `lokt audit` and the
 * library's `readAudit()`.
 *
 * @module
 */

import type { AuditEvent } from "../../model/audit_event.ts";
import type { AuditQuery } from "../../model/audit_query.ts";
import type { AuditReadStats } from "../../store/file/audit_reader.ts";
import { readAuditFiles } from "../../store/file/audit_reader.ts";
import type { DeferredStore } from "../../store/deferred_store.ts";
import { auditPath } from "../../store/layout.ts";
import { readAuditStream } from "../../store/redis/redis_audit.ts";
import type { RedisStore } from "../../store/redis/redis_store.ts";
import type { OpenedContext } from "../context.ts";

/**
 * The Redis store of a context on the Redis backend, or `null` on the file store.
 *
 * @param ctx The context.
 * @returns The store.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { redisStoreOf } from "./audit_source.ts";
 * import { openContext } from "../context.ts";
 * assert(await redisStoreOf(openContext({ root: Deno.makeTempDirSync() })) === null);
 * ```
 */
export async function redisStoreOf(ctx: OpenedContext): Promise<RedisStore | null> {
  if (ctx.backend.kind !== "redis") return null;
  return await (ctx.store as DeferredStore).store() as unknown as RedisStore;
}

/**
 * The audit events that match a query, oldest first (with `limit`, the newest that many).
 *
 * @param ctx The context (its backend decides where the trail is).
 * @param query Filters and limit.
 * @param stats Counts lines read and malformed ones (file trail).
 * @param ends Where each file ends for this read (`audit --follow` continues from there).
 * @returns The events.
 *
 * @example Usage
 * ```ts
 * import { auditEventsOf } from "./audit_source.ts";
 * import { openContext } from "../context.ts";
 * for await (const e of auditEventsOf(openContext({ root: Deno.makeTempDirSync() }), { limit: 5 })) console.log(e);
 * ```
 */
export async function* auditEventsOf(
  ctx: OpenedContext,
  query: AuditQuery & { limit?: number | null },
  stats?: AuditReadStats,
  ends: Record<string, number> = {},
): AsyncIterable<AuditEvent> {
  const redis = await redisStoreOf(ctx);
  if (redis) {
    const { events } = await readAuditStream(await redis.client(), redis.auditKey, query);
    yield* events;
    return;
  }
  const root = ctx.rootInfo.root;
  yield* readAuditFiles([auditPath(root, true), auditPath(root)], query, stats, ends);
}
