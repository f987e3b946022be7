/**
 * Explaining whether a lock can be acquired now, and what clears each
 * obstacle (the engine behind `lokt why` and the library's `why()`).
 *
 * @module
 */

import { shown } from "../../model/safe_text.ts";
import type { EngineContext } from "../context.ts";
import type { LockState } from "../locks/judge.ts";
import { expiryText, formatDuration } from "../../model/duration_format.ts";
import { inspectLock } from "../locks/engine.ts";
import { inspectFreeze } from "../freezes/freezes.ts";
import type { FreezeRecord } from "../../model/freeze_record.ts";
import { liveWaiters } from "../locks/waiters.ts";
import { inheritedHolds } from "../../sys/held_env.ts";
import { groupReasons } from "./why_multi_hold.ts";
import type { WhyReason } from "./why_reason.ts";

export type { WhyReason } from "./why_reason.ts";

/** The full explanation. */
export interface WhyReport {
  /** The lock name. */
  name: string;
  /** Whether acquiring would succeed now. */
  canAcquire: boolean;
  /** Every reason found, blocking or not. */
  reasons: WhyReason[];
  /** The judged lock. */
  state: LockState;
  /** The active freeze, if any. */
  freeze: FreezeRecord | null;
  /** Live waiters queued. */
  queued: number;
}

/**
 * Explains whether `name` can be acquired now by the acting owner.
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @returns The report.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { explain } from "./why_report.ts";
 * import { openContext } from "../context.ts";
 * const report = await explain(openContext({ root: Deno.makeTempDirSync() }), "build");
 * assert(report.canAcquire && report.reasons.length === 0);
 * ```
 */
