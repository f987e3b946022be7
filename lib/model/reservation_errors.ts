/**
 * The refusal of a reservation (docs/contract.md §15): the patterns asked for overlap
 * reservations of other owners. It lists each conflict — the pattern asked
 * for, the reservation in the way, its owner, reason and expiry — and names
 * the safe next steps (wait, ask the owner); never `--force` (exit 2).
 *
 * @module
 */

import { shown } from "./safe_text.ts";
import { expiryText } from "./duration_format.ts";
import { ExitCode, LoktError } from "./errors.ts";
import type { ReservationRecord } from "./reservation.ts";

/** One conflict: a pattern (or path) asked for and a reservation of another owner it overlaps. */
export interface Conflict {
  /** The pattern asked for (for `check`, the path). */
  pattern: string;
  /** The reservation in the way. */
  reservation: ReservationRecord;
  /** How long until it expires, in ms. */
  expiresInMs: number;
  /** The path asked about, when `pattern` is another name (a hard link) of that file. */
  sameFileAs?: string;
}

/**
 * One conflict in words.
 *
 * @param conflict The conflict.
 * @returns E.g. `"src/**" (exclusive) by agent-1 — refactor — expires in 12m, overlaps "src/auth"`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { describeConflict } from "./reservation_errors.ts";
 * import { newReservation } from "./reservation.ts";
 * const holder = { owner: "a1", agentId: "a", host: "h", machineId: "m", pid: 1, pidStart: null };
 * const reservation = newReservation("src/**", holder, { mode: "exclusive", ttlMs: 60_000, reason: null, liveness: "ttl" }, 0);
 * assert(describeConflict({ pattern: "src/a", reservation, expiresInMs: 60_000 }).includes("by a1"));
 * ```
 */
export function describeConflict(conflict: Conflict): string {
  const r = conflict.reservation;
  return `"${r.patterns[0]}" (${r.mode}) by ${shown(r.owner)}${
    r.reason ? ` — ${shown(r.reason)}` : ""
  } — ${expiryText(conflict.expiresInMs)}, overlaps "${conflict.pattern}"${
    conflict.sameFileAs === undefined
      ? ""
      : ` (the same file as ${shown(conflict.sameFileAs)}: a hard link)`
  }`;
}

/**
 * Why a path with other names (hard links) cannot be judged: a reservation
 * of another owner holds too many files to look for them. Said by the hooks,
 * the git pre-commit hook and {@linkcode UnsearchedLinksError}.
 *
 * @param pattern The reservation's pattern whose files were too many to search.
 * @returns The reason, to follow "cannot tell whether … is reserved".
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { unsearchedLinksWhy } from "./reservation_errors.ts";
 * assert(unsearchedLinksWhy("src/**").includes("hard links"));
 * ```
 */
export function unsearchedLinksWhy(pattern: string): string {
  return `it has other names (hard links), and "${
    shown(pattern)
  }", reserved by another owner, holds too many files to look for them`;
}

/**
 * Patterns overlap reservations of other owners (exit 2); nothing was reserved.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ReservationConflictError } from "./reservation_errors.ts";
 * const err = new ReservationConflictError([]);
 * assert(err.exitCode === 2);
 * ```
 */
export class ReservationConflictError extends LoktError {
  /** Every conflict found. */
  readonly conflicts: Conflict[];

  /**
   * Creates the error.
   *
   * @param conflicts Every conflict found.
   */
  constructor(conflicts: Conflict[]) {
    const listed = conflicts.slice(0, 5).map(describeConflict).join("; ");
    const more = conflicts.length > 5 ? `; and ${conflicts.length - 5} more` : "";
    super(
      `cannot reserve: ${conflicts.length} conflicting reservation(s): ${listed}${more}; nothing was reserved — wait with --wait, ask the owner, or work elsewhere meanwhile`,
      ExitCode.Held,
    );
    this.name = "ReservationConflictError";
    this.conflicts = conflicts;
  }
}

/**
 * Whether a path is reserved cannot be told: it has other names (hard
 * links), and a reservation of another owner holds too many files to look
 * for them (exit 1). lokt does not call such a path free.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { UnsearchedLinksError } from "./reservation_errors.ts";
 * const err = new UnsearchedLinksError("**\/*.ts");
 * assert(err.exitCode === 1 && err.message.includes("hard link"));
 * ```
 */
export class UnsearchedLinksError extends LoktError {
  /** The reservation's pattern whose files were too many to search. */
  readonly pattern: string;

  /**
   * Creates the error.
   *
   * @param pattern The reservation's pattern whose files were too many to search.
   */
  constructor(pattern: string) {
    super(
      `cannot tell whether another name (a hard link) of a path is reserved: ${
        unsearchedLinksWhy(pattern)
      }; edit a file with one name, or ask a person`,
      ExitCode.Error,
    );
    this.name = "UnsearchedLinksError";
    this.pattern = pattern;
  }
}
