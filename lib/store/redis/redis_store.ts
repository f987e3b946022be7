/**
 * The Redis implementation of {@linkcode LockStore} (docs/contract.md §17):
 * the file store's compare-and-swap operations, each one Lua script (atomic on
 * the server); entries carry the server's clock as their write time; a name's
 * fence counter is read with its entry and taken in the write's script; every
 * write publishes on the name's channel, which waiters subscribe to; the audit
 * trail is a bounded stream. Keys of one namespace share one hash tag,
 * `lokt:{<namespace>}:…`, so a cluster keeps them in one slot.
 *
 * @module
 */

import type { AuditEvent } from "../../model/audit_event.ts";
import type { AuditQuery } from "../../model/audit_query.ts";
import { encodeEvent } from "../../model/audit_event.ts";
import type { RedisTarget, Reply } from "./redis_client.ts";
import { RedisClient } from "./redis_client.ts";
import { ENQUEUE, REMOVE, TOUCH, WRITE } from "./redis_scripts.ts";
import { RedisWatcher } from "./redis_watcher.ts";
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
import { entryOf, SeenEntries, ticketsOf } from "./redis_seen.ts";
import { redisAuditEvents } from "./redis_audit.ts";
import { checkRedisHealth } from "./redis_health.ts";
import { REDIS_TRAITS } from "./redis_traits.ts";

/** Default bound of the audit stream (entries). */
export const DEFAULT_AUDIT_MAX_LENGTH = 1_000_000;

/** Options of the Redis store. */
export interface RedisStoreOptions {
  /** The namespace (its keys share the hash tag `{namespace}`). */
  namespace: string;
  /** Keep about this many audit events. @default {1000000} */
  auditMaxLength?: number;
}

/**
 * Stores locks, freezes, reservations, queues and the audit trail on a Redis server.
 *
 * @example Usage
 * ```ts ignore
 * import { RedisStore } from "./redis_store.ts";
 * const store = new RedisStore({ host: "127.0.0.1", port: 6379, tls: false }, { namespace: "demo" });
 * console.log(await store.list("lock"));
 * store.close();
 * ```
 */
export class RedisStore implements LockStore {
  /** Where the state lives, for messages: `redis://host:port` and the namespace (no credentials). */
  readonly location: string;
  #target: RedisTarget;
  #prefix: string;
  #maxlen: number;
  #client: Promise<RedisClient> | null = null;
  #watchers = new Set<RedisWatcher>();
  #offset = 0;
  #seen = new SeenEntries();

  /**
   * Creates a store; it connects on first use.
   *
   * @param target The server.
   * @param options The namespace and the audit bound.
   */
  constructor(target: RedisTarget, options: RedisStoreOptions) {
    this.#target = target;
    this.#prefix = `lokt:{${options.namespace}}`;
    this.#maxlen = options.auditMaxLength ?? DEFAULT_AUDIT_MAX_LENGTH;
    this.location = `${target.tls ? "rediss" : "redis"}://${target.host}:${target.port}/${
      target.db ?? 0
    } namespace ${options.namespace}`;
  }

  /** Other machines share the server: holders are judged by their TTL. */
  readonly traits: StoreTraits = REDIS_TRAITS;

  /** The time by the server's clock, once connected (this process's before). */
  now(): number {
    return Date.now() + this.#offset;
  }

  readAudit(query: AuditQuery, options?: AuditReadOptions): AsyncIterable<AuditEvent> {
    return redisAuditEvents(this, query, options);
  }

  checkHealth(report: HealthReport): Promise<void> {
    return checkRedisHealth(this.location, () => this.client(), report);
  }

  /** The key of the audit stream. */
  get auditKey(): string {
    return `${this.#prefix}:audit`;
  }

  /** The server's clock minus this process's, once connected (else 0). */
  get clockOffsetMs(): number {
    return this.#offset;
  }

