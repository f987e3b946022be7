/**
 * A {@linkcode LockStore} made on first use: the Redis store's code is loaded
 * only by a call that uses that backend, so the file store's start-up does
 * not pay for it (docs/contract.md §17).
 *
 * @module
 */

import type { AuditEvent } from "../../model/audit_event.ts";
import type { AuditQuery } from "../../model/audit_query.ts";
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

/** A store that also closes its connections, and may keep a clock of its own. */
export interface ClosableStore extends LockStore {
  /** Closes its connections. */
  close(): void;
}

/**
 * Forwards every operation to a store made by `make` on first use.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { DeferredStore } from "./deferred_store.ts";
 * import { FileStore } from "../file/file_store.ts";
 * import { LOCAL_TRAITS } from "../lock_store.ts";
 * const root = Deno.makeTempDirSync();
 * const store = new DeferredStore(root, LOCAL_TRAITS, () => Promise.resolve(Object.assign(new FileStore(root), { close() {} })));
 * assert((await store.list("lock")).length === 0);
 * ```
 */
export class DeferredStore implements ClosableStore {
  /** Where the state lives, for messages. */
  readonly location: string;
  #make: () => Promise<ClosableStore>;
  #store: Promise<ClosableStore> | null = null;
  #made: ClosableStore | null = null;

  /** What the real store can judge, known before it is loaded. */
  readonly traits: StoreTraits;

  /**
   * Creates the store; nothing is loaded yet.
   *
   * @param location Where the state lives, for messages.
   * @param traits What the real store can judge.
   * @param make Makes the real store.
   * @param made The real store, when it was made already (shared by the process).
   */
  constructor(
    location: string,
    traits: StoreTraits,
    make: () => Promise<ClosableStore>,
    made?: ClosableStore,
  ) {
    this.location = location;
    this.traits = traits;
    this.#make = make;
    if (made) {
      this.#made = made;
      this.#store = Promise.resolve(made);
    }
  }

  /** The real store, made once. */
  store(): Promise<ClosableStore> {
    this.#store ??= this.#make().then((s) => (this.#made = s));
    return this.#store;
  }

  /**
   * The time by the store's clock (docs/contract.md §17: a shared server's clock judges
   * expiry), once the store has been used; this process's clock before.
   *
   * @returns Milliseconds since the epoch.
   */
  now(): number {
    return this.#made?.now() ?? Date.now();
  }

  async read(kind: EntryKind, name: string): Promise<Entry | null> {
    return await (await this.store()).read(kind, name);
  }

  async createIfAbsent(k: EntryKind, n: string, p: Producer, o: WriteOptions): Promise<boolean> {
    return await (await this.store()).createIfAbsent(k, n, p, o);
  }

  async compareAndReplace(
    k: EntryKind,
    n: string,
    t: string,
    p: Producer,
    o: WriteOptions,
  ): Promise<boolean> {
    return await (await this.store()).compareAndReplace(k, n, t, p, o);
  }

  async compareAndRemove(k: EntryKind, n: string, t: string, a: AuditEvent[]): Promise<boolean> {
    return await (await this.store()).compareAndRemove(k, n, t, a);
  }

  known(kind: EntryKind, name: string): Entry | null | undefined {
    return this.#made?.known(kind, name);
  }

  async list(kind: EntryKind): Promise<string[]> {
    return await (await this.store()).list(kind);
  }

  watch(target: WatchTarget): Watcher {
    const inner = this.store().then((s) => s.watch(target));
    return {
      changed: async (timeoutMs, signal) => await (await inner).changed(timeoutMs, signal),
      close: () => void inner.then((w) => w.close()),
    };
  }

  async enqueue(name: string, content: string): Promise<string> {
    return await (await this.store()).enqueue(name, content);
  }

  async queue(name: string): Promise<Ticket[]> {
    return await (await this.store()).queue(name);
  }

  async dequeue(name: string, id: string): Promise<void> {
    await (await this.store()).dequeue(name, id);
  }

  async touch(name: string, id: string): Promise<void> {
    await (await this.store()).touch(name, id);
  }

  async appendAudit(events: AuditEvent[]): Promise<void> {
    await (await this.store()).appendAudit(events);
  }

  async *readAudit(query: AuditQuery, options?: AuditReadOptions): AsyncIterable<AuditEvent> {
    yield* (await this.store()).readAudit(query, options);
  }

  async checkHealth(report: HealthReport): Promise<void> {
    await (await this.store()).checkHealth(report);
  }

  close(): void {
    void this.#store?.then((s) => s.close());
  }
}
