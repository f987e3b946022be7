/**
 * A one-shot timer that does not load Deno's Node-compatible timers: a
 * process's first `setTimeout` costs 5–8 ms under Deno 2.9 (measured here,
 * docs/performance.md), more than a whole Redis round trip, so code on a
 * command's path (the Redis client) arms its deadlines with
 * `AbortSignal.timeout` (under 1 ms the first time) instead. Like a
 * `setTimeout`, an armed timer keeps the process alive; once cancelled, it
 * no longer does.
 *
 * @module
 */

/**
 * Calls `onTimeout` after `ms` milliseconds, unless cancelled first.
 *
 * @param ms The delay.
 * @param onTimeout What to do then.
 * @returns Cancels it (nothing once it has fired).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { startTimeout } from "./timeout.ts";
 * let fired = 0;
 * const cancel = startTimeout(5, () => fired++);
 * startTimeout(10, () => fired += 10)();
 * await new Promise((done) => startTimeout(40, () => done(null)));
 * cancel();
 * assert(fired === 1);
 * ```
 */
export function startTimeout(ms: number, onTimeout: () => void): () => void {
  const signal = AbortSignal.timeout(Math.max(0, ms));
  signal.addEventListener("abort", onTimeout, { once: true });
  // A timeout signal without a listener no longer keeps the process alive.
  return () => signal.removeEventListener("abort", onTimeout);
}
