/**
 * The lock engine: race-free acquire, renew, release and break on a
 * {@linkcode LockStore}. Every operation reads, judges (`judge.ts`), and then
 * compare-and-swaps exactly what it judged; if anything changed in between,
 * the swap fails and it judges again [W3][W5].
 *
 * @module
 */

import { holderDetail, makeEvent } from "../model/audit_event.ts";
import { MAX_CAS_ROUNDS } from "../model/defaults.ts";
import { ContentionError } from "../model/errors.ts";
import { FrozenError } from "../model/lock_errors.ts";
import { LockLostError } from "../model/record_errors.ts";
import type { LockRecord, RecordSpec } from "../model/lock_record.ts";
import { parseLockRecord } from "../model/lock_record.ts";
import type { EngineContext } from "./context.ts";
import { activeFreeze } from "./freeze_ops.ts";
import type { LockState, StaleBreak } from "./judge.ts";
import { decideAcquire, decideBreak, decideRelease } from "./decisions.ts";
import { judge } from "./judge.ts";
import { acquisition, breakEvents, releaseEvents, renewal } from "./transitions.ts";
import type { Written } from "./transitions.ts";

/** What an acquisition records. */
export interface AcquireSpec extends RecordSpec {
  /** Skip the audit `deny` event (while waiting). */
  quietDeny?: boolean;
  /** More for the `acquire` event's `detail` (a waiter's `waited_ms`). */
  acquireDetail?: Record<string, unknown>;
  /** The `lock_id` inherited for the name from an ancestor guard (`LOKT_HELD`), or `null`. */
  inherited?: string | null;
}

/** The result of an acquisition. */
export interface AcquireResult {
  /** The record now stored. */
  record: LockRecord;
  /**
   * `acquired` for a new acquisition, `renewed` for a re-acquisition by its
   * owner, `nested` when the caller runs under a hold it neither took nor
   * will release (its owner's own hold, or one inherited from an ancestor guard).
   */
  outcome: "acquired" | "renewed" | "nested";
  /** The stale or corrupt record that was replaced, if any. */
  broke: { event: StaleBreak; previous: LockRecord | null } | null;
}

/**
 * Reads and judges a lock.
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @returns The judged state.
 *
 * @example Usage
 * ```ts
 * import { inspectLock } from "./engine.ts";
 * import { openContext } from "./context.ts";
 * const state = await inspectLock(openContext({ root: Deno.makeTempDirSync() }), "build");
 * console.assert(state.status === "free");
 * ```
 */
export async function inspectLock(ctx: EngineContext, name: string): Promise<LockState> {
  return judge(name, await ctx.store.read("lock", name), ctx.identity, ctx.now());
}

/**
 * Tries once to acquire a lock: free, stale (expired, dead holder, corrupt
 * past its grace period) and own locks are taken; anything else is denied
 * (audited as `deny` or `freeze-deny` unless `spec.quietDeny`).
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @param spec What to record.
 * @returns What was acquired.
 * @throws {LockHeldError} When another holder has it.
 * @throws {FrozenError} When the name is frozen.
 *
 * @example Usage
 * ```ts
 * import { tryAcquire } from "./engine.ts";
 * import { openContext } from "./context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync(), owner: "agent-1" });
 * const { record } = await tryAcquire(ctx, "build", { ttlMs: 60_000, liveness: "ttl" });
 * console.assert(record.fence === 1 && record.owner === "agent-1");
 * ```
 */
export async function tryAcquire(
  ctx: EngineContext,
  name: string,
  spec: AcquireSpec,
): Promise<AcquireResult> {
  const { store, identity } = ctx;
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const freeze = await activeFreeze(ctx, name);
    if (freeze) {
      if (!spec.quietDeny) {
        await store.appendAudit([
          makeEvent("freeze-deny", name, identity, {
            reason: spec.reason,
            detail: { frozen_by: freeze.owner, freeze_reason: freeze.reason },
          }, ctx.now()),
        ]);
      }
      throw new FrozenError(name, freeze, Date.parse(freeze.expires_at) - ctx.now());
    }
    const state = await inspectLock(ctx, name);
    const action = decideAcquire(state, {
      hold: spec.hold ?? (spec.liveness === "ttl" ? "owner" : "instance"),
      inherited: spec.inherited ?? null,
    });
    if (action.kind === "nested") return { record: action.record, outcome: "nested", broke: null };
    let written: Written | null = null;
    if (action.kind === "deny") {
      if (!spec.quietDeny) await store.appendAudit([denyEvent(ctx, state, spec)]);
      throw action.error;
    } else if (action.kind === "create") {
      await store.createIfAbsent("lock", name, (fence) => {
        written = acquisition(state, fence, identity, spec, ctx.now(), null, spec.acquireDetail);
        return written;
      }, { freshFence: true });
    } else if (action.kind === "renew") {
      await store.compareAndReplace("lock", name, state.entry!.token, () => {
        written = renewal(action.record, spec.ttlMs, identity, ctx.now(), {
          reason: spec.reason,
          restate: spec,
        });
        return written;
      }, { freshFence: false });
    } else {
      await store.compareAndReplace("lock", name, state.entry!.token, (fence) => {
        written = acquisition(
          state,
          fence,
          identity,
          spec,
          ctx.now(),
          action.event,
          spec.acquireDetail,
        );
        return written;
      }, { freshFence: true });
    }
    const done = written as Written | null;
    if (done) {
      return {
        record: done.record,
        outcome: action.kind === "renew" ? "renewed" : "acquired",
        broke: action.kind === "take-over" ? { event: action.event, previous: state.record } : null,
      };
    }
  }
  throw new ContentionError("acquire", name);
}

