/**
 * Releasing everything one owner holds (`lokt unlock --mine`, or a person's
 * `unlock --owner O --force`), one name at a time through the engine.
 *
 * @module
 */

import type { LockRecord } from "../../model/lock_record.ts";
import type { EngineContext } from "../context.ts";
import { releaseLock } from "../locks/engine.ts";
import { listLocks } from "../locks/lock_list.ts";
import { breakLock, breakOwnerHolds } from "../locks/breaks.ts";
import type { LockState } from "../locks/judge.ts";
import type { BreakResult } from "../locks/breaks.ts";

/** What {@linkcode releaseAllOf} removed. */
export interface ReleaseAllResult {
  /** Locks released by their own owner. */
  released: LockRecord[];
  /** Locks of another owner, force-broken. */
  broken: BreakResult[];
}

/**
 * Removes every lock held by `owner`: released when it is the acting owner,
 * force-broken otherwise. Locks that change meanwhile are left alone.
 *
 * @param ctx The engine context.
 * @param owner Whose locks.
 * @returns What was released or broken.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { releaseAllOf } from "./release_owner.ts";
 * import { tryAcquire } from "../locks/engine.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync(), owner: "me" });
 * await tryAcquire(ctx, "a", { ttlMs: 60_000, liveness: "ttl" });
 * assert((await releaseAllOf(ctx, "me")).released.length === 1);
 * ```
 */
export async function releaseAllOf(ctx: EngineContext, owner: string): Promise<ReleaseAllResult> {
  const result: ReleaseAllResult = { released: [], broken: [] };
  for (const state of await listLocks(ctx)) {
    if (state.mode !== "exclusive") {
      await releaseHoldsOf(ctx, state, owner, result);
      continue;
    }
    if (state.record?.owner !== owner) continue;
    try {
      if (owner === ctx.identity.owner) result.released.push(await releaseLock(ctx, state.name));
      else result.broken.push(await breakLock(ctx, state.name, "force"));
    } catch {
      // Released or taken by someone else meanwhile: nothing of this owner's left.
    }
  }
  return result;
}

/**
 * The holds of `owner` in a shared or semaphore name: its own owner hold (and
 * its stale holds) released by itself — never its live guards' holds —, or
 * another owner's holds force-broken, the other holders keeping theirs.
 */
async function releaseHoldsOf(
  ctx: EngineContext,
  state: LockState,
  owner: string,
  result: ReleaseAllResult,
): Promise<void> {
  const holds = state.holds.filter((h) => h.record.owner === owner);
  if (holds.length === 0) return;
  try {
    if (owner !== ctx.identity.owner) {
      result.broken.push(await breakOwnerHolds(ctx, state.name, owner));
      return;
    }
    for (const hold of holds) {
      if (hold.record.hold === "instance" && hold.status === "held") continue;
      const lockId = hold.record.lock_id;
      result.released.push(await releaseLock(ctx, state.name, { lockId }));
    }
  } catch {
    // Changed meanwhile: what is left of this owner's is no longer ours to judge.
  }
}
