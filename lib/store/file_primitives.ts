/**
 * The file operations behind the file store, shared with the CLI's fast path
 * so that both write records, counters and audit lines the same way: atomic
 * record writes, the counters kept in each name's mutex file, and audit
 * appends with rotation.
 *
 * @module
 */

import type { AuditEvent } from "../model/audit_event.ts";
import { encodeEvent } from "../model/audit_event.ts";
import { toLoktError } from "../model/errors.ts";
import { join } from "../sys/path.ts";

/** Default audit size limit before rotation (64 MiB). */
export const DEFAULT_AUDIT_MAX_BYTES: number = 64 * 1024 * 1024;

/** Width of a counter in the mutex file, in digits (one line per counter). */
export const COUNTER_WIDTH = 20;

/** Counter slots of a mutex file. */
export const COUNTER_SLOT = { fence: 0, ticket: 1 } as const;

/**
 * The audit size limit: `LOKT_AUDIT_MAX_BYTES` when it is a positive integer,
 * else {@linkcode DEFAULT_AUDIT_MAX_BYTES}.
 *
 * @returns The limit in bytes.
 *
 * @example Usage
 * ```ts
 * import { auditMaxBytes } from "./file_primitives.ts";
 * console.assert(auditMaxBytes() > 0);
 * ```
 */
export function auditMaxBytes(): number {
  const value = Number(Deno.env.get("LOKT_AUDIT_MAX_BYTES"));
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_AUDIT_MAX_BYTES;
}

/**
 * Allocates the next value of a counter kept in a locked mutex file. Counters
 * are fixed-width lines rewritten in place (slot 0: fence, slot 1: queue
 * tickets); the caller holds the file's `flock`.
 *
 * @param mutex The open, locked mutex file.
 * @param slot The counter's slot.
 * @param floor The new value is greater than this too.
 * @returns The allocated value.
 *
 * @example Usage
 * ```ts ignore
 * import { allocateCounter, COUNTER_SLOT } from "./file_primitives.ts";
 * const fence = allocateCounter(mutex, COUNTER_SLOT.fence, 0);
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
 * ```ts ignore
 * import { writeAtomically } from "./file_primitives.ts";
 * writeAtomically("/tmp/lokt/locks/build.json", "{}\n");
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
 * import { uniqueSuffix } from "./file_primitives.ts";
 * console.assert(uniqueSuffix().length > 0);
 * ```
 */
export function uniqueSuffix(): string {
  return Math.floor(Math.random() * 2 ** 32).toString(36);
}

/**
 * Appends events to `<root>/audit.jsonl` in one O_APPEND write (concurrent
 * writers' lines stay whole), rotating the file once it exceeds `maxBytes`.
 * Never throws: the audit trail must not fail the operation it records.
 *
 * @param root The lokt root.
 * @param events The events.
 * @param maxBytes The rotation threshold.
 * @returns `null`, or the message of the failure to report as a warning.
 *
 * @example Usage
 * ```ts ignore
 * import { appendAudit, auditMaxBytes } from "./file_primitives.ts";
 * const problem = appendAudit("/repo/.git/lokt", events, auditMaxBytes());
 * ```
 */
export function appendAudit(root: string, events: AuditEvent[], maxBytes: number): string | null {
  if (events.length === 0) return null;
  const path = join(root, "audit.jsonl");
  try {
    Deno.writeTextFileSync(path, events.map(encodeEvent).join(""), {
      append: true,
      create: true,
      mode: 0o644,
    });
    if (Deno.statSync(path).size > maxBytes) rotate(root, path, maxBytes);
    return null;
  } catch (err) {
    return `cannot write audit trail ${path}: ${toLoktError(err).message}`;
  }
}

function rotate(root: string, path: string, maxBytes: number): void {
  const lock = Deno.openSync(join(root, "audit.lock"), {
    read: true,
    write: true,
    create: true,
    mode: 0o644,
  });
  try {
    lock.lockSync(true);
    // Re-check under the lock: another writer may have rotated already.
    if (Deno.statSync(path).size > maxBytes) Deno.renameSync(path, `${path}.1`);
  } finally {
    lock.close();
  }
}
