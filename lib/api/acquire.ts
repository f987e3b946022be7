/**
 * The library's acquisition functions: `acquire` and `withLock`. They apply
 * `lokt.jsonc` (per-name policies, default timeout) through the same policy
 * as the CLI.
 *
 * @module
 */

import { openContext } from "../core/context.ts";
import type { ContextOptions } from "../core/context.ts";
import { inspectLock } from "../core/locks/engine.ts";
import { Lock } from "../core/locks/lock_handle.ts";
import type { LockRecord } from "../model/lock_record.ts";
import { acquireForRequest } from "../core/locks/lock_request.ts";
import { refuseReacquire } from "../core/locks/decisions.ts";
import type { LockLostError } from "../model/record_errors.ts";
import { UsageError } from "../model/errors.ts";
import { validateName } from "../model/name.ts";
import { optionsOf } from "./options.ts";

/** Options of {@linkcode acquire}. */
export interface AcquireOptions extends ContextOptions {
  /**
   * Time to live (`"5m"` or milliseconds). With a TTL the lock is renewed at
   * TTL/2 while the handle lives. Without one (and without a `ttl` for the
   * name in `lokt.jsonc`), the lock lasts while this process lives — on a
   * shared server, which cannot judge this process, with a 30 s lease renewed
   * the same way.
   * @default {undefined}
   */
  ttl?: string | number;
  /** Wait while the lock is held or frozen. @default {false, or the name's policy in lokt.jsonc} */
  wait?: boolean;
  /** Give up waiting after this long (`"30s"` or ms); implies `wait`. @default {"10m", or lokt.jsonc} */
  timeout?: string | number;
  /** Why the lock is taken, recorded in the record and the audit trail. */
  reason?: string;
  /**
   * Take one of this many slots of a counting semaphore (2–64); `lock.slot`
   * says which. Every holder of the name must ask for the same number.
   * @default {undefined, or the name's policy in lokt.jsonc}
   */
  slots?: number;
  /**
   * `true`: a shared (reader) hold, beside other readers and never beside an
   * exclusive holder; `false`: an exclusive hold even where `lokt.jsonc` says shared.
   * @default {undefined: exclusive, or the name's policy in lokt.jsonc}
   */
  shared?: boolean;
  /** Aborts waiting. */
  signal?: AbortSignal;
  /** Renew and watch the lock while held. @default {true} */
  heartbeat?: boolean;
  /** Called once if the lock is lost (also signalled by `lock.signal`). */
  onLost?: (error: LockLostError) => void;
}

/**
 * Acquires a lock held by this process. It is freed when released, when the
 * process dies, or when its TTL passes without renewal.
 *
 * @param name The lock name (`[A-Za-z0-9._-]`, 1–128 characters).
 * @param options TTL, waiting, reason, root and owner.
 * @returns The held lock.
 * @throws {LockHeldError} When held by another owner (and not waiting).
 * @throws {FrozenError} When the name is frozen (and not waiting).
 * @throws {WaitTimeoutError} When waiting timed out.
 *
 * @example Usage
 * ```ts ignore
 * import { acquire } from "jsr:@lokt/cli";
 * await using lock = await acquire("build", { ttl: "5m", wait: true });
 * console.log(`building with fence ${lock.fence}`);
 * ```
 *
 * @example Two agents, one lock
 * ```ts
 * import assert from "node:assert";
 * import { acquire } from "./acquire.ts";
 * import { LockHeldError } from "../model/lock_errors.ts";
 * const root = Deno.makeTempDirSync();
 * await using lock = await acquire("build", { root, owner: "agent-1", ttl: "5m" });
 * await assert.rejects(acquire("build", { root, owner: "agent-2" }), LockHeldError);
 * assert.equal(lock.record.owner, "agent-1");
 * ```
 */
export async function acquire(name: string, options: AcquireOptions = {}): Promise<Lock> {
  options = optionsOf(options, "acquire");
  name = validateName(name);
  const ctx = openContext({ ...options, takes: true });
  // A second acquire of a name this process still holds, as the same owner,
  // would wait for itself (§4a rule 4). Other owners in one process are
  // separate agents: they wait for each other like any two processes.
  const key = `${ctx.rootInfo.root}\u0000${ctx.identity.owner}\u0000${name}`;
  const { result } = await acquireForRequest(ctx, name, {
    ...options,
    hold: "instance",
    labels: { ttl: "ttl", timeout: "timeout", reason: "reason", slots: "slots", shared: "shared" },
  }, {
    signal: options.signal,
    beforeAcquire: async (settings) => {
      const mine = heldHere.get(key) ?? [];
      if (mine.length === 0) return;
      const state = await inspectLock(ctx, name);
      const refusal = refuseReacquire(state, new Set(mine.map((r) => r.lock_id)), settings.mode);
      if (refusal) throw refusal;
    },
  });
  heldHere.set(key, [...(heldHere.get(key) ?? []), result.record]);
  return new Lock(ctx, result.record, {
    heartbeat: options.heartbeat,
    onLost: options.onLost,
    nested: result.outcome === "nested",
    onDone: () => {
      const rest = (heldHere.get(key) ?? []).filter((r) => r !== result.record);
      if (rest.length > 0) heldHere.set(key, rest);
      else heldHere.delete(key);
    },
  });
}

/** The holds this process took through `acquire`, by root, owner and name. */
const heldHere = new Map<string, LockRecord[]>();

/**
 * Runs `fn` while holding the lock and releases it afterwards, whatever
 * happens. `fn` receives the lock; watch `lock.signal` to stop on loss.
 *
 * @param name The lock name.
 * @param options As for {@linkcode acquire}.
 * @param fn The work to do under the lock.
 * @returns What `fn` returns.
 *
 * @example Usage
 * ```ts ignore
 * import { withLock } from "jsr:@lokt/cli";
 * const n = await withLock("counter", { wait: true }, async (lock) => {
 *   return lock.fence;
 * });
 * ```
 *
 * @example Released afterwards, whatever happens
 * ```ts
 * import assert from "node:assert";
 * import { acquire, withLock } from "./acquire.ts";
 * const root = Deno.makeTempDirSync();
 * const fence = await withLock("counter", { root, owner: "agent-1" }, (lock) => lock.fence);
 * await using next = await acquire("counter", { root, owner: "agent-2" });
 * assert(next.fence > fence);
 * ```
 */
export async function withLock<T>(
  name: string,
  options: AcquireOptions,
  fn: (lock: Lock) => T | Promise<T>,
): Promise<T> {
  // Checked before acquiring: a lock taken only to fail would be audited as used.
  if (typeof fn !== "function") throw new UsageError("withLock(): give the work as a function");
  const lock = await acquire(name, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}
