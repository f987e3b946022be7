/**
 * Freezes: block every new acquisition of a name, the freezer's own included,
 * until the TTL ends or `unfreeze` [W7]. How a freeze entry is judged, and
 * the race-free freeze and unfreeze operations.
 *
 * @module
 */

import { makeEvent } from "../../model/audit_event.ts";
import { MAX_CAS_ROUNDS } from "../../model/defaults.ts";
import { ContentionError } from "../../model/errors.ts";
import { NotFoundError, NotOwnerError } from "../../model/lock_errors.ts";
import { FrozenError } from "../../model/freeze_errors.ts";
import type { FreezeRecord } from "../../model/freeze_record.ts";
import { parseFreezeRecord } from "../../model/freeze_record.ts";
import { encodeRecord } from "../../model/record_codec.ts";
import type { Entry } from "../../store/lock_store.ts";
import type { EngineContext } from "../context.ts";
import { isoTime } from "../../model/iso_time.ts";

/** The state of one freeze file. */
export interface FreezeState {
  /** The name. */
  name: string;
  /** The record, when readable. */
  record: FreezeRecord | null;
  /** Whether it blocks acquisitions now. */
  active: boolean;
  /** Time left in ms (negative when expired), or `null` when corrupt. */
  expiresInMs: number | null;
  /** Why the file is corrupt, or `null`. */
  corruption: string | null;
}

/**
 * Judges a freeze entry: active until its expiry; a corrupt one (or one naming
 * another name) never blocks.
 *
 * @param name The name.
 * @param entry The stored entry.
 * @param now The current time in ms.
 * @returns Its state.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { judgeFreeze } from "./freezes.ts";
 * const state = judgeFreeze("deploy", { raw: "{", problem: null, mtimeMs: 0, token: "t" }, 0);
 * assert(!state.active && state.corruption === "not a valid freeze record");
 * ```
 */
export function judgeFreeze(name: string, entry: Entry, now: number): FreezeState {
  const record = entry.raw === null ? null : parseFreezeRecord(entry.raw);
  if (!record || record.name.toLowerCase() !== name.toLowerCase()) {
    return {
      name,
      record: null,
      active: false,
      expiresInMs: null,
      corruption: entry.problem ?? "not a valid freeze record",
    };
  }
  const left = Date.parse(record.expires_at) - now;
  return { name, record, active: left > 0, expiresInMs: left, corruption: null };
}

/**
 * Reads and judges a freeze.
 *
 * @param ctx The engine context.
 * @param name The name.
 * @returns Its state, or `null` when there is no freeze file.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { inspectFreeze } from "./freezes.ts";
 * import { openContext } from "../context.ts";
 * assert(await inspectFreeze(openContext({ root: Deno.makeTempDirSync() }), "x") === null);
 * ```
 */
export async function inspectFreeze(ctx: EngineContext, name: string): Promise<FreezeState | null> {
  const entry = await ctx.store.read("freeze", name);
  return entry ? judgeFreeze(name, entry, ctx.now()) : null;
}

/**
 * The active freeze on a name, or `null` (expired or corrupt freezes do not block).
 *
 * @param ctx The engine context.
 * @param name The name.
 * @returns The freeze record, when active.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { activeFreeze, setFreeze } from "./freezes.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync() });
 * await setFreeze(ctx, "deploy", 60_000, "incident");
 * assert((await activeFreeze(ctx, "deploy"))?.reason === "incident");
 * ```
 */
export async function activeFreeze(ctx: EngineContext, name: string): Promise<FreezeRecord | null> {
  const state = await inspectFreeze(ctx, name);
  return state?.active ? state.record : null;
}

/**
 * Every freeze file, judged.
 *
 * @param ctx The engine context.
 * @returns The states, sorted by name.
 *
 * @example Usage
 * ```ts
 * import { listFreezes } from "./freezes.ts";
 * import { openContext } from "../context.ts";
 * for (const f of await listFreezes(openContext())) console.log(f.name, f.active);
 * ```
 */
export async function listFreezes(ctx: EngineContext): Promise<FreezeState[]> {
  const states: FreezeState[] = [];
  for (const name of await ctx.store.list("freeze")) {
    const state = await inspectFreeze(ctx, name);
    if (state) states.push(state);
  }
  return states;
}

