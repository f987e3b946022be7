/**
 * The storage interface the engine talks to. The file store implements it;
 * a second backend can follow without touching the engine or the commands.
 *
 * @module
 */

import type { AuditEvent } from "../model/audit_event.ts";
import type { AuditQuery } from "../model/audit_query.ts";
import { parseObject } from "../model/record_codec.ts";

/**
 * Which namespace an entry lives in: locks and freezes by name, and the one
 * index of path reservations (docs/contract.md §15) under {@linkcode RESERVATION_INDEX}.
 */
export type EntryKind = "lock" | "freeze" | "reservations";

/**
 * The name of the reservations index entry: not a valid lock name (`_` is
 * outside the name alphabet), so it never shares a lock's mutex or counters.
 */
export const RESERVATION_INDEX = "_index";

/** What is stored under one name. */
export interface Entry {
  /** The content, or `null` when it cannot be read as a record file. */
  raw: string | null;
  /** Why the entry is unreadable (directory, symlink, too large), or `null`. */
  problem: string | null;
  /** When the entry was last written, by the storage's clock (ms since epoch). */
  mtimeMs: number;
  /** Compare token: a mutation succeeds only if the entry still has this token. */
  token: string;
}

/**
 * What a waiter watches: the lock itself, the ticket queued just before its
 * own, or the reservations index.
 */
export type WatchTarget =
  | { kind: "lock"; name: string }
  | { kind: "ticket"; name: string; id: string }
  | { kind: "reservations" };

