/**
 * The library's inspection and operator functions: `status`, `why`,
 * `freeze`, `unfreeze` and `readAudit`.
 *
 * @module
 */

import type { AuditEvent } from "../model/audit_event.ts";
import type { AuditQuery } from "../store/audit_reader.ts";
import { parseEventList, parseTimeBound, readAuditFiles } from "../store/audit_reader.ts";
import { openContext } from "../core/context.ts";
import type { ContextOptions } from "../core/context.ts";
import { parseTtl } from "../model/duration.ts";
import { UsageError } from "../model/errors.ts";
import { liftFreeze, setFreeze } from "../core/freeze_ops.ts";
import type { FreezeRecord } from "../model/freeze_record.ts";
import { validateName } from "../model/name.ts";
import { collectStatus } from "../core/status_report.ts";
import type { StatusReport } from "../core/status_report.ts";
import { explain } from "../core/why_report.ts";
import type { WhyReport } from "../core/why_report.ts";

/**
 * Reads the state of every lock and freeze, or of one name. Read-only.
 *
 * @param options `name` to look at one lock; root/owner/cwd overrides.
 * @returns Locks and freezes with liveness verdicts.
 *
 * @example Usage
 * ```ts ignore
 * import { status } from "jsr:@lokt/cli";
 * for (const lock of (await status()).locks) console.log(lock.name, lock.status, lock.record?.owner);
 * ```
 */
export async function status(
  options: ContextOptions & { name?: string } = {},
): Promise<StatusReport> {
  const name = options.name === undefined ? null : validateName(options.name);
  return await collectStatus(openContext(options), name);
}

/**
 * Explains whether `name` could be acquired now, every reason it could not,
 * and the commands that clear each. Read-only.
 *
 * @param name The lock name.
 * @param options Root/owner/cwd overrides.
 * @returns The report (`canAcquire`, `reasons`).
 *
 * @example Usage
 * ```ts ignore
 * import { why } from "jsr:@lokt/cli";
 * const report = await why("build");
 * if (!report.canAcquire) console.log(report.reasons.map((r) => r.message).join("\n"));
 * ```
 */
export async function why(name: string, options: ContextOptions = {}): Promise<WhyReport> {
  return await explain(openContext(options), validateName(name));
}

/**
 * Freezes a name: every new acquisition is refused until the TTL ends or
 * `unfreeze`. The owner may freeze again to extend.
 *
 * @param name The name.
 * @param ttl How long (`"30m"` or ms, at least 1 s).
 * @param options `reason`, root/owner/cwd overrides.
 * @returns The freeze record.
 * @throws {FrozenError} When another owner's freeze is active.
 *
 * @example Usage
 * ```ts ignore
 * import { freeze } from "jsr:@lokt/cli";
 * await freeze("deploy", "1h", { reason: "incident 42" });
 * ```
 */
export async function freeze(
  name: string,
  ttl: string | number,
  options: ContextOptions & { reason?: string } = {},
): Promise<FreezeRecord> {
  validateName(name);
  const ttlMs = typeof ttl === "number" ? ttl : parseTtl(ttl);
  if (!Number.isFinite(ttlMs) || ttlMs < 1000) {
    throw new UsageError("A freeze needs a TTL of at least 1s");
  }
  return (await setFreeze(openContext(options), name, ttlMs, options.reason ?? null)).record;
}

/**
 * Lifts a freeze: your own, or anyone's with `force`.
 *
 * @param name The name.
 * @param options `force`, root/owner/cwd overrides.
 * @returns The lifted freeze (`null` when its file was corrupt).
 * @throws {NotFoundError} When the name is not frozen.
 * @throws {NotOwnerError} When someone else froze it and `force` is not set.
 *
 * @example Usage
 * ```ts ignore
 * import { unfreeze } from "jsr:@lokt/cli";
 * await unfreeze("deploy");
 * ```
 */
export async function unfreeze(
  name: string,
  options: ContextOptions & { force?: boolean } = {},
): Promise<FreezeRecord | null> {
  validateName(name);
  return (await liftFreeze(openContext(options), name, options.force === true)).record;
}

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
 */
export function readAudit(query: ReadAuditOptions = {}): AsyncIterable<AuditEvent> {
  const ctx = openContext(query);
  const now = Date.now();
  const q: AuditQuery = {
    sinceMs: query.since === undefined ? null : parseTimeBound(query.since, now, "since"),
    untilMs: query.until === undefined ? null : parseTimeBound(query.until, now, "until"),
    name: query.name === undefined ? null : validateName(query.name),
    owner: query.owner ?? null,
    events: query.events === undefined ? null : parseEventList(query.events.join(",")),
    limit: query.limit ?? null,
  };
  const path = ctx.store.auditPath;
  return readAuditFiles([`${path}.1`, path], q);
}
