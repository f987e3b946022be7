/**
 * Durations as people read them (`4m48s`, `1h2m`, `850ms`), for messages and
 * tables. Parsing lives in `duration.ts`.
 *
 * @module
 */

/**
 * Formats milliseconds as a compact human duration (`4m48s`, `1h2m`, `850ms`).
 *
 * @param ms The duration in milliseconds (negative values are shown as 0s).
 * @returns The formatted duration.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { formatDuration } from "./duration_format.ts";
 * assert(formatDuration(288_000) === "4m48s");
 * ```
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return "0s";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let seconds = Math.floor(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const parts: string[] = [];
  if (days) parts.push(`${days}d`);
  if (hours) parts.push(`${hours}h`);
  if (minutes && !days) parts.push(`${minutes}m`);
  if (seconds && !days && !hours) parts.push(`${seconds}s`);
  return parts.join("") || "0s";
}

/**
 * When a hold or reservation expires, in words: `expires in 4m48s`, or — for
 * one already past its expiry but still within the clock-skew tolerance —
 * `expired 2s ago`, never "expires in 0s".
 *
 * @param expiresInMs Time until expiry (negative once past it).
 * @returns The words.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { expiryText } from "./duration_format.ts";
 * assert.equal(expiryText(90_000), "expires in 1m30s");
 * assert.equal(expiryText(-300), "expired just now");
 * assert.equal(expiryText(-2_000), "expired 2s ago");
 * ```
 */
export function expiryText(expiresInMs: number): string {
  if (expiresInMs > 0) return `expires in ${formatDuration(expiresInMs)}`;
  return expiresInMs > -1000 ? "expired just now" : `expired ${formatDuration(-expiresInMs)} ago`;
}
