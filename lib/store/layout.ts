/**
 * The on-disk layout of a lokt root: the one module that knows where each
 * file lives. The file store, its watcher, the CLI's fast path, the audit
 * reader and `doctor` all ask it, so a path is spelled once.
 *
 * ```
 * <root>/locks/<name>.json          held locks (docs/contract.md §3); shared and semaphore names too (§14)
 * <root>/freezes/<name>.json        freezes
 * <root>/reservations/_index.json   every path reservation (docs/contract.md §15), one index
 * <root>/sessions/<pid>.json        agent sessions, by harness process (docs/contract.md §4, §16)
 * <root>/mutex/<name>.lock          per-name flock, never unlinked; holds the counters
 * <root>/queue/<name>/<ticket>.json FIFO waiters (ids sort in arrival order)
 * <root>/queue/.incoming/           tickets being written, renamed into place
 * <root>/audit.jsonl (+ .1)         audit trail and its rotated generation
 * <root>/audit.lock                 serialises rotation
 * ```
 *
 * @module
 */

import type { EntryKind } from "./lock_store.ts";

/** The directory of each kind of entry, relative to the root. */
export const ENTRY_DIRS: Readonly<Record<EntryKind, string>> = {
  lock: "locks",
  freeze: "freezes",
  reservations: "reservations",
};

/**
 * Entries larger than this are unreadable (reported, never parsed): a lock
 * record or freeze is small; the reservations index holds every reservation.
 */
export const ENTRY_MAX_BYTES: Readonly<Record<EntryKind, number>> = {
  lock: 1 << 20,
  freeze: 1 << 20,
  reservations: 16 << 20,
};

/** The registry of agent sessions, relative to the root. */
export const SESSIONS_DIR = "sessions";

/** The file whose flock serialises rotation of the audit trail, relative to the root. */
export const AUDIT_LOCK_FILE = "audit.lock";

/** What `lokt init` keeps per clone (the originals it changed), relative to the root. */
export const INIT_DIR = "init";

/** The per-name mutex directory, relative to the root. */
export const MUTEX_DIR = "mutex";

/** The queue directory, relative to the root. */
export const QUEUE_DIR = "queue";

/** Where queue tickets are written before being renamed into a queue. */
export const INCOMING_DIR = "queue/.incoming";

/** The audit trail's file name. */
export const AUDIT_FILE = "audit.jsonl";

/** Width of a counter in the mutex file, in digits (one line per counter). */
export const COUNTER_WIDTH = 20;

/** Counter slots of a mutex file. */
export const COUNTER_SLOT = { fence: 0, ticket: 1 } as const;

/** Default audit size limit before rotation (64 MiB). */
export const DEFAULT_AUDIT_MAX_BYTES: number = 64 * 1024 * 1024;

/**
 * The file of an entry.
 *
 * @param root The lokt root.
 * @param kind Lock or freeze.
 * @param name The (validated) name.
 * @returns The absolute path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { entryPath } from "./layout.ts";
 * assert(entryPath("/r", "lock", "build") === "/r/locks/build.json");
 * ```
 */
export function entryPath(root: string, kind: EntryKind, name: string): string {
  return `${root}/${ENTRY_DIRS[kind]}/${name}.json`;
}

/**
 * The per-name mutex file (the kernel lock every mutation of the name holds).
 *
 * @param root The lokt root.
 * @param name The name.
 * @returns The absolute path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { mutexPath } from "./layout.ts";
 * assert(mutexPath("/r", "build") === "/r/mutex/build.lock");
 * ```
 */
export function mutexPath(root: string, name: string): string {
  return `${root}/${MUTEX_DIR}/${name}.lock`;
}

/**
 * The directory of a name's FIFO queue.
 *
 * @param root The lokt root.
 * @param name The name.
 * @returns The absolute path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { queueDir } from "./layout.ts";
 * assert(queueDir("/r", "build") === "/r/queue/build");
 * ```
 */
export function queueDir(root: string, name: string): string {
  return `${root}/${QUEUE_DIR}/${name}`;
}

/**
 * The file of one queue ticket.
 *
 * @param root The lokt root.
 * @param name The name.
 * @param id The ticket id.
 * @returns The absolute path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ticketPath } from "./layout.ts";
 * assert(ticketPath("/r", "b", "007") === "/r/queue/b/007.json");
 * ```
 */
export function ticketPath(root: string, name: string, id: string): string {
  return `${queueDir(root, name)}/${id}.json`;
}

/**
 * Whether a file name in a queue directory is a ticket, and its id.
 *
 * @param fileName A directory entry's name.
 * @returns The ticket id, or `null` for anything else.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ticketId } from "./layout.ts";
 * assert(ticketId("00000000000000000001.json") === "00000000000000000001");
 * assert(ticketId(".x.tmp") === null);
 * ```
 */
