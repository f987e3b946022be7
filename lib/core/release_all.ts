/**
 * Releasing everything one owner holds (`lokt unlock --mine`, or a person's
 * `unlock --owner O --force`), one name at a time through the engine.
 *
 * @module
 */

import type { LockRecord } from "../model/lock_record.ts";
import type { EngineContext } from "./context.ts";
import { breakLock, listLocks, releaseLock } from "./engine.ts";
import type { BreakResult } from "./engine.ts";

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
 * import { releaseAllOf } from "./release_all.ts";
 * import { tryAcquire } from "./engine.ts";
 * import { openContext } from "./context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync(), owner: "me" });
 * await tryAcquire(ctx, "a", { ttlMs: 60_000, liveness: "ttl" });
 * console.assert((await releaseAllOf(ctx, "me")).released.length === 1);
 * ```
 */
export async function releaseAllOf(ctx: EngineContext, owner: string): Promise<ReleaseAllResult> {
  const result: ReleaseAllResult = { released: [], broken: [] };
  for (const state of await listLocks(ctx)) {
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
