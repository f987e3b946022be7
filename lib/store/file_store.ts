/**
 * The file-system implementation of {@linkcode LockStore}.
 *
 * Layout under the root: `locks/<name>.json`, `freezes/<name>.json`,
 * `mutex/<name>.lock` (the per-name kernel lock, which also holds the fence
 * counter, and is never unlinked), `audit.jsonl` (+ `audit.jsonl.1`).
 *
 * Every mutation holds the name's `flock` while it reads, compares, writes a
 * temporary file beside the target and renames it into place, and appends its
 * audit events. Readers take no lock: `rename` makes each record appear whole.
 *
 * @module
 */

import type { AuditEvent } from "../model/audit_event.ts";
import { LoktError, toLoktError } from "../model/errors.ts";
import {
  allocateCounter,
  appendAudit,
  COUNTER_SLOT,
  COUNTER_WIDTH,
  DEFAULT_AUDIT_MAX_BYTES,
  uniqueSuffix,
  writeAtomically,
} from "./file_primitives.ts";
import { MAX_RECORD_BYTES, parseObject } from "../model/lock_record.ts";
import { isValidName } from "../model/name.ts";
import { join } from "../sys/path.ts";
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

const DIRS: Record<EntryKind, string> = { lock: "locks", freeze: "freezes" };

/**
 * Stores locks, freezes and the audit trail as files under one root.
 *
 * @example Usage
 * ```ts ignore
 * import { FileStore } from "./file_store.ts";
 * const store = new FileStore("/tmp/lokt-example");
 * console.log(await store.list("lock"));
 * ```
 */
export class FileStore implements LockStore {
  /** The root directory. */
  readonly location: string;
  #auditMaxBytes: number;
  #onAuditError: (message: string) => void;
  #ready = new Set<string>();

  /**
   * Creates a store rooted at `root` (nothing is created until the first write).
   *
   * @param root Absolute path of the lokt root.
   * @param options Audit and polling options.
   */
  constructor(root: string, options: FileStoreOptions = {}) {
    this.location = root;
    this.#auditMaxBytes = options.auditMaxBytes ?? DEFAULT_AUDIT_MAX_BYTES;
    this.#onAuditError = options.onAuditError ??
      ((message) => console.error(`warning: ${message}`));
  }

  /**
   * The path of an entry's file.
   *
   * @param kind Lock or freeze.
   * @param name The (validated) name.
   * @returns The absolute path.
   */
  pathOf(kind: EntryKind, name: string): string {
    return join(this.location, DIRS[kind], `${name}.json`);
  }

  /** The path of the audit trail. */
  get auditPath(): string {
    return join(this.location, "audit.jsonl");
  }

  read(kind: EntryKind, name: string): Promise<Entry | null> {
    this.#refuseLinkedDir(DIRS[kind]);
    return Promise.resolve(readEntry(this.pathOf(kind, name)));
  }

  createIfAbsent(
    kind: EntryKind,
    name: string,
    produce: Producer,
    options: WriteOptions,
  ): Promise<boolean> {
    return this.#mutate(kind, name, null, produce, options);
  }

  compareAndReplace(
    kind: EntryKind,
    name: string,
    token: string,
    produce: Producer,
    options: WriteOptions,
  ): Promise<boolean> {
    return this.#mutate(kind, name, token, produce, options);
  }

