/**
 * The handle of a held lock: fence, id, release, renew, and a heartbeat that
 * renews a TTL lock and aborts `signal` when the lock is lost [W5][W9].
 *
 * @module
 */

import type { Ticker } from "../../sys/ticker.ts";
import { startTicker, startTimer } from "../../sys/ticker.ts";
import { recordEvent } from "../../model/audit_event.ts";
import type { EngineContext } from "../context.ts";
import { releaseLock } from "./engine.ts";
import { renewLock } from "./lock_renewal.ts";
import { LoktError } from "../../model/errors.ts";
import { LockLostError } from "../../model/record_errors.ts";
import type { LockRecord } from "../../model/lock_record.ts";
import { parseLockRecord } from "../../model/record_codec.ts";
import { holdIn } from "../../model/multi_hold_record.ts";

/** How often a lock without TTL checks that it is still held. */
const VERIFY_INTERVAL_MS = 1000;

/** Options of a lock handle. */
export interface LockHandleOptions {
  /**
   * Renew automatically at TTL/2 and watch for loss, from now on (`true`), or
   * only once {@linkcode Lock.startHeartbeat} is called (`false`).
   * @default {true}
   */
  heartbeat?: boolean;
  /** Called once when the lock is lost. */
  onLost?: (error: LockLostError) => void;
  /**
   * The handle runs under a hold it did not take (§4a): it watches that hold
   * for loss but never renews or releases it. @default {false}
   */
  nested?: boolean;
  /** Called once when the handle is done: released, or the lock lost. */
  onDone?: () => void;
  /**
   * How long its holder needs to stop once the lock is lost (guard: the
   * grace between SIGTERM and SIGKILL): a renewal that keeps failing declares
   * the loss this much before the hold expires. @default {0}
   */
  stopMarginMs?: number;
  /**
   * The heartbeat may keep the process alive: cheaper to start, for a
   * process that exits by itself once its work is done (guard; see
   * `sys/ticker.ts`). @default {false}
   */
  heartbeatKeepsAlive?: boolean;
  /**
   * When the acquisition was asked for (`performance.now()`): the lease this
   * side keeps by its own monotonic clock runs from then. @default {now}
   */
  leaseStart?: number;
}

/**
 * A held lock. Release it with `release()` or `await using`.
 *
 * @example Usage
 * ```ts ignore
 * import { acquire } from "../../../mod.ts";
 * await using lock = await acquire("build", { ttl: "5m" });
 * console.log(lock.fence, lock.lockId);
 * ```
 */
export class Lock implements AsyncDisposable {
  #ctx: EngineContext;
  #record: LockRecord;
  #controller = new AbortController();
  #timer: Ticker | null = null;
  #keepsAlive: boolean;
  #inFlight: Promise<void> | null = null;
  #done = false;
  #onLost?: (error: LockLostError) => void;
  #onDone?: () => void;
  #nested: boolean;
  #stopMarginMs: number;
  /** When the hold may have expired for others, by this process's monotonic clock; `null` without a TTL. */
  #leaseEnd: number | null;
  #deadline: Ticker | null = null;

  /**
   * Wraps an acquired record. Use `acquire()` rather than this constructor.
   *
   * @param ctx The engine context that acquired it.
   * @param record The acquired record.
   * @param options Heartbeat options.
   */
  constructor(ctx: EngineContext, record: LockRecord, options: LockHandleOptions = {}) {
    this.#ctx = ctx;
    this.#record = record;
    this.#onLost = options.onLost;
    this.#onDone = options.onDone;
    this.#nested = options.nested ?? false;
    this.#stopMarginMs = options.stopMarginMs ?? 0;
    this.#keepsAlive = options.heartbeatKeepsAlive ?? false;
    this.#leaseEnd = record.ttl_ms && !this.#nested
      ? (options.leaseStart ?? performance.now()) + record.ttl_ms
      : null;
    if (options.heartbeat ?? true) this.startHeartbeat();
  }

  /** The lock name. */
  get name(): string {
    return this.#record.name;
  }

  /** The id of this acquisition. */
  get lockId(): string {
    return this.#record.lock_id;
  }

  /** The slot of a semaphore hold (0 … N−1), else `null`. */
  get slot(): number | null {
    return this.#record.slot;
  }

  /** How the name is held: `exclusive`, `shared` or `slots`. */
  get mode(): "exclusive" | "shared" | "slots" {
    return this.#record.mode;
  }

  /** The fencing token: strictly greater than any earlier acquisition's. */
  get fence(): number {
    return this.#record.fence;
  }

  /** The current record (updated on renewal). */
  get record(): LockRecord {
    return this.#record;
  }

  /** Aborts (with a `LockLostError`) when the lock is lost. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether this handle runs under a hold it did not take (and will not release). */
  get nested(): boolean {
    return this.#nested;
  }

  /** Whether the lock was lost. */
  get lost(): boolean {
    return this.#controller.signal.aborted;
  }

