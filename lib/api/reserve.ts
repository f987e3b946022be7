/**
 * The library's path reservations (docs/contract.md §15): `reserve()` returns a
 * {@linkcode Reservation} handle (release it, or `await using`),
 * `checkPaths()` asks whether paths may be written now, `reservations()`
 * lists them. Reservations taken here end with this process, or with their
 * TTL (30 minutes unless `lokt.jsonc` `defaults.ttl` says otherwise),
 * whichever comes first.
 *
 * @module
 */

import { openContext } from "../core/context.ts";
import type { ContextOptions, EngineContext, OpenedContext } from "../core/context.ts";
import type { JudgedReservation } from "../core/reservations/reservation_index.ts";
import { inspectReservations } from "../core/reservations/reservation_index.ts";
import { checkWithLinkedNames } from "../core/reservations/linked_names.ts";
import { releaseReservations } from "../core/reservations/reservation_writes.ts";
import { reserveForRequest } from "../core/reservations/reserve_request.ts";
import { UsageError } from "../model/errors.ts";
import { MAX_PATTERNS, parseGlob } from "../model/path_glob.ts";
import type { ReservationRecord } from "../model/reservation.ts";
import type { Conflict } from "../model/reservation_errors.ts";
import { UnsearchedLinksError } from "../model/reservation_errors.ts";
import { pathArgument, realTop } from "../core/reservations/target_paths.ts";
import { optionsOf } from "./options.ts";

/** Options of {@linkcode reserve}. */
export interface ReserveOptions extends ContextOptions {
  /** Time to live (`"1h"` or ms). @default {"30m", or lokt.jsonc defaults.ttl} */
  ttl?: string | number;
  /** Read intent: conflicts only with exclusive reservations of others. @default {false} */
  shared?: boolean;
  /** Why, shown to others. */
  reason?: string;
  /** Wait while other owners' reservations are in the way. @default {false} */
  wait?: boolean;
  /** Give up waiting after this long (`"30s"` or ms); implies `wait`. @default {"10m", or lokt.jsonc} */
  timeout?: string | number;
  /** Aborts waiting. */
  signal?: AbortSignal;
}

/**
 * Held reservations. Release them with `release()` or `await using`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { reserve } from "./reserve.ts";
 * const root = Deno.makeTempDirSync();
 * await using held = await reserve(["src/auth"], { root, owner: "agent-1", reason: "refactor" });
 * assert(held.patterns[0] === "src/auth");
 * ```
 */
export class Reservation implements AsyncDisposable {
  #ctx: EngineContext;
  #records: ReservationRecord[];
  #released = false;

  /**
   * Wraps granted reservations. Use `reserve()` rather than this constructor.
   *
   * @param ctx The engine context that reserved them.
   * @param records The reservations.
   */
  constructor(ctx: EngineContext, records: ReservationRecord[]) {
    this.#ctx = ctx;
    this.#records = records;
  }

  /** The patterns, in normal form. */
  get patterns(): string[] {
    return this.#records.map((r) => r.patterns[0]);
  }