function denyEvent(ctx: EngineContext, state: LockState, spec: AcquireSpec) {
  return makeEvent("deny", state.name, ctx.identity, {
    reason: spec.reason,
    detail: state.record ? holderDetail(state.record, "holder") : { corrupt: state.corruption },
  }, ctx.now());
}

/**
 * Renews a held lock, verifying first that it is still ours (same `lock_id`).
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @param lockId The lock id the caller holds.
 * @param options `ttlMs` for the new TTL; `audit` to record a `renew` event.
 * @returns The renewed record.
 * @throws {LockLostError} When the record is gone or belongs to someone else.
 *
 * @example Usage
 * ```ts
 * import { renewLock, tryAcquire } from "./engine.ts";
 * import { openContext } from "./context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync() });
 * const { record } = await tryAcquire(ctx, "build", { ttlMs: 60_000, liveness: "process" });
 * const renewed = await renewLock(ctx, "build", record.lock_id, { ttlMs: 120_000, audit: false });
 * console.assert(renewed.ttl_ms === 120_000);
 * ```
 */
export async function renewLock(
  ctx: EngineContext,
  name: string,
  lockId: string,
  options: { ttlMs: number | null; audit: boolean },
): Promise<LockRecord> {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const entry = await ctx.store.read("lock", name);
    const record = entry?.raw ? parseLockRecord(entry.raw) : null;
    if (!entry || !record || record.lock_id !== lockId) throw new LockLostError(name, record);
    let renewed: Written | null = null;
    const ok = await ctx.store.compareAndReplace("lock", name, entry.token, () => {
      renewed = renewal(record, options.ttlMs, ctx.identity, ctx.now(), { audit: options.audit });
      return renewed;
    }, { freshFence: false });
    const done = renewed as Written | null;
    if (ok && done) return done.record;
  }
  throw new ContentionError("renew", name);
}

/**
 * Releases a lock held by the acting owner (and, with `lockId`, only that
 * exact acquisition, so a lost holder never deletes its successor's record).
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @param options `lockId` to release one acquisition only; `detail` for the `release` event;
 * `inherited`: the `lock_id` inherited from an ancestor guard, which this caller may not release.
 * @returns The released record.
 * @throws {NotFoundError} When not held.
 * @throws {NotOwnerError} When held by another owner.
 * @throws {CorruptRecordError} When the record cannot be judged.
 * @throws {LockLostError} When `lockId` no longer matches.
 *
 * @example Usage
 * ```ts
 * import { releaseLock, tryAcquire } from "./engine.ts";
 * import { openContext } from "./context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync() });
 * await tryAcquire(ctx, "build", { ttlMs: 60_000, liveness: "ttl" });
 * console.assert((await releaseLock(ctx, "build")).name === "build");
 * ```
 */
export async function releaseLock(
  ctx: EngineContext,
  name: string,
  options: { lockId?: string; detail?: Record<string, unknown>; inherited?: string | null } = {},
): Promise<LockRecord> {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const state = await inspectLock(ctx, name);
    const record = decideRelease(state, ctx.identity.owner, options.lockId, options.inherited);
    const events = releaseEvents(record, ctx.identity, ctx.now(), options.detail ?? null);
    if (await ctx.store.compareAndRemove("lock", name, state.entry!.token, events)) return record;
  }
  throw new ContentionError("release", name);
}

/** The result of breaking a lock. */
export interface BreakResult {
  /** The lock name. */
  name: string;
  /** The event recorded. */
  event: StaleBreak | "force-break";
  /** The removed record, or `null` when it was corrupt. */
  previous: LockRecord | null;
  /** Why it was corrupt, when it was. */
  corruption: string | null;
}

/**
 * Breaks a lock: `stale` removes it only when expired, dead or corrupt past
 * its grace period; `force` removes anything, corrupt files included.
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @param mode `stale` or `force`.
 * @returns What was removed.
 * @throws {NotFoundError} When nothing is there.
 * @throws {NotStaleError} In `stale` mode, when the lock is validly held.
 *
 * @example Usage
 * ```ts
 * import { breakLock, tryAcquire } from "./engine.ts";
 * import { openContext } from "./context.ts";
 * const root = Deno.makeTempDirSync();
 * await tryAcquire(openContext({ root, owner: "a" }), "build", { ttlMs: 60_000, liveness: "ttl" });
 * const result = await breakLock(openContext({ root, owner: "ops" }), "build", "force");
 * console.assert(result.event === "force-break" && result.previous?.owner === "a");
 * ```
 */
export async function breakLock(
  ctx: EngineContext,
  name: string,
  mode: "stale" | "force",
): Promise<BreakResult> {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const state = await inspectLock(ctx, name);
    const event = decideBreak(state, mode);
    const events = breakEvents(state, event, ctx.identity, ctx.now());
    if (await ctx.store.compareAndRemove("lock", name, state.entry!.token, events)) {
      return { name, event, previous: state.record, corruption: state.corruption };
    }
  }
  throw new ContentionError("break", name);
}

/**
 * Reads and judges every lock that has an entry.
 *
 * @param ctx The engine context.
 * @returns The states, sorted by name.
 *
 * @example Usage
 * ```ts
 * import { listLocks } from "./engine.ts";
 * import { openContext } from "./context.ts";
 * for (const state of await listLocks(openContext())) console.log(state.name, state.status);
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
