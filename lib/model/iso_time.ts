/**
 * Timestamps as records and audit events store them: ISO 8601 in UTC with
 * milliseconds, exactly what `Date.prototype.toISOString()` gives — computed
 * by arithmetic, because a process's first `Date` costs about a millisecond
 * (time-zone set-up it does not need), and every lokt call writes timestamps.
 *
 * @module
 */

const DAY_MS = 86_400_000;

/**
 * Formats milliseconds since the epoch as `YYYY-MM-DDTHH:mm:ss.sssZ`, equal to
 * `new Date(ms).toISOString()` (which it falls back to outside years 0–9999).
 *
 * @param ms Milliseconds since the epoch.
 * @returns The ISO 8601 UTC timestamp.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { isoTime } from "./iso_time.ts";
 * assert(isoTime(0) === "1970-01-01T00:00:00.000Z");
 * assert(isoTime(1_796_000_000_123) === new Date(1_796_000_000_123).toISOString());
 * ```
 */
export function isoTime(ms: number): string {
  const t = Math.floor(ms);
  const days = Math.floor(t / DAY_MS);
  let rest = t - days * DAY_MS;
  // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (!Number.isFinite(t) || year < 0 || year > 9999) return new Date(ms).toISOString();
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hours, 2)}:${pad(minutes, 2)}:${
    pad(seconds, 2)
  }.${pad(millis, 3)}Z`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}
