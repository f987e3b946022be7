/**
 * Change notifications for waiters: inotify (through `Deno.watchFs`), filtered
 * to the paths that matter. Watching a single file (the queue ticket just
 * ahead) wakes only its successor, so a release does not wake every waiter.
 *
 * @module
 */

import type { Watcher, WatchTarget } from "../lock_store.ts";
import { ENTRY_DIRS, ticketPath } from "../layout.ts";

/**
 * Watches paths and reports relevant changes; without notification support it
 * reports nothing and callers fall back to polling.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { FsWatcher } from "./fs_watcher.ts";
 * const dir = Deno.makeTempDirSync();
 * const watcher = new FsWatcher([dir], (paths) => paths.some((p) => p.endsWith("/x.json")));
 * setTimeout(() => Deno.writeTextFileSync(`${dir}/x.json`, "{}"), 10);
 * assert(await watcher.changed(2_000));
 * watcher.close();
 * ```
 */
export class FsWatcher implements Watcher {
  #watcher: Deno.FsWatcher | null = null;
  #iterator: AsyncIterator<Deno.FsEvent> | null = null;
  #pending: Promise<IteratorResult<Deno.FsEvent>> | null = null;
  #gone = false;
  #relevant: (paths: string[]) => boolean;

  /**
   * Starts watching.
   *
   * @param paths Directories or files to watch (missing ones are skipped; a
   * single watched file that is already gone counts as a change).
   * @param relevant Which changed paths matter.
   */
  constructor(paths: string[], relevant: (paths: string[]) => boolean) {
    this.#relevant = relevant;
    const existing = paths.filter(exists);
    if (existing.length === 0 && paths.length === 1) this.#gone = true;
    if (existing.length === 0) return;
    try {
      this.#watcher = Deno.watchFs(existing, { recursive: false });
      this.#iterator = this.#watcher[Symbol.asyncIterator]();
    } catch {
      // No notification support: callers poll.
    }
  }

  /**
   * Waits for a relevant change.
   *
   * @param timeoutMs The longest wait.
   * @param signal Aborts the wait.
   * @returns `true` on a change, `false` after the timeout or an abort.
   */
  async changed(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.#gone) return true;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0 || signal?.aborted) return false;
      if (this.#iterator && !this.#pending) this.#pending = this.#iterator.next();
      const result = await race(this.#pending, left, signal);
      if (result === null) return false;
      this.#pending = null;
      if (result.done) {
        this.#iterator = null;
        return true;
      }
      if (this.#relevant(result.value.paths)) return true;
    }
  }

  /** Stops watching. */
  close(): void {
    try {
      this.#watcher?.close();
    } catch {
      // Already closed.
    }
    this.#watcher = null;
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function race<T>(
  pending: Promise<T> | null,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(null), timeoutMs);
    const onAbort = () => done(null);
    signal?.addEventListener("abort", onAbort, { once: true });
    pending?.then((value) => done(value), () => done(null));
    function done(value: T | null) {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(value);
    }
  });
}

/**
 * A watcher of a target under a root: a lock (its record and freeze), one
 * queue ticket, or the reservations index.
 *
 * @param root The lokt root.
 * @param target What to watch.
 * @returns The watcher.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { watchUnder } from "./fs_watcher.ts";
 * const watcher = watchUnder(Deno.makeTempDirSync(), { kind: "lock", name: "build" });
 * assert.equal(await watcher.changed(10), false);
 * watcher.close();
 * ```
 */
export function watchUnder(root: string, target: WatchTarget): Watcher {
  if (target.kind === "reservations") {
    const dir = `${root}/${ENTRY_DIRS.reservations}`;
    return new FsWatcher([dir], (paths) => paths.some((p) => p.endsWith(".json")));
  }
  if (target.kind === "ticket") {
    return new FsWatcher([ticketPath(root, target.name, target.id)], () => true);
  }
  const suffix = `/${target.name}.json`;
  const dirs = [ENTRY_DIRS.lock, ENTRY_DIRS.freeze].map((d) => `${root}/${d}`);
  return new FsWatcher(dirs, (paths) => paths.some((p) => p.toLowerCase().endsWith(suffix)));
}
