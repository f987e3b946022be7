/**
 * `doctor` on the Redis backend (docs/contract.md §17): the server's version,
 * persistence (without it a restart forgets every lock), `maxmemory-policy`
 * (eviction would silently drop locks), replication (a failover can lose a
 * lock), and the round-trip time. Credentials are never shown.
 *
 * @module
 */

import { toLoktError } from "../../model/errors.ts";
import type { HealthReport } from "../lock_store.ts";
import type { RedisClient } from "./redis_client.ts";

/**
 * Reports the server's checks.
 *
 * @param location Where the state lives (no credentials), for the first line.
 * @param connect The store's connection.
 * @param add Reports one check.
 *
 * @example Usage
 * ```ts ignore
 * import { checkRedisHealth } from "./redis_health.ts";
 * await checkRedisHealth(store.location, () => store.client(), console.log);
 * ```
 */
export async function checkRedisHealth(
  location: string,
  connect: () => Promise<RedisClient>,
  add: HealthReport,
): Promise<void> {
  let client;
  try {
    client = await connect();
  } catch (err) {
    add("redis", "FAIL", toLoktError(err).message, "start the server, or fix LOKT_BACKEND");
    return;
  }
  const started = performance.now();
  await client.command("PING");
  const rtt = performance.now() - started;
  const [server, persistence, replication, policy] = await client.pipeline([
    ["INFO", "server"],
    ["INFO", "persistence"],
    ["INFO", "replication"],
    ["CONFIG", "GET", "maxmemory-policy"],
  ]);
  const field = (info: unknown, key: string) =>
    typeof info === "string"
      ? new RegExp(`^${key}:(.*)$`, "m").exec(info)?.[1]?.trim() ?? null
      : null;
  const version = field(server, "redis_version");
  const major = Number(version?.split(".")[0] ?? 0);
  add(
    "redis",
    major >= 7 ? "OK" : "WARN",
    `${location}: Redis ${version ?? "of unknown version"}, round trip ${rtt.toFixed(1)} ms`,
    "use Redis 7 or later",
  );
  const aof = field(persistence, "aof_enabled") === "1";
  const saveConfig = await client.command("CONFIG", "GET", "save").catch(() => null);
  const snapshots = Array.isArray(saveConfig) && typeof saveConfig[1] === "string" &&
    saveConfig[1].trim() !== "";
  add(
    "redis-persistence",
    aof || snapshots ? "OK" : "WARN",
    aof
      ? "append-only file on: locks survive a restart"
      : snapshots
      ? "snapshots on: a restart loses the locks taken since the last snapshot"
      : "no persistence: a server restart forgets every lock, reservation and freeze — their holders keep running, unaware, until their next renewal finds the lock gone, and anyone may take them at once (fences stay above the old ones)",
    "turn on appendonly (CONFIG SET appendonly yes) for locks that survive a restart",
  );
  const evict = Array.isArray(policy) ? String(policy[1]) : "unknown";
  add(
    "redis-eviction",
    evict === "noeviction" ? "OK" : "FAIL",
    `maxmemory-policy is ${evict}${
      evict === "noeviction" ? "" : ": the server may silently evict locks"
    }`,
    "CONFIG SET maxmemory-policy noeviction",
  );
  const role = field(replication, "role") ?? "unknown";
  const replicas = Number(field(replication, "connected_slaves") ?? 0);
  add(
    "redis-replication",
    role === "master" && replicas === 0 ? "OK" : "WARN",
    role === "master" && replicas === 0
      ? "a single server: no failover to lose a lock"
      : `role ${role} with ${replicas} replica(s): replication is asynchronous, so a failover can lose a lock`,
    "accept the risk, or keep lokt on one primary",
  );
}
