/**
 * One acquisition request, from what an entry point was asked to what the
 * engine does: settle the request against `lokt.jsonc` and the store's
 * traits, build what the hold records, then wait or acquire now. `lokt lock`,
 * `lokt guard`, the library's `acquire()` and (for settling) the CLI's fast
 * path all go through here, so a rule such as "a hold on a store that cannot
 * judge processes needs a TTL" exists once.
 *
 * @module
 */

import { UsageError } from "../../model/errors.ts";
import type { HoldKind } from "../../model/lock_record.ts";
import type { StoreTraits } from "../../store/lock_store.ts";
import type { Config } from "../../sys/config.ts";
import { inheritedHolds } from "../../sys/held_env.ts";
import type { SessionProcess } from "../../sys/identity.ts";
import type { OpenedContext } from "../context.ts";
import type { AcquireRequest, AcquireSettings, RequestLabels } from "../policy.ts";
import { acquireSettings, FLAG_LABELS } from "../policy.ts";
import type { WaitProgress } from "./acquisition.ts";
import { acquireNow, acquireWaiting } from "./acquisition.ts";
import type { AcquireResult, AcquireSpec } from "./engine.ts";

/** What an entry point asks for: the policy's request plus the kind of hold. */
export interface LockRequest extends AcquireRequest {
  /**
   * `owner` for `lokt lock` (the owner's hold, kept by its TTL, or by the
   * process `pid` names); `instance` for guard and the library (this
   * process's hold).
   */
  hold: HoldKind;
  /** guard's command line, recorded in the hold. */
  command?: string[] | null;
  /** The start marker of `pid` (PID reuse), when `pid` is given. */
  pidStart?: string | null;
  /** How the request's fields are named in errors. @default {FLAG_LABELS} */
  labels?: RequestLabels;
}

/** A settled request: the settings and what the hold will record. */
export interface SettledRequest {
  /** TTL, waiting, timeout, reason and mode. */
  settings: AcquireSettings;
  /** What the engine records. */
  spec: AcquireSpec;
}

/** How to wait, when the request waits. */
export interface RequestWaitOptions {
  /** Told while waiting. */
  onProgress?: (progress: WaitProgress) => void;
  /** Aborts the wait. */
  signal?: AbortSignal;
  /**
   * Runs once the request is settled and valid, before anything is taken
   * (guard checks there that its command can run: one that cannot must not
   * block anyone; the library refuses there at once what the process itself
   * holds). It may refuse by throwing.
   */
  beforeAcquire?: (settings: AcquireSettings) => void | Promise<void>;
}

/**
 * Settles a request: the request, then the name's policy in `lokt.jsonc`,
 * then the defaults. An owner's hold without a TTL gets the configured
 * default; a process's hold, where the store cannot judge processes, the
 * store's lease. Validates everything before anything is touched.
 *
 * @param name The lock name.
 * @param request What was asked.
 * @param where The configuration and what the store can judge.
 * @returns The settings and the hold's record spec.
 * @throws {UsageError} On a bad value, or a hold that only a process would
 * keep (`--pid` with `--ttl 0`) where the store cannot judge processes.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { settleRequest } from "./lock_request.ts";
 * import { DEFAULT_CONFIG } from "../../sys/config.ts";
 * const local = { label: "files", judgesProcesses: true, processLeaseMs: null };
 * const shared = { label: "Redis", judgesProcesses: false, processLeaseMs: 30_000 };
 * const lock = settleRequest("build", { hold: "owner" }, { config: DEFAULT_CONFIG, traits: local });
 * assert.equal(lock.spec.liveness, "ttl");
 * assert.equal(lock.spec.ttlMs, DEFAULT_CONFIG.defaultTtlMs);
 * const guard = settleRequest("build", { hold: "instance" }, { config: DEFAULT_CONFIG, traits: shared });
 * assert.equal(guard.spec.ttlMs, 30_000);
 * assert.throws(() =>
 *   settleRequest("db", { hold: "owner", pid: Deno.pid, ttl: "0" }, { config: DEFAULT_CONFIG, traits: shared })
 * );
 * ```
 */
export function settleRequest(
  name: string,
  request: LockRequest,
  where: {
    config: Config;
    traits: StoreTraits;
    /** The harness process of the acting registered session, if any. */
    session?: SessionProcess | null;
  },
): SettledRequest {
  const owner = request.hold === "owner";
  const settings = acquireSettings(
    request,
    name,
    where.config,
    owner ? where.config.defaultTtlMs : null,
    request.labels ?? FLAG_LABELS,
  );
  // An owner hold of a registered session lives with its harness too (and by its TTL):
  // a crashed harness strands nothing.
  const session = owner && request.pid == null ? where.session ?? null : null;
  const pid = request.pid ?? session?.pid ?? null;
  const pidStart = request.pid != null ? request.pidStart ?? null : session?.start ?? null;
  // A sandbox's shell holds for a harness numbered in another PID namespace.
  const machineId = request.pid == null ? session?.machineId : undefined;
  if (request.pid != null && settings.ttlMs === null && !where.traits.judgesProcesses) {
    throw new UsageError(
      `--pid with --ttl 0 is not possible on ${where.traits.label}: no other machine can judge a process; give a TTL (it is renewed by locking again)`,
      "lock",
    );
  }
  // A process's own hold: on a store others judge only by TTL, it gets a lease.
  const ttlMs = owner ? settings.ttlMs : settings.ttlMs ?? where.traits.processLeaseMs;
  const spec: AcquireSpec = {
    ttlMs,
    liveness: owner && pid === null ? "ttl" : "process",
    reason: settings.reason,
    hold: request.hold,
    inherited: inheritedHolds().get(name) ?? null,
    mode: settings.mode,
    slots: settings.slots,
    ...(request.command ? { command: request.command } : {}),
    ...(pid !== null ? { pid, pidStart, machineId } : {}),
  };
  return { settings: { ...settings, ttlMs }, spec };
}

/**
 * Acquires for a request: settles it ({@linkcode settleRequest}), then waits
 * (FIFO, woken by the store) or tries once.
 *
 * @param ctx The opened context (its config and store).
 * @param name The lock name.
 * @param request What was asked.
 * @param options How to report progress and stop waiting.
 * @returns The acquisition and the settings it was made with.
 * @throws {LockHeldError} When held by another holder (and not waiting).
 * @throws {FrozenError} When frozen (and not waiting).
 * @throws {WaitTimeoutError} When the wait timed out.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { acquireForRequest } from "./lock_request.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync(), owner: "agent-1" });
 * const { result } = await acquireForRequest(ctx, "build", { hold: "owner", ttl: "5m" });
 * assert.equal(result.outcome, "acquired");
 * assert.equal(result.record.ttl_ms, 300_000);
 * ```
 */
export async function acquireForRequest(
  ctx: OpenedContext,
  name: string,
  request: LockRequest,
  options: RequestWaitOptions = {},
): Promise<{ result: AcquireResult; settings: AcquireSettings }> {
  const { settings, spec } = settleRequest(name, request, {
    config: ctx.config,
    traits: ctx.store.traits,
    session: ctx.identity.sessionProcess,
  });
  await options.beforeAcquire?.(settings);
  const result = settings.wait
    ? await acquireWaiting(ctx, name, spec, {
      timeoutMs: settings.timeoutMs,
      onProgress: options.onProgress,
      signal: options.signal,
    })
    : await acquireNow(ctx, name, spec);
  return { result, settings };
}
