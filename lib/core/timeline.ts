/**
 * The timeline of an audit trail (SPEC §18): for each lock name (and each
 * reserved pattern) the holds as bars by owner, the waits, and marks for
 * breaks, losses, freezes and denials — folded from the event stream one
 * event at a time, with each row's bars merged into time buckets once they
 * pass a bound, so memory stays bounded whatever the trail's length.
 *
 * @module
 */

import type { AuditEvent } from "../model/audit_event.ts";

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

/** One mark: something that happened at an instant. */
export interface TimelineMark {
  /** When (ms). */
  at: number;
  /** What. */
  kind: "break" | "lost" | "freeze" | "deny";
  /** Who did it, and to whom, in words. */
  label: string;
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

const BREAKS = new Set([
  "expire-break",
  "dead-break",
  "force-break",
  "corrupt-break",
  "reserve-break",
]);

/**
 * Folds audit events into a timeline.
 *
 * @example Usage
 * ```ts
 * import { TimelineBuilder } from "./timeline.ts";
 * const b = new TimelineBuilder(0, 10_000);
 * const base = { name: "build", fence: 1, agent_id: "a", host: "h", pid: 1, ttl_ms: null, reason: null, detail: null };
 * b.add({ ...base, ts: new Date(1_000).toISOString(), event: "acquire", lock_id: "l1", owner: "alice" });
 * b.add({ ...base, ts: new Date(4_000).toISOString(), event: "release", lock_id: "l1", owner: "alice" });
 * const bar = b.finish().rows[0]?.bars[0];
 * console.assert(bar?.owner === "alice" && bar.end - bar.start === 3_000);
 * ```
 */
export class TimelineBuilder {
  #from: number;
  #to: number;
  #cap: number;
  #rows = new Map<string, TimelineRow>();
  #open = new Map<
    string,
    { row: TimelineRow; start: number; owner: string; kind: "hold" | "wait" }
  >();
  #held = new Map<string, number>();
  #events = 0;

  /**
   * Starts an empty timeline.
   *
   * @param from The window's start (ms).
   * @param to The window's end (ms).
   * @param cap The most bars a row keeps before it is merged into buckets. @default {400}
   */
  constructor(from: number, to: number, cap = 400) {
    this.#from = from;
    this.#to = Math.max(to, from + 1);
    this.#cap = cap;
  }

  /**
   * Folds one event.
   *
   * @param e The event.
   */
  add(e: AuditEvent): void {
    const at = Date.parse(e.ts);
    if (Number.isNaN(at) || at < this.#from || at > this.#to) return;
    this.#events++;
    const reservation = e.event === "reserve" || e.event === "unreserve" ||
      e.event === "reserve-break" || e.event === "reserve-deny";
    const row = this.#row(e.name, reservation ? "reservation" : "lock");
    const detail = e.detail ?? {};
    switch (e.event) {
      case "acquire":
      case "reserve":
        this.#close(`${e.name}|wait|${e.owner}`, at);
        if (e.lock_id) this.#begin(`${e.name}|hold|${e.lock_id}`, row, at, e.owner, "hold");
        return;
      case "wait":
        this.#begin(`${e.name}|wait|${e.owner}`, row, at, e.owner, "wait");
        return;
      case "timeout":
        this.#close(`${e.name}|wait|${e.owner}`, at);
        return;
      case "release":
      case "unreserve":
        if (e.lock_id) this.#close(`${e.name}|hold|${e.lock_id}`, at, e.owner);
        return;
      case "lost":
        if (e.lock_id) this.#close(`${e.name}|hold|${e.lock_id}`, at, e.owner);
        this.#mark(row, { at, kind: "lost", label: `${e.owner} lost it` });
        return;
      case "freeze":
        this.#mark(row, {
          at,
          kind: "freeze",
          label: `frozen by ${e.owner}${e.reason ? ` (${e.reason})` : ""}`,
        });
        return;
      case "deny":
      case "freeze-deny":
      case "reserve-deny":
        this.#mark(row, { at, kind: "deny", label: `${e.owner} was refused` });
        return;
    }
    if (BREAKS.has(e.event)) {
      const previous = (e.lock_id ?? detail.previous_lock_id) as string | undefined;
      const owner = (detail.previous_owner as string | undefined) ?? "a corrupt record";
      if (previous) this.#close(`${e.name}|hold|${previous}`, at, owner);
      this.#mark(row, { at, kind: "break", label: `${e.event} by ${e.owner} of ${owner}` });
    }
  }

