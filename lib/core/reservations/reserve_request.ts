/**
 * One reservation request, from what an entry point was asked to the write:
 * settle it against `lokt.jsonc` (reservations always expire; a lock's
 * per-name policy never applies), say how the reservations live, then wait or
 * reserve now. `lokt reserve` and the library's `reserve()` both go through
 * here.
 *
 * @module
 */

import type { LivenessMode } from "../../model/lock_record.ts";
import type { ReservationMode, ReservationSpec } from "../../model/reservation.ts";
import type { OpenedContext } from "../context.ts";
import type { RequestLabels, ReserveRequest } from "../policy.ts";
import { reserveSettings } from "../policy.ts";
import { reserveWaiting } from "./reservation_wait.ts";
import type { ReserveResult } from "./reservation_writes.ts";
import { reservePatterns } from "./reservation_writes.ts";

/** What an entry point asks for. */
export interface ReservationRequest extends ReserveRequest {
  /** Write intent (`exclusive`) or read intent (`shared`). */
  mode: ReservationMode;
  /**
   * `ttl` for reservations kept by their TTL alone (`lokt reserve`);
   * `process` for those that also end with a process (`--pid`, the library's own).
   */
  liveness: LivenessMode;
  /** The process they end with (default: the reserving one). */
  pid?: number | null;
  /** That process's start marker. */
  pidStart?: string | null;
  /** How the request's fields are named in errors. */
  labels?: RequestLabels;
}

/**
 * Reserves the patterns for a request: settles it, then waits while other
 * owners' reservations are in the way, or tries once.
 *
 * @param ctx The opened context (its config and store).
 * @param patterns The patterns, in normal form.
 * @param request What was asked.
 * @param signal Aborts waiting.
 * @returns The reservations now held, and which were renewed.
 * @throws {UsageError} On a bad or zero TTL, timeout or reason.
 * @throws {ReservationConflictError} When another owner's reservation overlaps (and not waiting).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { reserveForRequest } from "./reserve_request.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync(), owner: "agent-1" });
 * const done = await reserveForRequest(ctx, ["src/auth"], { mode: "exclusive", liveness: "ttl", ttl: "1h" });
 * assert.equal(done.reservations[0]?.ttl_ms, 3_600_000);
 * ```
 */
export async function reserveForRequest(
  ctx: OpenedContext,
  patterns: string[],
  request: ReservationRequest,
  signal?: AbortSignal,
): Promise<ReserveResult> {
  const settings = reserveSettings(request, ctx.config, request.labels);
  // Reservations of a registered session live with its harness too: a crashed harness strands none.
  const session = request.liveness === "ttl" && request.pid == null
    ? ctx.identity.sessionProcess ?? null
    : null;
  const spec: ReservationSpec = {
    mode: request.mode,
    ttlMs: settings.ttlMs,
    reason: settings.reason,
    liveness: session ? "process" : request.liveness,
    ...(request.pid != null ? { pid: request.pid, pidStart: request.pidStart ?? null } : {}),
    ...(session ? { pid: session.pid, pidStart: session.start, machineId: session.machineId } : {}),
  };
  return settings.wait
    ? await reserveWaiting(ctx, patterns, spec, { timeoutMs: settings.timeoutMs, signal })
    : await reservePatterns(ctx, patterns, spec);
}
