/**
 * The errors of lock operations: held, frozen, timed out, not found, not the
 * owner, not stale, corrupt, lost. Each builds its message from its data, so a
 * situation reads the same wherever it is raised.
 *
 * @module
 */

import { shown } from "./safe_text.ts";
import { expiryText, formatDuration } from "./duration_format.ts";
import { ExitCode, LoktError } from "./errors.ts";
import type { LockRecord } from "./lock_record.ts";

/** Why an acquisition was refused, as judged by the engine. */
export type HeldDetail =
  | {
    /** A live holder. */
    kind: "holder";
    /** How long it has held the lock, in ms. */
    ageMs: number;
    /** Time until expiry, or `null` when it has none. */
    expiresInMs: number | null;
    /**
     * The holder is a guard that died while its command still runs: the
     * command's process group (`0` when not recorded yet). @default {undefined}
     */
    orphanedGroup?: number;
  }
  | {
    /** A corrupt record that may not be replaced yet. */
    kind: "corrupt";
    /** What is wrong with it. */
    corruption: string;
    /** When it may be replaced, in words (`in 3s`, `never automatically`). */
    replaceableIn: string;
  }
  | {
    /** The caller's own owner holds it as an instance hold: its guard or process. */
    kind: "own";
    /** The process holding it. */
    pid: number;
    /** How long it has held the lock, in ms. */
    ageMs: number;
    /** Time until expiry, or `null` when it has none. */
    expiresInMs: number | null;
  }
  | {
    /**
     * A shared or semaphore name with no room for this request: every slot
     * taken, or readers that an exclusive request waits for.
     */
    kind: "full";
    /** How the name is held. */
    mode: "shared" | "slots";
    /** The slot count of a semaphore, else `null`. */
    slots: number | null;
    /** The owners of the live holds, in acquisition order. */
    owners: string[];
    /** The soonest expiry among the holds, or `null` when none expires. */
    expiresInMs: number | null;
  }
  | {
    /**
     * An exclusive request by a caller whose own shared hold of the name
     * stands in its way (its own owner hold, or one inherited from an
     * ancestor guard): it would wait for itself, so it is refused at once.
     */
    kind: "upgrade";
    /** Whose hold: the owner's, or an ancestor guard's. */
    via: "owner" | "inherited";
  }
  | {
    /** Free or stale, but other waiters are queued first. */
    kind: "queued";
    /** The lock's status (`free`, `expired`, `dead`, `corrupt`). */
    status: string;
    /** How many waiters are queued. */
    queued: number;
  };

/**
 * The lock is held by another holder and is not stale (exit 2).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { LockHeldError } from "./lock_errors.ts";
 * const err = new LockHeldError("build", null, { kind: "queued", status: "free", queued: 2 });
 * assert(err.exitCode === 2 && err.message.includes("2 waiter(s)"));
 * ```
 */
export class LockHeldError extends LoktError {
  /** The name of the lock. */
  readonly lockName: string;
  /** The record of the current holder, or `null` when there is none or it is corrupt. */
  readonly holder: LockRecord | null;
  /** Why it was refused. */
  readonly detail: HeldDetail;

  /**
   * Creates a held error.
   *
   * @param lockName The lock name.
   * @param holder The current holder's record (`null` for a corrupt or missing record).
   * @param detail Why it was refused.
   */
  constructor(lockName: string, holder: LockRecord | null, detail: HeldDetail) {
    super(heldMessage(lockName, holder, detail), ExitCode.Held);
    this.name = "LockHeldError";
    this.lockName = lockName;
    this.holder = holder;
    this.detail = detail;
  }
}

function heldMessage(name: string, r: LockRecord | null, detail: HeldDetail): string {
  const why = `run 'lokt why ${name}'`;
  if (detail.kind === "queued") {
    return `lock "${name}" is ${detail.status} but ${detail.queued} waiter(s) are queued first; use --wait to join the queue`;
  }
  if (detail.kind === "full") {
    const who = listOwners(detail.owners);
    const next = detail.expiresInMs === null
      ? "they hold it while their processes live"
      : `the first ${expiryText(detail.expiresInMs)}`;
    const held = detail.mode === "slots"
      ? `has all ${detail.slots} slots held (${who})`
      : `is held shared by ${detail.owners.length} reader(s) (${who}); an exclusive hold waits for all of them`;
    return `lock "${name}" ${held} — ${next}; wait for a turn with --wait; ${why}`;
  }
  if (detail.kind === "upgrade") {
    const whose = detail.via === "owner"
      ? "your own shared hold"
      : "the shared hold this command inherited from its guard";
    return `lock "${name}" is held shared under ${whose}, which an exclusive request would wait for forever; release that hold first, or ask with --shared; ${why}`;
  }
  if (detail.kind === "own") {
    const left = detail.expiresInMs === null
      ? "no expiry while it lives"
      : expiryText(detail.expiresInMs);
    return `lock "${name}" is held by your own guard or process (pid ${detail.pid}) for ${
      formatDuration(detail.ageMs)
    } — ${left}; it is released when that command ends: wait for it with --wait; ${why}`;
  }
  if (detail.kind === "corrupt" || r === null) {
    const corruption = detail.kind === "corrupt" ? detail.corruption : "unreadable";
    const when = detail.kind === "corrupt" ? detail.replaceableIn : "later";
    return `lock "${name}" has a corrupt record (${corruption}); it can be replaced ${when}; ${why}`;
  }
  if (detail.kind === "holder" && detail.orphanedGroup !== undefined) {
    const group = detail.orphanedGroup ? ` in process group ${detail.orphanedGroup}` : "";
    const stop = detail.orphanedGroup
      ? `; to end it now, stop that group (kill -TERM -${detail.orphanedGroup})`
      : "";
    return `lock "${name}" is held by ${
      shown(r.owner)
    }'s guard (pid ${r.pid}), which died while its command still runs${group}: it is free once that command ends${stop}; ${why}`;
  }
  const left = detail.expiresInMs === null
    ? "no expiry while its process lives"
    : `expires in ${formatDuration(detail.expiresInMs)}`;
  return `lock "${name}" held by ${shown(r.owner)} (agent ${shown(r.agent_id)}, host ${
    shown(r.host)
  }, pid ${r.pid}) for ${formatDuration(detail.ageMs)} — ${left}; ${why}`;
}

