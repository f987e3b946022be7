/**
 * The library's acquisition functions: `acquire` and `withLock`.
 *
 * @module
 */

import { openContext } from "../core/context.ts";
import type { ContextOptions } from "../core/context.ts";
import { parseDuration, parseTtl } from "../model/duration.ts";
import { LoktError, UsageError } from "../model/errors.ts";
import type { LockLostError } from "../model/errors.ts";
import { Lock } from "../core/lock_handle.ts";
import { validateName } from "../model/name.ts";
import { acquireNow, acquireWaiting, DEFAULT_WAIT_TIMEOUT_MS } from "../core/wait.ts";

/** Options of {@linkcode acquire}. */
export interface AcquireOptions extends ContextOptions {
  /**
   * Time to live (`"5m"` or milliseconds). With a TTL the lock is renewed at
   * TTL/2 while the handle lives. Without one, the lock lasts while this
   * process lives.
   * @default {undefined}
   */
  ttl?: string | number;
  /** Wait while the lock is held or frozen. @default {false} */
  wait?: boolean;
  /** Give up waiting after this long (`"30s"` or ms); implies `wait`. @default {"10m"} */
  timeout?: string | number;
  /** Why the lock is taken, recorded in the record and the audit trail. */
  reason?: string;
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
 */
export async function acquire(name: string, options: AcquireOptions = {}): Promise<Lock> {
  validateName(name);
  const ctx = openContext(options);
  const ttlMs = options.ttl === undefined ? null : toMs(options.ttl, "ttl", true);
  const spec = {
    ttlMs,
    liveness: "process" as const,
    reason: options.reason ?? null,
  };
  const waiting = options.wait === true || options.timeout !== undefined;
  const result = waiting
    ? await acquireWaiting(ctx, name, spec, {
      timeoutMs: options.timeout === undefined
        ? DEFAULT_WAIT_TIMEOUT_MS
        : toMs(options.timeout, "timeout", false),
      signal: options.signal,
    })
    : await acquireNow(ctx, name, spec);
  return new Lock(ctx, result.record, { heartbeat: options.heartbeat, onLost: options.onLost });
}

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
 */
export async function withLock<T>(
  name: string,
  options: AcquireOptions,
  fn: (lock: Lock) => T | Promise<T>,
): Promise<T> {
  const lock = await acquire(name, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}

function toMs(value: string | number, flag: string, isTtl: boolean): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new UsageError(`Invalid ${flag}: ${value}`);
    if (isTtl && value < 1000) {
      throw new UsageError(`Invalid ${flag} ${value}ms: must be at least 1s`);
    }
    return Math.round(value);
  }
  if (typeof value !== "string") throw new LoktError(`Invalid ${flag}`);
  return isTtl ? parseTtl(value, { flag }) : parseDuration(value, flag);
}
