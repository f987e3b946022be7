/**
 * Path reservations (SPEC §15): reserve, release, check and list, on the
 * one reservations index of the {@linkcode LockStore}. Every write reads the
 * index, judges it, decides, and compare-and-replaces exactly what it judged,
 * so a call's patterns are granted all or none against every live
 * reservation of other owners, race-free across processes. Expired (and
 * dead) reservations are ignored at once and removed, audited once, by the
 * next writer.
 *
 * @module
 */

import type { AuditEvent } from "../model/audit_event.ts";
import { makeEvent } from "../model/audit_event.ts";
import { CORRUPT_GRACE_MS, MAX_CAS_ROUNDS, SKEW_MS } from "../model/defaults.ts";
import { ContentionError, LoktError } from "../model/errors.ts";
import type { CompiledPattern } from "../model/glob_overlap.ts";
import { compiledOverlap, compilePath, compilePattern } from "../model/glob_overlap.ts";
import { NotFoundError } from "../model/lock_errors.ts";
import type { ReservationMode, ReservationRecord, ReservationSpec } from "../model/reservation.ts";
import {
  encodeReservationIndex,
  newReservation,
  parseReservationIndex,
  reservationLines,
} from "../model/reservation.ts";
import type { Conflict } from "../model/reservation_errors.ts";
import { ReservationConflictError } from "../model/reservation_errors.ts";
import { isoTime } from "../model/iso_time.ts";
import type { Entry } from "../store/lock_store.ts";
import { RESERVATION_INDEX } from "../store/lock_store.ts";
import { probeProcess } from "../sys/liveness.ts";
import type { EngineContext } from "./context.ts";

/** One reservation as judged now. */
export interface JudgedReservation {
  /** The stored reservation. */
  reservation: ReservationRecord;
  /** `live`, `expired`, or `dead` (tied to a process that is gone). */
  status: "live" | "expired" | "dead";
  /** Whether the acting owner holds it. */
  mine: boolean;
  /** Time until expiry (negative when past), in ms. */
  expiresInMs: number;
}

/** The judged index. */
export interface ReservationsState {
  /** The stored entry, or `null`. */
  entry: Entry | null;
  /** Every readable reservation, judged. */
  reservations: JudgedReservation[];
  /** Why the index is corrupt, or `null`. */
  corruption: string | null;
  /** For a corrupt index: ms until a writer may replace it (0 = now). */
  graceLeftMs: number;
}

/**
 * Reads and judges the reservations index (read-only).
 *
 * @param ctx The engine context.
 * @returns The judged index.
 *
 * @example Usage
 * ```ts
 * import { inspectReservations } from "./reservations.ts";
 * import { openContext } from "./context.ts";
 * const state = await inspectReservations(openContext({ root: Deno.makeTempDirSync() }));
 * console.assert(state.reservations.length === 0 && state.corruption === null);
 * ```
 */
export async function inspectReservations(ctx: EngineContext): Promise<ReservationsState> {
  const { state, records } = await readIndex(ctx);
  const now = ctx.now();
  state.reservations = records.map((r) => judgeReservation(r, state.entry as Entry, ctx, now));
  return state;
}

/**
 * Reads the index: its records, unjudged, or why it is corrupt. With
 * `wanted`, only the records whose pattern it keeps may be returned (read
 * line by line; the whole index is parsed when its layout is not ours).
 */
async function readIndex(
  ctx: EngineContext,
  wanted?: (pattern: string) => boolean,
): Promise<{ state: ReservationsState; records: ReservationRecord[] }> {
  const entry = await ctx.store.read("reservations", RESERVATION_INDEX);
  const state: ReservationsState = { entry, reservations: [], corruption: null, graceLeftMs: 0 };
  if (!entry) return { state, records: [] };
  const some = wanted && entry.raw !== null ? reservationLines(entry.raw, wanted) : null;
  if (some) return { state, records: some };
  const index = entry.raw === null ? null : parseReservationIndex(entry.raw);
  if (!index) {
    state.corruption = entry.problem ?? "not a valid reservations index";
    state.graceLeftMs = Math.max(0, entry.mtimeMs + CORRUPT_GRACE_MS - ctx.now());
    return { state, records: [] };
  }
  return { state, records: index.reservations };
}

function judgeReservation(
  r: ReservationRecord,
  entry: Entry,
  ctx: EngineContext,
  now: number,
): JudgedReservation {
  // A writer whose clock runs ahead is judged by the index's file time (§5).
  const expiry = Date.parse(r.renewed_at) > now + SKEW_MS
    ? entry.mtimeMs + r.ttl_ms
    : Date.parse(r.expires_at);
  const dead = r.liveness === "process" && r.machine_id === ctx.identity.machineId &&
    probeProcess(r.pid, r.pid_start) === "dead";
  return {
    reservation: r,
    status: dead ? "dead" : now > expiry + SKEW_MS ? "expired" : "live",
    mine: r.owner === ctx.identity.owner,
    expiresInMs: expiry - now,
  };
}

