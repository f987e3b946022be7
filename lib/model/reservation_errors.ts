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
  } — ${expiryText(conflict.expiresInMs)}, overlaps "${conflict.pattern}"`;
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
