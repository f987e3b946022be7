/**
 * The file operations the file store is made of: reading an entry without
 * following a symlink, writing a file whole or not at all, the counters kept
 * in each name's mutex file, audit appends with rotation, and directory
 * listings used as cheap probes.
 *
 * @module
 */

import type { AuditEvent } from "../../model/audit_event.ts";
import { encodeEvent } from "../../model/audit_event.ts";
import { LoktError, toLoktError } from "../../model/errors.ts";
import { MAX_RECORD_BYTES } from "../../model/record_codec.ts";
import { auditGenerations, auditLockPath, auditPath, COUNTER_WIDTH } from "../layout.ts";
import type { Entry } from "../lock_store.ts";

/**
 * Reads an entry without following a symlink out of the root. Directories,
 * symlinks, special files and files over `MAX_RECORD_BYTES` are returned as
 * unreadable entries (`raw: null`, `problem` says why), never parsed.
 *
 * @param path The entry's path.
 * @param maxBytes Larger files are reported unreadable, never read. @default {MAX_RECORD_BYTES}
 * @returns The entry, or `null` when absent.
 * @throws {LoktError} When the path cannot be inspected (permissions, I/O).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { readEntry } from "./file_primitives.ts";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/x.json`, "{}");
 * assert(readEntry(`${dir}/x.json`)?.raw === "{}");
 * assert(readEntry(dir)?.problem === "is a directory");
 * assert(readEntry(`${dir}/none.json`) === null);
 * ```
 */
export function readEntry(path: string, maxBytes: number = MAX_RECORD_BYTES): Entry | null {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch (err) {
    // Under a root that is a file nothing can exist: reported by the writers and doctor.
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) {
      return null;
    }
    throw toLoktError(err, `Cannot read ${path}`);
  }
  const mtimeMs = info.mtime?.getTime() ?? 0;
  const ino = `${info.ino ?? 0}:${mtimeMs}:${info.size}`;
  if (info.isSymlink) return unreadable("is a symbolic link", mtimeMs, ino);
  if (info.isDirectory) return unreadable("is a directory", mtimeMs, ino);
  if (!info.isFile) return unreadable("is not a regular file", mtimeMs, ino);
  if (info.size > maxBytes) {
    return unreadable(`is too large (${info.size} bytes)`, mtimeMs, ino);
  }
  let raw: string;
  try {
    raw = Deno.readTextFileSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw toLoktError(err, `Cannot read ${path}`);
  }
  return { raw, problem: null, mtimeMs, token: `file:${ino}:${raw}` };
}

function unreadable(problem: string, mtimeMs: number, ino: string): Entry {
  return { raw: null, problem, mtimeMs, token: `${problem}:${ino}` };
}

/**
 * Throws unless `path` is absent or not a symlink: lokt never follows a link
 * placed where its own files belong.
 *
 * @param path The path lokt is about to use.
 * @throws {LoktError} When it is a symbolic link, or cannot be inspected.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { refuseSymlink } from "./file_primitives.ts";
 * const dir = Deno.makeTempDirSync();
 * Deno.symlinkSync("/etc", `${dir}/locks`);
 * let refused = false;
 * try { refuseSymlink(`${dir}/locks`); } catch { refused = true; }
 * assert(refused);
 * ```
 */
export function refuseSymlink(path: string): void {
  try {
    if (Deno.lstatSync(path).isSymlink) {
      throw new LoktError(`Refusing to use ${path}: it is a symbolic link`);
    }
  } catch (err) {
    if (err instanceof LoktError) throw err;
    if (!(err instanceof Deno.errors.NotFound) && !(err instanceof Deno.errors.NotADirectory)) {
      throw toLoktError(err, `Cannot use ${path}`);
    }
  }
}

/**
 * Allocates the next value of a counter kept in a locked mutex file. Counters
 * are fixed-width lines rewritten in place (slot 0: fence, slot 1: queue
 * tickets); the caller holds the file's `flock`.
 *
 * @param mutex The open, locked mutex file.
 * @param slot The counter's slot.
 * @param floor The new value is greater than this too (a record's fence).
 * @returns The allocated value.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { allocateCounter } from "./file_primitives.ts";
 * const path = `${Deno.makeTempDirSync()}/x.lock`;
 * using mutex = Deno.openSync(path, { read: true, write: true, create: true });
 * assert(allocateCounter(mutex, 0, 0) === 1);
 * assert(allocateCounter(mutex, 0, 7) === 8);
 * ```
 */
export function allocateCounter(mutex: Deno.FsFile, slot: number, floor: number): number {
  const width = COUNTER_WIDTH + 1;
  const buffer = new Uint8Array(width);
  mutex.seekSync(slot * width, Deno.SeekMode.Start);
  const read = mutex.readSync(buffer) ?? 0;
  let stored = 0;
  for (let i = 0; i < Math.min(read, COUNTER_WIDTH); i++) {
    const digit = (buffer[i] as number) - 48;
    if (digit < 0 || digit > 9) break;
    stored = stored * 10 + digit;
  }
  const next = Math.max(Number.isSafeInteger(stored) ? stored : 0, floor) + 1;
  if (slot > 0) {
    // Make sure earlier slots exist so that offsets stay fixed.
    const size = mutex.statSync().size;
    if (size < slot * width) {
      mutex.seekSync(size, Deno.SeekMode.Start);
      mutex.writeSync(digits(0));
    }
  }
  mutex.seekSync(slot * width, Deno.SeekMode.Start);
  mutex.writeSync(digits(next));
  return next;
}

