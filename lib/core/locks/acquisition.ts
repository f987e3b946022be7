/**
 * Waiting for a lock: a FIFO queue of tickets, woken by filesystem
 * notifications (with polling as a fallback), re-judging stale holders and
 * freezes on every wake. One `wait` event is audited per wait [W12].
 *
 * @module
 */

import { makeEvent } from "../../model/audit_event.ts";
import { LockHeldError, WaitTimeoutError } from "../../model/lock_errors.ts";
import { FrozenError } from "../../model/freeze_errors.ts";
import type { WatchTarget } from "../../store/lock_store.ts";
import type { EngineContext } from "../context.ts";
import type { AcquireResult, AcquireSpec } from "./engine.ts";
import type { Looked } from "./engine.ts";
import { claimOf, inspectLock, lookAt, tryAcquire } from "./engine.ts";
import { decideAcquire } from "./decisions.ts";
import { tryAcquireIdle } from "./idle_acquire.ts";
import { ticketContent, ticketLive } from "./waiters.ts";

/** The head of the queue re-checks this often for expiry or a dead holder. */
const HEAD_POLL_MS = 250;
/** Others re-check this often for dead waiters ahead of them. */
const QUEUE_POLL_MS = 1000;
/** A waiter marks its ticket as still waited on this often (well within its 60 s staleness). */
const TICKET_TOUCH_MS = 15_000;

/** What a waiter is told while it waits. */
export interface WaitProgress {
  /** Why it is still waiting (the denial message). */
  message: string;
  /** How long it has waited, in ms. */
  elapsedMs: number;
  /** Its position in the queue (0 = next). */
  position: number;
}

/** Options of {@linkcode acquireWaiting}. */
export interface WaitOptions {
  /** Give up after this many ms. */
  timeoutMs: number;
  /** Aborts the wait. */
  signal?: AbortSignal;
  /** Called when the waiter's situation changes. */
  onProgress?: (progress: WaitProgress) => void;
}

/**
 * Acquires a lock, waiting in FIFO order while it is held or frozen.
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @param spec What to record on acquisition.
 * @param options Timeout, abort signal, progress callback.
 * @returns The acquisition.
 * @throws {WaitTimeoutError} When the timeout passes.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { acquireWaiting } from "./acquisition.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync() });
 * const result = await acquireWaiting(ctx, "build", { ttlMs: 60_000, liveness: "process" }, {
 *   timeoutMs: 30_000,
 * });
 * assert(result.outcome === "acquired");
 * ```
 */
export async function acquireWaiting(
  ctx: EngineContext,
  name: string,
  spec: AcquireSpec,
  options: WaitOptions,
): Promise<AcquireResult> {
  const idle = await tryAcquireIdle(ctx, name, spec);
  if (idle) return idle;
  // Fast path: nobody queued, or nothing new taken (a renewal, a nested run).
  const looked = lookAhead(ctx, name);
  const queued = await waitersAhead(ctx, name, null);
  const first = queued === 0 || await takesNothing(ctx, name, spec)
    ? await tryAsHead(ctx, name, spec, queued === 0 ? looked : undefined)
    : { result: null, message: `${queued} waiter(s) queued ahead`, position: queued };
  if (first.result) return first.result;

  const started = ctx.now();
  const { store, identity } = ctx;
  const ticket = await store.enqueue(name, ticketContent(identity, started, spec.mode));
  await store.appendAudit([
    makeEvent("wait", name, identity, {
      reason: spec.reason,
      ttl_ms: spec.ttlMs,
      detail: { blocked_by: first.message, timeout_ms: options.timeoutMs },
    }, started),
  ]);
  let lastMessage = first.message;
  let touched = started;
  try {
    for (;;) {
      const left = started + options.timeoutMs - ctx.now();
      if (left <= 0) break;
      // Waiters on other machines judge this ticket by its age: keep it young.
      if (ctx.now() - touched >= TICKET_TOUCH_MS) {
        touched = ctx.now();
        await store.touch(name, ticket);
      }
      options.signal?.throwIfAborted();
      // Watch before looking, so a change between the look and the wait is not missed.
      const ahead = await liveTicketsAhead(ctx, name, ticket);
      const target: WatchTarget = ahead.length === 0
        ? { kind: "lock", name }
        : { kind: "ticket", name, id: ahead[ahead.length - 1] as string };
      const watcher = store.watch(target);
      try {
        const waited = { acquireDetail: { ...spec.acquireDetail, waited_ms: ctx.now() - started } };
        const now = ahead.length === 0 ? await tryAsHead(ctx, name, { ...spec, ...waited }) : {
          result: null,
          message: `${ahead.length} waiter(s) queued ahead`,
          position: ahead.length,
        };
        if (now.result) return now.result;
        lastMessage = now.message;
        options.onProgress?.({
          message: now.message,
          elapsedMs: ctx.now() - started,
          position: now.position,
        });
        const poll = target.kind === "lock" ? HEAD_POLL_MS : QUEUE_POLL_MS;
        await watcher.changed(Math.min(poll, Math.max(1, left)), options.signal);
      } finally {
        watcher.close();
      }
    }
    options.signal?.throwIfAborted();
    const waited = ctx.now() - started;
    await store.appendAudit([
      makeEvent("timeout", name, identity, {
        reason: spec.reason,
        detail: { waited_ms: waited, blocked_by: lastMessage },
      }, ctx.now()),
    ]);
    throw new WaitTimeoutError(name, waited, lastMessage);
  } finally {
    await store.dequeue(name, ticket);
  }
}

