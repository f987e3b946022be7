/**
 * Running a command under a lock (docs/contract.md §7): the child runs without a shell in
 * its own process group; signals are forwarded to the group; the heartbeat
 * stops the command if the lock is lost [W9]; the lock is released only after
 * the child has exited and the heartbeat has stopped [W5].
 *
 * @module
 */

import { LoktError } from "../../model/errors.ts";
import type { LockLostError } from "../../model/record_errors.ts";
import type { Lock } from "../locks/lock_handle.ts";
import { join } from "../../sys/path.ts";
import { spawnSessionLeader } from "../../sys/session_spawn.ts";

/** Exit code when the command cannot be found. */
export const EXIT_NOT_FOUND = 127;
/** Exit code when the command cannot be executed. */
export const EXIT_NOT_EXECUTABLE = 126;

/** Signals guard forwards to the child's process group. */
export const FORWARDED_SIGNALS: readonly Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];

const SIGNAL_NUMBERS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGTERM: 15,
};

/** A command that cannot be started: not found (127) or not executable (126). */
export class CommandError extends LoktError {
  /**
   * Creates the error.
   *
   * @param message What went wrong.
   * @param exitCode 126 or 127.
   */
  constructor(message: string, exitCode: number) {
    super(message, exitCode);
    this.name = "CommandError";
  }
}

/**
 * Finds the executable for `command` the way a shell would (PATH lookup for
 * bare names), so that a missing or non-executable command is reported before
 * any lock is taken.
 *
 * @param command The command name or path.
 * @param env The PATH value. @default {Deno.env.get("PATH")}
 * @returns The path to execute.
 * @throws {CommandError} 127 when not found, 126 when not executable.
 *
 * @example Usage
 * ```ts ignore
 * import { resolveCommand } from "./guard_runner.ts";
 * console.log(resolveCommand("sh"));
 * ```
 */
export function resolveCommand(command: string, path: string = Deno.env.get("PATH") ?? ""): string {
  if (command === "") throw new CommandError("empty command", EXIT_NOT_FOUND);
  const candidates = command.includes("/")
    ? [command]
    : path.split(":").filter((d) => d !== "").map((d) => join(d, command));
  let notExecutable: string | null = null;
  for (const candidate of candidates) {
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(candidate);
    } catch {
      continue;
    }
    // Even root cannot execute a file without any execute bit.
    if (info.isFile && info.mode !== null && (info.mode & 0o111) !== 0) return candidate;
    notExecutable ??= candidate;
  }
  if (notExecutable) {
    throw new CommandError(
      `${notExecutable}: permission denied (not an executable file)`,
      EXIT_NOT_EXECUTABLE,
    );
  }
  throw new CommandError(`${command}: command not found`, EXIT_NOT_FOUND);
}

/** Options of {@linkcode runGuarded}. */
export interface GuardRunOptions {
  /** What to do when the lock is lost: stop the command, or only warn. */
  onLost: "kill" | "warn";
  /** How long to wait after SIGTERM before SIGKILL, in ms. */
  graceMs: number;
  /** Extra environment for the child. */
  env: Record<string, string>;
  /** Prints a warning line (stderr). */
  warn: (message: string) => void;
  /**
   * Run the command in its own session and process group (`true`), or, for a
   * nested guard, in the caller's group (signals then go to the command alone).
   * @default {true}
   */
  ownGroup?: boolean;
  /** Called once the command runs in its own group, with that group's id. */
  onGroup?: (pgid: number) => Promise<void>;
}

/** How the guarded command ended. */
export interface GuardOutcome {
  /** The exit code guard should end with. */
  exitCode: number;
  /** The signal that killed the child, if any. */
  signal: string | null;
  /** Whether the lock was lost while the command ran. */
  lost: boolean;
  /** The signals guard received and forwarded. */
  forwarded: string[];
}

/**
 * Runs `argv` while `lock` is held, forwarding signals and reacting to loss.
 * The caller releases the lock afterwards.
 *
 * @param lock The held lock; its heartbeat is started once the command runs.
 * @param executable The resolved executable.
 * @param argv The command and its arguments.
 * @param options Loss policy, grace period, environment.
 * @returns How the command ended.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { runGuarded, resolveCommand } from "./guard_runner.ts";
 * import { acquire } from "../../api/acquire.ts";
 * const lock = await acquire("build", { root: Deno.makeTempDirSync() });
 * const outcome = await runGuarded(lock, resolveCommand("true"), ["true"], {
 *   onLost: "kill", graceMs: 5_000, env: {}, warn: console.error,
 * });
 * await lock.release();
 * assert(outcome.exitCode === 0);
 * ```
 */
