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
 * The owner of a harness session: `<harness>-<12 letters and digits of its
 * id>` — the first 12, except for a UUIDv7 (Codex's session ids), whose first
 * 12 hex digits are its creation time in milliseconds, shared by sessions a
 * script starts together: there, the last 12 (random). A hook event's session
 * and the session variable a harness gives its shell (Codex's sandbox cannot
 * see the harness process) both yield it, so one session is one owner
 * everywhere.
 *
 * @param harness `claude` or `codex`.
 * @param sessionId The session id.
 * @returns The owner, or `null` when the id has no letter or digit.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { harnessSessionOwner } from "./identity_value.ts";
 * assert.equal(harnessSessionOwner("claude", "5f3c9a1e-77aa-4b1c-9d2e-0f1a2b3c4d5e"), "claude-5f3c9a1e77aa");
 * // Two Codex sessions started in the same millisecond are two owners.
 * assert.equal(harnessSessionOwner("codex", "01a24cf5-53f3-7ab1-9985-72c7ae15be8f"), "codex-72c7ae15be8f");
 * assert.equal(harnessSessionOwner("codex", "01a24cf5-53f3-7ab1-8123-000000000001"), "codex-000000000001");
 * assert.equal(harnessSessionOwner("claude", "--"), null);
 * ```
 */
export function harnessSessionOwner(harness: string, sessionId: string): string | null {
  const id = sessionId.replace(/[^A-Za-z0-9]/g, "");
  if (!id) return null;
  const timeOrdered = /^[0-9a-f]{12}7[0-9a-f]{19}$/i.test(id);
  return `${harness}-${timeOrdered ? id.slice(-12) : id.slice(0, 12)}`;
}
