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
}

/** One mark: something that happened at an instant (or, aggregated, several close together). */
export interface TimelineMark {
  /** When (ms; the first of them, when aggregated). */
  at: number;
  /** What. */
  kind: "break" | "lost" | "freeze" | "deny";
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
}