  /**
   * The timeline: holds and waits still open end at the window's end.
   *
   * @returns The timeline.
   */
  finish(): Timeline {
    for (const key of [...this.#open.keys()]) this.#close(key, this.#to);
    const rows = [...this.#rows.values()].sort((a, b) => a.name.localeCompare(b.name));
    for (const row of rows) {
      row.bars.sort((a, b) => a.start - b.start);
      this.#compact(row, this.#cap);
    }
    const owners = [...this.#held.entries()].sort((a, b) => b[1] - a[1]).map(([o]) => o);
    return { from: this.#from, to: this.#to, rows, owners, events: this.#events };
  }

  #row(name: string, kind: "lock" | "reservation"): TimelineRow {
    const key = `${kind}:${name}`;
    let row = this.#rows.get(key);
    if (!row) {
      row = { name, kind, bars: [], marks: [] };
      this.#rows.set(key, row);
    }
    return row;
  }

  #begin(key: string, row: TimelineRow, at: number, owner: string, kind: "hold" | "wait") {
    this.#close(key, at);
    this.#open.set(key, { row, start: at, owner, kind });
  }

  /** Ends an open bar; a hold ended that began before the window starts at the window. */
  #close(key: string, at: number, owner?: string): void {
    const open = this.#open.get(key);
    if (!open && owner && key.includes("|hold|")) {
      const name = key.slice(0, key.indexOf("|hold|"));
      const row = this.#rows.get(`lock:${name}`) ?? this.#rows.get(`reservation:${name}`);
      if (row) this.#push(row, { start: this.#from, end: at, owner, kind: "hold", count: 1 });
      return;
    }
    if (!open) return;
    this.#open.delete(key);
    this.#push(open.row, {
      start: open.start,
      end: at,
      owner: open.owner,
      kind: open.kind,
      count: 1,
    });
  }

  #push(row: TimelineRow, bar: TimelineBar): void {
    row.bars.push(bar);
    if (bar.kind === "hold") {
      this.#held.set(bar.owner, (this.#held.get(bar.owner) ?? 0) + (bar.end - bar.start));
    }
    // Bounded memory: a row far over its cap is merged now, not at the end.
    if (row.bars.length > this.#cap * 4) this.#compact(row, this.#cap);
  }

  #mark(row: TimelineRow, mark: TimelineMark): void {
    if (row.marks.length >= this.#cap) return;
    row.marks.push(mark);
  }

  /** Merges a row's bars into at most `cap` buckets per kind, each shown by its longest owner. */
  #compact(row: TimelineRow, cap: number): void {
    if (row.bars.length <= cap) return;
    const width = (this.#to - this.#from) / Math.max(1, Math.floor(cap / 2));
    const buckets = new Map<string, { bar: TimelineBar; time: Map<string, number> }>();
    for (const bar of row.bars) {
      const index = Math.floor((bar.start - this.#from) / width);
      const key = `${bar.kind}:${index}`;
      const bucket = buckets.get(key);
      if (!bucket) {
        buckets.set(key, {
          bar: { ...bar },
          time: new Map([[bar.owner, (bar.end - bar.start) * bar.count]]),
        });
        continue;
      }
      bucket.bar.start = Math.min(bucket.bar.start, bar.start);
      bucket.bar.end = Math.max(bucket.bar.end, bar.end);
      bucket.bar.count += bar.count;
      bucket.time.set(
        bar.owner,
        (bucket.time.get(bar.owner) ?? 0) + (bar.end - bar.start) * bar.count,
      );
    }
    row.bars = [...buckets.values()].map(({ bar, time }) => {
      bar.owner = [...time.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? bar.owner;
      return bar;
    }).sort((a, b) => a.start - b.start);
  }
}
