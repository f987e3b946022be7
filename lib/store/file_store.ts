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

import type { AuditEvent } from "../model/audit_event.ts";
import { LoktError, toLoktError } from "../model/errors.ts";
import { MAX_RECORD_BYTES, parseObject } from "../model/lock_record.ts";
import { isValidName } from "../model/name.ts";
import {
  allocateCounter,
  appendAudit,
  listDir,
  readEntry,
  refuseSymlink,
  uniqueSuffix,
  writeAtomically,
} from "./file_primitives.ts";
import { FsWatcher } from "./fs_watcher.ts";
import {
  AUDIT_FILE,
  auditPath,
  COUNTER_SLOT,
  COUNTER_WIDTH,
  DEFAULT_AUDIT_MAX_BYTES,
  ENTRY_DIRS,
  entryPath,
  INCOMING_DIR,
  MUTEX_DIR,
  mutexPath,
  QUEUE_DIR,
  queueDir,
  ticketId,
  ticketPath,
} from "./layout.ts";
import type {
  Entry,
  EntryKind,
  LockStore,
  Producer,
  Ticket,
  Watcher,
  WatchTarget,
  WriteOptions,
} from "./lock_store.ts";

/** Options of the file store. */
export interface FileStoreOptions {
  /** Rotate `audit.jsonl` once it is larger than this. @default {67108864} */
  auditMaxBytes?: number;
  /** Called when the audit trail cannot be written. @default {prints a warning on stderr} */
  onAuditError?: (message: string) => void;
}

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
 * Stores locks, freezes, queues and the audit trail as files under one root.
 *
 * @example Usage
 * ```ts
 * import { FileStore } from "./file_store.ts";
 * const store = new FileStore(Deno.makeTempDirSync());
 * const wrote = await store.createIfAbsent("freeze", "deploy", () => ({ content: "{}\n", audit: [] }), {
 *   freshFence: false,
 * });
 * console.assert(wrote && (await store.list("freeze"))[0] === "deploy");
 * ```
 */
export class FileStore implements LockStore {
  /** The root directory. */
  readonly location: string;
  #auditMaxBytes: number;
  #onAuditError: (message: string) => void;
  #ready = new Set<string>();
  #checked = new Set<string>();

  /**
   * Creates a store rooted at `root` (nothing is created until the first write).
   *
   * @param root Absolute path of the lokt root.
   * @param options Audit options.
   */
  constructor(root: string, options: FileStoreOptions = {}) {
    this.location = root;
    this.#auditMaxBytes = options.auditMaxBytes ?? DEFAULT_AUDIT_MAX_BYTES;
    this.#onAuditError = options.onAuditError ??
      ((message) => console.error(`warning: ${message}`));
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
    this.#refuseLinkedDir(ENTRY_DIRS[kind]);
    return readEntry(entryPath(this.location, kind, name));
  }

  createIfAbsent(
    kind: EntryKind,
    name: string,
    produce: Producer,
    options: WriteOptions,
  ): Promise<boolean> {
    this.#ensureDir(ENTRY_DIRS[kind]);
    return this.#withMutex(name, (mutex) => this.#write(mutex, kind, name, null, produce, options));
  }

