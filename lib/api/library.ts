/**
 * The library's public surface as one module: what `mod.ts` exports. `mod.ts`
 * runs it from a bundle (`gen/library.generated.js`, built by `deno task
 * bundle`), so that an importer loads one module instead of the ~100 of
 * `lib/` it reaches (docs/performance.md); the bundle's types are this
 * module's.
 *
 * @module
 */

export * from "./acquire.ts";
export * from "./inspect.ts";
export * from "./freeze.ts";
export * from "./read_audit.ts";
export * from "./reserve.ts";
export * from "../model/reservation_errors.ts";
export type { ReservationMode, ReservationRecord } from "../model/reservation.ts";
export type { JudgedReservation } from "../core/reservations/reservation_index.ts";
export * from "../model/errors.ts";
export * from "../model/lock_errors.ts";
export * from "../model/freeze_errors.ts";
export * from "../model/record_errors.ts";
export { ModeMismatchError } from "../model/mode_errors.ts";
export type { ModeAsk } from "../model/mode_errors.ts";
export { Lock } from "../core/locks/lock_handle.ts";
export type { LockHandleOptions } from "../core/locks/lock_handle.ts";
export type { HoldKind, LivenessMode, LockMode, LockRecord } from "../model/lock_record.ts";
export type { FreezeRecord } from "../model/freeze_record.ts";
export type { ContextOptions } from "../core/context.ts";
export type { HolderLiveness, HoldState, LockState } from "../core/locks/judge.ts";
export type { FreezeState } from "../core/freezes/freezes.ts";
export type { StatusReport } from "../core/report/status_report.ts";
export type { Waiter } from "../core/locks/waiters.ts";
export type { WhyReason, WhyReport } from "../core/report/why_report.ts";
export { AUDIT_EVENTS } from "../model/audit_event.ts";
export type { AuditEvent, AuditEventKind } from "../model/audit_event.ts";
export type { Entry } from "../store/lock_store.ts";