/**
 * Acquires without waiting. Waiters already queued come first: a free or
 * stale lock with live waiters is denied rather than taken out of turn.
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @param spec What to record.
 * @returns The acquisition.
 * @throws {LockHeldError} When held, or when waiters are queued.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { acquireNow } from "./acquisition.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync() });
 * const { record } = await acquireNow(ctx, "build", { ttlMs: 60_000, liveness: "ttl" });
 * assert(record.fence === 1);
 * ```
 */
export async function acquireNow(
  ctx: EngineContext,
  name: string,
  spec: AcquireSpec,
): Promise<AcquireResult> {
  const idle = await tryAcquireIdle(ctx, name, spec);
  if (idle) return idle;
  const looked = lookAhead(ctx, name);
  const ahead = await waitersAhead(ctx, name, null);
  if (ahead === 0) return await tryAcquire(ctx, name, spec, looked);
  // Waiters come first for anything that takes the name or a place in it
  // (a free or stale name, a slot, a reader's place); a renewal or a nested
  // run takes nothing, and a refusal is the holder's to report.
  const state = await inspectLock(ctx, name);
  const action = decideAcquire(state, claimOf(spec));
  if (["renew", "nested", "deny"].includes(action.kind)) return await tryAcquire(ctx, name, spec);
  await ctx.store.appendAudit([
    makeEvent(
      "deny",
      name,
      ctx.identity,
      { reason: spec.reason, detail: { queued: ahead } },
      ctx.now(),
    ),
  ]);
  throw new LockHeldError(name, state.record, {
    kind: "queued",
    status: state.status,
    queued: ahead,
  });
}

interface Attempt {
  result: AcquireResult | null;
  message: string;
  position: number;
}

/**
 * Whether an acquisition takes nothing new (renews its own hold, or runs
 * nested under one) and so need not queue; a request that could never be
 * granted by waiting (its own shared hold in the way of an exclusive one) is
 * refused at once.
 */
async function takesNothing(ctx: EngineContext, name: string, spec: AcquireSpec) {
  const action = decideAcquire(await inspectLock(ctx, name), claimOf(spec));
  if (action.kind === "deny" && action.error.detail.kind === "upgrade") throw action.error;
  return action.kind === "renew" || action.kind === "nested";
}

/**
 * The freeze and lock read in the same round trip as the queue: with nobody
 * queued, the first try decides on them (its compare-and-swap fails if the
 * lock changed since); otherwise they are dropped.
 */
function lookAhead(ctx: EngineContext, name: string): Promise<Looked> {
  const looked = lookAt(ctx, name);
  looked.catch(() => {}); // Awaited only with nobody queued; its error then comes again.
  return looked;
}

/** One try by a caller with nobody queued ahead of it. */
async function tryAsHead(
  ctx: EngineContext,
  name: string,
  spec: AcquireSpec,
  looked?: Promise<Looked>,
): Promise<Attempt> {
  try {
    return {
      result: await tryAcquire(ctx, name, { ...spec, quietDeny: true }, looked),
      message: "",
      position: 0,
    };
  } catch (err) {
    // Waiting cannot end a refusal by the caller's own shared hold: say so now.
    if (err instanceof LockHeldError && err.detail.kind === "upgrade") throw err;
    if (err instanceof LockHeldError || err instanceof FrozenError) {
      return { result: null, message: err.message, position: 0 };
    }
    throw err;
  }
}

/**
 * Counts the live waiters queued before `ticket` (all of them when `ticket`
 * is `null`), removing the tickets of waiters that died.
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @param ticket The caller's ticket, or `null` for a caller not in the queue.
 * @returns How many live waiters come first.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { waitersAhead } from "./acquisition.ts";
 * import { openContext } from "../context.ts";
 * assert(await waitersAhead(openContext({ root: Deno.makeTempDirSync() }), "build", null) === 0);
 * ```
 */
export async function waitersAhead(
  ctx: EngineContext,
  name: string,
  ticket: string | null,
): Promise<number> {
  return (await liveTicketsAhead(ctx, name, ticket)).length;
}

async function liveTicketsAhead(
  ctx: EngineContext,
  name: string,
  ticket: string | null,
): Promise<string[]> {
  const ahead: string[] = [];
  for (const t of await ctx.store.queue(name)) {
    if (ticket !== null && t.id >= ticket) break;
    if (ticketLive(ctx, t)) ahead.push(t.id);
    else await ctx.store.dequeue(name, t.id);
  }
  return ahead;
}