/**
 * The live reservations of other owners that a set of patterns (or literal
 * paths) would conflict with: exclusive intent conflicts with any overlapping
 * reservation, shared intent only with exclusive ones.
 *
 * @param state The judged index.
 * @param asked The patterns or paths, compiled.
 * @param mode The intent asked for.
 * @returns Every conflict, in the order asked.
 *
 * @example Usage
 * ```ts
 * import { conflictsOf, inspectReservations } from "./reservations.ts";
 * import { compilePath } from "../model/glob_overlap.ts";
 * import { openContext } from "./context.ts";
 * const state = await inspectReservations(openContext({ root: Deno.makeTempDirSync() }));
 * console.assert(conflictsOf(state, [compilePath("src/a.ts")], "exclusive").length === 0);
 * ```
 */
export function conflictsOf(
  state: ReservationsState,
  asked: CompiledPattern[],
  mode: ReservationMode,
): Conflict[] {
  const others = state.reservations.filter((j) =>
    j.status === "live" && !j.mine && (mode === "exclusive" || j.reservation.mode === "exclusive")
  );
  const compiled = others.map((j) => compileReservation(j.reservation));
  const conflicts: Conflict[] = [];
  for (const a of asked) {
    others.forEach((j, k) => {
      if (compiledOverlap(a, compiled[k] as CompiledPattern)) {
        conflicts.push({
          pattern: a.source,
          reservation: j.reservation,
          expiresInMs: j.expiresInMs,
        });
      }
    });
  }
  return conflicts;
}

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
 * import { reservePatterns } from "./reservations.ts";
 * import { openContext } from "./context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync(), owner: "a" });
 * const spec = { mode: "exclusive", ttlMs: 60_000, reason: null, liveness: "ttl" } as const;
 * const { reservations } = await reservePatterns(ctx, ["src/auth"], spec);
 * console.assert(reservations[0]?.patterns[0] === "src/auth");
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
        ? renewed(before, spec, now)
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

function renewed(before: ReservationRecord, spec: ReservationSpec, now: number): ReservationRecord {
  return {
    ...before,
    ...(spec.exact ? { exact: true } : {}),
    mode: spec.mode,
    liveness: spec.liveness,
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
 * import { releaseReservations, reservePatterns } from "./reservations.ts";
 * import { openContext } from "./context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync(), owner: "a" });
 * await reservePatterns(ctx, ["docs"], { mode: "shared", ttlMs: 60_000, reason: null, liveness: "ttl" });
 * console.assert((await releaseReservations(ctx, "all")).released.length === 1);
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

/**
 * Which other owners' live reservations overlap literal paths (read-only):
 * what a write (or, `shared`, a read intent) of those paths would conflict with.
 *
 * @param ctx The engine context.
 * @param paths Literal paths in normal form; each covers its subtree.
 * @param shared Check read intent (only exclusive reservations conflict).
 * @param isFile Whether a path is an existing file (which covers no subtree). @default {none is}
 * @returns The conflicts, and the state read (judging only the reservations in the way).
 *
 * @example Usage
 * ```ts
 * import { checkLiteralPaths } from "./reservations.ts";
 * import { openContext } from "./context.ts";
 * const { conflicts } = await checkLiteralPaths(openContext({ root: Deno.makeTempDirSync() }), ["src"], false);
 * console.assert(conflicts.length === 0);
 * ```
 */
export async function checkLiteralPaths(
  ctx: EngineContext,
  paths: string[],
  shared: boolean,
  isFile: (path: string) => boolean = () => false,
): Promise<{ conflicts: Conflict[]; state: ReservationsState }> {
  // A file has nothing below it: `**/*.md` reserved elsewhere is not in the way of `src/a.ts`.
  const asked = paths.map((p) => compilePath(p, !isFile(p)));
  const overlapping = (pattern: string) =>
    asked.some((a) => compiledOverlap(a, compilePattern(pattern)));
  // The same judgement and overlap decision as conflictsOf(), in the cheapest
  // order for many reservations: overlap first (reading only the lines of
  // the index whose pattern overlaps), then owner and mode, then liveness.
  const { state, records } = await readIndex(ctx, overlapping);
  const now = ctx.now();
  const me = ctx.identity.owner;
  const candidates = records.filter((r) =>
    r.owner !== me && (!shared || r.mode === "exclusive") &&
    asked.some((a) => compiledOverlap(a, compileReservation(r)))
  );
  state.reservations = candidates.map((r) => judgeReservation(r, state.entry as Entry, ctx, now));
  const conflicts = conflictsOf(state, asked, shared ? "shared" : "exclusive");
  return { conflicts, state };
}

/**
 * A reservation's pattern, compiled: an `exact` one is the literal path of a
 * file, covering nothing below it.
 *
 * @param r The reservation.
 * @returns The compiled pattern.
 *
 * @example Usage
 * ```ts
 * import { compileReservation } from "./reservations.ts";
 * import { newReservation } from "../model/reservation.ts";
 * const holder = { owner: "a", agentId: "a", host: "h", machineId: "m", pid: 1, pidStart: null };
 * const r = newReservation("app/[id].ts", holder, { mode: "exclusive", ttlMs: 1_000, reason: null, liveness: "ttl", exact: true }, 0);
 * console.assert(compileReservation(r).literal);
 * ```
 */
export function compileReservation(r: ReservationRecord): CompiledPattern {
  return r.exact ? compilePath(r.patterns[0], false) : compilePattern(r.patterns[0]);
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
