/**
 * The results of an acquisition and of a release, as text and JSON: shared by
 * `lock`, `unlock` and the CLI's fast path, so both paths print the same.
 *
 * @module
 */

import { formatDuration } from "../model/duration_format.ts";
import type { AcquireResult } from "../core/locks/engine.ts";
import type { LockRecord } from "../model/lock_record.ts";
import type { CommandResult } from "./output.ts";

/**
 * The result of `lokt lock`.
 *
 * @param result What the acquisition did.
 * @param warning A warning for stderr (a guessed owner), or `null`.
 * @param slots The slot count of a semaphore, else `null`.
 * @returns The command result.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { acquiredResult } from "./acquire_release_results.ts";
 * import { tryAcquire } from "../core/locks/engine.ts";
 * import { openContext } from "../core/context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync() });
 * const result = acquiredResult(await tryAcquire(ctx, "build", { ttlMs: 300_000, liveness: "ttl" }));
 * assert(result.text === 'acquired "build" (fence 1, expires in 5m)');
 * ```
 */
export function acquiredResult(
  result: AcquireResult,
  warning: string | null = null,
  slots: number | null = null,
): CommandResult {
  const r = result.record;
  // A semaphore hold says which slot it got; a reader says it is one.
  const how = r.mode === "slots"
    ? ` slot ${r.slot} of ${slots ?? "N"}`
    : r.mode === "shared"
    ? " shared"
    : "";
  const expiry = r.ttl_ms === null
    ? `held while pid ${r.pid} lives`
    : `expires in ${formatDuration(r.ttl_ms)}`;
  const broke = result.broke
    ? ` (took over from ${
      result.broke.previous?.owner ?? "a corrupt record"
    }: ${result.broke.event})`
    : "";
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "lock",
      outcome: result.outcome,
      mode: r.mode,
      slots: r.mode === "slots" ? slots : null,
      slot: r.slot,
      lock: r,
      broke: result.broke ? { event: result.broke.event, previous: result.broke.previous } : null,
    },
    text: result.outcome === "nested"
      ? `ran nested: "${r.name}"${how} is held by the guard this command runs under (fence ${r.fence}); nothing acquired, and it stays that guard's`
      : `${result.outcome} "${r.name}"${how} (fence ${r.fence}, ${expiry})${broke}`,
    ...(warning === null ? {} : { warning }),
  };
}

/**
 * The result of `lokt unlock <name>` releasing one's own lock.
 *
 * @param record The released record.
 * @returns The command result.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { releasedResult } from "./acquire_release_results.ts";
 * import { releaseLock, tryAcquire } from "../core/locks/engine.ts";
 * import { openContext } from "../core/context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync() });
 * await tryAcquire(ctx, "build", { ttlMs: 300_000, liveness: "ttl" });
 * assert(releasedResult(await releaseLock(ctx, "build")).text === 'released "build" (fence 1)');
 * ```
 */
export function releasedResult(record: LockRecord): CommandResult {
  return {
    exitCode: 0,
    json: { ok: true, command: "unlock", action: "release", released: [record], broken: [] },
    text: `released "${record.name}"${
      record.slot === null ? "" : ` slot ${record.slot}`
    } (fence ${record.fence})`,
  };
}
