/**
 * The lock engine: race-free acquire, renew, release and break on a
 * {@linkcode LockStore}. Every operation reads, judges (`judge.ts`), and then
 * compare-and-swaps exactly what it judged; if anything changed in between,
 * the swap fails and it judges again [W3][W5].
 *
 * @module
 */

import { holderDetail, makeEvent } from "../../model/audit_event.ts";
import { MAX_CAS_ROUNDS } from "../../model/defaults.ts";
import { ContentionError } from "../../model/errors.ts";
import { FrozenError } from "../../model/freeze_errors.ts";
import type { FreezeRecord } from "../../model/freeze_record.ts";
import type { LockRecord, RecordSpec } from "../../model/lock_record.ts";
import type { EngineContext } from "../context.ts";
import { activeFreeze } from "../freezes/freezes.ts";
import type { LockState, StaleBreak } from "./judge.ts";
import type { Claim } from "./decisions.ts";
import { decideAcquire, decideRelease } from "./decisions.ts";
import { judge } from "./judge.ts";
import { acquisition, renewal } from "./transitions.ts";
import type { Change } from "./multi_hold_transitions.ts";
import { departure, withUpdated } from "./multi_hold_transitions.ts";
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
 * import assert from "node:assert";
 * import { inspectLock } from "./engine.ts";
 * import { openContext } from "../context.ts";
 * const state = await inspectLock(openContext({ root: Deno.makeTempDirSync() }), "build");
 * assert(state.status === "free");
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
 * import assert from "node:assert";
 * import { tryAcquire } from "./engine.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync(), owner: "agent-1" });
 * const { record } = await tryAcquire(ctx, "build", { ttlMs: 60_000, liveness: "ttl" });
 * assert(record.fence === 1 && record.owner === "agent-1");
 * ```
 */
export async function tryAcquire(
  ctx: EngineContext,
  name: string,
  spec: AcquireSpec,
  looked?: Promise<Looked>,
): Promise<AcquireResult> {
  const { store, identity } = ctx;
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const [freeze, state] = await (round === 0 && looked ? looked : lookAt(ctx, name));
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
    const action = decideAcquire(state, claimOf(spec));
    if (action.kind === "nested") return { record: action.record, outcome: "nested", broke: null };
    let written: Written | null = null;
    // A store may produce before it compares (Redis runs the compare on the
    // server): only its answer says whether the write happened.
    let wrote = false;
    if (action.kind === "deny") {
      if (!spec.quietDeny) await store.appendAudit([denyEvent(ctx, state, spec)]);
      throw action.error;
    } else if (action.kind === "create") {
      wrote = await store.createIfAbsent("lock", name, (fence) => {
        written = acquisition(state, fence, identity, spec, ctx.now(), spec.acquireDetail);
        return written;
      }, { freshFence: true });
    } else if (action.kind === "renew") {
      wrote = await store.compareAndReplace("lock", name, state.entry!.token, () => {
        const renewed = renewal(action.record, spec.ttlMs, identity, ctx.now(), {
          reason: spec.reason,
          restate: spec,
        });
        written = { ...renewed, content: withUpdated(state, renewed.record) };
        return written;
      }, { freshFence: false });
    } else {
      // A take-over replaces what is stale; a join keeps the valid holds beside the new one.
      wrote = await store.compareAndReplace("lock", name, state.entry!.token, (fence) => {
        written = acquisition(state, fence, identity, spec, ctx.now(), spec.acquireDetail);
        return written;
      }, { freshFence: true });
    }
    const done = written as Written | null;
    if (wrote && done) {
      return {
        record: done.record,
        outcome: action.kind === "renew" ? "renewed" : "acquired",
        broke: action.kind === "take-over" ? { event: action.event, previous: state.record } : null,
      };
    }
  }
  throw new ContentionError("acquire", name);
}

/** A name's freeze and its judged lock, read together. */
export type Looked = [FreezeRecord | null, LockState];

/**
 * Reads a name's freeze and lock together: one round trip to a shared server
 * (with whatever else the caller asks for in the same turn, such as the
 * queue), for {@linkcode tryAcquire}'s first round.
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @returns The freeze (or `null`) and the judged lock.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { lookAt } from "./engine.ts";
 * import { openContext } from "../context.ts";
 * const [freeze, state] = await lookAt(openContext({ root: Deno.makeTempDirSync() }), "x");
 * assert(freeze === null && state.status === "free");
 * ```
 */
