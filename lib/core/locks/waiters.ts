/**
 * Who waits for a name: the tickets of its FIFO queue, what a ticket says,
 * and whether its waiter is still there. `wait.ts` serves them in order and
 * removes the dead; `status` and `why` only read them.
 *
 * @module
 */

import { CORRUPT_GRACE_MS } from "../../model/defaults.ts";
import { isoTime } from "../../model/iso_time.ts";
import type { LockMode } from "../../model/lock_record.ts";
import { parseObject } from "../../model/record_codec.ts";
import type { Ticket } from "../../store/lock_store.ts";
import type { Identity } from "../../sys/identity.ts";
import { probeProcess } from "../../sys/liveness.ts";
import { probeHolder } from "../../sys/pid_namespace.ts";
import type { EngineContext } from "../context.ts";

/** A ticket not touched for this long is abandoned (waiters on other hosts). */
const TICKET_STALE_MS = 60_000;

/** One queued waiter, as `status` shows it. */
export interface Waiter {
  /** The waiter's ticket id (ids sort in arrival order). */
  ticket: string;
  /** Who waits. */
  owner: string | null;
  /** Its agent id. */
  agent_id: string | null;
  /** Its process. */
  pid: number | null;
  /** When it started waiting (ISO time). */
  since: string | null;
  /** The mode it waits for (`exclusive`, `shared`, `slots`; `null` when its ticket does not say). */
  mode: string | null;
}

/**
 * What a waiter writes into its ticket.
 *
 * @param identity Who waits.
 * @param started When it started waiting (ms since the epoch).
 * @param mode The mode it waits for. @default {"exclusive"}
 * @returns The ticket's content.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ticketContent } from "./waiters.ts";
 * import { currentIdentity } from "../../sys/identity.ts";
 * assert(JSON.parse(ticketContent(currentIdentity(), 0)).since === "1970-01-01T00:00:00.000Z");
 * ```
 */
export function ticketContent(
  identity: Identity,
  started: number,
  mode: LockMode = "exclusive",
): string {
  return JSON.stringify({
    owner: identity.owner,
    agent_id: identity.agentId,
    pid: identity.pid,
    pid_start: identity.pidStart,
    machine_id: identity.machineId,
    since: isoTime(started),
    mode,
  });
}

/**
 * Whether a ticket's waiter is still there: a process on this machine that
 * lives (same start marker); a waiter elsewhere whose ticket is recent; an
 * unreadable ticket only during the grace period of a corrupt record.
 *
 * @param ctx The engine context (machine id, clock).
 * @param ticket The ticket.
 * @returns `true` while the waiter counts.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ticketLive } from "./waiters.ts";
 * import { openContext } from "../context.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync() });
 * assert(!ticketLive(ctx, { id: "1", raw: null, mtimeMs: 0 }));
 * ```
 */
export function ticketLive(ctx: EngineContext, ticket: Ticket): boolean {
  const info = ticket.raw ? parseObject(ticket.raw) : null;
  if (info && typeof info.machine_id === "string" && typeof info.pid === "number") {
    const start = typeof info.pid_start === "string" ? info.pid_start : null;
    const state = probeHolder(
      info.machine_id,
      ctx.identity.machineId,
      info.pid,
      start,
      probeProcess,
    );
    if (state !== null) return state !== "dead";
  }
  // A waiter on another machine: trust its ticket while it is recent.
  if (info) return ctx.now() - ticket.mtimeMs < TICKET_STALE_MS;
  // Unreadable: tickets are written whole, so this is debris (or a foreign
  // tool mid-write): it blocks no longer than a corrupt record would.
  return ctx.now() - ticket.mtimeMs < CORRUPT_GRACE_MS;
}

/**
 * The live waiters of a name, oldest first. Read-only: dead tickets are left
 * for a waiter or an acquirer to remove.
 *
 * @param ctx The engine context.
 * @param name The name.
 * @returns The waiters.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { liveWaiters } from "./waiters.ts";
 * import { openContext } from "../context.ts";
 * assert((await liveWaiters(openContext({ root: Deno.makeTempDirSync() }), "build")).length === 0);
 * ```
 */
export async function liveWaiters(ctx: EngineContext, name: string): Promise<Waiter[]> {
  const waiters: Waiter[] = [];
  for (const ticket of await ctx.store.queue(name)) {
    if (!ticketLive(ctx, ticket)) continue;
    const info = ticket.raw ? parseObject(ticket.raw) : null;
    const text = (key: string) => (typeof info?.[key] === "string" ? info[key] as string : null);
    waiters.push({
      ticket: ticket.id,
      owner: text("owner"),
      agent_id: text("agent_id"),
      pid: typeof info?.pid === "number" ? info.pid : null,
      since: text("since"),
      mode: text("mode"),
    });
  }
  return waiters;
}
