/**
 * The timeline of an audit trail (docs/contract.md §18): for each lock name (and each
 * reserved pattern) the holds as bars by owner, the waits, and marks for
 * breaks, losses, freezes and denials — folded from the event stream one
 * event at a time, with each row's bars merged into time buckets once they
 * pass a bound, so memory stays bounded whatever the trail's length.
 *
 * @module
 */

import { shown } from "../../model/safe_text.ts";
import type { AuditEvent } from "../../model/audit_event.ts";
import type { Timeline, TimelineBar, TimelineMark, TimelineRow } from "../../model/timeline.ts";

const BREAKS = new Set([
  "expire-break",
  "dead-break",
  "force-break",
  "corrupt-break",
  "reserve-break",
]);

/**
 * The events a timeline draws; the others (renewals above all, the most
 * frequent line of a long guard) are skipped by the reader before parsing.
 */
export const TIMELINE_EVENTS: readonly string[] = [
  "acquire",
  "release",
  "wait",
  "timeout",
  "lost",
  "freeze",
  "deny",
  "freeze-deny",
  "reserve",
  "unreserve",
  "reserve-deny",
  ...BREAKS,
];

/** The most rows drawn; the names after that share one last row (bounded memory, a readable picture). */
export const MAX_ROWS = 250;
/** The name of that shared row. */
export const OTHER_NAMES = "(other names)";
/** The most holds (and waits) a row keeps open at once; past it the oldest is closed. */
const MAX_OPEN = 64;
/** Marks of one kind closer than the window / this many (~16 px, wider than a mark) are drawn as one. */
const MARK_BUCKETS = 60;

/** A hold or wait not yet ended. */
interface OpenBar {
  start: number;
  owner: string;
  slot: unknown;
}

/** A row while the trail is folded. */
interface RowState {
  row: TimelineRow;
  holds: Map<string, OpenBar>;
  waits: Map<string, OpenBar>;
  marks: Map<string, TimelineMark>;
  /** Once the row passed its bound: its bars by time bucket and kind. */
  buckets: Map<number, Bucket> | null;
}

/** Bars merged: their span and count, and each owner's time in them. */
interface Bucket {
  bar: TimelineBar;
  time: Map<string, number>;
}

/**
 * Folds audit events into a timeline. Memory is bounded whatever the trail:
 * at most {@link MAX_ROWS} rows, {@link MAX_OPEN} open holds and waits per
 * row, bars merged into buckets past the cap, marks into time buckets.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { TimelineBuilder } from "./timeline.ts";
 * const b = new TimelineBuilder(0, 10_000);
 * const base = { name: "build", fence: 1, agent_id: "a", host: "h", pid: 1, ttl_ms: null, reason: null, detail: null };
 * b.add({ ...base, ts: new Date(1_000).toISOString(), event: "acquire", lock_id: "l1", owner: "alice" });
 * b.add({ ...base, ts: new Date(4_000).toISOString(), event: "release", lock_id: "l1", owner: "alice" });
 * const bar = b.finish().rows[0]?.bars[0];
 * assert(bar?.owner === "alice" && bar.end - bar.start === 3_000);
 * ```
 */
export class TimelineBuilder {
  #from: number;
  #to: number;
  #cap: number;
  #fit: boolean;
  #rows = new Map<string, RowState>();
  #held = new Map<string, number>();
  #events = 0;

  /**
   * Starts an empty timeline.
   *
   * @param from The window's start (ms).
   * @param to The window's end (ms).
   * @param options `cap`: the most bars a row keeps before it is merged into
   * buckets (default 240); `fit`: start the window just before its first
   * event rather than at `from` (a short run fills the picture).
   */
  constructor(from: number, to: number, options: { cap?: number; fit?: boolean } = {}) {
    this.#from = from;
    this.#to = Math.max(to, from + 1);
    this.#cap = options.cap ?? 240;
    this.#fit = options.fit ?? false;
  }

