/**
 * The per-name critical section: a kernel `flock` on the name's mutex file,
 * which is never unlinked (so every process locks the same inode), is never
 * a symlink, and also holds the name's counters.
 *
 * @module
 */

import { toLoktError } from "../../model/errors.ts";
import { flockHolders } from "../../sys/procfs.ts";
import { refuseSymlink } from "./file_primitives.ts";

function openMutex(path: string): Deno.FsFile {
  refuseSymlink(path);
  try {
    return Deno.openSync(path, { read: true, write: true, create: true, mode: 0o644 });
  } catch (err) {
    throw toLoktError(err, `Cannot open ${path}`);
  }
}

/** How long a wait for a name's mutex is normal: its holders keep it for well under a millisecond. */
export const MUTEX_SLOW_MS = 5_000;

/**
 * Runs `fn` holding the mutex file's exclusive `flock`, waiting for it when
 * another process holds it. A wait past {@link MUTEX_SLOW_MS} (a holder
 * stopped with SIGSTOP or hung, since no critical section lasts that long) is
 * reported once through `onSlow`, naming the holding processes, and the wait
 * goes on: giving up would be no safer than waiting, and a stopped holder
 * resumed finishes its write.
 *
 * @param path The mutex file (its directory exists).
 * @param fn The critical section; receives the locked file.
 * @param onSlow Told once when the wait passes `slowMs`, with the holders' PIDs.
 * @param slowMs When a wait is slow. @default {MUTEX_SLOW_MS}
 * @returns What `fn` returns.
 * @throws {LoktError} When the file cannot be opened or locked.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { withNameMutex } from "./name_mutex.ts";
 * const path = `${Deno.makeTempDirSync()}/build.lock`;
 * const inside = await withNameMutex(path, () => "serialised");
 * assert(inside === "serialised");
 * ```
 */
export async function withNameMutex<T>(
  path: string,
  fn: (mutex: Deno.FsFile) => T,
  onSlow?: (holders: number[]) => void,
  slowMs: number = MUTEX_SLOW_MS,
): Promise<T> {
  const file = openMutex(path);
  try {
    // Uncontended: lock without leaving the event loop; contended: wait off-thread.
    try {
      if (!file.tryLockSync(true)) {
        const timer = onSlow
          ? setTimeout(() => onSlow(flockHolders(file.statSync().ino ?? -1)), slowMs)
          : undefined;
        try {
          await file.lock(true);
        } finally {
          clearTimeout(timer);
        }
      }
    } catch (err) {
      throw toLoktError(err, `Cannot lock ${path}`);
    }
    return fn(file);
  } finally {
    file.close();
  }
}

/**
 * Runs `fn` holding the mutex file's exclusive `flock` if it is free now;
 * never waits.
 *
 * @param path The mutex file (its directory exists).
 * @param fn The critical section; receives the locked file.
 * @returns What `fn` returns, or `null` when another process holds the mutex.
 * @throws {LoktError} When the file cannot be opened.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { tryWithNameMutex } from "./name_mutex.ts";
 * const path = `${Deno.makeTempDirSync()}/build.lock`;
 * assert(tryWithNameMutex(path, () => 1) === 1);
 * ```
 */
export function tryWithNameMutex<T>(path: string, fn: (mutex: Deno.FsFile) => T): T | null {
  const file = openMutex(path);
  try {
    return file.tryLockSync(true) ? fn(file) : null;
  } finally {
    file.close();
  }
}

/**
 * What a wait for a busy mutex says: whose process, and the safe next step.
 *
 * @param name The lock name.
 * @param path The mutex file.
 * @param holders The processes holding it (from `/proc/locks`), if known.
 * @returns One line for stderr.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { slowMutexMessage } from "./name_mutex.ts";
 * assert(slowMutexMessage("build", "/r/mutex/build.lock", [42]).includes("kill -CONT 42"));
 * ```
 */
export function slowMutexMessage(name: string, path: string, holders: number[]): string {
  const who = holders.length ? `process ${holders.join(", ")}` : "another process";
  const next = holders.length
    ? `resume it (kill -CONT ${holders[0]}) or end it`
    : `find it with fuser ${path}`;
  return `the mutex of "${name}" (${path}) has been held by ${who} for over ${
    MUTEX_SLOW_MS / 1000
  }s — stopped or hung? Still waiting; ${next}.`;
}
