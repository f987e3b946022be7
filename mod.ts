/**
 * lokt: file-based lock coordination for swarms of AI coding agents (and
 * people) sharing one repository. Locks are files under the repository's git
 * directory; no daemon, no server, no required config.
 *
 * @example Hold a lock while building
 * ```ts ignore
 * import { acquire } from "jsr:@lokt/cli";
 *
 * await using lock = await acquire("build", { ttl: "5m", wait: true });
 * console.log(`building with fence ${lock.fence}`);
 * // released automatically at the end of the scope
 * ```
 *
 * @example Run a function under a lock
 * ```ts ignore
 * import { withLock } from "jsr:@lokt/cli";
 *
 * await withLock("migrate", { timeout: "2m" }, async (lock) => {
 *   lock.signal.throwIfAborted();
 * });
 * ```
 *
 * @module
 */

export * from "./lib/api.ts";
export * from "./lib/api_admin.ts";
export * from "./lib/errors.ts";
export { Lock } from "./lib/lock.ts";
export type { LockHandleOptions } from "./lib/lock.ts";
export type { LivenessMode, LockRecord } from "./lib/lockfile.ts";
export type { FreezeRecord } from "./lib/freeze_record.ts";
export type { ContextOptions } from "./lib/context.ts";
export type { HolderLiveness, LockState } from "./lib/engine.ts";
export type { FreezeState } from "./lib/freeze.ts";
export type { StatusReport } from "./lib/status.ts";
export type { WhyReason, WhyReport } from "./lib/why.ts";
export { AUDIT_EVENTS } from "./lib/audit.ts";
export type { AuditEvent, AuditEventKind } from "./lib/audit.ts";
export type { Entry } from "./lib/store.ts";

if (import.meta.main) {
  // `deno run jsr:@lokt/cli …` runs the package's default entry: hand over to the CLI.
  const { main } = await import("./cli.ts");
  Deno.exit(await main(Deno.args));
}
