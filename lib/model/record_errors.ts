/**
 * The errors about a record's state: a lock that is not stale when asked to
 * break it, a record that cannot be judged, a hold that was lost.
 *
 * @module
 */

import { shown } from "./safe_text.ts";
import { formatDuration } from "./duration_format.ts";
import { ExitCode, LoktError } from "./errors.ts";
import type { LockHeldError } from "./lock_errors.ts";
import type { LockRecord } from "./lock_record.ts";

/**
 * A lock that the caller asked to break (`--break-stale`) is not stale (exit 1).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { NotStaleError } from "./record_errors.ts";
 * const err = new NotStaleError("x", { kind: "young-corrupt", retryInMs: 3_000 });
 * assert(err.message.endsWith("--break-stale' in 3s"));
 * ```
 */
export class NotStaleError extends LoktError {
  /**
   * Creates a not-stale error.
   *
   * @param lockName The lock.
   * @param why A newer lokt's record, a corrupt record still in its grace
   * period, or a live holder (with the denial it would get).
   */
  constructor(
    lockName: string,
    why:
      | { kind: "newer" }
      | { kind: "young-corrupt"; retryInMs: number }
      | { kind: "held"; held: LockHeldError },
  ) {
    super(
      why.kind === "newer"
        ? `lock "${lockName}" has a record of a newer lokt, which this one cannot judge; upgrade lokt, or a person may remove it with 'lokt unlock ${lockName} --force' (break-glass)`
        : why.kind === "young-corrupt"
        ? `lock "${lockName}" has a corrupt record that may still be being written; retry 'lokt unlock ${lockName} --break-stale' in ${
          formatDuration(why.retryInMs)
        }`
        : `${why.held.message} — it is not stale: wait for it with 'lokt lock ${lockName} --wait', or ask its holder`,
      ExitCode.Error,
    );
    this.name = "NotStaleError";
  }
}

/**
 * A lock record cannot be judged, so it cannot be released by its owner (exit 1).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { CorruptRecordError } from "./record_errors.ts";
 * const err = new CorruptRecordError("x", "empty record");
 * assert(err.message.includes("'lokt unlock x --break-stale'"));
 * ```
 */
export class CorruptRecordError extends LoktError {
  /**
   * Creates the error.
   *
   * @param lockName The lock.
   * @param corruption What is wrong with its record.
   */
  constructor(lockName: string, corruption: string) {
    super(
      `lock "${lockName}" has a corrupt record (${corruption}); 'lokt unlock ${lockName} --break-stale' removes it once it has been left unchanged for a few seconds; run 'lokt why ${lockName}'`,
    );
    this.name = "CorruptRecordError";
  }
}

/**
 * A held lock was lost: broken or taken over by someone else (exit 1).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { LockLostError } from "./record_errors.ts";
 * const err = new LockLostError("build", null);
 * assert(err.message === 'lock "build" was lost: its record was removed or broken');
 * ```
 */
export class LockLostError extends LoktError {
  /** The lock that was lost. */
  readonly lockName: string;

  /**
   * Creates a lost error.
   *
   * @param lockName The lock name.
   * @param current Whose record is there now (`null`: none, or unreadable).
   * @param unrenewable Why it could not be renewed before it expires, when that is the loss.
   */
  constructor(lockName: string, current: LockRecord | null, unrenewable?: string) {
    super(
      unrenewable !== undefined
        ? `lock "${lockName}" is given up: it could not be renewed before it expires (${unrenewable})`
        : current
        ? `lock "${lockName}" was lost: it is now held by ${
          shown(current.owner)
        } (pid ${current.pid})`
        : `lock "${lockName}" was lost: its record was removed or broken`,
    );
    this.name = "LockLostError";
    this.lockName = lockName;
  }
}
