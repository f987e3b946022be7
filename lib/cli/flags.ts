/**
 * Flag helpers shared by the command modules: the acquisition flags of `lock`
 * and `guard`, the lock-name argument, string flags, and the request that the
 * acquisition policy (`core/policy.ts`) settles.
 *
 * @module
 */

import type { AcquireRequest } from "../core/policy.ts";
import { LoktError, UsageError } from "../model/errors.ts";
import { probeProcess } from "../sys/liveness.ts";
import { readProcStat } from "../sys/procfs.ts";
import { validateName } from "../model/name.ts";
import { MAX_PATTERNS, parseGlob } from "../model/path_glob.ts";
import { pathArgument } from "../core/reservations/target_paths.ts";
import type { RootInfo } from "../sys/root.ts";
import type { FlagSpec, ParsedArgs } from "./args.ts";

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
  {
    name: "slots",
    type: "string",
    value: "N",
    help: "take one of N slots (2-64) of a counting semaphore; every holder asks the same N",
  },
  {
    name: "shared",
    type: "boolean",
    help: "a reader's hold: shared with other readers, never with an exclusive holder",
  },
  {
    name: "exclusive",
    type: "boolean",
    help: "an exclusive hold even where lokt.jsonc makes the name shared (the default)",
  },
];

/**
 * The validated lock name of a command (the first positional).
 *
 * @param args The parsed arguments.
 * @param command The command, for the error's help pointer.
 * @returns The name.
 * @throws {UsageError} When it is missing or breaks the naming rule.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { nameArg } from "./flags.ts";
 * const args = { flags: {}, positionals: ["build"], command: null };
 * assert(nameArg(args, "lock") === "build");
 * ```
 */
export function nameArg(args: ParsedArgs, command: string): string {
  const name = args.positionals[0];
  if (name === undefined) throw new UsageError("missing <name>", command);
  return validateName(name);
}

/**
 * A string flag's value, or `undefined`.
 *
 * @param args The parsed arguments.
 * @param flag The flag name.
 * @returns The value.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { stringFlag } from "./flags.ts";
 * const args = { flags: { ttl: "5m", wait: true }, positionals: [], command: null };
 * assert(stringFlag(args, "ttl") === "5m" && stringFlag(args, "wait") === undefined);
 * ```
 */
export function stringFlag(args: ParsedArgs, flag: string): string | undefined {
  const value = args.flags[flag];
  return typeof value === "string" ? value : undefined;
}

/**
 * The acquisition request of `lock` or `guard` (`--ttl`, `--wait`,
 * `--timeout`, `--reason`, `--slots`, `--shared`, `--exclusive`), for the
 * policy to settle.
 *
 * @param args The parsed arguments.
 * @param pid The process the lock is tied to (`lock --pid`), if any.
 * @returns The request.
 * @throws {UsageError} For `--exclusive` with `--shared` or `--slots`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { acquireRequest } from "./flags.ts";
 * const args = { flags: { ttl: "5m", wait: true }, positionals: ["build"], command: null };
 * assert(acquireRequest(args).ttl === "5m" && acquireRequest(args).wait === true);
 * ```
 */
export function acquireRequest(args: ParsedArgs, pid: number | null = null): AcquireRequest {
  const exclusive = args.flags.exclusive === true;
  if (exclusive && (args.flags.shared === true || args.flags.slots !== undefined)) {
    throw new UsageError(
      `--exclusive cannot be combined with --${args.flags.shared === true ? "shared" : "slots"}`,
    );
  }
  return {
    slots: stringFlag(args, "slots"),
    shared: args.flags.shared === true ? true : exclusive ? false : undefined,
    ttl: stringFlag(args, "ttl"),
    wait: args.flags.wait === true ? true : undefined,
    timeout: stringFlag(args, "timeout"),
    reason: stringFlag(args, "reason") ?? null,
    pid,
  };
}

/**
 * The patterns (or literal paths) of `reserve`, `release` and `check`, in
 * normal form relative to the worktree's top: each relative to the current
 * directory (`:/` for the top) and resolved through links, validated before
 * any file is touched (`core/reservations/target_paths.ts`).
 *
 * @param args The parsed arguments.
 * @param command The command, for the error's help pointer.
 * @param where The current directory and the root (its worktree's top).
 * @param label How each value is named in errors (`pattern`, `path`).
 * @returns The normal forms, in order, without repeats.
 * @throws {UsageError} None given, more than 64, or one that is invalid or outside the top.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { patternArgs } from "./flags.ts";
 * const args = { flags: {}, positionals: ["auth/", ":/docs"], command: null };
 * const rootInfo = { root: "/repo/.git/lokt", source: "git", repo: "/repo", gitCommonDir: "/repo/.git" } as const;
 * assert.deepEqual(patternArgs(args, "reserve", { cwd: "/repo/src", rootInfo }, "pattern"), ["src/auth", "docs"]);
 * ```
 */
export function patternArgs(
  args: ParsedArgs,
  command: string,
  where: { cwd: string; rootInfo: RootInfo },
  label: "pattern" | "path",
): string[] {
  if (args.positionals.length === 0) throw new UsageError(`missing <${label}>`, command);
  if (args.positionals.length > MAX_PATTERNS) {
    throw new UsageError(
      `${args.positionals.length} ${label}s: at most ${MAX_PATTERNS} per call`,
      command,
    );
  }
  const normal = args.positionals.map((raw) => {
    try {
      return pathArgument(raw, where.cwd, where.rootInfo, label);
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(err.message, command);
      throw err;
    }
  });
  // Parsing now reports a malformed pattern (an unterminated '[') before anything is written.
  if (label === "pattern") normal.forEach(parseGlob);
  return [...new Set(normal)];
}

/**
 * The `--pid` of `lock` and `reserve`: the process a hold is tied to.
 *
 * @param args The parsed arguments.
 * @param command The command, for the error's help pointer.
 * @returns The pid, or `null` without `--pid`.
 * @throws {UsageError} When it is not a process id.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { pidFlag } from "./flags.ts";
 * assert(pidFlag({ flags: { pid: "42" }, positionals: [], command: null }, "lock") === 42);
 * ```
 */
export function pidFlag(args: ParsedArgs, command: string): number | null {
  const text = stringFlag(args, "pid");
  if (text === undefined) return null;
  if (!/^[1-9]\d{0,9}$/.test(text)) {
    throw new UsageError(`Invalid --pid ${JSON.stringify(text)}: must be a process id`, command);
  }
  return Number(text);
}

/**
 * The start marker of a process a hold is tied to (PID-reuse detection).
 *
 * @param pid The process.
 * @returns Its start marker, or `null` when it cannot be read.
 * @throws {LoktError} When there is no such process.
 *
 * @example Usage
 * ```ts
 * import { pidStartOf } from "./flags.ts";
 * console.log(pidStartOf(Deno.pid));
 * ```
 */
export function pidStartOf(pid: number): string | null {
  if (probeProcess(pid, null) === "dead") {
    throw new LoktError(`No process with pid ${pid}: cannot hold a lock for it`);
  }
  try {
    return readProcStat(pid)?.startTime ?? null;
  } catch {
    return null;
  }
}
