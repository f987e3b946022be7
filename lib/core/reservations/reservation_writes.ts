/**
 * The writes of path reservations (docs/contract.md §15): reserve (all patterns or none,
 * renewing one's own) and release (one's own, or another owner's as
 * break-glass). Each reads and judges the index (`reservations.ts`),
 * decides, and compare-and-replaces exactly what it judged; the stale
 * reservations it finds are dropped in the same write, audited once.
 *
 * @module
 */

import type { AuditEvent } from "../../model/audit_event.ts";
import { makeEvent } from "../../model/audit_event.ts";
import { MAX_CAS_ROUNDS } from "../../model/defaults.ts";
import { ContentionError, LoktError } from "../../model/errors.ts";
import { compilePath, compilePattern } from "../../model/compiled_pattern.ts";
import { isoTime } from "../../model/iso_time.ts";
import { NotFoundError } from "../../model/lock_errors.ts";
import type { ReservationRecord, ReservationSpec } from "../../model/reservation.ts";
import { encodeReservationIndex, newReservation } from "../../model/reservation.ts";
import type { Conflict } from "../../model/reservation_errors.ts";
import { ReservationConflictError } from "../../model/reservation_errors.ts";
import { RESERVATION_INDEX } from "../../store/lock_store.ts";
import type { EngineContext } from "../context.ts";
import type { JudgedReservation, ReservationsState } from "./reservation_index.ts";
import { conflictsOf, inspectReservations } from "./reservation_index.ts";

/** What a reserve call did. */
export interface ReserveResult {
  /** The reservations now held for the patterns asked (new or renewed), in order. */
  reservations: ReservationRecord[];
  /** The ids among them that were renewed (held before). */
  renewed: string[];
}

/**
 * Reserves patterns for the acting owner, all or none. A pattern the owner
 * already reserves is renewed (same id; its mode may change, subject to
 * conflicts).
 *
 * @param ctx The engine context.
 * @param patterns Patterns in normal form (1–64).
 * @param spec Mode, TTL, reason, liveness.
 * @param options `quietDeny`: no `reserve-deny` event (a waiter's retries).
 * @returns What was reserved.
 * @throws {ReservationConflictError} When a pattern overlaps another owner's reservation.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { reservePatterns } from "./reservation_writes.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync(), owner: "a" });
 * const spec = { mode: "exclusive", ttlMs: 60_000, reason: null, liveness: "ttl" } as const;
 * const { reservations } = await reservePatterns(ctx, ["src/auth"], spec);
 * assert(reservations[0]?.patterns[0] === "src/auth");
 * ```
 */
export async function reservePatterns(
  ctx: EngineContext,
  patterns: string[],
  spec: ReservationSpec,
  options: { quietDeny?: boolean } = {},
): Promise<ReserveResult> {
  const wanted = [...new Set(patterns)];
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const state = await inspectReservations(ctx);
    refuseYoungCorruption(state);
    const asked = wanted.map((p) => (spec.exact ? compilePath(p, false) : compilePattern(p)));
    const conflicts = conflictsOf(state, asked, spec.mode);
    if (conflicts.length > 0) {
      if (!options.quietDeny) {
        await ctx.store.appendAudit([denyEvent(ctx, wanted, spec, conflicts)]);
      }
      throw new ReservationConflictError(conflicts);
    }
    const now = ctx.now();
    const kept = state.reservations.filter((j) => j.status === "live");
    const held = new Map(
      kept.filter((j) => j.mine).map((j) => [j.reservation.patterns[0], j.reservation]),
    );
    const result: ReserveResult = { reservations: [], renewed: [] };
    const audit = staleEvents(ctx, state, now);
    const next = kept.map((j) => j.reservation);
    for (const pattern of wanted) {
      const before = held.get(pattern);
      const r = before
        ? renewed(before, spec, ctx.identity.machineId, now)
        : newReservation(pattern, ctx.identity, spec, now);
      if (before) {
        next[next.indexOf(before)] = r;
        result.renewed.push(r.id);
      } else next.push(r);
      result.reservations.push(r);
      audit.push(reservationEvent(ctx, "reserve", r, now, { renewed: before !== undefined }));
    }
    if (await writeIndex(ctx, state, next, audit)) return result;
  }
  throw new ContentionError("reserve", "reservations");
}

function renewed(
  before: ReservationRecord,
  spec: ReservationSpec,
  machineId: string,
  now: number,
): ReservationRecord {
  return {
    ...before,
    ...(spec.exact ? { exact: true } : {}),
    mode: spec.mode,
    liveness: spec.liveness,
    // A stated pid is numbered where the spec says, else where the renewing process runs.
    machine_id: spec.pid === undefined ? before.machine_id : spec.machineId ?? machineId,
    pid: spec.pid ?? before.pid,
    pid_start: spec.pid === undefined ? before.pid_start : spec.pidStart ?? null,
    reason: spec.reason ?? before.reason,
    renewed_at: isoTime(now),
    ttl_ms: spec.ttlMs,
    expires_at: isoTime(now + spec.ttlMs),
  };
}

/** What a release removed. */
export interface ReleaseResult {
  /** The reservations released. */
  released: ReservationRecord[];
  /** Patterns asked for that the owner did not hold. */
  notHeld: string[];
}

