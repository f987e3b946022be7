/**
 * The rows of a timeline while the trail is folded (`timeline.ts` reads the
 * events): each row's open holds and waits, its bars — merged into time
 * buckets past a bound — and its marks; and how a hold that nothing closed
 * ends (still held, expired, or at the window's end).
 *
 * @module
 */

import { shown } from "../../model/safe_text.ts";
import type { CurrentHold, TimelineBar, TimelineMark, TimelineRow } from "../../model/timeline.ts";
import type { Bucket } from "./timeline_buckets.ts";
import { bucketBars, mergeBar } from "./timeline_buckets.ts";

/** The most rows drawn; the names after that share one last row (bounded memory, a readable picture). */
export const MAX_ROWS = 250;
/** The name of that shared row. */
export const OTHER_NAMES = "(other names)";
/** The most holds (and waits) a row keeps open at once; past it the oldest is closed. */
export const MAX_OPEN = 64;
/** Marks of one kind closer than the window / this many (~16 px, wider than a mark) are drawn as one. */
const MARK_BUCKETS = 60;

/** A hold or wait not yet ended. */
export interface OpenBar {
  /** When it began in the window (ms). */
  start: number;
  /** Whose it is. */
  owner: string;
  /** A semaphore hold's slot, else `null`. */
  slot: unknown;
  /** When a hold expires unless renewed (ms), or `null` without a TTL. */
  expires?: number | null;
  /** When the hold really began, if before the window. */
  since?: number;
}

/** A row while the trail is folded. */
export interface RowState {
  /** The row being built. */
  row: TimelineRow;
  /** Holds not yet ended, by `lock_id`. */
  holds: Map<string, OpenBar>;
  /** Waits not yet ended, by owner. */
  waits: Map<string, OpenBar>;
  /** Marks, merged by kind and time bucket. */
  marks: Map<string, TimelineMark>;
  /** Once the row passed its bound: its bars by time bucket and kind. */
  buckets: Map<number, Bucket> | null;
}

/** The window a timeline covers (its start may move while the first events arrive). */
export interface TimelineWindow {
  /** Start (ms). */
  from: number;
  /** End (ms). */
  to: number;
}

/**
 * A timeline's rows while the trail is folded.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { TimelineRows } from "./timeline_rows.ts";
 * const rows = new TimelineRows({ from: 0, to: 100 }, 240);
 * const row = rows.row("build", "lock");
 * rows.hold(row, "l1", 10, "alice", {}, false, 50);
 * rows.close(row, "l1", row.holds.get("l1")!, undefined);
 * assert.equal(rows.barsOf(row)[0]?.state, "expired");
 * ```
 */
export class TimelineRows {
  #window: TimelineWindow;
  #cap: number;
  #rows = new Map<string, RowState>();
  #held = new Map<string, number>();

  /**
   * Starts with no row.
   *
   * @param window The window (shared with the reader, which may move its start).
   * @param cap The most bars a row keeps before it is merged into buckets.
   */
  constructor(window: TimelineWindow, cap: number) {
    this.#window = window;
    this.#cap = cap;
  }

