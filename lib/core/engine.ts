/**
 * The lock engine: judges records and performs race-free acquire, renew,
 * release and break operations on a {@linkcode LockStore}.
 *
 * Every decision is "read, judge, compare-and-swap on what was judged": if
 * anything changed in between, the swap fails and the engine judges again.
 *
 * @module
 */

import { holderDetail, makeEvent, recordEvent } from "../model/audit_event.ts";
import type { AuditEvent } from "../model/audit_event.ts";
import { formatDuration } from "../model/duration.ts";
import {
  FrozenError,
  LockHeldError,
  LockLostError,
  LoktError,
  NotFoundError,
  NotOwnerError,
  NotStaleError,
} from "../model/errors.ts";
import type { FreezeRecord } from "../model/freeze_record.ts";
import { inspectFreeze } from "./freeze_ops.ts";
import type { Identity } from "../sys/identity.ts";
import { probeProcess } from "../sys/liveness.ts";
import type { LockRecord, RecordSpec } from "../model/lock_record.ts";
import { encodeRecord, newRecord, parseLockRecord } from "../model/lock_record.ts";
import type { Entry, LockStore } from "../store/lock_store.ts";

/** Clock-skew tolerance when judging expiry (SPEC §5, at most 10 s). */
export const SKEW_MS = 1000;
/** How old a corrupt record must be before an acquirer replaces it (at most 10 s). */
export const CORRUPT_GRACE_MS = 5000;

/** What the engine needs: where state lives, who acts, and the clock. */
export interface EngineContext {
  /** The storage backend. */
  store: LockStore;
  /** The acting identity. */
  identity: Identity;
  /** The clock (ms since epoch). */
  now: () => number;
}

/** The liveness verdict on a holder, as shown by `status`. */
export type HolderLiveness = "alive" | "dead" | "ttl-only" | "unknown-host" | "unknown";

/** The judged state of one lock name. */
export interface LockState {
  /** The lock name. */
  name: string;
  /** free, held (valid holder), expired, dead (holder gone), corrupt. */
  status: "free" | "held" | "expired" | "dead" | "corrupt";
  /** The record, when readable. */
  record: LockRecord | null;
  /** The raw entry, when present. */
  entry: Entry | null;
  /** Liveness verdict, when a record exists. */
  liveness: HolderLiveness | null;
  /** Whether the acting identity owns it. */
  mine: boolean;
  /** Time since acquisition, in ms. */
  ageMs: number | null;
  /** Time until expiry (negative when past), or `null` without TTL. */
  expiresInMs: number | null;
  /** A clock problem seen in the record, or `null`. */
  clockSkew: string | null;
  /** Why the record is corrupt, or `null`. */
  corruption: string | null;
  /**
   * For corrupt records: ms until an acquirer may replace it (0 = now);
   * `null` for records an acquirer never replaces (written by a newer lokt).
   */
  graceLeftMs: number | null;
}

/** What an acquisition records. */
export interface AcquireSpec extends RecordSpec {
  /** Skip the audit `deny` event (while waiting). */
  quietDeny?: boolean;
}

/** The result of an acquisition. */
export interface AcquireResult {
  /** The record now stored. */
  record: LockRecord;
  /** `acquired` for a new acquisition, `renewed` for a re-acquisition by its owner. */
  outcome: "acquired" | "renewed";
  /** The stale or corrupt record that was replaced, if any. */
  broke:
    | { event: "expire-break" | "dead-break" | "corrupt-break"; previous: LockRecord | null }
    | null;
}

/**
 * Judges the state of a lock from its stored entry.
 *
 * @param name The lock name.
 * @param entry The stored entry, or `null`.
 * @param identity Who is asking.
 * @param now The current time in ms.
 * @returns The judged state.
 *
 * @example Usage
 * ```ts ignore
 * import { judge } from "./engine.ts";
 * ```
 */
