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

/** The harnesses whose sessions lokt names the same way in hooks and in shells. */
export const HARNESS_SESSION_VARIABLES: Readonly<Record<string, string>> = {
  CLAUDE_SESSION_ID: "claude",
  CODEX_SESSION_ID: "codex",
};

/**
 * The owner of a harness session: `<harness>-<first 12 letters and digits of
 * its id>`. A hook event's session and the session variable a harness gives
 * its shell (Codex's sandbox cannot see the harness process) both yield it,
 * so one session is one owner everywhere.
 *
 * @param harness `claude` or `codex`.
 * @param sessionId The session id.
 * @returns The owner, or `null` when the id has no letter or digit.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { harnessSessionOwner } from "./identity_value.ts";
 * assert.equal(harnessSessionOwner("codex", "01a24ceb-b697-7621-9985"), "codex-01a24cebb697");
 * assert.equal(harnessSessionOwner("claude", "--"), null);
 * ```
 */
export function harnessSessionOwner(harness: string, sessionId: string): string | null {
  const id = sessionId.replace(/[^A-Za-z0-9]/g, "").slice(0, 12);
  return id ? `${harness}-${id}` : null;
}
