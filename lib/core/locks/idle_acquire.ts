/**
 * An acquisition without reading first, where this process saw the name free
 * last (its own release, on a server's store): the same rules decide on a
 * free name that is neither frozen nor waited for, and the store writes only
 * if all of that is still true, checked in the same atomic step as the write
 * (`WriteOptions.idle`). Anything else — a holder, a freeze, a waiter, a fence
 * counter that moved — writes nothing, and the caller reads and decides as
 * usual. On a shared server this saves the read's round trip.
 *
 * @module
 */

import type { EngineContext } from "../context.ts";
import type { AcquireResult, AcquireSpec } from "./engine.ts";
import { claimOf } from "./engine.ts";
import { decideAcquire } from "./decisions.ts";
import { judge } from "./judge.ts";
import { acquisition } from "./transitions.ts";
import type { Written } from "./transitions.ts";

/**
 * Tries to acquire a name this process last saw absent, without reading it.
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @param spec What to record.
 * @returns What was acquired, or `null`: nothing was written (read and decide as usual).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { tryAcquireIdle } from "./idle_acquire.ts";
 * import { openContext } from "../context.ts";
 * // The file store keeps no entries (its reads are local): always the usual way.
 * const ctx = openContext({ root: Deno.makeTempDirSync() });
 * assert(await tryAcquireIdle(ctx, "x", { ttlMs: 60_000, liveness: "ttl" }) === null);
 * ```
 */
export async function tryAcquireIdle(
  ctx: EngineContext,
  name: string,
  spec: AcquireSpec,
): Promise<AcquireResult | null> {
  if (ctx.store.known("lock", name) !== null) return null;
  const state = judge(name, null, ctx.identity, ctx.now());
  const action = decideAcquire(state, claimOf(spec));
  if (action.kind !== "create") return null;
  let written: Written | null = null;
  const wrote = await ctx.store.createIfAbsent("lock", name, (fence) => {
    written = acquisition(state, fence, ctx.identity, spec, ctx.now(), spec.acquireDetail);
    return written;
  }, { freshFence: true, idle: true });
  const done = written as Written | null;
  return wrote && done ? { record: done.record, outcome: "acquired", broke: null } : null;
}