export function judge(
  name: string,
  entry: Entry | null,
  identity: Identity,
  now: number,
): LockState {
  const state: LockState = {
    name,
    status: "free",
    record: null,
    entry,
    liveness: null,
    mine: false,
    ageMs: null,
    expiresInMs: null,
    clockSkew: null,
    corruption: null,
    graceLeftMs: null,
  };
  if (!entry) return state;
  const record = entry.raw === null ? null : parseLockRecord(entry.raw);
  if (!record || record.name !== name) {
    state.status = "corrupt";
    state.corruption = entry.problem ??
      (record
        ? `names another lock (${JSON.stringify(record.name)})`
        : corruptionOf(entry.raw ?? ""));
    const newer = newerVersion(entry.raw);
    if (newer !== null) {
      // A newer lokt's record may be a live lock in a format we cannot judge.
      state.corruption =
        `written by a newer lokt (record version ${newer}); only 'lokt unlock ${name} --force' removes it`;
      return state;
    }
    state.graceLeftMs = Math.max(0, entry.mtimeMs + CORRUPT_GRACE_MS - now);
    return state;
  }
  state.record = record;
  state.mine = record.owner === identity.owner;
  const acquiredAt = Date.parse(record.acquired_at);
  state.ageMs = now - acquiredAt;
  const expiry = effectiveExpiry(record, entry, now);
  if (Date.parse(record.renewed_at) > now + SKEW_MS) {
    state.clockSkew =
      `renewed_at ${record.renewed_at} is in the future; expiry judged from the file time`;
  } else if (acquiredAt > now + SKEW_MS) {
    state.clockSkew = `acquired_at ${record.acquired_at} is in the future`;
  }
  state.expiresInMs = expiry === null ? null : expiry - now;
  state.liveness = livenessOf(record, identity);
  if (state.liveness === "dead") state.status = "dead";
  else if (expiry !== null && now > expiry + SKEW_MS) state.status = "expired";
  else state.status = "held";
  return state;
}

/**
 * When a record expires. The writer's clock is trusted only as far as the
 * file's own modification time (the storage clock) agrees: a record dated in
 * the past does not expire before its TTL has passed since it was written, and
 * a record dated in the future is judged from the file time alone [W13].
 */
function effectiveExpiry(record: LockRecord, entry: Entry, now: number): number | null {
  if (record.ttl_ms === null || record.expires_at === null) return null;
  const byFile = entry.mtimeMs + record.ttl_ms;
  if (Date.parse(record.renewed_at) > now + SKEW_MS) return byFile;
  return Math.max(Date.parse(record.expires_at), byFile);
}

function livenessOf(record: LockRecord, identity: Identity): HolderLiveness {
  if (record.liveness === "ttl") return "ttl-only";
  if (record.machine_id !== identity.machineId) return "unknown-host";
  return probeProcess(record.pid, record.pid_start);
}

function newerVersion(raw: string | null): number | null {
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw);
    const version = value?.version;
    return typeof value === "object" && typeof version === "number" && version > 1 ? version : null;
  } catch {
    return null;
  }
}

/**
 * When a corrupt record may be replaced, in words.
 *
 * @param state A corrupt lock's state.
 * @returns E.g. `in 3s`, `now`, or `never automatically`.
 *
 * @example Usage
 * ```ts ignore
 * import { replaceableIn } from "./engine.ts";
 * ```
 */
export function replaceableIn(state: LockState): string {
  if (state.graceLeftMs === null) return "never automatically";
  return state.graceLeftMs === 0 ? "now" : `in ${formatDuration(state.graceLeftMs)}`;
}

function corruptionOf(raw: string): string {
  if (raw.trim() === "") return "empty record";
  try {
    JSON.parse(raw);
    return "not a valid lock record (wrong schema or version)";
  } catch {
    return "not valid JSON (truncated or garbage)";
  }
}

/**
 * Reads and judges a lock.
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @returns The judged state.
 *
 * @example Usage
 * ```ts ignore
 * import { inspectLock } from "./engine.ts";
 * ```
 */
export async function inspectLock(ctx: EngineContext, name: string): Promise<LockState> {
  return judge(name, await ctx.store.read("lock", name), ctx.identity, ctx.now());
}

/**
 * The active freeze on a name, or `null` (expired or corrupt freezes do not block).
 *
 * @param ctx The engine context.
 * @param name The name.
 * @returns The freeze record, when active.
 *
 * @example Usage
 * ```ts ignore
 * import { activeFreeze } from "./engine.ts";
 * ```
 */
export async function activeFreeze(ctx: EngineContext, name: string): Promise<FreezeRecord | null> {
  const state = await inspectFreeze(ctx, name);
  return state?.active ? state.record : null;
}

/**
 * The message of a freeze denial.
 *
 * @param freeze The active freeze.
 * @param now The current time in ms.
 * @returns A one-line message.
 *
 * @example Usage
 * ```ts ignore
 * import { frozenMessage } from "./engine.ts";
 * ```
 */
export function frozenMessage(freeze: FreezeRecord, now: number): string {
  const why = freeze.reason ? ` (${freeze.reason})` : "";
  return `"${freeze.name}" is frozen by ${freeze.owner}${why} for ${
    formatDuration(Date.parse(freeze.expires_at) - now)
  } more; run 'lokt why ${freeze.name}'`;
}

/**
 * The denial message naming holder, agent, host, pid, age and time left.
 *
 * @param state The judged state of a held lock.
 * @returns A one-line message.
 *
 * @example Usage
 * ```ts ignore
 * import { heldMessage } from "./engine.ts";
 * ```
 */
