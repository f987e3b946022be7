/**
 * The file-system implementation of {@linkcode LockStore} (layout: `layout.ts`).
 *
 * Every mutation holds the name's `flock` while it reads, compares, writes a
 * temporary file beside the target and renames it into place, and appends its
 * audit events. Readers take no lock: `rename` makes each record appear whole.
 * The same critical sections are offered synchronously, as one-shot tries
 * that never wait, to the CLI's fast path.
 *
 * @module
 */

import type { AuditEvent } from "../../model/audit_event.ts";
import type { AuditQuery } from "../../model/audit_query.ts";
import { toLoktError } from "../../model/errors.ts";
import { allocateCounter, appendAudit, writeAtomically } from "./file_primitives.ts";
import { listEntryNames, resolveEntry } from "./entry_files.ts";
import { addTicket, listTickets, removeTicket, touchTicket } from "./file_queue.ts";
import { watchUnder } from "./fs_watcher.ts";
import { slowMutexMessage, tryWithNameMutex, withNameMutex } from "./name_mutex.ts";
import { RootDirs } from "./root_dirs.ts";
import {
  auditPath,
  COUNTER_SLOT,
  DEFAULT_AUDIT_MAX_BYTES,
  ENTRY_DIRS,
  INCOMING_DIR,
  MUTEX_DIR,
  mutexPath,
  QUEUE_DIR,
} from "../layout.ts";
import type {
  AuditReadOptions,
  Entry,
  EntryKind,
  HealthReport,
  LockStore,
  Producer,
  StoreTraits,
  Ticket,
  Watcher,
  WatchTarget,
  WriteOptions,
} from "../lock_store.ts";
import { fenceIn, LOCAL_TRAITS } from "../lock_store.ts";
import { fileAuditEvents } from "./file_audit.ts";

/** Options of the file store. */
export interface FileStoreOptions {
  /** Rotate `audit.jsonl` once it is larger than this. @default {67108864} */
  auditMaxBytes?: number;
  /** Called when the audit trail cannot be written. @default {prints a warning on stderr} */
  onAuditError?: (message: string) => void;
  /** Called once if this store creates the root directory itself. */
  onCreateRoot?: (root: string) => void;
  /**
   * Called when a name's mutex has been busy for 5 s (a stopped or hung
   * holder); the wait goes on. @default {prints a warning on stderr}
   */
  onSlowMutex?: (message: string) => void;
}

/**
 * Stores locks, freezes, queues and the audit trail as files under one root.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { FileStore } from "./file_store.ts";
 * const store = new FileStore(Deno.makeTempDirSync());
 * const wrote = await store.createIfAbsent("freeze", "deploy", () => ({ content: "{}\n", audit: [] }), {
 *   freshFence: false,
 * });
 * assert(wrote && (await store.list("freeze"))[0] === "deploy");
 * ```
 */
export class FileStore implements LockStore {
  /** The root directory. */
  readonly location: string;
  #auditMaxBytes: number;
  #onAuditError: (message: string) => void;
  #onSlowMutex: (message: string) => void;
  #dirs: RootDirs;

  /**
   * Creates a store rooted at `root` (nothing is created until the first write).
   *
   * @param root Absolute path of the lokt root.
   * @param options Audit options.
   */
  constructor(root: string, options: FileStoreOptions = {}) {
    this.location = root;
    this.#dirs = new RootDirs(root, options.onCreateRoot ?? null);
    this.#auditMaxBytes = options.auditMaxBytes ?? DEFAULT_AUDIT_MAX_BYTES;
    this.#onAuditError = options.onAuditError ??
      ((message) => console.error(`warning: ${message}`));
    this.#onSlowMutex = options.onSlowMutex ??
      ((message) => console.error(`warning: ${message}`));
  }

  /** Files are shared by one machine's processes, which are judged themselves. */
  readonly traits: StoreTraits = LOCAL_TRAITS;

  /** This machine's clock. */
  now(): number {
    return Date.now();
  }

  readAudit(query: AuditQuery, options?: AuditReadOptions): AsyncIterable<AuditEvent> {
    return fileAuditEvents(this.location, query, options);
  }

  checkHealth(_report: HealthReport): Promise<void> {
    // The root's own checks (file system, atomic create) are doctor's, for every backend.
    return Promise.resolve();
  }

  /** The path of the audit trail. */
  get auditPath(): string {
    return auditPath(this.location);
  }

  read(kind: EntryKind, name: string): Promise<Entry | null> {
    return Promise.resolve(this.readSync(kind, name));
  }

  /**
   * Reads an entry synchronously; `null` when absent.
   *
   * @param kind Lock or freeze.
   * @param name The name.
   * @returns The entry.
   */
  readSync(kind: EntryKind, name: string): Entry | null {
    this.#dirs.refuseLinked(ENTRY_DIRS[kind]);
    return resolveEntry(this.location, kind, name).current;
  }

  createIfAbsent(
    kind: EntryKind,
    name: string,
    produce: Producer,
    options: WriteOptions,
  ): Promise<boolean> {
    this.#dirs.ensure(ENTRY_DIRS[kind]);
    return this.#withMutex(name, (mutex) => this.#write(mutex, kind, name, null, produce, options));
  }