export async function runGuarded(
  lock: Lock,
  executable: string,
  argv: string[],
  options: GuardRunOptions,
): Promise<GuardOutcome> {
  // Listen before spawning: a signal that arrives while the child starts must
  // reach it, not kill guard and orphan the child.
  const ownGroup = options.ownGroup ?? true;
  let group: number | null = null;
  const early: Deno.Signal[] = [];
  const signalGroup = (signal: Deno.Signal) => {
    if (group === null) return void early.push(signal);
    try {
      Deno.kill(ownGroup ? -group : group, signal);
    } catch {
      // The group is already gone.
    }
  };
  let killTimer: ReturnType<typeof setTimeout> | null = null;
  const terminate = () => {
    signalGroup("SIGTERM");
    // While the hold still stands, not past its expiry: from then on others may
    // take the lock (§7). A loss found after it (a holder that was suspended)
    // gives the command its whole grace.
    const expires = lock.record.expires_at ? Date.parse(lock.record.expires_at) : Infinity;
    // The lease by this process's own clock bounds it too (a store that stopped answering).
    const left = Math.min(expires - Date.now(), lock.leaseLeftMs ?? Infinity);
    const delay = left > 0 ? Math.min(options.graceMs, left) : options.graceMs;
    killTimer ??= setTimeout(() => signalGroup("SIGKILL"), delay);
  };
  const forwarded: string[] = [];
  let interrupts = 0;
  const listeners = FORWARDED_SIGNALS.map((signal) => {
    const listener = () => {
      forwarded.push(signal);
      if (signal === "SIGINT" && ++interrupts >= 2) {
        // A second Ctrl-C means "now".
        signalGroup("SIGKILL");
        return;
      }
      signalGroup(signal);
    };
    Deno.addSignalListener(signal, listener);
    return { signal, listener };
  });
  const removeListeners = () => {
    for (const { signal, listener } of listeners) Deno.removeSignalListener(signal, listener);
  };
  let child: Deno.ChildProcess;
  try {
    // Its own session and process group, so that signals reach the whole tree.
    child = ownGroup
      ? spawnSessionLeader(executable, argv.slice(1), options.env)
      : new Deno.Command(executable, { args: argv.slice(1), env: options.env }).spawn();
  } catch (err) {
    removeListeners();
    if (err instanceof Deno.errors.NotFound) {
      throw new CommandError(`${argv[0]}: command not found`, EXIT_NOT_FOUND);
    }
    if (err instanceof Deno.errors.PermissionDenied) {
      throw new CommandError(`${argv[0]}: permission denied`, EXIT_NOT_EXECUTABLE);
    }
    throw err;
  }
  group = child.pid;
  for (const signal of early.splice(0)) signalGroup(signal);
  // Started only now: a process's first timer costs milliseconds the command
  // should not wait for (the TTL is at least 1 s; the first renewal is at TTL/2).
  lock.startHeartbeat();
  let lost = false;
  const onLost = () => {
    lost = true;
    const error = lock.signal.reason as LockLostError;
    if (options.onLost === "warn") {
      options.warn(`${error.message}; the command keeps running (--on-lost=warn)`);
      return;
    }
    options.warn(`${error.message}; stopping the command`);
    terminate();
  };
  lock.signal.addEventListener("abort", onLost, { once: true });
  if (lock.signal.aborted) onLost();
  try {
    if (ownGroup) {
      try {
        await options.onGroup?.(child.pid);
      } catch (err) {
        options.warn(`cannot record the command's process group: ${(err as Error).message}`);
      }
    }
    const status = await child.status;
    const signal = status.signal ?? null;
    const exitCode = signal
      ? 128 + (SIGNAL_NUMBERS[signal] ?? signalNumber(status.code))
      : status.code;
    return { exitCode, signal, lost, forwarded };
  } finally {
    if (killTimer) clearTimeout(killTimer);
    lock.signal.removeEventListener("abort", onLost);
    removeListeners();
    // Nothing of the command may outlive guard's release of the lock. (A nested
    // command's pid may already be another process's: it is left alone.)
    if (ownGroup) signalGroup("SIGKILL");
  }
}

function signalNumber(code: number): number {
  return code > 128 ? code - 128 : code;
}