export function heldMessage(state: LockState): string {
  const r = state.record;
  if (!r) {
    return `lock "${state.name}" has a corrupt record (${state.corruption}); it can be replaced ${
      replaceableIn(state)
    }; run 'lokt why ${state.name}'`;
  }
  const left = state.expiresInMs === null
    ? "no expiry while its process lives"
    : `expires in ${formatDuration(state.expiresInMs)}`;
  return `lock "${r.name}" held by ${r.owner} (agent ${r.agent_id}, host ${r.host}, pid ${r.pid}) for ${
    formatDuration(state.ageMs ?? 0)
  } — ${left}; run 'lokt why ${r.name}'`;
}

function refreshed(record: LockRecord, ttlMs: number | null, now: number, reason?: string | null) {
  return {
    ...record,
    renewed_at: new Date(now).toISOString(),
    ttl_ms: ttlMs,
    expires_at: ttlMs === null ? null : new Date(now + ttlMs).toISOString(),
    reason: reason ?? record.reason,
  };
}

const MAX_ROUNDS = 100;

/**
 * Tries once to acquire a lock: free, stale (expired, dead holder, corrupt
 * past its grace period) and own locks are taken; anything else is denied.
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @param spec What to record.
 * @returns What was acquired.
 * @throws {LockHeldError} When another owner holds it.
 * @throws {FrozenError} When the name is frozen.
 *
 * @example Usage
 * ```ts ignore
 * import { tryAcquire } from "./engine.ts";
 * ```
 */
export async function tryAcquire(
  ctx: EngineContext,
  name: string,
  spec: AcquireSpec,
): Promise<AcquireResult> {
  const { store, identity } = ctx;
  for (let round = 0; round < MAX_ROUNDS; round++) {
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
      throw new FrozenError(name, freeze, frozenMessage(freeze, ctx.now()));
    }
    const state = await inspectLock(ctx, name);
    let result: AcquireResult | null = null;
    const take = (fence: number, events: (record: LockRecord) => AuditEvent[]) => {
      const now = ctx.now();
      const record = newRecord(name, fence, identity, spec, now);
      result = { record, outcome: "acquired", broke: null };
      return { content: encodeRecord(record), audit: events(record) };
    };
    const acquireEvent = (record: LockRecord, detail: Record<string, unknown> | null = null) =>
      recordEvent("acquire", record, identity, ctx.now(), detail);

    if (state.status === "free") {
      await store.createIfAbsent("lock", name, (fence) => take(fence, (r) => [acquireEvent(r)]), {
        freshFence: true,
      });
    } else if (state.status === "held" && state.mine && state.record) {
      const current = state.record;
      await store.compareAndReplace("lock", name, state.entry!.token, () => {
        const record = refreshed(current, spec.ttlMs, ctx.now(), spec.reason);
        result = { record, outcome: "renewed", broke: null };
        return {
          content: encodeRecord(record),
          audit: [recordEvent("renew", record, identity, ctx.now())],
        };
      }, { freshFence: false });
    } else if (
      state.status === "expired" || state.status === "dead" ||
      (state.status === "corrupt" && state.graceLeftMs === 0)
    ) {
      const event = state.status === "expired"
        ? "expire-break"
        : state.status === "dead"
        ? "dead-break"
        : "corrupt-break";
      const previous = state.record;
      const detail = breakDetail(state);
      await store.compareAndReplace("lock", name, state.entry!.token, (fence) => {
        const produced = take(fence, (r) => [
          makeEvent(event, name, identity, { detail }, ctx.now()),
          acquireEvent(r, { took_over: event }),
        ]);
        result!.broke = { event, previous };
        return produced;
      }, { freshFence: true });
    } else {
      if (!spec.quietDeny) {
        await store.appendAudit([
          makeEvent("deny", name, identity, {
            reason: spec.reason,
            detail: state.record
              ? holderDetail(state.record, "holder")
              : { corrupt: state.corruption },
          }, ctx.now()),
        ]);
      }
      throw new LockHeldError(name, state.record, heldMessage(state));
    }
    if (result) return result;
  }
  throw new LoktError(`Could not acquire "${name}": the record kept changing (heavy contention)`);
}

