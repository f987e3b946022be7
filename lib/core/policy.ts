/**
 * Acquisition policy: how a request's TTL, waiting, timeout, reason and mode
 * (exclusive, shared, a semaphore of N slots) are settled against `lokt.jsonc` (per-name policies, then defaults). The CLI's
 * `lock` and `guard`, its fast path and the library's `acquire()` all ask
 * this one function, so a configured default applies to every caller.
 *
 * @module
 */

import { parseDuration, parseTtl } from "../model/duration.ts";
import { UsageError } from "../model/errors.ts";
import { isSlotCount, SLOT_LIMITS } from "../model/multi_hold_record.ts";
import type { LockMode } from "../model/lock_record.ts";
import { checkReason } from "../model/lock_record.ts";
import type { Config, NamePolicy } from "../sys/config.ts";

/** What a caller asked for; everything omitted comes from the config. */
export interface AcquireRequest {
  /** Time to live: a duration text (`"5m"`, `"0"` with a pid) or milliseconds. */
  ttl?: string | number;
  /** Wait while held or frozen (`undefined`: as configured). */
  wait?: boolean;
  /** Give up waiting after this long (text or ms); implies waiting. */
  timeout?: string | number;
  /** Why the lock is taken. */
  reason?: string | null;
  /** The lock is tied to this process: `0` TTL (no expiry) is allowed. */
  pid?: number | null;
  /** A semaphore of this many slots (2–64; text from the command line, or a number). */
  slots?: string | number;
  /** A shared (reader) hold: `true`; `false` asks for an exclusive one whatever is configured. */
  shared?: boolean;
}

/** The settled acquisition settings. */
export interface AcquireSettings {
  /** TTL in ms (`null`: none). */
  ttlMs: number | null;
  /** Whether to wait. */
  wait: boolean;
  /** The wait timeout in ms. */
  timeoutMs: number;
  /** The reason. */
  reason: string | null;
  /** The mode: `exclusive`, `shared` or `slots`. */
  mode: LockMode;
  /** The slot count of a semaphore, else `null`. */
  slots: number | null;
}

/** How the request's fields are named in error messages. */
export interface RequestLabels {
  /** The TTL (`--ttl` on the command line, `ttl` in the library). */
  ttl: string;
  /** The timeout. */
  timeout: string;
  /** The reason. */
  reason: string;
  /** The slot count. */
  slots: string;
  /** The shared flag. */
  shared: string;
}

/** The labels of the command line's flags. */
export const FLAG_LABELS: RequestLabels = {
  ttl: "--ttl",
  timeout: "--timeout",
  reason: "--reason",
  slots: "--slots",
  shared: "--shared",
};

/**
 * Settles an acquisition request against the configuration: the request
 * first, then the name's policy, then the defaults. Validates everything
 * before any file is touched.
 *
 * @param request What the caller asked for.
 * @param name The lock name (its per-name policy applies).
 * @param config The configuration (`lokt.jsonc`, or the built-in defaults).
 * @param defaultTtlMs The TTL when neither request nor policy gives one.
 * @param labels How fields are named in errors. @default {FLAG_LABELS}
 * @returns The settings.
 * @throws {UsageError} On a bad TTL, timeout, reason or slot count, or `shared` with `slots`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { acquireSettings } from "./policy.ts";
 * import { DEFAULT_CONFIG } from "../sys/config.ts";
 * const build = { ttlMs: 600_000, wait: true, timeoutMs: null, slots: null, shared: null };
 * const config = { ...DEFAULT_CONFIG, locks: { build } };
 * const settings = acquireSettings({}, "build", config, config.defaultTtlMs);
 * assert(settings.ttlMs === 600_000 && settings.wait && settings.timeoutMs === 600_000);
 * assert(acquireSettings({ slots: "3" }, "db", config, null).mode === "slots");
 * ```
 */
export function acquireSettings(
  request: AcquireRequest,
  name: string,
  config: Config,
  defaultTtlMs: number | null,
  labels: RequestLabels = FLAG_LABELS,
): AcquireSettings {
  const policy = config.locks[name];
  let ttlMs: number | null = policy?.ttlMs ?? defaultTtlMs;
  if (request.ttl !== undefined) ttlMs = ttlOf(request.ttl, request.pid != null, labels.ttl);
  const timeoutMs = request.timeout !== undefined
    ? durationOf(request.timeout, labels.timeout)
    : policy?.timeoutMs ?? config.waitTimeoutMs;
  const reason = request.reason ?? null;
  checkReason(reason, labels.reason);
  return {
    ttlMs,
    wait: request.timeout !== undefined || (request.wait ?? policy?.wait ?? false),
    timeoutMs,
    reason,
    ...modeOf(request, policy, labels),
  };
}

