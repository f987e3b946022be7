/**
 * The files of a name's FIFO queue: one ticket per waiter, named by a counter
 * so that ids sort in arrival order, written whole before they appear.
 *
 * @module
 */

import { toLoktError } from "../../model/errors.ts";
import { MAX_RECORD_BYTES } from "../../model/record_codec.ts";
import { listedAbsent } from "../../sys/absence.ts";
import { uniqueSuffix } from "./file_primitives.ts";
import { COUNTER_WIDTH, INCOMING_DIR, queueDir, ticketId, ticketPath } from "../layout.ts";
import type { Ticket } from "../lock_store.ts";

/**
 * Adds a ticket to a name's queue (whose directories exist). It is written in
 * a directory nobody watches, then renamed into the queue: a waiter killed
 * mid-write leaves no half ticket, and only the rename wakes the watcher of
 * the queue.
 *
 * @param root The lokt root.
 * @param name The name.
 * @param counter The ticket number allocated under the name's mutex.
 * @param content The ticket's content (who waits).
 * @returns The ticket id.
 * @throws {LoktError} Naming the queue, when it cannot be written.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { addTicket, listTickets } from "./file_queue.ts";
 * const root = Deno.makeTempDirSync();
 * Deno.mkdirSync(`${root}/queue/.incoming`, { recursive: true });
 * Deno.mkdirSync(`${root}/queue/build`);
 * const id = addTicket(root, "build", 1, '{"owner":"me"}');
 * assert(listTickets(root, "build")[0]?.id === id);
 * ```
 */
export function addTicket(root: string, name: string, counter: number, content: string): string {
  const ticket = String(counter).padStart(COUNTER_WIDTH, "0");
  const tmp = `${root}/${INCOMING_DIR}/${ticket}.${Deno.pid}.${uniqueSuffix()}.tmp`;
  try {
    Deno.writeTextFileSync(tmp, content, { createNew: true, mode: 0o644 });
    Deno.renameSync(tmp, ticketPath(root, name, ticket));
  } catch (err) {
    try {
      Deno.removeSync(tmp);
    } catch {
      // Never created.
    }
    throw toLoktError(err, `Cannot join the queue in ${queueDir(root, name)}`);
  }
  return ticket;
}

/**
 * The tickets of a name's queue, oldest first (unreadable ones with `raw: null`).
 *
 * @param root The lokt root.
 * @param name The name.
 * @returns The tickets.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { listTickets } from "./file_queue.ts";
 * assert(listTickets(Deno.makeTempDirSync(), "build").length === 0);
 * ```
 */
export function listTickets(root: string, name: string): Ticket[] {
  const dir = queueDir(root, name);
  const tickets: Ticket[] = [];
  // No queue is the rule: the listings say so without a thrown NotFound.
  if (listedAbsent(dir, { levels: 2 })) return tickets;
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
  return tickets.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Removes a ticket (no error when it is already gone).
 *
 * @param root The lokt root.
 * @param name The name.
 * @param id The ticket id.
 * @throws {LoktError} When it cannot be removed.
 *
 * @example Usage
 * ```ts
 * import { removeTicket } from "./file_queue.ts";
 * removeTicket(Deno.makeTempDirSync(), "build", "00000000000000000001"); // already gone: fine
 * ```
 */
export function removeTicket(root: string, name: string, id: string): void {
  try {
    Deno.removeSync(ticketPath(root, name, id));
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw toLoktError(err, "Cannot leave the queue");
  }
}

/**
 * Marks a ticket as still waited on (its time becomes now); nothing when it is gone.
 *
 * @param root The lokt root.
 * @param name The lock name.
 * @param id The ticket id.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { touchTicket } from "./file_queue.ts";
 * assert.doesNotThrow(() => touchTicket(Deno.makeTempDirSync(), "build", "1"));
 * ```
 */
export function touchTicket(root: string, name: string, id: string): void {
  try {
    const now = new Date();
    Deno.utimeSync(ticketPath(root, name, id), now, now);
  } catch {
    // Gone: dequeued meanwhile.
  }
}
