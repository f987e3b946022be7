/**
 * What an owner or agent id may be (from `LOKT_OWNER`, `LOKT_AGENT_ID`,
 * `--owner` or a library option): printable, one line, bounded.
 *
 * @module
 */

import { hasUnsafeText } from "./safe_text.ts";

/** Maximum accepted length of `LOKT_OWNER` / `LOKT_AGENT_ID`. */
export const MAX_OWNER_LENGTH = 256;

/**
 * Validates an identity variable: printable, one line, bounded length.
 *
 * @param value The raw value.
 * @param key The variable name, for the message.
 * @returns An error message, or `null` when the value is fine.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { identityValueProblem } from "./identity_value.ts";
 * assert(identityValueProblem("a\nb", "LOKT_OWNER") !== null);
 * ```
 */
export function identityValueProblem(value: string, key: string): string | null {
  if (value.length > MAX_OWNER_LENGTH) {
    return `Invalid ${key}: longer than ${MAX_OWNER_LENGTH} characters`;
  }
  if (hasUnsafeText(value)) {
    return `Invalid ${key}: contains a newline, a control character or a bidirectional override (they could disguise what is shown)`;
  }
  if (value.trim() !== value || value === "") {
    return `Invalid ${key}: empty or surrounded by spaces`;
  }
  return null;
}