  compareAndReplace(
    kind: EntryKind,
    name: string,
    token: string,
    produce: Producer,
    options: WriteOptions,
  ): Promise<boolean> {
    this.#ensureDir(ENTRY_DIRS[kind]);
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
    this.#ensureDir(ENTRY_DIRS[kind]);
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

  /**
   * Looks at a name's files with directory listings only (no file is opened,
   * and absent files cost no thrown error). `null` when the root is not set
   * up, or something other than lokt's own files is where they belong
   * (symlinks, wrong file types): a caller that cannot wait then lets the
   * full path handle it.
   *
   * @param name The name.
   * @returns What exists for the name.
   */
  look(name: string): NameLook | null {
    try {
      const top = listDir(this.location);
      const dirs = [ENTRY_DIRS.lock, MUTEX_DIR];
      if (dirs.some((d) => top.get(d) !== "dir")) return null;
      const audit = top.get(AUDIT_FILE);
      if (audit !== undefined && audit !== "file") return null;
      const mutex = listDir(`${this.location}/${MUTEX_DIR}`).get(`${name}.lock`);
      if (mutex !== undefined && mutex !== "file") return null;
      const freezes = top.get(ENTRY_DIRS.freeze);
      if (freezes !== undefined && freezes !== "dir") return null;
      const queues = top.get(QUEUE_DIR);
      if (queues !== undefined && queues !== "dir") return null;
      const file = `${name}.json`;
      const queued = queues !== undefined &&
        listDir(`${this.location}/${QUEUE_DIR}`).has(name) &&
        [...listDir(queueDir(this.location, name)).keys()].some((f) => ticketId(f) !== null);
      return {
        record: listDir(`${this.location}/${ENTRY_DIRS.lock}`).has(file),
        freeze: freezes !== undefined &&
          listDir(`${this.location}/${ENTRY_DIRS.freeze}`).has(file),
        queued,
      };
    } catch {
      return null;
    }
  }

  list(kind: EntryKind): Promise<string[]> {
    this.#refuseLinkedDir(ENTRY_DIRS[kind]);
    const dir = `${this.location}/${ENTRY_DIRS[kind]}`;
    const names: string[] = [];
    try {
      for (const item of Deno.readDirSync(dir)) {
        if (!item.name.endsWith(".json")) continue;
        const name = item.name.slice(0, -5);
        if (isValidName(name)) names.push(name);
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound) && !(err instanceof Deno.errors.NotADirectory)) {
        throw toLoktError(err, `Cannot list ${dir}`);
      }
    }
    return Promise.resolve(names.sort());
  }

  watch(target: WatchTarget): Watcher {
    if (target.kind === "ticket") {
      return new FsWatcher([ticketPath(this.location, target.name, target.id)], () => true);
    }
    const suffix = `/${target.name}.json`;
    const dirs = [ENTRY_DIRS.lock, ENTRY_DIRS.freeze].map((d) => `${this.location}/${d}`);
    return new FsWatcher(dirs, (paths) => paths.some((p) => p.endsWith(suffix)));
  }

  nextFence(name: string): Promise<number> {
    return this.#withMutex(name, (mutex) => this.#count(mutex, name, "fence", 0));
  }

  async enqueue(name: string, content: string): Promise<string> {
    this.#ensureDir(QUEUE_DIR);
    this.#ensureDir(`${QUEUE_DIR}/${name}`);
    const id = await this.#withMutex(name, (mutex) => this.#count(mutex, name, "ticket", 0));
    const ticket = String(id).padStart(COUNTER_WIDTH, "0");
    // Written whole in a directory nobody watches, then renamed into the queue:
    // a waiter killed mid-write leaves no half ticket, and only the rename
    // wakes the watcher of the queue.
    this.#ensureDir(INCOMING_DIR);
    const tmp = `${this.location}/${INCOMING_DIR}/${ticket}.${Deno.pid}.${uniqueSuffix()}.tmp`;
    try {
      Deno.writeTextFileSync(tmp, content, { createNew: true, mode: 0o644 });
      Deno.renameSync(tmp, ticketPath(this.location, name, ticket));
    } catch (err) {
      try {
        Deno.removeSync(tmp);
      } catch {
        // Never created.
      }
      throw toLoktError(err, `Cannot join the queue in ${queueDir(this.location, name)}`);
    }
    return ticket;
  }