  /** A new connection of its own (for blocking reads), closed by the caller. */
  connectAnother(): Promise<RedisClient> {
    return RedisClient.connect(this.#target);
  }

  /** The connection, opened on first use, and again after it failed (a long-lived guard survives a blip). */
  async client(): Promise<RedisClient> {
    if (this.#client) {
      try {
        const current = await this.#client;
        if (!current.closed) return current;
      } catch {
        // The last attempt failed: try again.
      }
    }
    this.#client = RedisClient.connect(this.#target);
    const client = await this.#client;
    this.#offset = client.offsetMs;
    return client;
  }

  async read(kind: EntryKind, name: string): Promise<Entry | null> {
    const client = await this.client();
    const hmget = ["HMGET", this.#entry(kind, name), "v", "t", "n"];
    if (kind !== "lock") {
      return this.#seen.keep(kind, name, entryOf(await client.command(...hmget)));
    }
    // The fence counter comes in the same round trip: a new acquisition
    // proposes the next fence from it and the write script confirms it.
    const [reply, counter] = await client.pipeline([hmget, ["GET", this.#fenceKey(name)]]);
    if (reply instanceof Error) throw reply;
    return this.#seen.keepLock(name, entryOf(reply as Reply), counter as Reply);
  }

  known(kind: EntryKind, name: string): Entry | null | undefined {
    return this.#seen.entry(kind, name);
  }

  createIfAbsent(
    kind: EntryKind,
    name: string,
    produce: Producer,
    options: WriteOptions,
  ): Promise<boolean> {
    return this.#write(kind, name, "", produce, options);
  }

  async compareAndReplace(
    kind: EntryKind,
    name: string,
    token: string,
    produce: Producer,
    options: WriteOptions,
  ): Promise<boolean> {
    return await this.#write(kind, name, token, produce, options);
  }

  async compareAndRemove(
    kind: EntryKind,
    name: string,
    token: string,
    audit: AuditEvent[],
  ): Promise<boolean> {
    const client = await this.client();
    const reply = await client.evalScript(
      REMOVE,
      [this.#entry(kind, name), this.#index(kind), this.auditKey],
      [token, name, this.#channel(kind, name), this.#maxlen, ...audit.map(encodeEvent)],
    );
    if (reply === 1) this.#seen.keep(kind, name, null);
    return reply === 1;
  }

  async list(kind: EntryKind): Promise<string[]> {
    const names = await (await this.client()).command("SMEMBERS", this.#index(kind));
    return (names as string[]).sort();
  }

  watch(target: WatchTarget): Watcher {
    const channel = target.kind === "ticket"
      ? `${this.#prefix}:ch:ticket:${target.name}:${target.id}`
      : target.kind === "reservations"
      ? this.#channel("reservations", "_index")
      : this.#channel("lock", target.name);
    const watcher = new RedisWatcher(this.#target, channel, () => this.#watchers.delete(watcher));
    this.#watchers.add(watcher);
    return watcher;
  }

  async enqueue(name: string, content: string): Promise<string> {
    const client = await this.client();
    const id = await client.evalScript(
      ENQUEUE,
      [`${this.#prefix}:tq:${name}`, `${this.#prefix}:q:${name}`],
      [content],
    );
    return String(id);
  }

  async queue(name: string): Promise<Ticket[]> {
    const flat = await (await this.client()).command(
      "HGETALL",
      `${this.#prefix}:q:${name}`,
    );
    return ticketsOf(flat);
  }

  async dequeue(name: string, id: string): Promise<void> {
    await (await this.client()).pipeline([
      ["HDEL", `${this.#prefix}:q:${name}`, id],
      ["PUBLISH", `${this.#prefix}:ch:ticket:${name}:${id}`, "d"],
    ]);
  }

  async touch(name: string, id: string): Promise<void> {
    await (await this.client()).evalScript(TOUCH, [`${this.#prefix}:q:${name}`], [id]);
  }

  async appendAudit(events: AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      const xadd = ["XADD", this.auditKey, "MAXLEN", "~", this.#maxlen, "*", "e"];
      await (await this.client()).pipeline(events.map((e) => [...xadd, encodeEvent(e)]));
    } catch (err) {
      console.error(`warning: cannot write audit trail: ${(err as Error).message}`);
    }
  }

  /** Closes the connections (the store reconnects on next use). */
  close(): void {
    for (const w of this.#watchers) w.close();
    const client = this.#client;
    this.#client = null;
    client?.then((c) => c.close(), () => {});
  }

  async #write(
    kind: EntryKind,
    name: string,
    token: string,
    produce: Producer,
    options: WriteOptions,
  ): Promise<boolean> {
    const client = await this.client();
    let counter = "-";
    let fence = 0;
    if (options.freshFence) {
      // Proposed from the counter read with the entry (read now if it was not);
      // the script writes only if the counter is still that.
      const seen = this.#seen.takeFence(name) ??
        (await this.read(kind, name), this.#seen.takeFence(name)!);
      counter = seen.counter;
      fence = seen.floor + 1;
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const produced = produce(fence);
      const reply = await client.evalScript(WRITE, this.#writeKeys(kind, name), [
        token,
        produced.content,
        name,
        this.#channel(kind, name),
        this.#maxlen,
        counter,
        fence,
        options.idle ? 1 : 0,
        ...produced.audit.map(encodeEvent),
      ]);
      if (Array.isArray(reply)) {
        const [version, ms] = reply as number[];
        const entry = { raw: produced.content, problem: null, mtimeMs: ms!, token: `${version}` };
        this.#seen.keep(kind, name, entry);
        // The counter now stands at this fence: the next acquisition may propose from it.
        if (options.freshFence) this.#seen.keepFence(name, { counter: `${fence}`, floor: fence });
        return true;
      }
      if (typeof reply !== "number" || reply >= 0) return false;
      // The counter had started again: it now stands at the server's clock (µs).
      counter = String(-reply);
      fence = Math.max(-reply, fence) + 1;
    }
    return false;
  }

  #writeKeys(kind: EntryKind, name: string): string[] {
    const tail = `${kind}:${name}`;
    const p = this.#prefix;
    return [
      `${p}:e:${tail}`,
      this.#index(kind),
      this.auditKey,
      `${p}:ver:${tail}`,
      this.#fenceKey(name),
      `${p}:e:freeze:${name}`,
      `${p}:q:${name}`,
    ];
  }

  #fenceKey(name: string): string {
    return `${this.#prefix}:fence:${name}`;
  }

  #entry(kind: EntryKind, name: string): string {
    return `${this.#prefix}:e:${kind}:${name}`;
  }

  #index(kind: EntryKind): string {
    return `${this.#prefix}:idx:${kind}`;
  }

  /** Locks and freezes of a name share one channel: a waiter watches both. */
  #channel(kind: EntryKind, name: string): string {
    return `${this.#prefix}:ch:${kind === "freeze" ? "lock" : kind}:${name}`;
  }
}
