/**
 * What a store on a shared Redis server can judge: other machines share it,
 * so a holder's process cannot be judged, only its TTL; a process's hold
 * without a TTL gets a lease, renewed at half of it, so that a crashed remote
 * holder frees it within that time. Kept apart from the store so that the
 * context knows them before the Redis code is loaded.
 *
 * @module
 */

import type { StoreTraits } from "../lock_store.ts";

/** The TTL of a process's hold on Redis when none was asked for. */
export const REDIS_PROCESS_LEASE_MS = 30_000;

/** The traits of the Redis store. */
export const REDIS_TRAITS: StoreTraits = {
  label: "Redis",
  judgesProcesses: false,
  processLeaseMs: REDIS_PROCESS_LEASE_MS,
};
