/**
 * Freezes: block every new acquisition of a name, the freezer's own included,
 * until the TTL ends or `unfreeze` [W7].
 *
 * @module
 */

import { makeEvent } from "../model/audit_event.ts";
import type { EngineContext } from "./engine.ts";
import { formatDuration } from "../model/duration.ts";
import { FrozenError, LoktError, NotFoundError, NotOwnerError } from "../model/errors.ts";
import type { FreezeRecord } from "../model/freeze_record.ts";
import { parseFreezeRecord } from "../model/freeze_record.ts";
import { encodeRecord } from "../model/lock_record.ts";

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
 * Reads and judges a freeze.
 *
 * @param ctx The engine context.
 * @param name The name.
 * @returns Its state, or `null` when there is no freeze file.
 *
 * @example Usage
 * ```ts ignore
 * import { inspectFreeze } from "./freeze_ops.ts";
 * ```
 */
export async function inspectFreeze(ctx: EngineContext, name: string): Promise<FreezeState | null> {
  const entry = await ctx.store.read("freeze", name);
  if (!entry) return null;
  const record = entry.raw === null ? null : parseFreezeRecord(entry.raw);
  if (!record || record.name !== name) {
    return {
      name,
      record: null,
      active: false,
      expiresInMs: null,
      corruption: entry.problem ?? "not a valid freeze record",
    };
  }
  const left = Date.parse(record.expires_at) - ctx.now();
  return { name, record, active: left > 0, expiresInMs: left, corruption: null };
}

/**
 * Every freeze file, judged.
 *
 * @param ctx The engine context.
 * @returns The states, sorted by name.
 *
 * @example Usage
 * ```ts ignore
 * import { listFreezes } from "./freeze_ops.ts";
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
 * @param reason Why, or `null`.
 * @returns The freeze and whether it was new or extended.
 * @throws {FrozenError} When another owner's freeze is active.
 *
 * @example Usage
 * ```ts ignore
 * import { setFreeze } from "./freeze_ops.ts";
 * ```
 */
export async function setFreeze(
  ctx: EngineContext,
  name: string,
  ttlMs: number,
  reason: string | null,
): Promise<{ record: FreezeRecord; extended: boolean }> {
  for (let round = 0; round < 100; round++) {
    const entry = await ctx.store.read("freeze", name);
    const state = await inspectFreeze(ctx, name);
    const current = state?.record ?? null;
    if (state?.active && current && current.owner !== ctx.identity.owner) {
      throw new FrozenError(
        name,
        current,
        `"${name}" is already frozen by ${current.owner}${
          current.reason ? ` (${current.reason})` : ""
        } for ${formatDuration(state.expiresInMs ?? 0)} more`,
      );
    }
    const extended = Boolean(state?.active && current);
    let written: FreezeRecord | null = null;
    const produce = () => {
      const now = ctx.now();
      written = {
        version: 1,
        name,
        owner: ctx.identity.owner,
        agent_id: ctx.identity.agentId,
        host: ctx.identity.host,
        pid: ctx.identity.pid,
        frozen_at: new Date(now).toISOString(),
        ttl_ms: ttlMs,
        expires_at: new Date(now + ttlMs).toISOString(),
        reason: reason ?? (extended ? current?.reason ?? null : null),
      };
      return {
        content: encodeRecord(written),
        audit: [
          makeEvent("freeze", name, ctx.identity, {
            ttl_ms: ttlMs,
            reason: written.reason,
            detail: { extended, expires_at: written.expires_at },
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
  throw new LoktError(`Could not freeze "${name}": the record kept changing`);
}

/**
 * Lifts a freeze: its owner, or anyone with `force`.
 *
 * @param ctx The engine context.
 * @param name The name.
 * @param force Lift another owner's freeze (audited as `force-unfreeze`).
 * @returns The lifted freeze (`null` when the file was corrupt).
 * @throws {NotFoundError} When no active freeze exists.
 * @throws {NotOwnerError} When someone else froze it and `force` is off.
 *
 * @example Usage
 * ```ts ignore
 * import { liftFreeze } from "./freeze_ops.ts";
 * ```
 */
export async function liftFreeze(
  ctx: EngineContext,
  name: string,
  force: boolean,
): Promise<{ record: FreezeRecord | null; event: "unfreeze" | "force-unfreeze" }> {
  for (let round = 0; round < 100; round++) {
    const entry = await ctx.store.read("freeze", name);
    const state = await inspectFreeze(ctx, name);
    if (!entry || !state || (!state.active && !(state.corruption && force))) {
      throw new NotFoundError(`"${name}" is not frozen`);
    }
    const record = state.record;
    const mine = record?.owner === ctx.identity.owner;
    if (!mine && !force) {
      throw new NotOwnerError(
        `"${name}" was frozen by ${
          record?.owner ?? "an unreadable record"
        }, not by you; use 'lokt unfreeze ${name} --force'`,
      );
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
  throw new LoktError(`Could not unfreeze "${name}": the record kept changing`);
}