/**
 * The mode: the request's (`slots`, `shared`, or `shared: false` for an
 * exclusive hold), else the name's policy, else exclusive.
 */
function modeOf(
  request: AcquireRequest,
  policy: NamePolicy | undefined,
  labels: RequestLabels,
): { mode: LockMode; slots: number | null } {
  if (request.slots !== undefined && request.shared === true) {
    throw new UsageError(
      `${labels.shared} cannot be combined with ${labels.slots}: a name is either shared (readers and a writer) or a semaphore`,
    );
  }
  if (request.slots !== undefined) return { mode: "slots", slots: slotsOf(request.slots, labels) };
  if (request.shared !== undefined) {
    return { mode: request.shared ? "shared" : "exclusive", slots: null };
  }
  if (policy?.slots) return { mode: "slots", slots: policy.slots };
  return { mode: policy?.shared ? "shared" : "exclusive", slots: null };
}

function slotsOf(value: string | number, labels: RequestLabels): number {
  const count = typeof value === "number" ? value : /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!isSlotCount(count)) {
    throw new UsageError(
      `Invalid ${labels.slots} ${
        JSON.stringify(String(value))
      }: must be an integer from ${SLOT_LIMITS.min} to ${SLOT_LIMITS.max}`,
    );
  }
  return count;
}

/** A TTL in ms, `null` for "no expiry" (`0`, allowed only for a lock tied to a pid). */
function ttlOf(value: string | number, allowZero: boolean, label: string): number | null {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new UsageError(`Invalid ${label}: ${value}`);
    if (value === 0 && allowZero) return null;
    if (value < 1000) throw new UsageError(`Invalid ${label} ${value}ms: must be at least 1s`);
    return Math.round(value);
  }
  if (!allowZero && (value === "0" || value === "0s")) {
    throw new UsageError(`${label} 0 (no expiry) is allowed only together with --pid`);
  }
  const ms = parseTtl(value, { allowZero, flag: label });
  return ms === 0 ? null : ms;
}

function durationOf(value: string | number, label: string): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new UsageError(`Invalid ${label}: ${value}`);
    return Math.round(value);
  }
  return parseDuration(value, label);
}

/** What a reservation asks for; everything omitted comes from the config. */
export interface ReserveRequest {
  /** Time to live: a duration text (`"1h"`) or milliseconds; never `0`. */
  ttl?: string | number;
  /** Wait while other owners' reservations are in the way. */
  wait?: boolean;
  /** Give up waiting after this long (text or ms); implies waiting. */
  timeout?: string | number;
  /** Why, shown to others. */
  reason?: string | null;
}

/** The settled settings of a reservation. */
export interface ReserveSettings {
  /** TTL in ms: reservations always expire. */
  ttlMs: number;
  /** Whether to wait. */
  wait: boolean;
  /** The wait timeout in ms. */
  timeoutMs: number;
  /** The reason. */
  reason: string | null;
}

/**
 * Settles a reservation request: the request, then the defaults of
 * `lokt.jsonc` (a lock's per-name policy never applies to a pattern).
 * Reservations always expire: a TTL of `0` is refused.
 *
 * @param request What the caller asked for.
 * @param config The configuration.
 * @param labels How fields are named in errors. @default {FLAG_LABELS}
 * @returns The settings.
 * @throws {UsageError} On a bad or zero TTL, a bad timeout or reason.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { reserveSettings } from "./policy.ts";
 * import { DEFAULT_CONFIG } from "../sys/config.ts";
 * assert.equal(reserveSettings({}, DEFAULT_CONFIG).ttlMs, DEFAULT_CONFIG.defaultTtlMs);
 * assert.throws(() => reserveSettings({ ttl: "0" }, DEFAULT_CONFIG), /always expire/);
 * assert.throws(() => reserveSettings({ ttl: 0 }, DEFAULT_CONFIG), /always expire/);
 * ```
 */
export function reserveSettings(
  request: ReserveRequest,
  config: Config,
  labels: RequestLabels = FLAG_LABELS,
): ReserveSettings {
  const ttl = request.ttl;
  if (ttl === 0 || (typeof ttl === "string" && /^0+(ms|s|m|h|d)?$/.test(ttl))) {
    throw new UsageError(`reservations always expire: ${labels.ttl} must be at least 1s`);
  }
  const ttlMs = ttl === undefined ? config.defaultTtlMs : ttlOf(ttl, false, labels.ttl);
  const reason = request.reason ?? null;
  checkReason(reason, labels.reason);
  return {
    ttlMs: ttlMs ?? config.defaultTtlMs,
    wait: request.timeout !== undefined || (request.wait ?? false),
    timeoutMs: request.timeout !== undefined
      ? durationOf(request.timeout, labels.timeout)
      : config.waitTimeoutMs,
    reason,
  };
}