export function lookAt(ctx: EngineContext, name: string): Promise<Looked> {
  return Promise.all([activeFreeze(ctx, name), inspectLock(ctx, name)]);
}

/**
 * What an acquisition claims, for the decisions: its kind of hold, the hold
 * it inherited, its mode.
 *
 * @param spec The acquisition.
 * @returns The claim.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { claimOf } from "./engine.ts";
 * assert(claimOf({ ttlMs: null, liveness: "process" }).hold === "instance");
 * ```
 */
export function claimOf(spec: AcquireSpec): Claim {
  return {
    hold: spec.hold ?? (spec.liveness === "ttl" ? "owner" : "instance"),
    inherited: spec.inherited ?? null,
    mode: spec.mode,
    slots: spec.slots,
  };
}

function denyEvent(ctx: EngineContext, state: LockState, spec: AcquireSpec) {
  return makeEvent("deny", state.name, ctx.identity, {
    reason: spec.reason,
    detail: state.record ? holderDetail(state.record, "holder") : state.mode !== "exclusive"
      ? {
        mode: state.mode,
        slots: state.slots,
        holder_owners: state.holds.filter((h) => h.status === "held").map((h) => h.record.owner),
      }
      : { corrupt: state.corruption },
  }, ctx.now());
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
 * import assert from "node:assert";
 * import { releaseLock, tryAcquire } from "./engine.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync() });
 * await tryAcquire(ctx, "build", { ttlMs: 60_000, liveness: "ttl" });
 * assert((await releaseLock(ctx, "build")).name === "build");
 * ```
 */
export async function releaseLock(
  ctx: EngineContext,
  name: string,
  options: { lockId?: string; detail?: Record<string, unknown>; inherited?: string | null } = {},
): Promise<LockRecord> {
  // A server's store keeps the entry this process last wrote: decided on it,
  // the compare-and-swap saves a read, and fails if the entry changed since.
  const known = ctx.store.known("lock", name);
  if (known) {
    const state = judge(name, known, ctx.identity, ctx.now());
    const released = await releaseOn(ctx, state, options).catch(() => null);
    if (released) return released;
  }
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const released = await releaseOn(ctx, await inspectLock(ctx, name), options);
    if (released) return released;
  }
  throw new ContentionError("release", name);
}

async function releaseOn(
  ctx: EngineContext,
  state: LockState,
  options: { lockId?: string; detail?: Record<string, unknown>; inherited?: string | null },
): Promise<LockRecord | null> {
  const record = decideRelease(state, ctx.identity.owner, options.lockId, options.inherited);
  const change = departure(state, record, ctx.identity, ctx.now(), options.detail ?? null);
  return await applyChange(ctx, state, change) ? record : null;
}

/**
 * Writes a change of the judged entry: its new content, or its removal once
 * no hold is left — compared against the entry judged, so nothing written
 * meanwhile is overwritten.
 *
 * @param ctx The engine context.
 * @param state The judged state the change was made on.
 * @param change The content and events.
 * @returns Whether it was written (`false`: the entry changed; judge again).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { applyChange, inspectLock, tryAcquire } from "./engine.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync() });
 * await tryAcquire(ctx, "x", { ttlMs: 60_000, liveness: "ttl" });
 * assert(await applyChange(ctx, await inspectLock(ctx, "x"), { content: null, audit: [] }));
 * ```
 */
export function applyChange(
  ctx: EngineContext,
  state: LockState,
  change: Change,
): Promise<boolean> {
  const token = state.entry!.token;
  if (change.content === null) {
    return ctx.store.compareAndRemove("lock", state.name, token, change.audit);
  }
  const produced = { content: change.content, audit: change.audit };
  return ctx.store.compareAndReplace("lock", state.name, token, () => produced, {
    freshFence: false,
  });
}