/** A change notification source (notifications where available, else nothing). */
export interface Watcher {
  /**
   * Resolves `true` when the target may have changed, `false` after
   * `timeoutMs` or when `signal` aborts.
   */
  changed(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Stops watching. */
  close(): void;
}

/** One waiter in a name's FIFO queue. */
export interface Ticket {
  /** The ticket id; ids sort in arrival order. */
  id: string;
  /** The ticket's content, or `null` when unreadable. */
  raw: string | null;
  /** When the ticket was last touched (ms since epoch). */
  mtimeMs: number;
}

/** The new content of a mutation and the audit events it produces. */
export interface Produced {
  /** The new content. */
  content: string;
  /** Events appended in the same critical section. */
  audit: AuditEvent[];
}

/**
 * Produces a new entry; receives a fresh fence when one was asked for, the
 * fence must be used for a new acquisition only. A store may call it before
 * it compares (the Redis store compares on the server), so a caller learns
 * whether the write happened from the operation's result, never from the
 * producer having been called.
 */
export type Producer = (fence: number) => Produced;

/** Options of a write. */
export interface WriteOptions {
  /** Allocate a fresh fence (a new acquisition) and pass it to the producer. */
  freshFence: boolean;
  /**
   * Write only if the name has no freeze entry and no waiter's ticket either,
   * checked in the same atomic step as the write: a decision made without
   * reading them assumed so. A store that cannot check it writes nothing.
   */
  idle?: boolean;
}

/**
 * What a store can judge, for the rules that depend on where the state lives
 * (so that no command asks which backend it runs on).
 */
export interface StoreTraits {
  /** The kind of store, in words, for messages (`files`, `Redis`). */
  label: string;
  /**
   * Whether a holder's process can be judged by those who share the store:
   * files are shared by one machine's processes; a server by other machines,
   * which can judge a holder only by its TTL. Without it, a hold may not
   * live with a process alone (`lock --pid` with `--ttl 0`).
   */
  judgesProcesses: boolean;
  /**
   * The TTL of a process's hold (guard, the library) when none was asked
   * for, so that a holder that crashed on another machine frees it; `null`
   * where the process itself is judged.
   */
  processLeaseMs: number | null;
}

/** The traits of a store on one machine's file system. */
export const LOCAL_TRAITS: StoreTraits = {
  label: "files",
  judgesProcesses: true,
  processLeaseMs: null,
};

/** Counts of a read of the audit trail. */
export interface AuditReadStats {
  /** Lines read. */
  lines: number;
  /** Lines skipped because they were not valid events. */
  malformed: number;
}

/** How to read the audit trail. */
export interface AuditReadOptions {
  /** Counts what was read (malformed lines, for a warning). */
  stats?: AuditReadStats;
  /**
   * After the history, go on with each new matching event as it is
   * appended, from exactly where the history stopped, until this aborts.
   */
  follow?: AbortSignal;
  /** Called once the history has been read (before following). */
  onHistoryEnd?: () => void;
}

/** One line of a health check (`lokt doctor`). */
export type HealthReport = (
  check: string,
  status: "OK" | "WARN" | "FAIL",
  detail: string,
  fix: string,
) => void;

/**
 * The narrow storage interface: every mutation is atomic and compares first,
 * so no interleaving of callers can produce two holders or remove an entry
 * that the caller did not judge.
 */
export interface LockStore {
  /** Where the state lives (for messages and `doctor`). */
  readonly location: string;
  /** What this store can judge. */
  readonly traits: StoreTraits;
  /** The time by the store's clock (ms since the epoch): a shared server's judges expiry. */
  now(): number;
  /** Reads an entry; `null` when absent. Never creates anything. */
  read(kind: EntryKind, name: string): Promise<Entry | null>;
  /** Writes an entry only if none exists. Returns whether it wrote. */
  createIfAbsent(
    kind: EntryKind,
    name: string,
    produce: Producer,
    options: WriteOptions,
  ): Promise<boolean>;
  /** Replaces an entry only if it still has `token`. Returns whether it wrote. */
  compareAndReplace(
    kind: EntryKind,
    name: string,
    token: string,
    produce: Producer,
    options: WriteOptions,
  ): Promise<boolean>;
  /** Removes an entry only if it still has `token`. Returns whether it removed. */
  compareAndRemove(
    kind: EntryKind,
    name: string,
    token: string,
    audit: AuditEvent[],
  ): Promise<boolean>;
  /**
   * The entry as this process last wrote or read it through this store, which
   * may have changed since: `null` when it was absent, `undefined` when none
   * is kept (the file store keeps none: its reads are local). A caller may
   * decide on it only to compare-and-swap, which fails if the entry changed;
   * it saves a round trip to a server.
   */
  known(kind: EntryKind, name: string): Entry | null | undefined;
  /** Lists the names with an entry (invalid names are skipped). */
  list(kind: EntryKind): Promise<string[]>;
  /**
   * Starts watching a lock (its record and freeze) or one queue ticket. Create
   * the watcher before checking the state, then wait on it, so no change is missed.
   */
  watch(target: WatchTarget): Watcher;
  /** Adds a waiter ticket to the name's FIFO queue; returns the ticket id (ordered). */
  enqueue(name: string, content: string): Promise<string>;
  /** The tickets of a name's queue, oldest first. */
  queue(name: string): Promise<Ticket[]>;
  /** Removes a ticket (no error when already gone). */
  dequeue(name: string, id: string): Promise<void>;
  /**
   * Marks a ticket as still waited on (its time becomes now), so that waiters
   * on other machines, judged by the ticket's age, keep counting it; nothing
   * when it is gone.
   */
  touch(name: string, id: string): Promise<void>;
  /** Appends audit events (a failure is reported, never thrown). */
  appendAudit(events: AuditEvent[]): Promise<void>;
  /**
   * The audit trail's events that match, oldest first (the newest `limit`
   * when the query has one), then, with `follow`, the new ones.
   */
  readAudit(query: AuditQuery, options?: AuditReadOptions): AsyncIterable<AuditEvent>;
  /** Reports the health of the storage itself (a server's settings); nothing for files. */
  checkHealth(report: HealthReport): Promise<void>;
}

/**
 * The fence stored in an entry (an exclusive record's, or a group
 * document's highest), or 0: a store allocates the next fence above it, so
 * fences keep rising even if a counter was lost.
 *
 * @param entry The entry being replaced, or `null`.
 * @returns The fence.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { fenceIn } from "./lock_store.ts";
 * assert(fenceIn({ raw: '{"fence":41}', problem: null, mtimeMs: 0, token: "t" }) === 41);
 * ```
 */
export function fenceIn(entry: Entry | null): number {
  const fence = entry?.raw ? parseObject(entry.raw)?.fence : null;
  return typeof fence === "number" && Number.isSafeInteger(fence) ? fence : 0;
}