/** Up to three owners, and how many more. */
function listOwners(owners: string[]): string {
  const shown = owners.slice(0, 3).join(", ");
  return owners.length > 3 ? `${shown} and ${owners.length - 3} more` : shown;
}

/**
 * Waiting for a lock ended at its timeout (exit 2).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { WaitTimeoutError } from "./lock_errors.ts";
 * const err = new WaitTimeoutError("build", 2_000, "held by agent-1");
 * assert(err.message === 'timed out after 2s waiting for "build": held by agent-1');
 * ```
 */
export class WaitTimeoutError extends LoktError {
  /** The lock that was waited for. */
  readonly lockName: string;

  /**
   * Creates a timeout error.
   *
   * @param lockName The lock that was waited for.
   * @param waitedMs How long the caller waited.
   * @param blockedBy What was still in the way (the last denial).
   */
  constructor(lockName: string, waitedMs: number, blockedBy: string) {
    super(
      `timed out after ${formatDuration(waitedMs)} waiting for "${lockName}": ${blockedBy}`,
      ExitCode.Held,
    );
    this.name = "WaitTimeoutError";
    this.lockName = lockName;
  }
}

/**
 * The lock or freeze does not exist (exit 3).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { NotFoundError } from "./lock_errors.ts";
 * assert(new NotFoundError("lock", "x").message === 'lock "x" is not held');
 * assert(new NotFoundError("freeze", "x").message === '"x" is not frozen');
 * ```
 */
export class NotFoundError extends LoktError {
  /**
   * Creates a not-found error.
   *
   * @param kind `lock` (not held), `freeze` (not frozen) or `reservation` (none of yours).
   * @param name The name (for a reservation: the patterns).
   */
  constructor(kind: "lock" | "freeze" | "reservation", name: string) {
    super(
      kind === "lock"
        ? `lock "${name}" is not held`
        : kind === "freeze"
        ? `"${name}" is not frozen`
        : `you hold no reservation of ${name}; run 'lokt status' to see yours`,
      ExitCode.NotFound,
    );
    this.name = "NotFoundError";
  }
}

/**
 * The lock or freeze belongs to another owner (exit 4). The message names the
 * safe next steps — ask the holder, wait, `lokt why` — never acting as that
 * owner or breaking the lock. When the holder is another session of the same
 * `user@host` (an owner derived per shell session), it says so: that session
 * may be another agent, and `LOKT_OWNER` keeps one identity across shells.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { NotOwnerError } from "./lock_errors.ts";
 * const err = new NotOwnerError("lock", "work", "root@vm:sid1", "root@vm:sid2");
 * assert(err.exitCode === 4 && err.message.includes("another session of this user"));
 * assert(!err.message.includes("--force"));
 * ```
 */
export class NotOwnerError extends LoktError {
  /**
   * Creates a not-owner error.
   *
   * @param kind `lock` or `freeze`; `instance` when it is your own guard's or
   * process's hold, `inherited` when it is the hold of the guard you run under.
   * @param name The name.
   * @param holder Who holds it (`null`: an unreadable freeze record; for
   * `instance` and `inherited`, the holding pid).
   * @param you The acting owner.
   */
  constructor(
    kind: "lock" | "freeze" | "instance" | "inherited",
    name: string,
    holder: string | null,
    you: string,
  ) {
    const why = `run 'lokt why ${name}'`;
    super(
      kind === "instance"
        ? `lock "${name}" is held by your own guard or process (pid ${holder}), which releases it when its command ends; ${why}`
        : kind === "inherited"
        ? `lock "${name}" is held by the guard you run under (pid ${holder}), which releases it when its command ends`
        : kind === "freeze"
        ? `"${name}" was frozen by ${
          holder ?? "an unreadable record"
        }, not by you; ask them to lift it, or wait until it ends; ${why}`
        : holder !== null && otherSession(holder, you)
        ? `lock "${name}" is held by ${holder}, another session of this user (it may be another agent), not by you (${you}); each new shell session is a new owner unless LOKT_OWNER is set: use one name per agent, e.g. 'export LOKT_OWNER=agent-1', before taking locks; ${why}`
        : `lock "${name}" is held by ${holder}, not by you (${you}); ask ${holder} to release it, or wait for it with 'lokt lock ${name} --wait'; ${why}`,
      ExitCode.NotOwner,
    );
    this.name = "NotOwnerError";
  }
}

/** Two owners derived for one `user@host` from different sessions (`user@host:<session>`). */
function otherSession(holder: string, you: string): boolean {
  const cut = (owner: string) => owner.slice(0, owner.lastIndexOf(":"));
  return holder !== you && holder.includes("@") && holder.lastIndexOf(":") > 0 &&
    cut(holder) === cut(you);
}