  /**
   * Renews the lock now, optionally with a new TTL; audited as `renew`.
   *
   * @param ttlMs The new TTL in ms (default: the current TTL).
   * @returns The renewed record.
   * @throws {LockLostError} When the lock is no longer ours.
   */
  async renew(ttlMs?: number | null): Promise<LockRecord> {
    if (this.#done) throw new LoktError(`lock "${this.name}" was already released`);
    try {
      this.#record = await renewLock(this.#ctx, this.name, this.lockId, {
        ttlMs: ttlMs === undefined ? this.#record.ttl_ms : ttlMs,
        audit: true,
      });
      return this.#record;
    } catch (err) {
      if (err instanceof LockLostError) await this.#markLost(err);
      throw err;
    }
  }

  /**
   * Stops the heartbeat (waiting for a renewal in flight), then releases the
   * lock if it is still this acquisition's. Idempotent.
   *
   * @param detail What the `release` event records of how the work ended (guard: `exit_code` or `signal`).
   * @returns `true` when released, `false` when it had been lost or released.
   */
  async release(detail?: Record<string, unknown>): Promise<boolean> {
    if (this.#done) return false;
    this.#done = true;
    this.#stopHeartbeat();
    await this.#inFlight;
    this.#onDone?.();
    // A nested handle leaves the hold it runs under as it was.
    if (this.lost || this.#nested) return false;
    try {
      await releaseLock(this.#ctx, this.name, { lockId: this.lockId, detail });
      return true;
    } catch (err) {
      if (err instanceof LockLostError) {
        await this.#markLost(err);
        return false;
      }
      throw err;
    }
  }

  /** Releases the lock; used by `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.release();
  }

  /**
   * Starts the heartbeat: renewal at TTL/2, or a check every second without a
   * TTL, aborting `signal` on loss. Idempotent; nothing after release. The
   * first timer of a Deno process costs several milliseconds, so `guard`
   * starts it only once its command is running.
   */
  startHeartbeat(): void {
    if (this.#timer !== null || this.#done || this.lost) return;
    // Unless the caller exits by itself (guard), the heartbeat alone must not keep a program alive.
    this.#armDeadline();
    this.#timer = startTicker(this.#interval(), () => {
      if (this.#inFlight || this.#done) return;
      this.#inFlight = this.#beat().finally(() => (this.#inFlight = null));
    }, { keepsAlive: this.#keepsAlive });
  }

  /**
   * What is left of the lease by this process's own clock (ms), or `null`
   * without a TTL: when no renewal has been confirmed by then, others may
   * already see the hold expired.
   */
  get leaseLeftMs(): number | null {
    return this.#leaseEnd === null ? null : this.#leaseEnd - performance.now();
  }

  /**
   * Declares the lock lost before the lease runs out when no renewal has
   * been confirmed, however long the store takes to answer (a server cut
   * off, a stalled connection): the holder stops in time (docs/contract.md §7, §17).
   */
  #armDeadline(): void {
    this.#deadline?.stop();
    const ttl = this.#record.ttl_ms;
    if (this.#leaseEnd === null || !ttl || this.#done || this.lost) return;
    const margin = Math.min(this.#stopMarginMs, ttl / 4);
    this.#deadline = startTimer(this.#leaseEnd - margin - performance.now(), () => {
      if (this.#done || this.lost) return;
      if (this.#inFlight === null) {
        // Nothing was asked (this process was suspended, say): ask now, and look again shortly.
        this.#inFlight = this.#beat().finally(() => (this.#inFlight = null));
        this.#deadline = startTimer(Math.min(ttl / 4, 1000), () => {
          if (this.#done || this.lost || this.#inFlight === null) return;
          void this.#markLost(
            new LockLostError(this.name, null, "no renewal was confirmed before its lease ran out"),
          );
        }, { keepsAlive: this.#keepsAlive });
        return;
      }
      // A renewal was asked and not answered in time: others may take the lock now.
      void this.#markLost(
        new LockLostError(this.name, null, "no renewal was confirmed before its lease ran out"),
      );
    }, { keepsAlive: this.#keepsAlive });
  }

  #stopHeartbeat(): void {
    this.#deadline?.stop();
    this.#timer?.stop();
    this.#timer = null;
  }

  async #beat(): Promise<void> {
    try {
      if (this.#record.ttl_ms && !this.#nested) {
        // The lease runs from before the request: the store set the expiry after it.
        const asked = performance.now();
        this.#record = await renewLock(this.#ctx, this.name, this.lockId, {
          ttlMs: this.#record.ttl_ms,
          audit: false,
        });
        if (this.#done || this.lost) return;
        this.#leaseEnd = asked + (this.#record.ttl_ms ?? 0);
        this.#armDeadline();
      } else {
        const entry = await this.#ctx.store.read("lock", this.name);
        const raw = entry?.raw ?? null;
        if (raw === null || holdIn(raw, this.lockId) === null) {
          throw new LockLostError(this.name, raw === null ? null : parseLockRecord(raw));
        }
      }
    } catch (err) {
      if (this.#done) return;
      if (err instanceof LockLostError) return await this.#markLost(err);
      // Other errors (I/O: a full or read-only disk) are retried at the next
      // beat, unless the hold would expire before that renewal and the time
      // its holder needs to stop: then others may already see it expired (§7).
      const expiresAt = this.#record.expires_at ? Date.parse(this.#record.expires_at) : null;
      if (expiresAt !== null && expiresAt - Date.now() <= this.#interval() + this.#stopMarginMs) {
        const why = err instanceof Error ? err.message.split("\n")[0] ?? "" : String(err);
        await this.#markLost(new LockLostError(this.name, null, why));
      }
    }
  }

  /** The heartbeat's period. */
  #interval(): number {
    const ttl = this.#record.ttl_ms;
    return ttl ? Math.max(500, Math.floor(ttl / 2)) : VERIFY_INTERVAL_MS;
  }

  async #markLost(error: LockLostError): Promise<void> {
    if (this.lost) return;
    this.#stopHeartbeat();
    // The holder is told first: a store that does not answer must not delay its stop.
    this.#onDone?.();
    this.#controller.abort(error);
    this.#onLost?.(error);
    await this.#ctx.store.appendAudit([
      recordEvent("lost", this.#record, this.#ctx.identity, this.#ctx.now(), {
        message: error.message,
      }),
    ]);
  }
}
