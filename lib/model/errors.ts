/**
 * The error hierarchy of lokt. Every error carries the process exit code the
 * CLI uses for it, so the mapping from failure to exit code lives in one place.
 *
 * @module
 */

import type { LockRecord } from "./lock_record.ts";
import type { FreezeRecord } from "./freeze_record.ts";

/** Exit codes of the `lokt` command line (SPEC §9). */
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
 * import { LoktError } from "./errors.ts";
 * const err = new LoktError("Something failed", 1);
 * console.assert(err.exitCode === 1);
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
   */
  constructor(message: string, exitCode: number = ExitCode.Error) {
    super(message);
    this.name = "LoktError";
    this.exitCode = exitCode;
  }
}

/**
 * Bad input from the caller: unknown flag, bad duration, bad lock name (exit 64).
 *
 * @example Usage
 * ```ts
 * import { UsageError } from "./errors.ts";
 * console.assert(new UsageError("Unknown flag: --x").exitCode === 64);
 * ```
 */
export class UsageError extends LoktError {
  /** The command whose `--help` the message points to, if any. */
  readonly command: string | null;

  /**
   * Creates a usage error.
   *
   * @param message What was wrong with the input.
   * @param command The command whose help explains the right usage.
   */
  constructor(message: string, command: string | null = null) {
    super(message, ExitCode.Usage);
    this.name = "UsageError";
    this.command = command;
  }
}

/**
 * The lock is held by another owner and is not stale (exit 2).
 *
 * @example Usage
 * ```ts
 * import { LockHeldError } from "./errors.ts";
 * const err = new LockHeldError("build", null, "Lock \"build\" is held");
 * console.assert(err.exitCode === 2 && err.holder === null);
 * ```
 */
export class LockHeldError extends LoktError {
  /** The name of the lock. */
  readonly lockName: string;
  /** The record of the current holder, or `null` when the record is corrupt. */
  readonly holder: LockRecord | null;

  /**
   * Creates a held error.
   *
   * @param lockName The lock name.
   * @param holder The current holder's record (`null` for a corrupt record).
   * @param message The denial message.
   */
  constructor(lockName: string, holder: LockRecord | null, message: string) {
    super(message, ExitCode.Held);
    this.name = "LockHeldError";
    this.lockName = lockName;
    this.holder = holder;
  }
}

/**
 * The name is frozen, so no new acquisition is allowed (exit 2).
 *
 * @example Usage
 * ```ts
 * import { FrozenError } from "./errors.ts";
 * const err = new FrozenError("deploy", null, "Frozen");
 * console.assert(err.exitCode === 2);
 * ```
 */
export class FrozenError extends LoktError {
  /** The frozen name. */
  readonly lockName: string;
  /** The freeze record, when readable. */
  readonly freeze: FreezeRecord | null;

  /**
   * Creates a frozen error.
   *
   * @param lockName The frozen name.
   * @param freeze The freeze record.
   * @param message The message shown to the user.
   */
  constructor(lockName: string, freeze: FreezeRecord | null, message: string) {
    super(message, ExitCode.Held);
    this.name = "FrozenError";
    this.lockName = lockName;
    this.freeze = freeze;
  }
}

/**
 * Waiting for a lock ended at its timeout (exit 2).
 *
 * @example Usage
 * ```ts
 * import { WaitTimeoutError } from "./errors.ts";
 * console.assert(new WaitTimeoutError("build", "Timed out").exitCode === 2);
 * ```
 */
export class WaitTimeoutError extends LoktError {
  /** The lock that was waited for. */
  readonly lockName: string;

  /**
   * Creates a timeout error.
   *
   * @param lockName The lock that was waited for.
   * @param message The message shown to the user.
   */
  constructor(lockName: string, message: string) {
    super(message, ExitCode.Held);
    this.name = "WaitTimeoutError";
    this.lockName = lockName;
  }
}

/**
 * The lock or freeze does not exist (exit 3).
 *
 * @example Usage
 * ```ts
 * import { NotFoundError } from "./errors.ts";
 * console.assert(new NotFoundError("Lock \"x\" is not held").exitCode === 3);
 * ```
 */
export class NotFoundError extends LoktError {
  /**
   * Creates a not-found error.
   *
   * @param message The message shown to the user.
   */
  constructor(message: string) {
    super(message, ExitCode.NotFound);
    this.name = "NotFoundError";
  }
}

/**
 * The lock or freeze belongs to another owner (exit 4).
 *
 * @example Usage
 * ```ts
 * import { NotOwnerError } from "./errors.ts";
 * console.assert(new NotOwnerError("Not yours").exitCode === 4);
 * ```
 */
export class NotOwnerError extends LoktError {
  /**
   * Creates a not-owner error.
   *
   * @param message The message shown to the user.
   */
  constructor(message: string) {
    super(message, ExitCode.NotOwner);
    this.name = "NotOwnerError";
  }
}

/**
 * A lock that the caller asked to break is not stale (exit 1).
 *
 * @example Usage
 * ```ts
 * import { NotStaleError } from "./errors.ts";
 * console.assert(new NotStaleError("Not stale").exitCode === 1);
 * ```
 */
export class NotStaleError extends LoktError {
  /**
   * Creates a not-stale error.
   *
   * @param message The message shown to the user.
   */
  constructor(message: string) {
    super(message, ExitCode.Error);
    this.name = "NotStaleError";
  }
}

/**
 * Turns any thrown value into a {@linkcode LoktError}: lokt's own errors pass
 * through; OS errors become exit-1 errors whose message names the operation
 * and path; missing Deno permissions become a clear message.
 *
 * @param err The thrown value.
 * @param context What lokt was doing, e.g. `Cannot write /x/locks/a.json`.
 * @returns A LoktError to report.
 *
 * @example Usage
 * ```ts
 * import { toLoktError } from "./errors.ts";
 * const err = toLoktError(new Error("boom"), "Cannot read x");
 * console.assert(err.message === "Cannot read x: boom");
 * ```
 */
export function toLoktError(err: unknown, context?: string): LoktError {
  if (err instanceof LoktError) return err;
  if (err instanceof Deno.errors.NotCapable) {
    return new LoktError(
      `Missing Deno permission: ${
        firstLine(err.message)
      }; run lokt with the permissions listed in its README`,
    );
  }
  const message = err instanceof Error ? firstLine(err.message) : String(err);
  return new LoktError(context ? `${context}: ${message}` : message);
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * A held lock was lost: broken or taken over by someone else (exit 1).
 *
 * @example Usage
 * ```ts
 * import { LockLostError } from "./errors.ts";
 * console.assert(new LockLostError("build", "Lost").exitCode === 1);
 * ```
 */
export class LockLostError extends LoktError {
  /** The lock that was lost. */
  readonly lockName: string;

  /**
   * Creates a lost error.
   *
   * @param lockName The lock name.
   * @param message The message shown to the user.
   */
  constructor(lockName: string, message: string) {
    super(message, ExitCode.Error);
    this.name = "LockLostError";
    this.lockName = lockName;
  }
}
