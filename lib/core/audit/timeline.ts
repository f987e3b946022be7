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
import type { CurrentHold, Timeline } from "../../model/timeline.ts";
import type { TimelineWindow } from "./timeline_rows.ts";
import { OTHER_NAMES, TimelineRows } from "./timeline_rows.ts";
import { summarize } from "./timeline_summary.ts";

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
  // A renewal moves a hold's expiry: a hold that nothing closed ends at it.
  "renew",
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

export { MAX_ROWS, OTHER_NAMES } from "./timeline_rows.ts";

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
  #window: TimelineWindow;
  #fit: boolean;
  #rows: TimelineRows;
  #events = 0;
  #current = new Map<string, CurrentHold>();

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
    this.#window = { from, to: Math.max(to, from + 1) };
    this.#rows = new TimelineRows(this.#window, options.cap ?? 240);
    this.#fit = options.fit ?? false;
  }

  /**
   * Folds one event.
   *
   * @param e The event.
   */
  add(e: AuditEvent): void {
    let at = Date.parse(e.ts);
    if (Number.isNaN(at) || at < this.#window.from || at > this.#window.to) return;
    if (this.#fit) {
      // The trail is in time order, so the first event in the window starts it
      // (with a margin); one a little out of order is drawn at the start.
      if (this.#events === 0) {
        this.#window.from = Math.max(
          this.#window.from,
          at - Math.max(2_000, (this.#window.to - at) * 0.03),
        );
      }
      at = Math.max(at, this.#window.from);
    }
    this.#events++;
    const rows = this.#rows;
    const reservation = e.event === "reserve" || e.event === "unreserve" ||
      e.event === "reserve-break" || e.event === "reserve-deny";
    const state = rows.row(e.name, reservation ? "reservation" : "lock");
    const detail = e.detail ?? {};
    switch (e.event) {
      case "acquire":
      case "reserve": {
        rows.end(state.waits, e.owner, state, at);
        const expires = e.ttl_ms == null || e.ttl_ms === 0 ? null : at + e.ttl_ms;
        if (e.lock_id) rows.hold(state, e.lock_id, at, e.owner, detail, reservation, expires);
        return;
      }
      case "renew": {
        const open = e.lock_id ? state.holds.get(e.lock_id) : undefined;
        if (open && e.ttl_ms != null) open.expires = at + e.ttl_ms;
        return;
      }
      case "wait":
        rows.end(state.waits, e.owner, state, at);
        rows.open(state, state.waits, e.owner, { start: at, owner: e.owner, slot: null });
        return;
      case "timeout":
        rows.end(state.waits, e.owner, state, at);
        return;
      case "release":
      case "unreserve":
        if (e.lock_id) rows.end(state.holds, e.lock_id, state, at, e.owner);
        return;
      case "lost":
        if (e.lock_id) rows.end(state.holds, e.lock_id, state, at, e.owner);
        rows.mark(state, at, "lost", `${shown(e.owner)} lost it`);
        return;
      case "freeze":
        rows.mark(
          state,
          at,
          "freeze",
          `frozen by ${shown(e.owner)}${e.reason ? ` (${shown(e.reason)})` : ""}`,
        );
        return;
      case "deny":
      case "freeze-deny":
      case "reserve-deny":
        rows.mark(state, at, "deny", `${shown(e.owner)} was refused`);
        return;
    }
    if (BREAKS.has(e.event)) {
      const previous = (e.lock_id ?? detail.previous_lock_id) as string | undefined;
      const owner = (detail.previous_owner as string | undefined) ?? "a corrupt record";
      if (previous) rows.end(state.holds, previous, state, at, owner);
      rows.mark(state, at, "break", `${e.event} by ${shown(e.owner)} of ${owner}`);
    }
  }

  /**
   * Tells the holds in the store now. A hold no event of the window names is
   * still drawn — one stuck since before the window above all — and a hold
   * the window opened is known to be still held.
   *
   * @param holds The current holds.
   */
  current(holds: CurrentHold[]): void {
    for (const hold of holds) this.#current.set(hold.lockId, hold);
  }

  /**
   * The timeline: a hold still held ends at the window's end; one that nothing
   * closed and is no longer held ends at its expiry (marked), else at the
   * window's end; waits still open end at the window's end.
   *
   * @returns The timeline.
   */
  finish(): Timeline {
    const rows = this.#rows;
    for (const hold of this.#current.values()) rows.openCurrent(hold);
    const states = rows.states;
    for (const state of states) {
      for (const [key, bar] of [...state.holds]) {
        rows.close(state, key, bar, this.#current.get(key));
      }
      for (const key of [...state.waits.keys()]) rows.end(state.waits, key, state, this.#window.to);
      state.row.bars = rows.barsOf(state);
      state.row.marks = [...state.marks.values()].sort((a, b) => a.at - b.at);
    }
    // By name, the shared row of the names past the bound last.
    const ordered = states.map((s) => s.row).sort((a, b) =>
      Number(a.name === OTHER_NAMES) - Number(b.name === OTHER_NAMES) ||
      a.name.localeCompare(b.name)
    );
    return {
      from: this.#window.from,
      to: this.#window.to,
      rows: ordered,
      owners: rows.owners,
      events: this.#events,
      summary: summarize(ordered, this.#current.values()),
    };
  }
}
