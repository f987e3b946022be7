/**
 * Parsing and formatting of human durations such as `500ms`, `90s`, `1h30m`, `2d`.
 *
 * @module
 */

import { UsageError } from "./errors.ts";

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/** The longest duration lokt accepts (365 days), so date arithmetic stays exact. */
export const MAX_DURATION_MS: number = 365 * 86_400_000;

/**
 * Parses a duration made of one or more `<number><unit>` parts, units `ms`,
 * `s`, `m`, `h`, `d`. A bare number is rejected: it is ambiguous.
 *
 * @param text The duration text, e.g. `"1h30m"`.
 * @param flag The flag the value came from, named in the error message.
 * @param examples The durations the error message offers (ones the flag accepts).
 * @returns The duration in milliseconds.
 * @throws {UsageError} When the text is not a duration.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { parseDuration } from "./duration.ts";
 * assert(parseDuration("1h30m") === 5_400_000);
 * assert(parseDuration("500ms") === 500);
 * ```
 */
export function parseDuration(
  text: string,
  flag = "duration",
  examples = "500ms, 90s, 5m, 1h30m, 2d",
): number {
  const bad = () =>
    new UsageError(
      `Invalid ${flag} ${JSON.stringify(text)}: use a number with a unit, e.g. ${examples}`,
    );
  if (text.length === 0 || text.length > 64) throw bad();
  let total = 0;
  let index = 0;
  PART.lastIndex = 0;
  while (index < text.length) {
    PART.lastIndex = index;
    const match = PART.exec(text);
    if (!match) throw bad();
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    index = PART.lastIndex;
  }
  if (!Number.isFinite(total) || total > MAX_DURATION_MS) {
    throw new UsageError(`Invalid ${flag} ${JSON.stringify(text)}: at most 365d`);
  }
  return Math.round(total);
}

/**
 * Parses a lock TTL: a duration of at least one second, or `0` for "no
 * expiry" when `allowZero` is set.
 *
 * @param text The TTL text.
 * @param options `allowZero` accepts `0`; `flag` names the flag in errors.
 * @returns The TTL in milliseconds (`0` for no expiry).
 * @throws {UsageError} On a bad or sub-second TTL.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { parseTtl } from "./duration.ts";
 * assert(parseTtl("5m") === 300_000);
 * ```
 */
export function parseTtl(
  text: string,
  options: { allowZero?: boolean; flag?: string } = {},
): number {
  const flag = options.flag ?? "--ttl";
  if (text === "0" || text === "0s") {
    if (options.allowZero) return 0;
    throw new UsageError(`Invalid ${flag} ${JSON.stringify(text)}: must be at least 1s`);
  }
  // A TTL is at least 1s: the examples offered are ones it accepts.
  const ms = parseDuration(text, flag, `90s, 5m, 1h30m, 2d${options.allowZero ? ", or 0" : ""}`);
  if (ms < 1000) {
    throw new UsageError(
      `Invalid ${flag} ${
        JSON.stringify(text)
      }: must be at least 1s (a shorter lock expires before it is useful)`,
    );
  }
  return ms;
}
