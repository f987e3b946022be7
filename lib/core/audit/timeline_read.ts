/**
 * The timeline of a window (docs/contract.md §18), as `audit --timeline` and the
 * dashboard draw it: the trail's events in the window, and the holds in the
 * store now — so that a lock stuck since before the window (no event of the
 * window names it) is drawn, and one still held is known to be — with why a
 * hold needs a person (expired and not cleaned, holder dead, orphaned).
 *
 * @module
 */

import { formatDuration } from "../../model/duration_format.ts";
import type { AuditQuery } from "../../model/audit_query.ts";
import type { CurrentHold, Timeline } from "../../model/timeline.ts";
import type { EngineContext } from "../context.ts";
import { listLocks } from "../locks/lock_list.ts";
import type { HoldState } from "../locks/hold_judge.ts";
import { inspectReservations } from "../reservations/reservation_index.ts";
import { TIMELINE_EVENTS, TimelineBuilder } from "./timeline.ts";

/** The window of a timeline. */
export interface TimelineWindowQuery {
  /** Its start (ms). */
  from: number;
  /** Its end (ms). */
  to: number;
  /** Start just before the first event instead (a short run fills the picture). */
  fit: boolean;
  /** Only this name (a lock name or a reserved pattern). */
  name: string | null;
}

/**
 * Folds a window of the trail, with the holds in the store now.
 *
 * @param ctx The context.
 * @param window The window.
 * @returns The timeline.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { readTimeline } from "./timeline_read.ts";
 * import { openContext } from "../context.ts";
 * import { acquireForRequest } from "../locks/lock_request.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync(), owner: "stuckagent", write: true });
 * await acquireForRequest(ctx, "stuck", { hold: "owner", ttl: "1h" });
 * // A window after the acquisition: no event in it, the hold is drawn all the same.
 * const now = Date.now();
 * const t = await readTimeline(ctx, { from: now + 1_000, to: now + 2_000, fit: false, name: null });
 * assert.equal(t.rows[0]?.bars[0]?.state, "held");
 * ```
 */
export async function readTimeline(
  ctx: EngineContext,
  window: TimelineWindowQuery,
): Promise<Timeline> {
  const builder = new TimelineBuilder(window.from, window.to, { fit: window.fit });
  const query: AuditQuery = {
    sinceMs: window.from,
    untilMs: window.to,
    name: window.name,
    events: TIMELINE_EVENTS,
  };
  for await (const event of ctx.store.readAudit(query)) builder.add(event);
  const holds = await currentHolds(ctx);
  builder.current(window.name === null ? holds : holds.filter((h) => h.name === window.name));
  return builder.finish();
}

/**
 * The holds in the store now, locks and reservations, with why one needs a person.
 *
 * @param ctx The context.
 * @returns The holds.
 */
export async function currentHolds(ctx: EngineContext): Promise<CurrentHold[]> {
  const now = ctx.now();
  const holds: CurrentHold[] = [];
  for (const lock of await listLocks(ctx)) {
    for (const hold of lock.holds) {
      holds.push({
        kind: "lock",
        name: lock.name,
        lockId: hold.record.lock_id,
        owner: hold.record.owner,
        acquiredAt: Date.parse(hold.record.acquired_at),
        expiredAt: hold.status === "expired" && hold.expiresInMs !== null
          ? now + hold.expiresInMs
          : null,
        stuck: stuckHold(hold),
      });
    }
  }
  for (const judged of (await inspectReservations(ctx)).reservations) {
    const r = judged.reservation;
    const stuck = judged.status === "expired"
      ? `expired ${formatDuration(now - Date.parse(r.expires_at))} ago, not released`
      : judged.status === "dead"
      ? "its holder is dead, not released"
      : null;
    holds.push({
      kind: "reservation",
      name: r.patterns[0],
      lockId: r.id,
      owner: r.owner,
      acquiredAt: Date.parse(r.reserved_at),
      expiredAt: judged.status === "expired" ? now + judged.expiresInMs : null,
      stuck,
    });
  }
  return holds;
}

function stuckHold(hold: HoldState): string | null {
  if (hold.liveness === "orphaned") return "orphaned: its guard is dead, its command still runs";
  if (hold.status === "dead") return "its holder is dead, not cleaned";
  if (hold.status === "expired" && hold.expiresInMs !== null) {
    return `expired ${formatDuration(-hold.expiresInMs)} ago, not cleaned`;
  }
  return null;
}