function breakDetail(state: LockState): Record<string, unknown> {
  if (state.record) {
    return {
      ...holderDetail(state.record),
      liveness: state.liveness,
      expired_ms_ago: state.expiresInMs === null ? null : -state.expiresInMs,
    };
  }
  return { corrupt: state.corruption };
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
 * ```ts ignore
 * import { renewLock } from "./engine.ts";
 * ```
 */
export async function renewLock(
  ctx: EngineContext,
  name: string,
  lockId: string,
  options: { ttlMs: number | null; audit: boolean },
): Promise<LockRecord> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const entry = await ctx.store.read("lock", name);
    const record = entry?.raw ? parseLockRecord(entry.raw) : null;
    if (!entry || !record || record.lock_id !== lockId) {
      throw new LockLostError(name, lostMessage(name, record));
    }
    let renewed: LockRecord | null = null;
    const ok = await ctx.store.compareAndReplace("lock", name, entry.token, () => {
      renewed = refreshed(record, options.ttlMs, ctx.now());
      return {
        content: encodeRecord(renewed),
        audit: options.audit ? [recordEvent("renew", renewed, ctx.identity, ctx.now())] : [],
      };
    }, { freshFence: false });
    if (ok && renewed) return renewed;
  }
  throw new LoktError(`Could not renew "${name}": the record kept changing`);
}

function lostMessage(name: string, current: LockRecord | null): string {
  return current
    ? `lock "${name}" was lost: it is now held by ${current.owner} (pid ${current.pid})`
    : `lock "${name}" was lost: its record was removed or broken`;
}

/**
 * Releases a lock held by the acting owner (and, with `lockId`, only that
 * exact acquisition, so a lost holder never deletes its successor's record).
 *
 * @param ctx The engine context.
 * @param name The lock name.
 * @param options `lockId` to release one acquisition only.
 * @returns The released record.
 * @throws {NotFoundError} When not held.
 * @throws {NotOwnerError} When held by another owner.
 * @throws {LockLostError} When `lockId` no longer matches.
 *
 * @example Usage
 * ```ts ignore
 * import { releaseLock } from "./engine.ts";
 * ```
 */
export async function releaseLock(
  ctx: EngineContext,
  name: string,
  options: { lockId?: string } = {},
): Promise<LockRecord> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const state = await inspectLock(ctx, name);
    const record = state.record;
    if (state.status === "free") {
      if (options.lockId) throw new LockLostError(name, lostMessage(name, null));
      throw new NotFoundError(`lock "${name}" is not held`);
    }
    if (!record) {
      throw new LoktError(
        `lock "${name}" has a corrupt record (${state.corruption}); remove it with 'lokt unlock ${name} --force'`,
      );
    }
    if (options.lockId !== undefined && record.lock_id !== options.lockId) {
      throw new LockLostError(name, lostMessage(name, record));
    }
    if (!state.mine) {
      throw new NotOwnerError(
        `lock "${name}" is held by ${record.owner}, not by you (${ctx.identity.owner}); use 'lokt unlock ${name} --force' to break it`,
      );
    }
    const ok = await ctx.store.compareAndRemove("lock", name, state.entry!.token, [
      recordEvent("release", record, ctx.identity, ctx.now()),
    ]);
    if (ok) return record;
  }
  throw new LoktError(`Could not release "${name}": the record kept changing`);
}

/** The result of breaking a lock. */
export interface BreakResult {
  /** The lock name. */
  name: string;
  /** The event recorded. */
  event: "expire-break" | "dead-break" | "corrupt-break" | "force-break";
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
 * ```ts ignore
 * import { breakLock } from "./engine.ts";
 * ```
 */
export async function breakLock(
  ctx: EngineContext,
  name: string,
  mode: "stale" | "force",
): Promise<BreakResult> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const state = await inspectLock(ctx, name);
    if (state.status === "free") throw new NotFoundError(`lock "${name}" is not held`);
    let event: BreakResult["event"];
    if (mode === "force") event = "force-break";
    else if (state.status === "expired") event = "expire-break";
    else if (state.status === "dead") event = "dead-break";
    else if (state.status === "corrupt" && state.graceLeftMs === 0) event = "corrupt-break";
    else if (state.status === "corrupt") {
      throw new NotStaleError(
        state.graceLeftMs === null
          ? `lock "${name}" has a record of a newer lokt; use --force to remove it`
          : `lock "${name}" has a corrupt record that may still be being written; retry in ${
            formatDuration(state.graceLeftMs)
          } or use --force`,
      );
    } else {
      throw new NotStaleError(
        `${heldMessage(state)} — it is not stale; use --force to break it anyway`,
      );
    }
    const detail = breakDetail(state);
    const ok = await ctx.store.compareAndRemove("lock", name, state.entry!.token, [
      makeEvent(event, name, ctx.identity, {
        lock_id: state.record?.lock_id,
        fence: state.record?.fence,
        detail,
      }, ctx.now()),
    ]);
    if (ok) return { name, event, previous: state.record, corruption: state.corruption };
  }
  throw new LoktError(`Could not break "${name}": the record kept changing`);
}

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
 * ```ts ignore
 * import { releaseAllOf } from "./engine.ts";
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

/**
 * Reads and judges every lock.
 *
 * @param ctx The engine context.
 * @returns The states, sorted by name.
 *
 * @example Usage
 * ```ts ignore
 * import { listLocks } from "./engine.ts";
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
