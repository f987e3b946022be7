/**
 * Entries and tickets from the Redis store's replies, and what its process
 * last saw of its entries: the entry itself
 * (written or read), so that a release can decide on it and compare-and-swap
 * without reading it again, and a lock's fence counter as read with its
 * entry, from which the next fresh fence is proposed (the write script
 * confirms both on the server, docs/contract.md §17).
 *
 * @module
 */

import type { Entry, EntryKind, Ticket } from "../lock_store.ts";
import { fenceIn } from "../lock_store.ts";
import type { Reply } from "./redis_protocol.ts";

/** A lock's fence counter as read with its entry. */
export interface SeenFence {
  /** The counter's text, `""` when it was absent. */
  counter: string;
  /** The highest fence known: the counter's, or the entry's when higher. */
  floor: number;
}

/** Entries kept at most: a long-lived process may touch many names. */
const KEPT = 256;

/**
 * The entries and fence counters one process last saw.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { SeenEntries } from "./redis_seen.ts";
 * const seen = new SeenEntries();
 * seen.keepLock("x", { raw: '{"fence":4}', problem: null, mtimeMs: 0, token: "9" }, "7");
 * assert(seen.entry("lock", "x")?.token === "9");
 * assert(seen.takeFence("x")?.floor === 7 && seen.takeFence("x") === undefined);
 * ```
 */
export class SeenEntries {
  #fences = new Map<string, SeenFence>();
  #entries = new Map<string, Entry | null>();

  /**
   * The entry as last seen, which may have changed since.
   *
   * @param kind The kind.
   * @param name The name.
   * @returns The entry, `null` when it was absent, `undefined` when it was not seen.
   */
  entry(kind: EntryKind, name: string): Entry | null | undefined {
    return this.#entries.get(`${kind}:${name}`);
  }

  /**
   * Keeps an entry as seen now (`null`: absent).
   *
   * @param kind The kind.
   * @param name The name.
   * @param entry The entry.
   * @returns The entry.
   */
  keep(kind: EntryKind, name: string, entry: Entry | null): Entry | null {
    const key = `${kind}:${name}`;
    this.#entries.delete(key);
    if (this.#entries.size >= KEPT) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, entry);
    return entry;
  }

  /**
   * Keeps a lock's entry and the fence counter read with it.
   *
   * @param name The lock's name.
   * @param entry Its entry.
   * @param counter The reply to `GET` of its fence counter.
   * @returns The entry.
   */
  keepLock(name: string, entry: Entry | null, counter: Reply): Entry | null {
    const text = typeof counter === "string" ? counter : "";
    this.keepFence(name, { counter: text, floor: Math.max(Number(text) || 0, fenceIn(entry)) });
    return this.keep("lock", name, entry);
  }

  /**
   * Keeps a lock's fence counter as known now (read, or set by this process's write).
   *
   * @param name The lock's name.
   * @param fence The counter.
   */
  keepFence(name: string, fence: SeenFence): void {
    this.#fences.delete(name);
    if (this.#fences.size >= KEPT) this.#fences.delete(this.#fences.keys().next().value!);
    this.#fences.set(name, fence);
  }

  /**
   * The fence counter last read for a lock, used once.
   *
   * @param name The lock's name.
   * @returns The counter, or `undefined` when none was read since the last use.
   */
  takeFence(name: string): SeenFence | undefined {
    const seen = this.#fences.get(name);
    this.#fences.delete(name);
    return seen;
  }
}

/**
 * An entry from its `HMGET v t n` reply.
 *
 * @param reply The reply.
 * @returns The entry, or `null` when absent.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { entryOf } from "./redis_seen.ts";
 * assert(entryOf([null, null, null]) === null);
 * assert(entryOf(["{}", "5", "2"])?.token === "2");
 * ```
 */
export function entryOf(reply: Reply): Entry | null {
  const [v, t, n] = reply as (string | null)[];
  if (v === null || v === undefined || n === null) return null;
  return { raw: v, problem: null, mtimeMs: Number(t), token: String(n) };
}

/**
 * A queue's tickets from its `HGETALL` reply (each value is the server's time
 * of the ticket, a space, its content), oldest first.
 *
 * @param reply The reply.
 * @returns The tickets.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ticketsOf } from "./redis_seen.ts";
 * const tickets = ticketsOf(["002", "20 b", "001", "10 a"]);
 * assert(tickets[0]?.raw === "a" && tickets[1]?.mtimeMs === 20);
 * ```
 */
export function ticketsOf(reply: Reply): Ticket[] {
  const flat = reply as string[];
  const tickets: Ticket[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const value = flat[i + 1] as string;
    const space = value.indexOf(" ");
    tickets.push({
      id: flat[i] as string,
      raw: value.slice(space + 1),
      mtimeMs: Number(value.slice(0, space)),
    });
  }
  return tickets.sort((a, b) => (a.id < b.id ? -1 : 1));
}