  async compareAndRemove(
    kind: EntryKind,
    name: string,
    token: string,
    audit: AuditEvent[],
  ): Promise<boolean> {
    return await this.#withMutex(name, () => {
      const path = this.pathOf(kind, name);
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
    });
  }

  list(kind: EntryKind): Promise<string[]> {
    this.#refuseLinkedDir(DIRS[kind]);
    const names: string[] = [];
    try {
      for (const item of Deno.readDirSync(join(this.location, DIRS[kind]))) {
        if (!item.name.endsWith(".json")) continue;
        const name = item.name.slice(0, -5);
        if (isValidName(name)) names.push(name);
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound) && !(err instanceof Deno.errors.NotADirectory)) {
        throw toLoktError(err, `Cannot list ${join(this.location, DIRS[kind])}`);
      }
    }
    return Promise.resolve(names.sort());
  }

  watch(target: WatchTarget): Watcher {
    if (target.kind === "ticket") {
      const path = join(this.location, "queue", target.name, `${target.id}.json`);
      return new FsWatcher([path], () => true);
    }
    const suffix = `/${target.name}.json`;
    const dirs = [join(this.location, DIRS.lock), join(this.location, DIRS.freeze)];
    return new FsWatcher(dirs, (paths) => paths.some((p) => p.endsWith(suffix)));
  }

  async nextFence(name: string): Promise<number> {
    return await this.#withMutex(name, (mutex) => {
      try {
        return allocateCounter(mutex, COUNTER_SLOT.fence, 0);
      } catch (err) {
        throw toLoktError(err, `Cannot update the fence counter in ${this.#mutexPath(name)}`);
      }
    });
  }

  async enqueue(name: string, content: string): Promise<string> {
    const dir = join(this.location, "queue", name);
    this.#ensureDir("queue");
    this.#ensureDir(`queue/${name}`);
    const id = await this.#withMutex(name, (mutex) => {
      try {
        return String(allocateCounter(mutex, COUNTER_SLOT.ticket, 0));
      } catch (err) {
        throw toLoktError(err, `Cannot update the queue counter in ${this.#mutexPath(name)}`);
      }
    });
    const ticket = id.padStart(COUNTER_WIDTH, "0");
    // Written whole in a directory nobody watches, then renamed into the queue:
    // a waiter killed mid-write leaves no half ticket, and only the rename
    // wakes the watcher of the queue.
    this.#ensureDir("queue/.incoming");
    const tmp = join(
      this.location,
      "queue",
      ".incoming",
      `${ticket}.${Deno.pid}.${uniqueSuffix()}.tmp`,
    );
    try {
      Deno.writeTextFileSync(tmp, content, { createNew: true, mode: 0o644 });
      Deno.renameSync(tmp, join(dir, `${ticket}.json`));
    } catch (err) {
      try {
        Deno.removeSync(tmp);
      } catch {
        // Never created.
      }
      throw toLoktError(err, `Cannot join the queue in ${dir}`);
    }
    return ticket;
  }

  queue(name: string): Promise<Ticket[]> {
    this.#refuseLinkedDir("queue");
    this.#refuseLinkedDir(`queue/${name}`);
    const dir = join(this.location, "queue", name);
    const tickets: Ticket[] = [];
    try {
      for (const item of Deno.readDirSync(dir)) {
        if (!/^\d+\.json$/.test(item.name)) continue;
        const path = join(dir, item.name);
        try {
          const info = Deno.lstatSync(path);
          const raw = info.isFile && info.size <= MAX_RECORD_BYTES
            ? Deno.readTextFileSync(path)
            : null;
          tickets.push({ id: item.name.slice(0, -5), raw, mtimeMs: info.mtime?.getTime() ?? 0 });
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
      Deno.removeSync(join(this.location, "queue", name, `${id}.json`));
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

  async #mutate(
    kind: EntryKind,
    name: string,
    token: string | null,
    produce: Producer,
    options: WriteOptions,
  ): Promise<boolean> {
    this.#ensureDir(DIRS[kind]);
    return await this.#withMutex(name, (mutex) => {
      const path = this.pathOf(kind, name);
      const current = readEntry(path);
      if ((current?.token ?? null) !== token) return false;
      let fence = 0;
      try {
        if (options.freshFence) {
          fence = allocateCounter(mutex, COUNTER_SLOT.fence, fenceIn(current));
        }
      } catch (err) {
        throw toLoktError(err, `Cannot update the fence counter in ${this.#mutexPath(name)}`);
      }
      const produced = produce(fence);
      try {
        if (current?.problem === "is a directory") Deno.removeSync(path, { recursive: true });
      } catch (err) {
        throw toLoktError(err, `Cannot remove ${path}`);
      }
      writeAtomically(path, produced.content);
      this.#appendNow(produced.audit);
      return true;
    });
  }

  #mutexPath(name: string): string {
    return join(this.location, "mutex", `${name}.lock`);
  }

  async #withMutex<T>(name: string, fn: (mutex: Deno.FsFile) => T): Promise<T> {
    this.#ensureDir("mutex");
    const path = this.#mutexPath(name);
    refuseSymlink(path);
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(path, { read: true, write: true, create: true, mode: 0o644 });
    } catch (err) {
      throw toLoktError(err, `Cannot open ${path}`);
    }
    try {
      // Uncontended: lock without leaving the event loop; contended: wait off-thread.
      try {
        if (!file.tryLockSync(true)) await file.lock(true);
      } catch (err) {
        throw toLoktError(err, `Cannot lock ${path}`);
      }
      return fn(file);
    } finally {
      file.close();
    }
  }

  #checked = new Set<string>();
  #auditChecked = false;

  /** Readers too must not follow a directory symlink out of the root. */
  #refuseLinkedDir(sub: string): void {
    if (this.#checked.has(sub)) return;
    const path = join(this.location, sub);
    try {
      if (Deno.lstatSync(path).isSymlink) {
        throw new LoktError(`Refusing to use ${path}: it is a symbolic link`);
      }
    } catch (err) {
      if (err instanceof LoktError) throw err;
      // Missing (or under a root that is a file): nothing to follow.
    }
    this.#checked.add(sub);
  }

  #ensureDir(sub: string): void {
    if (this.#ready.has(sub)) return;
    if (sub) {
      this.#ensureDir("");
      this.#refuseLinkedDir(sub);
    }
    const path = sub ? join(this.location, sub) : this.location;
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
    if (events.length === 0) return;
    if (!this.#auditChecked) {
      try {
        refuseSymlink(this.auditPath);
      } catch (err) {
        this.#onAuditError(
          `cannot write audit trail ${this.auditPath}: ${toLoktError(err).message}`,
        );
        return;
      }
      this.#auditChecked = true;
    }
    const problem = appendAudit(this.location, events, this.#auditMaxBytes);
    if (problem) this.#onAuditError(problem);
  }
}