export function ticketId(fileName: string): string | null {
  return /^\d+\.json$/.test(fileName) ? fileName.slice(0, -5) : null;
}

/**
 * The audit trail, or one of its rotated generations (`audit.jsonl.1` the
 * newest of them).
 *
 * @param root The lokt root.
 * @param generation A rotated generation: `true` or `1` for the newest, `n` for the n-th.
 * @returns The absolute path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { auditPath } from "./layout.ts";
 * assert(auditPath("/r") === "/r/audit.jsonl");
 * assert(auditPath("/r", true) === "/r/audit.jsonl.1");
 * assert(auditPath("/r", 3) === "/r/audit.jsonl.3");
 * ```
 */
export function auditPath(root: string, generation: boolean | number = false): string {
  const n = generation === true ? 1 : generation === false ? 0 : generation;
  return `${root}/${AUDIT_FILE}${n > 0 ? `.${n}` : ""}`;
}

/** How many rotated generations of the audit trail are kept by default. */
export const DEFAULT_AUDIT_GENERATIONS = 3;

/**
 * How many rotated generations of the audit trail are kept:
 * `LOKT_AUDIT_GENERATIONS` (1 to 100), else {@linkcode DEFAULT_AUDIT_GENERATIONS}.
 * More generations keep more history, and let a slow `audit --follow` catch
 * up across more rotations.
 *
 * @returns The count.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { auditGenerations } from "./layout.ts";
 * assert(auditGenerations() >= 1);
 * ```
 */
export function auditGenerations(): number {
  const value = Number(Deno.env.get("LOKT_AUDIT_GENERATIONS"));
  return Number.isSafeInteger(value) && value >= 1 && value <= 100
    ? value
    : DEFAULT_AUDIT_GENERATIONS;
}

/**
 * The rotated generations of a root's audit trail, oldest first (those that
 * may exist: the caller skips absent ones).
 *
 * @param root The lokt root.
 * @returns The paths.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { auditGenerationPaths } from "./layout.ts";
 * assert.equal(auditGenerationPaths("/r").at(-1), "/r/audit.jsonl.1");
 * ```
 */
export function auditGenerationPaths(root: string): string[] {
  const count = auditGenerations();
  return Array.from({ length: count }, (_, i) => auditPath(root, count - i));
}

/**
 * The file whose flock serialises rotation of the audit trail.
 *
 * @param root The lokt root.
 * @returns The absolute path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { auditLockPath } from "./layout.ts";
 * assert(auditLockPath("/r") === "/r/audit.lock");
 * ```
 */
export function auditLockPath(root: string): string {
  return `${root}/${AUDIT_LOCK_FILE}`;
}

/**
 * The audit size limit: `LOKT_AUDIT_MAX_BYTES` when it is a positive integer,
 * else {@linkcode DEFAULT_AUDIT_MAX_BYTES}.
 *
 * @returns The limit in bytes.
 *
 * @example Usage
 * ```ts
 * import { auditMaxBytes, DEFAULT_AUDIT_MAX_BYTES } from "./layout.ts";
 * const limit = auditMaxBytes();
 * console.log(limit === DEFAULT_AUDIT_MAX_BYTES ? "default" : `${limit} bytes`);
 * ```
 */
export function auditMaxBytes(): number {
  const value = Number(Deno.env.get("LOKT_AUDIT_MAX_BYTES"));
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_AUDIT_MAX_BYTES;
}

/** The names lokt keeps at the top of a root, besides the audit trail's generations. */
const ROOT_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(ENTRY_DIRS),
  SESSIONS_DIR,
  MUTEX_DIR,
  QUEUE_DIR,
  INIT_DIR,
  AUDIT_LOCK_FILE,
]);

/**
 * Whether a path inside a root is lokt's own: one of the names lokt keeps at
 * the root's top, or below one. `LOKT_ROOT` may name a directory that holds
 * other files too; only these are lokt's records.
 *
 * @param relative The path relative to the root.
 * @returns Whether lokt keeps it.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { isRootEntry } from "./layout.ts";
 * assert(isRootEntry("locks/build.json") && isRootEntry("audit.jsonl.2"));
 * assert(!isRootEntry("notes.md") && !isRootEntry("lockset/x"));
 * ```
 */
export function isRootEntry(relative: string): boolean {
  const first = relative.split("/", 1)[0] as string;
  if (ROOT_NAMES.has(first) || first === AUDIT_FILE) return true;
  // The trail's older generations: audit.jsonl.1, .2, …
  return first.startsWith(`${AUDIT_FILE}.`) && /^\d+$/.test(first.slice(AUDIT_FILE.length + 1));
}
