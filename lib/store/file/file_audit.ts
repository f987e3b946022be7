/**
 * The file store's audit trail as the storage interface reads it: the
 * rotated file then the current one, streamed, and — when following — the new
 * lines from exactly where the history read stopped (across rotations).
 *
 * @module
 */

import type { AuditEvent } from "../../model/audit_event.ts";
import type { AuditQuery } from "../../model/audit_query.ts";
import { auditGenerationPaths, auditPath } from "../layout.ts";
import type { AuditReadOptions } from "../lock_store.ts";
import { followAudit, followStart } from "./audit_follow.ts";
import { readAuditFiles } from "./audit_reader.ts";

/**
 * The audit events under a root that match a query, then, with `follow`, the new ones.
 *
 * @param root The lokt root.
 * @param query The filters and limit.
 * @param options Statistics, following, and the end of the history.
 * @returns The events, oldest first.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { fileAuditEvents } from "./file_audit.ts";
 * const root = Deno.makeTempDirSync();
 * const line = '{"ts":"2026-01-01T00:00:00.000Z","event":"acquire","name":"b","owner":"a"}';
 * Deno.writeTextFileSync(`${root}/audit.jsonl`, `${line}\n`);
 * const events = await Array.fromAsync(fileAuditEvents(root, { name: "b" }));
 * assert.equal(events.length, 1);
 * ```
 */
export async function* fileAuditEvents(
  root: string,
  query: AuditQuery,
  options: AuditReadOptions = {},
): AsyncGenerator<AuditEvent> {
  const path = auditPath(root);
  const start = options.follow ? await followStart(path) : null;
  const ends = start ? { [path]: start.offset } : {};
  // Every kept generation, oldest first, then the trail itself.
  yield* readAuditFiles([...auditGenerationPaths(root), path], query, options.stats, ends);
  options.onHistoryEnd?.();
  if (options.follow) {
    yield* followAudit(path, query, options.follow, {
      start,
      pollMs: 100,
      generations: () => auditGenerationPaths(root),
    });
  }
}
