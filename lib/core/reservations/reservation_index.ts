/**
 * Path reservations (docs/contract.md §15): reading and judging the one reservations
 * index of the {@linkcode LockStore}, conflicts, and `check`; the writes
 * (reserve, release) are in `reservation_writes.ts`. Every write reads the
 * index, judges it, decides, and compare-and-replaces exactly what it judged,
 * so a call's patterns are granted all or none against every live
 * reservation of other owners, race-free across processes. Expired (and
 * dead) reservations are ignored at once and removed, audited once, by the
 * next writer.
 *
 * @module
 */

import { CORRUPT_GRACE_MS, SKEW_MS } from "../../model/defaults.ts";
import type { CompiledPattern } from "../../model/compiled_pattern.ts";
import { compiledOverlap, compilePath, compilePattern } from "../../model/compiled_pattern.ts";
import type { ReservationMode, ReservationRecord } from "../../model/reservation.ts";
import { parseReservationIndex, reservationLines } from "../../model/reservation.ts";
import type { Conflict } from "../../model/reservation_errors.ts";
import type { Entry } from "../../store/lock_store.ts";
import { RESERVATION_INDEX } from "../../store/lock_store.ts";
import { probeProcess } from "../../sys/liveness.ts";
import { probeHolder } from "../../sys/pid_namespace.ts";
import type { EngineContext } from "../context.ts";

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
 * import assert from "node:assert";
 * import { inspectReservations } from "./reservation_index.ts";
 * import { openContext } from "../context.ts";
 * const state = await inspectReservations(openContext({ root: Deno.makeTempDirSync() }));
 * assert(state.reservations.length === 0 && state.corruption === null);
 * ```
 */
export async function inspectReservations(ctx: EngineContext): Promise<ReservationsState> {
  const { state, records } = await readIndex(ctx);
  const now = ctx.now();
  state.reservations = judgeAll(records, state.entry as Entry, ctx, now);
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

function judgeAll(
  records: ReservationRecord[],
  entry: Entry,
  ctx: EngineContext,
  now: number,
): JudgedReservation[] {
  // One probe per holder process: a session's reservations all name its harness,
  // and a thousand of them must not read /proc (or throw) a thousand times.
  const dead = new Map<string, boolean>();
  const holderDead = (r: ReservationRecord) => {
    const key = `${r.machine_id} ${r.pid} ${r.pid_start}`;
    let answer = dead.get(key);
    if (answer === undefined) {
      const { machineId } = ctx.identity;
      answer = probeHolder(r.machine_id, machineId, r.pid, r.pid_start, probeProcess) === "dead";
      dead.set(key, answer);
    }
    return answer;
  };
  return records.map((r) => judgeReservation(r, entry, now, ctx.identity.owner, holderDead));
}

function judgeReservation(
  r: ReservationRecord,
  entry: Entry,
  now: number,
  me: string,
  holderDead: (r: ReservationRecord) => boolean,
): JudgedReservation {
  // A writer whose clock runs ahead is judged by the index's file time (§5).
  const expiry = Date.parse(r.renewed_at) > now + SKEW_MS
    ? entry.mtimeMs + r.ttl_ms
    : Date.parse(r.expires_at);
  const dead = r.liveness === "process" && holderDead(r);
  return {
    reservation: r,
    status: dead ? "dead" : now > expiry + SKEW_MS ? "expired" : "live",
    mine: r.owner === me,
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
 * import assert from "node:assert";
 * import { conflictsOf, inspectReservations } from "./reservation_index.ts";
 * import { compilePath } from "../../model/compiled_pattern.ts";
 * import { openContext } from "../context.ts";
 * const state = await inspectReservations(openContext({ root: Deno.makeTempDirSync() }));
 * assert(conflictsOf(state, [compilePath("src/a.ts")], "exclusive").length === 0);
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
 * import assert from "node:assert";
 * import { checkLiteralPaths } from "./reservation_index.ts";
 * import { openContext } from "../context.ts";
 * const { conflicts } = await checkLiteralPaths(openContext({ root: Deno.makeTempDirSync() }), ["src"], false);
 * assert(conflicts.length === 0);
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
  state.reservations = judgeAll(candidates, state.entry as Entry, ctx, now);
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
 * import assert from "node:assert";
 * import { compileReservation } from "./reservation_index.ts";
 * import { newReservation } from "../../model/reservation.ts";
 * const holder = { owner: "a", agentId: "a", host: "h", machineId: "m", pid: 1, pidStart: null };
 * const r = newReservation("app/[id].ts", holder, { mode: "exclusive", ttlMs: 1_000, reason: null, liveness: "ttl", exact: true }, 0);
 * assert(compileReservation(r).literal);
 * ```
 */
export function compileReservation(r: ReservationRecord): CompiledPattern {
  return r.exact ? compilePath(r.patterns[0], false) : compilePattern(r.patterns[0]);
}