/**
 * Reads an entry without following a symlink out of the root.
 *
 * @param path The entry's path.
 * @returns The entry, or `null` when absent.
 */
function readEntry(path: string): Entry | null {
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
  if (info.size > MAX_RECORD_BYTES) {
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

function fenceIn(entry: Entry | null): number {
  if (!entry?.raw) return 0;
  const fence = parseObject(entry.raw)?.fence;
  return typeof fence === "number" && Number.isSafeInteger(fence) ? fence : 0;
}

function refuseSymlink(path: string): void {
  try {
    if (Deno.lstatSync(path).isSymlink) {
      throw new LoktError(`Refusing to use ${path}: it is a symbolic link`);
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw toLoktError(err, `Cannot use ${path}`);
  }
}

/**
 * inotify-backed notifications, filtered to the paths that matter. Watching a
 * single file (a queue ticket) wakes only its successor, so a release does not
 * wake every waiter at once.
 */
class FsWatcher implements Watcher {
  #watcher: Deno.FsWatcher | null = null;
  #iterator: AsyncIterator<Deno.FsEvent> | null = null;
  #pending: Promise<IteratorResult<Deno.FsEvent>> | null = null;
  #gone = false;
  #relevant: (paths: string[]) => boolean;

  constructor(paths: string[], relevant: (paths: string[]) => boolean) {
    this.#relevant = relevant;
    const existing = paths.filter(exists);
    // A watched file that is already gone is a change.
    if (existing.length === 0 && paths.length === 1) this.#gone = true;
    if (existing.length === 0) return;
    try {
      this.#watcher = Deno.watchFs(existing, { recursive: false });
      this.#iterator = this.#watcher[Symbol.asyncIterator]();
    } catch {
      // No notification support: callers poll.
    }
  }

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
