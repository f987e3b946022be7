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

export * from "./lib/api/acquire.ts";
export * from "./lib/api/inspect.ts";
export * from "./lib/api/freeze.ts";
export * from "./lib/api/read_audit.ts";
export * from "./lib/api/reserve.ts";
export * from "./lib/model/reservation_errors.ts";
export type { ReservationMode, ReservationRecord } from "./lib/model/reservation.ts";
export type { JudgedReservation } from "./lib/core/reservations/reservation_index.ts";
export * from "./lib/model/errors.ts";
export * from "./lib/model/lock_errors.ts";
export * from "./lib/model/freeze_errors.ts";
export * from "./lib/model/record_errors.ts";
export { ModeMismatchError } from "./lib/model/mode_errors.ts";
export type { ModeAsk } from "./lib/model/mode_errors.ts";
export { Lock } from "./lib/core/locks/lock_handle.ts";
export type { LockHandleOptions } from "./lib/core/locks/lock_handle.ts";
export type { HoldKind, LivenessMode, LockMode, LockRecord } from "./lib/model/lock_record.ts";
export type { FreezeRecord } from "./lib/model/freeze_record.ts";
export type { ContextOptions } from "./lib/core/context.ts";
export type { HolderLiveness, HoldState, LockState } from "./lib/core/locks/judge.ts";
export type { FreezeState } from "./lib/core/freezes/freezes.ts";
export type { StatusReport } from "./lib/core/report/status_report.ts";
export type { Waiter } from "./lib/core/locks/waiters.ts";
export type { WhyReason, WhyReport } from "./lib/core/report/why_report.ts";
export { AUDIT_EVENTS } from "./lib/model/audit_event.ts";
export type { AuditEvent, AuditEventKind } from "./lib/model/audit_event.ts";
export type { Entry } from "./lib/store/lock_store.ts";

if (import.meta.main) {
  // `deno run jsr:@lokt/cli …` runs the package's default entry: hand over to
  // the CLI's dispatcher, which does everything cli.ts does (it only lacks the
  // fast path, which decides nothing differently). Deno loads every module a
  // literal import() names at start-up, taken or not, so every library
  // importer would pay for reading it (~0.5 ms for the bundle or for cli.ts,
  // docs/performance.md); a template ending in an empty fragment is read only
  // here (why, in cli.ts's `loadBundle`).
  const bundle = "dispatcher";
  // Typed here: a `typeof import()` of the bundle would put the CLI in the library's type graph.
  const { run }: { run: (args: string[]) => Promise<number> } = await import(
    `./gen/${bundle}.generated.js#`
  );
  Deno.exit(await run(Deno.args));
}
