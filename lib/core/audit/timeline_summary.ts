/**
 * "What needs me now" (docs/contract.md §18), at the top of the timeline and the
 * dashboard: what is stuck (expired and not cleaned, holder dead, orphaned),
 * the longest waits of the window, the most contended names — so a person
 * gets the answer without reading rows.
 *
 * @module
 */

import type { CurrentHold, TimelineRow, TimelineSummary } from "../../model/timeline.ts";

/** How many of each list the summary keeps. */
const TOP = 3;

/**
 * Summarises a folded window and the holds in the store now.
 *
 * @param rows The window's rows.
 * @param current The holds in the store now.
 * @returns The summary.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { summarize } from "./timeline_summary.ts";
 * const rows = [{ name: "build", kind: "lock" as const, marks: [{ at: 1, kind: "deny" as const, label: "", count: 2 }],
 *   bars: [{ start: 0, end: 5_000, owner: "bob", kind: "wait" as const, count: 1 }] }];
 * const stuck = { kind: "lock" as const, name: "build", lockId: "l", owner: "a", acquiredAt: 0, expiredAt: null, stuck: "its holder is dead, not cleaned" };
 * const s = summarize(rows, [stuck]);
 * assert.deepEqual(s.contended, [{ name: "build", refusals: 2, waits: 1 }]);
 * assert.equal(s.waits[0]?.ms, 5_000);
 * assert.equal(s.stuck[0]?.why, "its holder is dead, not cleaned");
 * ```
 */
export function summarize(rows: TimelineRow[], current: Iterable<CurrentHold>): TimelineSummary {
  const stuck = [...current].filter((h) => h.stuck !== null)
    .sort((a, b) => a.acquiredAt - b.acquiredAt)
    .map((h) => ({
      name: h.name,
      kind: h.kind,
      owner: h.owner,
      since: h.acquiredAt,
      why: h.stuck as string,
    }));
  const waits = rows.flatMap((row) =>
    row.bars.filter((b) => b.kind === "wait" && b.count === 1)
      .map((b) => ({ name: row.name, owner: b.owner, ms: b.end - b.start }))
  ).sort((a, b) => b.ms - a.ms).slice(0, TOP);
  const contended = rows.map((row) => ({
    name: row.name,
    refusals: row.marks.filter((m) => m.kind === "deny").reduce((n, m) => n + m.count, 0),
    waits: row.bars.filter((b) => b.kind === "wait").reduce((n, b) => n + b.count, 0),
  })).filter((c) => c.refusals + c.waits > 0)
    .sort((a, b) => b.refusals + b.waits - (a.refusals + a.waits))
    .slice(0, TOP);
  return { stuck, waits, contended };
}
