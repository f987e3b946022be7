/**
 * Cheap looks at a name's files for callers that must not wait or pay for
 * thrown errors (the CLI's fast path): directory listings only, no file opened.
 *
 * @module
 */

import { listDir } from "./file_primitives.ts";
import { AUDIT_FILE, ENTRY_DIRS, MUTEX_DIR, QUEUE_DIR, queueDir, ticketId } from "../layout.ts";

/** What a look at one name's files found, without opening any of them. */
export interface NameLook {
  /** The lock has an entry (of any kind). */
  record: boolean;
  /** A freeze entry exists for the name. */
  freeze: boolean;
  /** Waiter tickets are queued for the name. */
  queued: boolean;
}

/**
 * Looks at a name's files with directory listings only (no file is opened,
 * and absent files cost no thrown error). `null` when the root is not set
 * up, or something other than lokt's own files is where they belong
 * (symlinks, wrong file types): a caller that cannot wait then lets the full
 * path handle it.
 *
 * @param root The lokt root.
 * @param name The name.
 * @returns What exists for the name.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { lookAt } from "./file_probe.ts";
 * const root = Deno.makeTempDirSync();
 * assert(lookAt(root, "build") === null); // not set up: no locks/ or mutex/
 * Deno.mkdirSync(`${root}/locks`);
 * Deno.mkdirSync(`${root}/mutex`);
 * assert(lookAt(root, "build")?.record === false);
 * ```
 */
export function lookAt(root: string, name: string): NameLook | null {
  try {
    const top = listDir(root);
    const dirs = [ENTRY_DIRS.lock, MUTEX_DIR];
    if (dirs.some((d) => top.get(d) !== "dir")) return null;
    const audit = top.get(AUDIT_FILE);
    if (audit !== undefined && audit !== "file") return null;
    const mutex = listDir(`${root}/${MUTEX_DIR}`).get(`${name}.lock`);
    if (mutex !== undefined && mutex !== "file") return null;
    const freezes = top.get(ENTRY_DIRS.freeze);
    if (freezes !== undefined && freezes !== "dir") return null;
    const queues = top.get(QUEUE_DIR);
    if (queues !== undefined && queues !== "dir") return null;
    const file = `${name}.json`;
    const queued = queues !== undefined &&
      listDir(`${root}/${QUEUE_DIR}`).has(name) &&
      [...listDir(queueDir(root, name)).keys()].some((f) => ticketId(f) !== null);
    return {
      record: hasName(listDir(`${root}/${ENTRY_DIRS.lock}`), file),
      freeze: freezes !== undefined &&
        hasName(listDir(`${root}/${ENTRY_DIRS.freeze}`), file),
      queued,
    };
  } catch {
    return null;
  }
}

/** Whether a listing has the file under any case (an earlier lokt may have kept a name's case). */
function hasName(entries: Map<string, unknown>, file: string): boolean {
  if (entries.has(file)) return true;
  for (const name of entries.keys()) if (name.toLowerCase() === file) return true;
  return false;
}
