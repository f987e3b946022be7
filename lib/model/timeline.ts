/**
 * The timeline of an audit trail as data (rows of holds, waits and marks),
 * built by `core/audit/timeline.ts` and drawn by the CLI's SVG and the
 * dashboard.
 *
 * @module
 */

/** One bar: a hold (or, aggregated, several) or a wait. */
export interface TimelineBar {
  /** Start (ms since the epoch). */
  start: number;
  /** End (ms). */
  end: number;
  /** The owner (of the longest hold, when aggregated). */
  owner: string;
  /** `hold` or `wait`. */
  kind: "hold" | "wait";
  /** How many holds or waits it stands for (1 unless aggregated). */
  count: number;
  /**
   * How a hold's bar ends, when not by an event: `held` — still held at the
   * window's end; `expired` — at its TTL, with nothing closing it.
   */
  state?: "held" | "expired";
  /** When the hold really began, when that was before the window. */
  since?: number;
  /** Why a hold still held needs a person (expired, dead or orphaned holder), if it does. */
  stuck?: string;
}

/** A hold in the store now: the timeline draws it even when no event of the window names it. */
export interface CurrentHold {
  /** `lock` or `reservation`. */
  kind: "lock" | "reservation";
  /** The lock name, or the reserved pattern. */
  name: string;
  /** The hold's id (`lock_id` of its events). */
  lockId: string;
  /** Its owner. */
  owner: string;
  /** When it was taken (ms). */
  acquiredAt: number;
  /** When it expired, if it has (ms): its bar ends there, marked, though its record is still there. */
  expiredAt: number | null;
  /** Why it needs a person (expired and not cleaned, holder dead, orphaned), or `null`. */
  stuck: string | null;
}

/** One mark: something that happened at an instant (or, aggregated, several close together). */
export interface TimelineMark {
  /** When (ms; the first of them, when aggregated). */
  at: number;
  /** What. */
  kind: "break" | "lost" | "freeze" | "deny" | "expired";
  /** Who did it, and to whom, in words (the first of them, when aggregated). */
  label: string;
  /** How many marks it stands for (1 unless aggregated). */
  count: number;
}

/** One row of the timeline. */
export interface TimelineRow {
  /** The lock name, or the reserved pattern. */
  name: string;
  /** `lock` or `reservation`. */
  kind: "lock" | "reservation";
  /** Holds and waits, by start. */
  bars: TimelineBar[];
  /** Marks, by time. */
  marks: TimelineMark[];
}

/** What needs a person now, at the top of the picture. */
export interface TimelineSummary {
  /** Holds that need a person: expired and not cleaned, holder dead, orphaned. */
  stuck: {
    name: string;
    kind: "lock" | "reservation";
    owner: string;
    since: number;
    why: string;
  }[];
  /** The longest waits of the window, longest first (at most 3). */
  waits: { name: string; owner: string; ms: number }[];
  /** The most contended names of the window: refusals and waits (at most 3). */
  contended: { name: string; refusals: number; waits: number }[];
}

/** The folded timeline. */
export interface Timeline {
  /** The window's start (ms). */
  from: number;
  /** The window's end (ms). */
  to: number;
  /** The rows, by name. */
  rows: TimelineRow[];
  /** Owners, most time held first. */
  owners: string[];
  /** How many events were folded. */
  events: number;
  /** What needs a person now. */
  summary: TimelineSummary;
}