  /** Every row's state, in the order made. */
  get states(): RowState[] {
    return [...this.#rows.values()];
  }

  /** Owners, most time held first. */
  get owners(): string[] {
    return [...this.#held.entries()].sort((a, b) => b[1] - a[1]).map(([o]) => o);
  }

  /** A hold held now that the window did not open: drawn from its start (or the window's). */
  openCurrent(hold: CurrentHold): void {
    if (hold.acquiredAt > this.#window.to) return;
    const state = this.row(hold.name, hold.kind);
    if (state.holds.has(hold.lockId)) return;
    const start = Math.max(this.#window.from, hold.acquiredAt);
    const since = hold.acquiredAt < this.#window.from ? hold.acquiredAt : undefined;
    this.open(state, state.holds, hold.lockId, { start, owner: hold.owner, slot: null, since });
  }

  /** Ends a hold nothing closed: still held, expired (marked), or at the window's end. */
  close(state: RowState, key: string, bar: OpenBar, now: CurrentHold | undefined): void {
    state.holds.delete(key);
    const base = { start: bar.start, owner: bar.owner, kind: "hold" as const, count: 1 };
    const since = bar.since === undefined ? {} : { since: bar.since };
    // Expired: by the store's record now, or by the TTL its events gave (no record left).
    const expired = now ? now.expiredAt : bar.expires ?? null;
    if (expired !== null && expired < this.#window.to) {
      const end = Math.max(bar.start, expired);
      const stuck = now?.stuck ? { stuck: now.stuck } : {};
      this.push(state, { ...base, end, state: "expired", ...since, ...stuck });
      this.mark(state, end, "expired", `${shown(bar.owner)}'s hold expired, nothing released it`);
    } else if (now) {
      const stuck = now.stuck ? { stuck: now.stuck } : {};
      this.push(state, { ...base, end: this.#window.to, state: "held", ...since, ...stuck });
    } else {
      this.push(state, { ...base, end: this.#window.to, ...since });
    }
  }

  /** The row of a name (past the bound, the shared one). */
  row(name: string, kind: "lock" | "reservation"): RowState {
    const key = `${kind}:${name}`;
    let state = this.#rows.get(key);
    if (state) return state;
    // The names past the bound share one row (its own key, so it is always made).
    if (this.#rows.size >= MAX_ROWS - 1 && name !== OTHER_NAMES) {
      return this.row(OTHER_NAMES, "lock");
    }
    state = {
      row: { name, kind, bars: [], marks: [] },
      holds: new Map(),
      waits: new Map(),
      marks: new Map(),
      buckets: null,
    };
    this.#rows.set(key, state);
    return state;
  }

  /**
   * A hold begins. A renewed reservation (the same id) goes on; a new hold of
   * an exclusive name ends whatever hold the trail still shows open there (it
   * cannot still have been held), a semaphore slot the hold of that slot.
   */
  hold(
    state: RowState,
    id: string,
    at: number,
    owner: string,
    detail: Record<string, unknown>,
    reservation: boolean,
    expires: number | null,
  ): void {
    const renewed = state.holds.get(id);
    if (renewed) {
      renewed.expires = expires;
      return;
    }
    const mode = detail.mode ?? "exclusive";
    for (const [key, open] of state.holds) {
      if (
        (!reservation && mode === "exclusive") || (mode === "slots" && open.slot === detail.slot)
      ) {
        this.end(state.holds, key, state, at);
      }
    }
    this.open(state, state.holds, id, { start: at, owner, slot: detail.slot ?? null, expires });
  }

  /** Opens a bar (past the bound, the oldest open one ends). */
  open(state: RowState, open: Map<string, OpenBar>, key: string, bar: OpenBar): void {
    if (open.size >= MAX_OPEN) {
      const oldest = open.keys().next().value as string;
      this.end(open, oldest, state, bar.start);
    }
    open.set(key, bar);
  }

  /** Ends an open bar; a hold ended that began before the window starts at the window. */
  end(open: Map<string, OpenBar>, key: string, state: RowState, at: number, owner?: string): void {
    const bar = open.get(key);
    const kind = open === state.holds ? "hold" : "wait";
    if (!bar) {
      if (owner && kind === "hold") {
        this.push(state, { start: this.#window.from, end: at, owner, kind, count: 1 });
      }
      return;
    }
    open.delete(key);
    this.push(state, { start: bar.start, end: at, owner: bar.owner, kind, count: 1 });
  }

  /** Adds an ended bar. */
  push(state: RowState, bar: TimelineBar): void {
    if (bar.kind === "hold") {
      this.#held.set(bar.owner, (this.#held.get(bar.owner) ?? 0) + (bar.end - bar.start));
    }
    // Bounded memory: a row far over its cap is merged into buckets now, and
    // its later bars go straight into them.
    if (state.buckets) {
      return mergeBar(state.buckets, bar, this.#window.from, this.#window.to, this.#cap);
    }
    state.row.bars.push(bar);
    if (state.row.bars.length > this.#cap * 4) this.bucket(state);
  }

  /** A mark, drawn with the others of its kind in the same time bucket. */
  mark(state: RowState, at: number, kind: TimelineMark["kind"], label: string): void {
    const bucket = Math.floor(
      ((at - this.#window.from) / (this.#window.to - this.#window.from)) * MARK_BUCKETS,
    );
    const key = `${kind}:${bucket}`;
    const mark = state.marks.get(key);
    if (mark) mark.count++;
    else state.marks.set(key, { at, kind, label, count: 1 });
  }

  /** Moves a row's bars into buckets: at most `cap / 2` per kind over the window. */
  /** Merges a row's bars into buckets. */
  bucket(state: RowState): void {
    state.buckets ??= new Map();
    for (const bar of state.row.bars) {
      mergeBar(state.buckets, bar, this.#window.from, this.#window.to, this.#cap);
    }
    state.row.bars = [];
  }

  /** A row's bars by start, each bucket shown as one bar by the owner who held (or waited) longest in it. */
  barsOf(state: RowState): TimelineBar[] {
    if (!state.buckets && state.row.bars.length > this.#cap) this.bucket(state);
    const bars = state.buckets ? bucketBars(state.buckets) : state.row.bars;
    return bars.sort((a, b) => a.start - b.start);
  }
}