/** A counter as a fixed-width line of ASCII digits (no TextEncoder on the hot path). */
function digits(value: number): Uint8Array {
  const text = `${String(value).padStart(COUNTER_WIDTH, "0")}\n`;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * Writes a file whole or not at all: a temporary file beside it, then a rename.
 *
 * @param path The target path.
 * @param content The content.
 * @throws {LoktError} Naming the path, after removing the temporary file.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { writeAtomically } from "./file_primitives.ts";
 * const path = `${Deno.makeTempDirSync()}/build.json`;
 * writeAtomically(path, "{}\n");
 * assert(Deno.readTextFileSync(path) === "{}\n");
 * ```
 */
export function writeAtomically(path: string, content: string): void {
  const slash = path.lastIndexOf("/") + 1;
  const tmp = `${path.slice(0, slash)}.${path.slice(slash)}.${Deno.pid}.${uniqueSuffix()}.tmp`;
  try {
    Deno.writeTextFileSync(tmp, content, { createNew: true, mode: 0o644 });
    Deno.renameSync(tmp, path);
  } catch (err) {
    try {
      Deno.removeSync(tmp);
    } catch {
      // The temporary file was never created.
    }
    throw toLoktError(err, `Cannot write ${path}`);
  }
}

/**
 * A short random suffix for temporary file names. Uniqueness only (their
 * creation uses O_EXCL), so no crypto on the hot path.
 *
 * @returns The suffix.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { uniqueSuffix } from "./file_primitives.ts";
 * const tmp = `/tmp/.build.json.${Deno.pid}.${uniqueSuffix()}.tmp`;
 * assert(tmp.endsWith(".tmp"));
 * ```
 */
export function uniqueSuffix(): string {
  return Math.floor(Math.random() * 2 ** 32).toString(36);
}

/**
 * Appends events to the root's audit trail in one O_APPEND write (concurrent
 * writers' lines stay whole), rotating the file once it exceeds `maxBytes`.
 * Refuses an audit trail that is a symlink. Never throws: the audit trail must
 * not fail the operation it records.
 *
 * @param root The lokt root.
 * @param events The events.
 * @param maxBytes The rotation threshold.
 * @returns `null`, or the message of the failure to report as a warning.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { appendAudit } from "./file_primitives.ts";
 * import { makeEvent } from "../../model/audit_event.ts";
 * const root = Deno.makeTempDirSync();
 * const actor = { owner: "me", agentId: "a", host: "h", pid: 1 };
 * const problem = appendAudit(root, [makeEvent("freeze", "x", actor, {}, 0)], 1 << 20);
 * assert(problem === null && Deno.readTextFileSync(`${root}/audit.jsonl`).includes("freeze"));
 * ```
 */
export function appendAudit(root: string, events: AuditEvent[], maxBytes: number): string | null {
  if (events.length === 0) return null;
  const path = auditPath(root);
  try {
    refuseSymlink(path);
    Deno.writeTextFileSync(path, events.map(encodeEvent).join(""), {
      append: true,
      create: true,
      mode: 0o644,
    });
    let size = 0;
    try {
      size = Deno.statSync(path).size;
    } catch (err) {
      // Another writer rotated it between our write and this look: our line is written.
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
    if (size > maxBytes) rotate(root, path, maxBytes);
    return null;
  } catch (err) {
    return `cannot write audit trail ${path}: ${toLoktError(err).message}`;
  }
}

function rotate(root: string, path: string, maxBytes: number): void {
  const lock = Deno.openSync(auditLockPath(root), {
    read: true,
    write: true,
    create: true,
    mode: 0o644,
  });
  try {
    lock.lockSync(true);
    // Re-check under the lock: another writer may have rotated already.
    let size = 0;
    try {
      size = Deno.statSync(path).size;
    } catch {
      return;
    }
    if (size <= maxBytes) return;
    // Each generation moves one older (the oldest is dropped), then the trail becomes the newest.
    for (let n = auditGenerations(); n > 1; n--) {
      try {
        Deno.renameSync(auditPath(root, n - 1), auditPath(root, n));
      } catch {
        // That generation does not exist yet.
      }
    }
    Deno.renameSync(path, auditPath(root, 1));
  } finally {
    lock.close();
  }
}

/** The kind of a directory entry, symlinks told apart (never followed). */
export type DirEntryKind = "file" | "dir" | "other";

/**
 * A directory's entries by kind, read with one `readdir`: a cheaper probe
 * than `stat` of files that are usually absent (each miss throws).
 *
 * @param dir The directory.
 * @returns Entry names and their kinds.
 * @throws {Deno.errors.NotFound} When the directory does not exist.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { listDir } from "./file_primitives.ts";
 * const dir = Deno.makeTempDirSync();
 * Deno.mkdirSync(`${dir}/locks`);
 * assert(listDir(dir).get("locks") === "dir");
 * ```
 */
export function listDir(dir: string): Map<string, DirEntryKind> {
  const found = new Map<string, DirEntryKind>();
  for (const entry of Deno.readDirSync(dir)) {
    found.set(
      entry.name,
      entry.isSymlink ? "other" : entry.isFile ? "file" : entry.isDirectory ? "dir" : "other",
    );
  }
  return found;
}