/**
 * Releases the acting owner's reservations of `patterns` (compared in normal
 * form), or all of them with `patterns: "all"`; or, as break-glass, every
 * reservation of another owner (`force`).
 *
 * @param ctx The engine context.
 * @param patterns Patterns in normal form, or `"all"`.
 * @param options `owner` and `force`: break another owner's reservations.
 * @returns What was released.
 * @throws {NotFoundError} When none of them was held.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { releaseReservations, reservePatterns } from "./reservation_writes.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync(), owner: "a" });
 * await reservePatterns(ctx, ["docs"], { mode: "shared", ttlMs: 60_000, reason: null, liveness: "ttl" });
 * assert((await releaseReservations(ctx, "all")).released.length === 1);
 * ```
 */
export async function releaseReservations(
  ctx: EngineContext,
  patterns: string[] | "all",
  options: { owner?: string; force?: boolean } = {},
): Promise<ReleaseResult> {
  const owner = options.owner ?? ctx.identity.owner;
  const forced = owner !== ctx.identity.owner;
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const state = await inspectReservations(ctx);
    refuseYoungCorruption(state);
    const now = ctx.now();
    const theirs = state.reservations.filter((j) => j.reservation.owner === owner);
    const targets = theirs.filter((j) =>
      patterns === "all" || patterns.includes(j.reservation.patterns[0])
    );
    if (targets.length === 0) {
      const what = patterns === "all" ? "any path" : patterns.map((p) => `"${p}"`).join(", ");
      throw new NotFoundError("reservation", forced ? `${what} of ${owner}` : what);
    }
    const gone = new Set(targets);
    const audit = staleEvents(ctx, state, now, gone);
    for (const j of targets) {
      audit.push(
        forced
          ? reservationEvent(ctx, "reserve-break", j.reservation, now, {
            forced: true,
            ...previous(j),
          })
          : reservationEvent(ctx, "unreserve", j.reservation, now, null),
      );
    }
    const next = state.reservations
      .filter((j) => !gone.has(j) && j.status === "live")
      .map((j) => j.reservation);
    if (await writeIndex(ctx, state, next, audit)) {
      const released = targets.map((j) => j.reservation);
      const notHeld = patterns === "all"
        ? []
        : patterns.filter((p) => !released.some((r) => r.patterns[0] === p));
      return { released, notHeld };
    }
  }
  throw new ContentionError("release", "reservations");
}

/** A corrupt index that may be mid-write by a foreign tool is left alone for a moment. */
function refuseYoungCorruption(state: ReservationsState): void {
  if (state.corruption !== null && state.graceLeftMs > 0) {
    throw new LoktError(
      `the reservations index is corrupt (${state.corruption}) and may be mid-write; it is replaced in ${
        Math.ceil(state.graceLeftMs / 1000)
      }s: retry then`,
    );
  }
}

/** The break events of the stale reservations a write drops (and of a corrupt index it replaces). */
function staleEvents(
  ctx: EngineContext,
  state: ReservationsState,
  now: number,
  except: Set<JudgedReservation> = new Set(),
): AuditEvent[] {
  const events = state.reservations
    .filter((j) => j.status !== "live" && !except.has(j))
    .map((j) => reservationEvent(ctx, "reserve-break", j.reservation, now, previous(j)));
  if (state.corruption !== null) {
    events.push(
      makeEvent("reserve-break", "reservations", ctx.identity, {
        detail: { corrupt: state.corruption },
      }, now),
    );
  }
  return events;
}

function previous(j: JudgedReservation): Record<string, unknown> {
  return {
    why: j.status,
    previous_owner: j.reservation.owner,
    previous_agent_id: j.reservation.agent_id,
    previous_pid: j.reservation.pid,
    expired_ms_ago: -j.expiresInMs,
  };
}

/** One event about one reservation: named by its pattern, its id in `lock_id`. */
function reservationEvent(
  ctx: EngineContext,
  kind: "reserve" | "unreserve" | "reserve-break",
  r: ReservationRecord,
  now: number,
  detail: Record<string, unknown> | null,
): AuditEvent {
  return makeEvent(kind, r.patterns[0], ctx.identity, {
    lock_id: r.id,
    ttl_ms: r.ttl_ms,
    reason: r.reason,
    detail: { patterns: r.patterns, mode: r.mode, ...detail },
  }, now);
}

function denyEvent(
  ctx: EngineContext,
  patterns: string[],
  spec: ReservationSpec,
  conflicts: Conflict[],
): AuditEvent {
  return makeEvent("reserve-deny", patterns[0] as string, ctx.identity, {
    ttl_ms: spec.ttlMs,
    reason: spec.reason,
    detail: {
      patterns,
      mode: spec.mode,
      conflicts: conflicts.map((c) => ({
        pattern: c.pattern,
        reserved: c.reservation.patterns[0],
        owner: c.reservation.owner,
        id: c.reservation.id,
      })),
    },
  }, ctx.now());
}

/** Writes the index judged in `state` anew (removed when empty), compared against what was judged. */
function writeIndex(
  ctx: EngineContext,
  state: ReservationsState,
  next: ReservationRecord[],
  audit: AuditEvent[],
): Promise<boolean> {
  const produced = { content: encodeReservationIndex(next), audit };
  if (state.entry === null) {
    if (next.length === 0) return ctx.store.appendAudit(audit).then(() => true);
    return ctx.store.createIfAbsent("reservations", RESERVATION_INDEX, () => produced, {
      freshFence: false,
    });
  }
  if (next.length === 0) {
    return ctx.store.compareAndRemove("reservations", RESERVATION_INDEX, state.entry.token, audit);
  }
  return ctx.store.compareAndReplace(
    "reservations",
    RESERVATION_INDEX,
    state.entry.token,
    () => produced,
    { freshFence: false },
  );
}
