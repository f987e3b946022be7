/**
 * One reason of `lokt why`: what is going on with a name, whether it stops an
 * acquisition now, and the exact commands that clear it. Shared by the
 * reasons of exclusive names (`why_report.ts`) and of shared or semaphore
 * names (`why_group.ts`).
 *
 * @module
 */

/** One reason, with whether it blocks acquisition and the commands that clear it. */
export interface WhyReason {
  /**
   * `held`, `orphaned`, `mine`, `own-instance`, `inherited`, `expired`, `dead`, `corrupt`, `frozen`,
   * `corrupt-freeze`, `queued`, `clock-skew`; for a shared or semaphore name also `shared`,
   * `slots` (room left) and `full`.
   */
  code: string;
  /** Whether it stops an acquisition now. */
  blocking: boolean;
  /** What is going on. */
  message: string;
  /** Exact commands that clear it. */
  fix: string[];
}
