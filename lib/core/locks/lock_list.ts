/**
 * Every lock with an entry, judged: what `status`, `doctor`, the timeline and
 * the release of one owner's holds look at.
 *
 * @module
 */

import type { EngineContext } from "../context.ts";
import type { LockState } from "./judge.ts";
import { inspectLock } from "./engine.ts";

/**
 * Reads and judges every lock that has an entry.
 *
 * @param ctx The engine context.
 * @returns The states, sorted by name.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { listLocks } from "./lock_list.ts";
 * import { tryAcquire } from "./engine.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync(), owner: "a" });
 * await tryAcquire(ctx, "build", { ttlMs: 60_000, liveness: "ttl" });
 * assert((await listLocks(ctx)).map((state) => state.name).join() === "build");
 * ```
 */
export async function listLocks(ctx: EngineContext): Promise<LockState[]> {
  const states: LockState[] = [];
  for (const name of await ctx.store.list("lock")) {
    const state = await inspectLock(ctx, name);
    if (state.status !== "free") states.push(state);
  }
  return states;
}