  queue(name: string): Promise<Ticket[]> {
    this.#refuseLinkedDir(QUEUE_DIR);
    this.#refuseLinkedDir(`${QUEUE_DIR}/${name}`);
    const dir = queueDir(this.location, name);
    const tickets: Ticket[] = [];
    try {
      for (const item of Deno.readDirSync(dir)) {
        const id = ticketId(item.name);
        if (id === null) continue;
        try {
          const info = Deno.lstatSync(`${dir}/${item.name}`);
          const raw = info.isFile && info.size <= MAX_RECORD_BYTES
            ? Deno.readTextFileSync(`${dir}/${item.name}`)
            : null;
          tickets.push({ id, raw, mtimeMs: info.mtime?.getTime() ?? 0 });
        } catch {
          // Removed while listing: the waiter left.
        }
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound) && !(err instanceof Deno.errors.NotADirectory)) {
        throw toLoktError(err, `Cannot list ${dir}`);
      }
    }
    return Promise.resolve(tickets.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  }

  dequeue(name: string, id: string): Promise<void> {
    try {
      Deno.removeSync(ticketPath(this.location, name, id));
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw toLoktError(err, "Cannot leave the queue");
    }
    return Promise.resolve();
  }

  appendAudit(events: AuditEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    try {
      this.#ensureDir("");
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
    const path = entryPath(this.location, kind, name);
    const current = readEntry(path);
    if ((current?.token ?? null) !== token) return false;
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
    const path = entryPath(this.location, kind, name);
    const current = readEntry(path);
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

  #openMutex(name: string): Deno.FsFile {
    this.#ensureDir(MUTEX_DIR);
    const path = mutexPath(this.location, name);
    refuseSymlink(path);
    try {
      return Deno.openSync(path, { read: true, write: true, create: true, mode: 0o644 });
    } catch (err) {
      throw toLoktError(err, `Cannot open ${path}`);
    }
  }

  async #withMutex<T>(name: string, fn: (mutex: Deno.FsFile) => T): Promise<T> {
    const file = this.#openMutex(name);
    try {
      // Uncontended: lock without leaving the event loop; contended: wait off-thread.
      try {
        if (!file.tryLockSync(true)) await file.lock(true);
      } catch (err) {
        throw toLoktError(err, `Cannot lock ${mutexPath(this.location, name)}`);
      }
      return fn(file);
    } finally {
      file.close();
    }
  }

  #tryWithMutex<T>(name: string, fn: (mutex: Deno.FsFile) => T): T | null {
    const file = this.#openMutex(name);
    try {
      return file.tryLockSync(true) ? fn(file) : null;
    } finally {
      file.close();
    }
  }

  /** Readers too must not follow a directory symlink out of the root. */
  #refuseLinkedDir(sub: string): void {
    if (this.#checked.has(sub)) return;
    refuseSymlink(`${this.location}/${sub}`);
    this.#checked.add(sub);
  }

  #ensureDir(sub: string): void {
    if (this.#ready.has(sub)) return;
    if (sub) {
      this.#ensureDir("");
      this.#refuseLinkedDir(sub);
    }
    const path = sub ? `${this.location}/${sub}` : this.location;
    try {
      // Idempotent: one op whether or not the directory exists.
      Deno.mkdirSync(path, { recursive: true, mode: 0o755 });
    } catch (err) {
      let isFile = false;
      try {
        isFile = !Deno.statSync(path).isDirectory;
      } catch {
        // Not there at all: report the mkdir error.
      }
      if (isFile) {
        throw new LoktError(
          sub
            ? `Cannot use ${path}: it exists and is not a directory`
            : `The lokt root ${path} exists and is not a directory: remove it or set LOKT_ROOT`,
        );
      }
      throw toLoktError(err, `Cannot create directory ${path}`);
    }
    this.#ready.add(sub);
  }

  #appendNow(events: AuditEvent[]): void {
    const problem = appendAudit(this.location, events, this.#auditMaxBytes);
    if (problem) this.#onAuditError(problem);
  }
}

/** The fence of the record being replaced: a new fence is always above it. */
function fenceIn(entry: Entry | null): number {
  if (!entry?.raw) return 0;
  const fence = parseObject(entry.raw)?.fence;
  return typeof fence === "number" && Number.isSafeInteger(fence) ? fence : 0;
}