  compareAndReplace(
    kind: EntryKind,
    name: string,
    token: string,
    produce: Producer,
    options: WriteOptions,
  ): Promise<boolean> {
    this.#dirs.ensure(ENTRY_DIRS[kind]);
    return this.#withMutex(
      name,
      (mutex) => this.#write(mutex, kind, name, token, produce, options),
    );
  }

  compareAndRemove(
    kind: EntryKind,
    name: string,
    token: string,
    audit: AuditEvent[],
  ): Promise<boolean> {
    return this.#withMutex(name, () => this.#remove(kind, name, token, audit));
  }

  /**
   * {@linkcode FileStore.createIfAbsent} as one synchronous try that never waits.
   *
   * @param kind Lock or freeze.
   * @param name The name.
   * @param produce Produces the entry and its audit events.
   * @param options Whether to allocate a fresh fence.
   * @returns Whether it wrote, or `null` when the name's mutex was busy.
   */
  tryCreateIfAbsentSync(
    kind: EntryKind,
    name: string,
    produce: Producer,
    options: WriteOptions,
  ): boolean | null {
    this.#dirs.ensure(ENTRY_DIRS[kind]);
    return this.#tryWithMutex(
      name,
      (mutex) => this.#write(mutex, kind, name, null, produce, options),
    );
  }

  /**
   * {@linkcode FileStore.compareAndRemove} as one synchronous try that never waits.
   *
   * @param kind Lock or freeze.
   * @param name The name.
   * @param token The compare token of the entry judged.
   * @param audit The events of the removal.
   * @returns Whether it removed, or `null` when the name's mutex was busy.
   */
  tryCompareAndRemoveSync(
    kind: EntryKind,
    name: string,
    token: string,
    audit: AuditEvent[],
  ): boolean | null {
    return this.#tryWithMutex(name, () => this.#remove(kind, name, token, audit));
  }

  /** Reads here are local and cheap: nothing is kept. */
  known = (): undefined => undefined;

  list(kind: EntryKind): Promise<string[]> {
    this.#dirs.refuseLinked(ENTRY_DIRS[kind]);
    return Promise.resolve(listEntryNames(`${this.location}/${ENTRY_DIRS[kind]}`));
  }

  watch(target: WatchTarget): Watcher {
    return watchUnder(this.location, target);
  }

  async enqueue(name: string, content: string): Promise<string> {
    this.#dirs.ensure(QUEUE_DIR);
    this.#dirs.ensure(`${QUEUE_DIR}/${name}`);
    this.#dirs.ensure(INCOMING_DIR);
    const id = await this.#withMutex(name, (mutex) => this.#count(mutex, name, "ticket", 0));
    return addTicket(this.location, name, id, content);
  }

  queue(name: string): Promise<Ticket[]> {
    this.#dirs.refuseLinked(QUEUE_DIR);
    this.#dirs.refuseLinked(`${QUEUE_DIR}/${name}`);
    return Promise.resolve(listTickets(this.location, name));
  }

  dequeue(name: string, id: string): Promise<void> {
    removeTicket(this.location, name, id);
    return Promise.resolve();
  }

  touch(name: string, id: string): Promise<void> {
    touchTicket(this.location, name, id);
    return Promise.resolve();
  }

  appendAudit(events: AuditEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    try {
      this.#dirs.ensure("");
    } catch (err) {
      this.#onAuditError(`cannot write audit trail: ${toLoktError(err).message}`);
      return Promise.resolve();
    }
    this.#appendNow(events);
    return Promise.resolve();
  }

  /** The write of a mutation, inside the name's critical section. */
  #write(
    mutex: Deno.FsFile,
    kind: EntryKind,
    name: string,
    token: string | null,
    produce: Producer,
    options: WriteOptions,
  ): boolean {
    const { path, current } = resolveEntry(this.location, kind, name);
    if ((current?.token ?? null) !== token || options.idle) return false; // idle: for a server
    const fence = options.freshFence ? this.#count(mutex, name, "fence", fenceIn(current)) : 0;
    const produced = produce(fence);
    try {
      if (current?.problem === "is a directory") Deno.removeSync(path, { recursive: true });
    } catch (err) {
      throw toLoktError(err, `Cannot remove ${path}`);
    }
    writeAtomically(path, produced.content);
    this.#appendNow(produced.audit);
    return true;
  }

  /** The removal of a mutation, inside the name's critical section. */
  #remove(kind: EntryKind, name: string, token: string, audit: AuditEvent[]): boolean {
    const { path, current } = resolveEntry(this.location, kind, name);
    if (!current || current.token !== token) return false;
    try {
      Deno.removeSync(path, { recursive: current.problem === "is a directory" });
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return false;
      throw toLoktError(err, `Cannot remove ${path}`);
    }
    this.#appendNow(audit);
    return true;
  }

  #count(mutex: Deno.FsFile, name: string, slot: "fence" | "ticket", floor: number): number {
    try {
      return allocateCounter(mutex, COUNTER_SLOT[slot], floor);
    } catch (err) {
      const what = slot === "fence" ? "fence" : "queue";
      throw toLoktError(
        err,
        `Cannot update the ${what} counter in ${mutexPath(this.location, name)}`,
      );
    }
  }

  #withMutex<T>(name: string, fn: (mutex: Deno.FsFile) => T): Promise<T> {
    this.#dirs.ensure(MUTEX_DIR);
    const path = mutexPath(this.location, name);
    return withNameMutex(
      path,
      fn,
      (holders) => this.#onSlowMutex(slowMutexMessage(name, path, holders)),
    );
  }

  #tryWithMutex<T>(name: string, fn: (mutex: Deno.FsFile) => T): T | null {
    this.#dirs.ensure(MUTEX_DIR);
    return tryWithNameMutex(mutexPath(this.location, name), fn);
  }

  #appendNow(events: AuditEvent[]): void {
    const problem = appendAudit(this.location, events, this.#auditMaxBytes);
    if (problem) this.#onAuditError(problem);
  }
}
