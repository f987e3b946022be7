/**
 * `why` for a shared or semaphore name (docs/contract.md §14): the name is judged in the
 * mode its current holders use — would one more reader, or one more slot,
 * be admitted now — hold by hold, with the commands that clear each obstacle.
 *
 * @module
 */

import { shown } from "../../model/safe_text.ts";
import { expiryText, formatDuration } from "../../model/duration_format.ts";
import type { HoldState, LockState } from "../locks/judge.ts";
import type { WhyReason } from "./why_reason.ts";

/**
 * The reasons of a shared or semaphore name.
 *
 * @param state The judged state (`mode` shared or slots).
 * @param inherited The `lock_id` this process inherited for the name, or `null`.
 * @returns The reasons: the caller's own or inherited hold, stale holds, and room.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { groupReasons } from "./why_multi_hold.ts";
 * import { judge } from "../locks/judge.ts";
 * import { acquisition } from "../locks/transitions.ts";
 * import { currentIdentity } from "../../sys/identity.ts";
 * const me = { ...currentIdentity(), owner: "me" };
 * const spec = { ttlMs: 60_000, liveness: "ttl", mode: "slots", slots: 2 } as const;
 * const { content } = acquisition(judge("db", null, me, 0), 1, me, spec, 0);
 * const state = judge("db", { raw: content, problem: null, mtimeMs: 0, token: "t" }, { ...me, owner: "you" }, 0);
 * assert(groupReasons(state, null).some((r) => r.code === "slots" && !r.blocking));
 * ```
 */
export function groupReasons(state: LockState, inherited: string | null): WhyReason[] {
  const name = state.name;
  const live = state.holds.filter((h) => h.status === "held");
  const reasons: WhyReason[] = [];
  const passed = live.find((h) => h.record.lock_id === inherited);
  const own = live.find((h) => h.mine && h.record.hold === "owner");
  const ask = state.mode === "slots" ? `--slots ${state.slots}` : "--shared";
  if (passed) {
    reasons.push({
      code: "inherited",
      blocking: false,
      message: `the guard this runs under holds ${
        place(passed)
      } (pid ${passed.record.pid}, fence ${passed.record.fence}); lokt calls here run nested`,
      fix: [],
    });
  } else if (own) {
    reasons.push({
      code: "mine",
      blocking: false,
      message: `you hold ${place(own)} (fence ${own.record.fence}); acquiring again renews it`,
      fix: [`lokt unlock ${name}`],
    });
  }
  for (const hold of state.holds) {
    if (hold.status === "held" && hold.liveness !== "orphaned") continue;
    reasons.push(staleReason(name, hold));
  }
  if (passed || own) return reasons;
  const owners = live.map((h) => `${shown(h.record.owner)}${slotOf(h)}`).join(", ");
  if (state.mode === "shared") {
    reasons.push({
      code: "shared",
      blocking: false,
      message:
        `held shared by ${live.length} reader(s) (${owners}); a --shared acquirer joins them now, an exclusive one waits until every reader is gone`,
      fix: [
        `lokt lock ${name} --shared`,
        `lokt lock ${name} --wait   # exclusive: waits for the readers`,
      ],
    });
    return reasons;
  }
  const slots = state.slots as number;
  const full = live.length >= slots;
  const next = state.expiresInMs === null
    ? "they hold them while their processes live"
    : `the first ${expiryText(state.expiresInMs)}`;
  reasons.push({
    code: full ? "full" : "slots",
    blocking: full,
    message: full
      ? `all ${slots} slots are held (${owners}); ${next}`
      : `${live.length} of ${slots} slots are held (${owners}); a ${ask} acquirer gets a free slot now`,
    fix: full ? [`lokt lock ${name} ${ask} --wait`] : [`lokt lock ${name} ${ask}`],
  });
  return reasons;
}

function staleReason(name: string, hold: HoldState): WhyReason {
  const r = hold.record;
  if (hold.liveness === "orphaned") {
    return {
      code: "orphaned",
      blocking: false,
      message: `${place(hold)} is held by ${
        shown(r.owner)
      }'s guard (pid ${r.pid}), which died while its command still runs in process group ${r.pgid}; it frees itself when that group's last process exits`,
      fix: [`kill -TERM -${r.pgid}   # stops the orphaned command`],
    };
  }
  const why = hold.status === "dead"
    ? `its process (pid ${r.pid}) is gone`
    : `it expired ${formatDuration(-(hold.expiresInMs ?? 0))} ago`;
  return {
    code: hold.status,
    blocking: false,
    message: `${place(hold)} of ${
      shown(r.owner)
    } is stale (${why}); the next acquirer reclaims it (${
      hold.status === "dead" ? "dead-break" : "expire-break"
    }), the other holds stay`,
    fix: [`lokt unlock ${name} --break-stale`],
  };
}

function place(hold: HoldState): string {
  return hold.record.slot === null ? "a shared hold" : `slot ${hold.record.slot}`;
}

function slotOf(hold: HoldState): string {
  return hold.record.slot === null ? "" : ` slot ${hold.record.slot}`;
}