  /**
   * Folds one event.
   *
   * @param e The event.
   */
  add(e: AuditEvent): void {
    let at = Date.parse(e.ts);
    if (Number.isNaN(at) || at < this.#from || at > this.#to) return;
    if (this.#fit) {
      // The trail is in time order, so the first event in the window starts it
      // (with a margin); one a little out of order is drawn at the start.
      if (this.#events === 0) {
        this.#from = Math.max(this.#from, at - Math.max(2_000, (this.#to - at) * 0.03));
      }
      at = Math.max(at, this.#from);
    }
    this.#events++;
    const reservation = e.event === "reserve" || e.event === "unreserve" ||
      e.event === "reserve-break" || e.event === "reserve-deny";
    const state = this.#row(e.name, reservation ? "reservation" : "lock");
    const detail = e.detail ?? {};
    switch (e.event) {
      case "acquire":
      case "reserve":
        this.#end(state.waits, e.owner, state, at);
        if (e.lock_id) this.#hold(state, e.lock_id, at, e.owner, detail, reservation);
        return;
      case "wait":
        this.#end(state.waits, e.owner, state, at);
        this.#open(state, state.waits, e.owner, { start: at, owner: e.owner, slot: null });
        return;
      case "timeout":
        this.#end(state.waits, e.owner, state, at);
        return;
      case "release":
      case "unreserve":
        if (e.lock_id) this.#end(state.holds, e.lock_id, state, at, e.owner);
        return;
      case "lost":
        if (e.lock_id) this.#end(state.holds, e.lock_id, state, at, e.owner);
        this.#mark(state, at, "lost", `${shown(e.owner)} lost it`);
        return;
      case "freeze":
        this.#mark(
          state,
          at,
          "freeze",
          `frozen by ${shown(e.owner)}${e.reason ? ` (${shown(e.reason)})` : ""}`,
        );
        return;
      case "deny":
      case "freeze-deny":
      case "reserve-deny":
        this.#mark(state, at, "deny", `${shown(e.owner)} was refused`);
        return;
    }
    if (BREAKS.has(e.event)) {
      const previous = (e.lock_id ?? detail.previous_lock_id) as string | undefined;
      const owner = (detail.previous_owner as string | undefined) ?? "a corrupt record";
      if (previous) this.#end(state.holds, previous, state, at, owner);
      this.#mark(state, at, "break", `${e.event} by ${shown(e.owner)} of ${owner}`);
    }
  }

  /**
   * The timeline: holds and waits still open end at the window's end.
   *
   * @returns The timeline.
   */
  finish(): Timeline {
    const states = [...this.#rows.values()];
    for (const state of states) {
      for (const key of [...state.holds.keys()]) this.#end(state.holds, key, state, this.#to);
      for (const key of [...state.waits.keys()]) this.#end(state.waits, key, state, this.#to);
      state.row.bars = this.#barsOf(state);
      state.row.marks = [...state.marks.values()].sort((a, b) => a.at - b.at);
    }
    // By name, the shared row of the names past the bound last.
    const rows = states.map((s) => s.row).sort((a, b) =>
      Number(a.name === OTHER_NAMES) - Number(b.name === OTHER_NAMES) ||
      a.name.localeCompare(b.name)
    );
    const owners = [...this.#held.entries()].sort((a, b) => b[1] - a[1]).map(([o]) => o);
    return { from: this.#from, to: this.#to, rows, owners, events: this.#events };
  }

  #row(name: string, kind: "lock" | "reservation"): RowState {
    const key = `${kind}:${name}`;
    let state = this.#rows.get(key);
    if (state) return state;
    // The names past the bound share one row (its own key, so it is always made).
    if (this.#rows.size >= MAX_ROWS - 1 && name !== OTHER_NAMES) {
      return this.#row(OTHER_NAMES, "lock");
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
  #hold(
    state: RowState,
    id: string,
    at: number,
    owner: string,
    detail: Record<string, unknown>,
    reservation: boolean,
  ): void {
    if (state.holds.has(id)) return;
    const mode = detail.mode ?? "exclusive";
    for (const [key, open] of state.holds) {
      if (
        (!reservation && mode === "exclusive") || (mode === "slots" && open.slot === detail.slot)
      ) {
        this.#end(state.holds, key, state, at);
      }
    }
    this.#open(state, state.holds, id, { start: at, owner, slot: detail.slot ?? null });
  }

  #open(state: RowState, open: Map<string, OpenBar>, key: string, bar: OpenBar): void {
    if (open.size >= MAX_OPEN) {
      const oldest = open.keys().next().value as string;
      this.#end(open, oldest, state, bar.start);
    }
    open.set(key, bar);
  }

  /** Ends an open bar; a hold ended that began before the window starts at the window. */
  #end(open: Map<string, OpenBar>, key: string, state: RowState, at: number, owner?: string): void {
    const bar = open.get(key);
    const kind = open === state.holds ? "hold" : "wait";
    if (!bar) {
      if (owner && kind === "hold") {
        this.#push(state, { start: this.#from, end: at, owner, kind, count: 1 });
      }
      return;
    }
    open.delete(key);
    this.#push(state, { start: bar.start, end: at, owner: bar.owner, kind, count: 1 });
  }

  #push(state: RowState, bar: TimelineBar): void {
    if (bar.kind === "hold") {
      this.#held.set(bar.owner, (this.#held.get(bar.owner) ?? 0) + (bar.end - bar.start));
    }
    // Bounded memory: a row far over its cap is merged into buckets now, and
    // its later bars go straight into them.
    if (state.buckets) return this.#merge(state.buckets, bar);
    state.row.bars.push(bar);
    if (state.row.bars.length > this.#cap * 4) this.#bucket(state);
  }

  /** A mark, drawn with the others of its kind in the same time bucket. */
  #mark(state: RowState, at: number, kind: TimelineMark["kind"], label: string): void {
    const bucket = Math.floor(((at - this.#from) / (this.#to - this.#from)) * MARK_BUCKETS);
    const key = `${kind}:${bucket}`;
    const mark = state.marks.get(key);
    if (mark) mark.count++;
    else state.marks.set(key, { at, kind, label, count: 1 });
  }

  /** Moves a row's bars into buckets: at most `cap / 2` per kind over the window. */
  #bucket(state: RowState): void {
    state.buckets ??= new Map();
    for (const bar of state.row.bars) this.#merge(state.buckets, bar);
    state.row.bars = [];
  }

  #merge(buckets: Map<number, Bucket>, bar: TimelineBar): void {
    const width = (this.#to - this.#from) / Math.max(1, Math.floor(this.#cap / 2));
    const key = Math.floor((bar.start - this.#from) / width) * 2 + (bar.kind === "wait" ? 1 : 0);
    const time = (bar.end - bar.start) * bar.count;
    const bucket = buckets.get(key);
    if (!bucket) {
      buckets.set(key, { bar: { ...bar }, time: new Map([[bar.owner, time]]) });
      return;
    }
    bucket.bar.start = Math.min(bucket.bar.start, bar.start);
    bucket.bar.end = Math.max(bucket.bar.end, bar.end);
    bucket.bar.count += bar.count;
    bucket.time.set(bar.owner, (bucket.time.get(bar.owner) ?? 0) + time);
  }

  /** A row's bars by start, each bucket shown as one bar by the owner who held (or waited) longest in it. */
  #barsOf(state: RowState): TimelineBar[] {
    if (!state.buckets && state.row.bars.length > this.#cap) this.#bucket(state);
    const bars = state.buckets
      ? [...state.buckets.values()].map(({ bar, time }) => {
        let most = -1;
        for (const [owner, ms] of time) if (ms > most) [most, bar.owner] = [ms, owner];
        return bar;
      })
      : state.row.bars;
    return bars.sort((a, b) => a.start - b.start);
  }
}