/**
 * Freezes a name, or extends the caller's own freeze.
 *
 * @param ctx The engine context.
 * @param name The name.
 * @param ttlMs How long (at least 1 s).
 * @param reason Why, or `null` (an extension keeps the earlier reason).
 * @returns The freeze and whether it was new or extended.
 * @throws {FrozenError} When another owner's freeze is active.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { setFreeze } from "./freezes.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync() });
 * await setFreeze(ctx, "deploy", 60_000, "incident 42");
 * const again = await setFreeze(ctx, "deploy", 120_000, null);
 * assert(again.extended && again.record.reason === "incident 42");
 * ```
 */
export async function setFreeze(
  ctx: EngineContext,
  name: string,
  ttlMs: number,
  reason: string | null,
): Promise<{ record: FreezeRecord; extended: boolean }> {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const entry = await ctx.store.read("freeze", name);
    const state = entry ? judgeFreeze(name, entry, ctx.now()) : null;
    const current = state?.record ?? null;
    if (state?.active && current && current.owner !== ctx.identity.owner) {
      throw new FrozenError(name, current, state.expiresInMs ?? 0, "freeze");
    }
    const extended = Boolean(state?.active && current);
    let written: FreezeRecord | null = null;
    const produce = () => {
      const now = ctx.now();
      const record: FreezeRecord = {
        version: 1,
        name,
        owner: ctx.identity.owner,
        agent_id: ctx.identity.agentId,
        host: ctx.identity.host,
        pid: ctx.identity.pid,
        frozen_at: isoTime(now),
        ttl_ms: ttlMs,
        expires_at: isoTime(now + ttlMs),
        reason: reason ?? (extended ? current?.reason ?? null : null),
      };
      written = record;
      return {
        content: encodeRecord(record),
        audit: [
          makeEvent("freeze", name, ctx.identity, {
            ttl_ms: ttlMs,
            reason: record.reason,
            detail: { extended, expires_at: record.expires_at },
          }, now),
        ],
      };
    };
    const ok = entry
      ? await ctx.store.compareAndReplace("freeze", name, entry.token, produce, {
        freshFence: false,
      })
      : await ctx.store.createIfAbsent("freeze", name, produce, { freshFence: false });
    if (ok && written) return { record: written, extended };
  }
  throw new ContentionError("freeze", name);
}

/**
 * Lifts a freeze: its owner, or anyone with `force` (a corrupt freeze file only with `force`).
 *
 * @param ctx The engine context.
 * @param name The name.
 * @param force Lift another owner's freeze (audited as `force-unfreeze`).
 * @returns The lifted freeze (`null` when the file was corrupt) and the event recorded.
 * @throws {NotFoundError} When no active freeze exists.
 * @throws {NotOwnerError} When someone else froze it and `force` is off.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { liftFreeze, setFreeze } from "./freezes.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync() });
 * await setFreeze(ctx, "deploy", 60_000, null);
 * assert((await liftFreeze(ctx, "deploy", false)).event === "unfreeze");
 * ```
 */
export async function liftFreeze(
  ctx: EngineContext,
  name: string,
  force: boolean,
): Promise<{ record: FreezeRecord | null; event: "unfreeze" | "force-unfreeze" }> {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const entry = await ctx.store.read("freeze", name);
    const state = entry ? judgeFreeze(name, entry, ctx.now()) : null;
    if (!entry || !state || (!state.active && !(state.corruption && force))) {
      throw new NotFoundError("freeze", name);
    }
    const record = state.record;
    const mine = record?.owner === ctx.identity.owner;
    if (!mine && !force) {
      throw new NotOwnerError("freeze", name, record?.owner ?? null, ctx.identity.owner);
    }
    const event = mine ? "unfreeze" : "force-unfreeze";
    const ok = await ctx.store.compareAndRemove("freeze", name, entry.token, [
      makeEvent(event, name, ctx.identity, {
        reason: record?.reason,
        detail: { frozen_by: record?.owner ?? null, corrupt: state.corruption },
      }, ctx.now()),
    ]);
    if (ok) return { record, event };
  }
  throw new ContentionError("unfreeze", name);
}