  /** The reservations as stored. */
  get records(): ReservationRecord[] {
    return [...this.#records];
  }

  /**
   * Releases the reservations (those still held by this owner). Idempotent.
   *
   * @returns How many were released.
   */
  async release(): Promise<number> {
    if (this.#released) return 0;
    this.#released = true;
    try {
      return (await releaseReservations(this.#ctx, this.patterns)).released.length;
    } catch (err) {
      if (err instanceof Error && err.name === "NotFoundError") return 0;
      throw err;
    }
  }

  /** Releases the reservations; used by `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.release();
  }
}

/**
 * Reserves paths for this owner, all patterns or none (docs/contract.md §15).
 *
 * @param patterns One pattern or up to 64, relative to the worktree's top directory.
 * @param options TTL, read intent, reason, waiting.
 * @returns The held reservations.
 * @throws {ReservationConflictError} When another owner's reservation is in the way.
 * @throws {UsageError} On a bad pattern or option.
 *
 * @example Usage
 * ```ts
 * import { reserve } from "./reserve.ts";
 * const root = Deno.makeTempDirSync();
 * const held = await reserve("docs/**", { root, owner: "agent-1", shared: true });
 * await held.release();
 * ```
 */
export async function reserve(
  patterns: string | string[],
  options: ReserveOptions = {},
): Promise<Reservation> {
  options = optionsOf(options, "reserve");
  const ctx = openContext({ ...options, write: true, takes: true });
  const normal = normalized(patterns, ctx, "pattern");
  normal.forEach(parseGlob);
  const result = await reserveForRequest(ctx, normal, {
    ttl: options.ttl,
    wait: options.wait,
    timeout: options.timeout,
    reason: options.reason,
    mode: options.shared ? "shared" : "exclusive",
    // They end with this process, or with their TTL.
    liveness: "process",
    labels: { ttl: "ttl", timeout: "timeout", reason: "reason", slots: "slots", shared: "shared" },
  }, options.signal);
  return new Reservation(ctx, result.reservations);
}

/** The answer of {@linkcode checkPaths}. */
export interface CheckResult {
  /** Whether every path may be written (or, `shared`, read-intended) now. */
  allowed: boolean;
  /** Each other owner's reservation in the way, with the path it overlaps. */
  conflicts: Conflict[];
  /** Why the reservations index could not be read (then nothing is in the way), or `null`. */
  corruption: string | null;
}

/**
 * Whether literal paths (each covering its subtree, unless it is an existing
 * file) may be written now: read-only, as `lokt check`.
 *
 * @param paths One path or several, relative to the worktree's top directory (or absolute inside it).
 * @param options `shared` for read intent; the root and owner.
 * @returns The answer; a conflict found through another name (a hard link) of a path has `sameFileAs`.
 * @throws {UnsearchedLinksError} When a path has other names and a reservation holds too many files to look for them.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { checkPaths } from "./reserve.ts";
 * const answer = await checkPaths(["src/auth/login.ts"], { root: Deno.makeTempDirSync() });
 * assert(answer.allowed);
 * ```
 */
export async function checkPaths(
  paths: string | string[],
  options: ContextOptions & { shared?: boolean } = {},
): Promise<CheckResult> {
  options = optionsOf(options, "checkPaths");
  const ctx = openContext(options);
  const normal = normalized(paths, ctx, "path");
  const base = realTop(ctx.rootInfo);
  const { conflicts, state, linked } = await checkWithLinkedNames(
    ctx,
    base,
    normal,
    options.shared ?? false,
  );
  if (linked.unsearched !== null) throw new UnsearchedLinksError(linked.unsearched);
  return { allowed: conflicts.length === 0, conflicts, corruption: state.corruption };
}

/**
 * Every path reservation, judged now (live, expired or dead; `mine`).
 *
 * @param options The root and owner.
 * @returns The reservations.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { reservations } from "./reserve.ts";
 * assert((await reservations({ root: Deno.makeTempDirSync() })).length === 0);
 * ```
 */
export async function reservations(options: ContextOptions = {}): Promise<JudgedReservation[]> {
  return (await inspectReservations(openContext(optionsOf(options, "reservations")))).reservations;
}

function normalized(values: string | string[], ctx: OpenedContext, label: "pattern" | "path") {
  const list = typeof values === "string" ? [values] : values;
  // From JavaScript anything may come: a clear UsageError, not a TypeError from inside.
  if (!Array.isArray(list) || list.some((v) => typeof v !== "string")) {
    throw new UsageError(`give the ${label}s as a string or an array of strings`);
  }
  if (list.length === 0 || list.length > MAX_PATTERNS) {
    throw new UsageError(`give 1 to ${MAX_PATTERNS} ${label}s (got ${list.length})`);
  }
  // Relative to the cwd (`:/` for the top), through links: the CLI's rule (target_paths.ts).
  return [...new Set(list.map((p) => pathArgument(p, ctx.cwd, ctx.rootInfo, label)))];
}