export async function explain(ctx: EngineContext, name: string): Promise<WhyReport> {
  const state = await inspectLock(ctx, name);
  const freeze = await inspectFreeze(ctx, name);
  const reasons: WhyReason[] = [];
  const r = state.record;
  // The command that works for this name: a semaphore or shared name is asked for in its mode.
  const lockCmd = `lokt lock ${name}${
    state.mode === "slots" ? ` --slots ${state.slots}` : state.mode === "shared" ? " --shared" : ""
  }`;
  if (freeze?.active && freeze.record) {
    const f = freeze.record;
    const mine = f.owner === ctx.identity.owner;
    reasons.push({
      code: "frozen",
      blocking: true,
      message: `frozen by ${shown(f.owner)}${mine ? " (you)" : ""}${
        f.reason ? ` (${shown(f.reason)})` : ""
      } for ${formatDuration(freeze.expiresInMs ?? 0)} more`,
      // Safest first: waiting; lifting it is the freezer's, breaking it a person's break-glass.
      fix: mine ? [`lokt unfreeze ${name}`, `${lockCmd} --wait`] : [
        `${lockCmd} --wait`,
        `lokt unfreeze ${name} --force   # break-glass: tell ${shown(f.owner)}`,
      ],
    });
  } else if (freeze?.corruption) {
    reasons.push({
      code: "corrupt-freeze",
      blocking: false,
      message: `the freeze file is corrupt (${freeze.corruption}) and is ignored`,
      fix: [`lokt unfreeze ${name} --force`],
    });
  }
  if (state.mode !== "exclusive") {
    reasons.push(...groupReasons(state, inheritedHolds().get(name) ?? null));
  } else if (state.status === "corrupt") {
    const young = state.graceLeftMs !== 0;
    const breakGlass = `lokt unlock ${name} --force   # break-glass`;
    reasons.push({
      code: "corrupt",
      blocking: young,
      message: `the lock record is corrupt (${state.corruption})${
        state.graceLeftMs === null
          ? "; it is never replaced automatically"
          : young
          ? `; it may be mid-write, so it is replaced only after ${
            formatDuration(state.graceLeftMs)
          }`
          : "; acquiring will replace it (corrupt-break)"
      }`,
      fix: state.graceLeftMs === null
        ? [breakGlass]
        : [`${lockCmd} --wait`, `lokt unlock ${name} --break-stale`, breakGlass],
    });
  } else if (r && state.status === "held" && inheritedHolds().get(name) === r.lock_id) {
    reasons.push({
      code: "inherited",
      blocking: false,
      message:
        `the guard this runs under holds it (pid ${r.pid}, fence ${r.fence}); lokt calls here run nested`,
      fix: [],
    });
  } else if (r && state.status === "held" && state.mine && r.hold === "instance") {
    reasons.push({
      code: "own-instance",
      blocking: true,
      message:
        `held by your own guard or process (pid ${r.pid}, fence ${r.fence}), which releases it when its command ends`,
      fix: [`${lockCmd} --wait`],
    });
  } else if (r && state.status === "held" && state.mine) {
    reasons.push({
      code: "mine",
      blocking: false,
      message: `you hold it (fence ${r.fence}); acquiring again renews it`,
      fix: [`lokt unlock ${name}`],
    });
  } else if (r && state.status === "held" && state.liveness === "orphaned") {
    reasons.push({
      code: "orphaned",
      blocking: true,
      message: `held by ${
        shown(r.owner)
      }'s guard (pid ${r.pid}), which died while its command still runs in process group ${r.pgid}${
        r.command ? ` (${r.command.map(shown).join(" ")})` : ""
      }; the lock frees itself when that group's last process exits`,
      fix: [`${lockCmd} --wait`, `kill -TERM -${r.pgid}   # stops the orphaned command`],
    });
  } else if (r && state.status === "held") {
    const left = state.expiresInMs === null
      ? `no expiry while pid ${r.pid} lives (${state.liveness})`
      : `${expiryText(state.expiresInMs)} (${state.liveness})`;
    reasons.push({
      code: "held",
      blocking: true,
      message: `held by ${shown(r.owner)} (agent ${shown(r.agent_id)}, host ${
        shown(r.host)
      }, pid ${r.pid}) for ${formatDuration(state.ageMs ?? 0)}; ${left}${
        r.reason ? `; reason: ${shown(r.reason)}` : ""
      }${r.command ? `; running: ${r.command.map(shown).join(" ")}` : ""}`,
      fix: [
        `${lockCmd} --wait`,
        `lokt unlock ${name} --force   # break-glass: tell ${shown(r.owner)}`,
      ],
    });
  } else if (r && state.status === "expired") {
    reasons.push({
      code: "expired",
      blocking: false,
      message: `held by ${shown(r.owner)} but expired ${
        formatDuration(-(state.expiresInMs ?? 0))
      } ago and not yet broken; acquiring will take it over (expire-break)`,
      fix: [`lokt unlock ${name} --break-stale`],
    });
  } else if (r && state.status === "dead") {
    reasons.push({
      code: "dead",
      blocking: false,
      message: `held by ${
        shown(r.owner)
      } but its process (pid ${r.pid}) is gone; acquiring will take it over (dead-break)`,
      fix: [`lokt unlock ${name} --break-stale`],
    });
  }
  if (state.clockSkew) {
    reasons.push({ code: "clock-skew", blocking: false, message: state.clockSkew, fix: [] });
  }
  // Read-only: dead waiters are counted out, not removed.
  const queued = (await liveWaiters(ctx, name)).length;
  const renews = state.holds.some((h) =>
    h.mine && h.status === "held" && h.record.hold === "owner"
  );
  if (queued > 0 && !renews) {
    reasons.push({
      code: "queued",
      blocking: true,
      message: `${queued} waiter(s) are queued and will be served first`,
      fix: [`${lockCmd} --wait`],
    });
  }
  const canAcquire = !reasons.some((x) => x.blocking);
  return {
    name,
    canAcquire,
    reasons,
    state,
    freeze: freeze?.active ? freeze.record : null,
    queued,
  };
}
