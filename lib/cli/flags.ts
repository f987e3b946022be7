/**
 * Helpers shared by the command modules: the lock-name argument, the
 * acquisition flags, and the JSON/text views of a lock's state.
 *
 * @module
 */

import type { FlagSpec, ParsedArgs } from "./args.ts";
import type { Config } from "../sys/config.ts";
import { loadConfig } from "../sys/config.ts";
import { openContext } from "../core/context.ts";
import type { OpenedContext } from "../core/context.ts";
import { formatDuration, parseDuration, parseTtl } from "../model/duration.ts";
import type { LockState } from "../core/engine.ts";
import { UsageError } from "../model/errors.ts";
import { isValidReason } from "../model/lock_record.ts";
import { validateName } from "../model/name.ts";
import { requirePermissions } from "../sys/permissions.ts";

/** Flags shared by `lock` and `guard`. */
export const ACQUIRE_FLAGS: FlagSpec[] = [
  {
    name: "ttl",
    type: "string",
    value: "D",
    help: "time to live, e.g. 90s, 5m, 1h30m (at least 1s)",
  },
  {
    name: "wait",
    type: "boolean",
    help: "wait until the lock is free (FIFO), default timeout 10m",
  },
  {
    name: "timeout",
    type: "string",
    value: "D",
    help: "give up waiting after D (implies --wait)",
    default: "10m, or lokt.jsonc",
  },
  {
    name: "reason",
    type: "string",
    value: "TEXT",
    help: "why you take the lock (shown to others)",
  },
];

/**
 * The validated lock name of a command (the first positional).
 *
 * @param args The parsed arguments.
 * @param command The command, for the error's help pointer.
 * @returns The name.
 *
 * @example Usage
 * ```ts ignore
 * import { nameArg } from "./flags.ts";
 * ```
 */
export function nameArg(args: ParsedArgs, command: string): string {
  const name = args.positionals[0];
  if (name === undefined) throw new UsageError("missing <name>", command);
  try {
    return validateName(name);
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(err.message, command);
    throw err;
  }
}

/**
 * A string flag's value, or `undefined`.
 *
 * @param args The parsed arguments.
 * @param flag The flag name.
 * @returns The value.
 *
 * @example Usage
 * ```ts ignore
 * import { stringFlag } from "./flags.ts";
 * ```
 */
export function stringFlag(args: ParsedArgs, flag: string): string | undefined {
  const value = args.flags[flag];
  return typeof value === "string" ? value : undefined;
}

/**
 * Reads a `--reason`: one line, at most 1,000 characters.
 *
 * @param args The parsed arguments.
 * @param command The command, for errors.
 * @returns The reason or `null`.
 *
 * @example Usage
 * ```ts ignore
 * import { reasonFlag } from "./flags.ts";
 * ```
 */
export function reasonFlag(args: ParsedArgs, command: string): string | null {
  const reason = stringFlag(args, "reason");
  if (reason === undefined) return null;
  if (!isValidReason(reason)) {
    throw new UsageError("--reason must be one line of at most 1000 characters", command);
  }
  return reason;
}

/** The resolved acquisition settings of `lock` / `guard`. */
export interface AcquireSettings {
  /** TTL in ms (`null`: none). */
  ttlMs: number | null;
  /** Whether to wait. */
  wait: boolean;
  /** The wait timeout in ms. */
  timeoutMs: number;
  /** The reason. */
  reason: string | null;
}

/**
 * Resolves `--ttl`, `--wait`, `--timeout` and `--reason` against the config.
 * Validates everything before any file is touched.
 *
 * @param args The parsed arguments.
 * @param command `lock` or `guard`.
 * @param name The lock name.
 * @param config The configuration.
 * @param defaultTtl The TTL when neither flag nor config gives one.
 * @returns The settings.
 *
 * @example Usage
 * ```ts ignore
 * import { acquireSettings } from "./flags.ts";
 * ```
 */
