/**
 * The base of lokt's error hierarchy: exit codes, `LoktError` (every error
 * carries the exit code the CLI ends with), usage errors, and the conversion
 * of anything thrown into a `LoktError` that keeps its cause. The errors of
 * lock operations are in `lock_errors.ts`; the CLI maps errors to output in
 * one place.
 *
 * @module
 */

/** Exit codes of the `lokt` command line (docs/contract.md §9). */
export const ExitCode = {
  /** Success. */
  Ok: 0,
  /** I/O error, corrupt data, or a lock that is not stale for `--break-stale`. */
  Error: 1,
  /** Held by another owner, frozen, or a `--wait` that timed out. */
  Held: 2,
  /** The lock (or freeze) does not exist. */
  NotFound: 3,
  /** The lock belongs to another owner. */
  NotOwner: 4,
  /** A usage error: unknown flag, bad duration, bad name. */
  Usage: 64,
} as const;

/**
 * Base class of every error lokt raises on purpose.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { LoktError } from "./errors.ts";
 * const err = new LoktError("Cannot write /x", 1, { cause: new Error("EROFS") });
 * assert(err.exitCode === 1 && err.cause instanceof Error);
 * ```
 */
export class LoktError extends Error {
  /** The exit code the CLI ends with when this error is not handled. */
  readonly exitCode: number;

  /**
   * Creates an error with a message and an exit code.
   *
   * @param message A one-line, human-readable message.
   * @param exitCode The CLI exit code for this error.
   * @param options `cause`: the error this one reports.
   */
  constructor(message: string, exitCode: number = ExitCode.Error, options?: ErrorOptions) {
    super(message, options);
    this.name = "LoktError";
    this.exitCode = exitCode;
  }
}

/**
 * Bad input from the caller: unknown flag, bad duration, bad lock name (exit 64).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { UsageError } from "./errors.ts";
 * const err = new UsageError("unknown flag --x", "lock");
 * assert(err.exitCode === 64 && err.command === "lock");
 * ```
 */
export class UsageError extends LoktError {
  /** The command whose `--help` the message points to, if any. */
  readonly command: string | null;
  /**
   * Where to read instead of a command's `--help`, for input that is no
   * command's (a setting such as `LOKT_BACKEND`), or `null`.
   */
  readonly hint: string | null;

  /**
   * Creates a usage error.
   *
   * @param message What was wrong with the input.
   * @param command The command whose help explains the right usage.
   * @param hint Where to read instead, when no command's help does.
   */
  constructor(message: string, command: string | null = null, hint: string | null = null) {
    super(message, ExitCode.Usage);
    this.name = "UsageError";
    this.command = command;
    this.hint = hint;
  }
}

/**
 * A compare-and-swap kept failing because others changed the record each time (exit 1).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ContentionError } from "./errors.ts";
 * const err = new ContentionError("release", "build");
 * assert(err.message === 'Could not release "build": the record kept changing');
 * ```
 */
export class ContentionError extends LoktError {
  /**
   * Creates the error.
   *
   * @param operation What was attempted (`acquire`, `release`, `freeze`, …).
   * @param name The name.
   */
  constructor(operation: string, name: string) {
    super(`Could not ${operation} "${name}": the record kept changing`);
    this.name = "ContentionError";
  }
}

/**
 * Turns any thrown value into a {@linkcode LoktError}: lokt's own errors pass
 * through; OS errors become exit-1 errors whose message names the operation
 * and path and whose `cause` is the original; a missing Deno permission gets
 * a clear message.
 *
 * @param err The thrown value.
 * @param context What lokt was doing, e.g. `Cannot write /x/locks/a.json`.
 * @returns A LoktError to report.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { toLoktError } from "./errors.ts";
 * const os = new Error("boom");
 * const err = toLoktError(os, "Cannot read x");
 * assert(err.message === "Cannot read x: boom" && err.cause === os);
 * ```
 */
export function toLoktError(err: unknown, context?: string): LoktError {
  if (err instanceof LoktError) return err;
  if (err instanceof Deno.errors.NotCapable) {
    return new LoktError(
      `Missing Deno permission: ${
        firstLine(err.message)
      }; run lokt with the permissions listed in its README`,
      ExitCode.Error,
      { cause: err },
    );
  }
  const message = err instanceof Error ? firstLine(err.message) : String(err);
  return new LoktError(context ? `${context}: ${message}` : message, ExitCode.Error, {
    cause: err,
  });
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
