/**
 * How a name is asked for and held (exclusive, shared, a semaphore of N
 * slots), and the usage error of asking in a mode that does not match the
 * current holders (docs/contract.md §14): exit 64, nothing written.
 *
 * @module
 */

import { ExitCode, LoktError } from "./errors.ts";
import type { LockMode } from "./lock_record.ts";

/** A mode and, for a semaphore, its slot count. */
export interface ModeAsk {
  /** `exclusive`, `shared` or `slots`. */
  mode: LockMode;
  /** The slot count of a semaphore, else `null`. */
  slots: number | null;
}

/** An exclusive request: the default. */
export const EXCLUSIVE: ModeAsk = { mode: "exclusive", slots: null };

/**
 * A mode in words, for messages.
 *
 * @param ask The mode.
 * @returns E.g. `an exclusive lock`, `a shared lock`, `a semaphore of 3 slots`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { describeMode } from "./mode_errors.ts";
 * assert(describeMode({ mode: "slots", slots: 3 }) === "a semaphore of 3 slots");
 * ```
 */
export function describeMode(ask: ModeAsk): string {
  if (ask.mode === "slots") return `a semaphore of ${ask.slots} slots`;
  return ask.mode === "shared" ? "a shared lock" : "an exclusive lock";
}

/**
 * Asked in a mode the name's current holders (or the caller's own hold) do
 * not use: a different slot count, `--slots` for a name held without it, or
 * the other way round (exit 64; nothing is written).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ModeMismatchError } from "./mode_errors.ts";
 * const err = new ModeMismatchError("db", { mode: "slots", slots: 3 }, { mode: "slots", slots: 4 });
 * assert(err.exitCode === 64 && err.message.includes("3") && err.message.includes("4"));
 * ```
 */
export class ModeMismatchError extends LoktError {
  /** The name. */
  readonly lockName: string;
  /** How it is held. */
  readonly held: ModeAsk;
  /** How it was asked for. */
  readonly asked: ModeAsk;

  /**
   * Creates the error.
   *
   * @param lockName The name.
   * @param held How its current holders (or the caller's own hold) hold it.
   * @param asked How the caller asked for it.
   * @param own `true` when it is the caller's own hold that is asked for again.
   */
  constructor(lockName: string, held: ModeAsk, asked: ModeAsk, own = false) {
    super(mismatchMessage(lockName, held, asked, own), ExitCode.Usage);
    this.name = "ModeMismatchError";
    this.lockName = lockName;
    this.held = held;
    this.asked = asked;
  }
}

function mismatchMessage(name: string, held: ModeAsk, asked: ModeAsk, own: boolean): string {
  const flag = (ask: ModeAsk) =>
    ask.mode === "slots" ? `--slots ${ask.slots}` : ask.mode === "shared" ? "--shared" : "no flag";
  if (own) {
    return `your hold of "${name}" is ${describeMode(held)}; asking for it again as ${
      describeMode(asked)
    } is not allowed: unlock "${name}" first, then lock it again (or ask with ${flag(held)})`;
  }
  if (held.mode === "slots" && asked.mode === "slots") {
    return `lock "${name}" is held as a semaphore of ${held.slots} slots; you asked for ${asked.slots} slots: every holder of a semaphore must ask for the same number of slots (${held.slots} vs ${asked.slots}); ask with --slots ${held.slots}`;
  }
  if (held.mode === "slots") {
    return `lock "${name}" is held as a semaphore of ${held.slots} slots; you asked for ${
      describeMode(asked)
    }: a semaphore is joined only with --slots ${held.slots}`;
  }
  return `lock "${name}" is held as ${describeMode(held)} (without --slots); you asked for ${
    describeMode(asked)
  }: a name held without --slots cannot be joined with it; ask without --slots`;
}