export function acquireSettings(
  args: ParsedArgs,
  command: string,
  name: string,
  config: Config,
  defaultTtl: number | null,
): AcquireSettings {
  const policy = config.locks[name];
  const ttlText = stringFlag(args, "ttl");
  const allowZero = command === "lock" && args.flags.pid !== undefined;
  let ttlMs: number | null = policy?.ttlMs ?? defaultTtl;
  if (ttlText !== undefined) {
    try {
      ttlMs = parseTtl(ttlText, { allowZero });
    } catch (err) {
      if (err instanceof UsageError) {
        const zero = ttlText === "0" || ttlText === "0s";
        throw new UsageError(
          zero ? "--ttl 0 (no expiry) is allowed only together with --pid" : err.message,
          command,
        );
      }
      throw err;
    }
    if (ttlMs === 0) ttlMs = null;
  }
  const timeoutText = stringFlag(args, "timeout");
  const timeoutMs = timeoutText !== undefined
    ? parseDurationFor(timeoutText, "--timeout", command)
    : policy?.timeoutMs ?? config.waitTimeoutMs;
  return {
    ttlMs,
    wait: args.flags.wait === true || timeoutText !== undefined || policy?.wait === true,
    timeoutMs,
    reason: reasonFlag(args, command),
  };
}

function parseDurationFor(text: string, flag: string, command: string): number {
  try {
    return parseDuration(text, flag);
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(err.message, command);
    throw err;
  }
}

/**
 * Opens the context and loads the config for a command.
 *
 * @returns Context and config.
 *
 * @example Usage
 * ```ts ignore
 * import { openWithConfig } from "./flags.ts";
 * ```
 */
export async function openWithConfig(): Promise<{ ctx: OpenedContext; config: Config }> {
  const ctx = openForWrite();
  const config = await loadConfig(ctx.rootInfo);
  return { ctx, config };
}

/**
 * Opens the context of a command that writes, checking first that Deno lets
 * it write the root (a clear error instead of a prompt).
 *
 * @returns The context.
 *
 * @example Usage
 * ```ts ignore
 * import { openForWrite } from "./flags.ts";
 * ```
 */
export function openForWrite(): OpenedContext {
  const ctx = openContext();
  requirePermissions({ writeRoot: ctx.rootInfo.root, run: null });
  return ctx;
}

/**
 * The JSON view of a lock's state: every key always present.
 *
 * @param state The judged state.
 * @returns The view.
 *
 * @example Usage
 * ```ts ignore
 * import { stateJson } from "./flags.ts";
 * ```
 */
export function stateJson(state: LockState): Record<string, unknown> {
  const r = state.record;
  return {
    name: state.name,
    status: state.status,
    mine: state.mine,
    owner: r?.owner ?? null,
    agent_id: r?.agent_id ?? null,
    host: r?.host ?? null,
    pid: r?.pid ?? null,
    fence: r?.fence ?? null,
    lock_id: r?.lock_id ?? null,
    liveness: state.liveness,
    age_ms: state.ageMs,
    ttl_ms: r?.ttl_ms ?? null,
    expires_in_ms: state.expiresInMs,
    reason: r?.reason ?? null,
    command: r?.command ?? null,
    corruption: state.corruption,
    clock_skew: state.clockSkew,
    record: r,
  };
}

/**
 * A one-line text description of a lock's state.
 *
 * @param state The judged state.
 * @returns The line.
 *
 * @example Usage
 * ```ts ignore
 * import { stateLine } from "./flags.ts";
 * ```
 */
export function stateLine(state: LockState): string {
  const r = state.record;
  if (state.status === "free") return `${state.name}: free`;
  if (!r) return `${state.name}: corrupt record (${state.corruption})`;
  const ttl = state.expiresInMs === null
    ? "no TTL"
    : state.expiresInMs >= 0
    ? `${formatDuration(state.expiresInMs)} left`
    : `expired ${formatDuration(-state.expiresInMs)} ago`;
  return `${state.name}: ${state.status} by ${r.owner}${
    state.mine ? " (you)" : ""
  } — agent ${r.agent_id}, host ${r.host}, pid ${r.pid}, age ${
    formatDuration(state.ageMs ?? 0)
  }, ${ttl}, fence ${r.fence}, ${state.liveness}`;
}
