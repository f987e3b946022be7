/**
 * Text from records, the audit trail or the environment that reaches a
 * terminal or an agent (docs/contract.md §19). Names, owners, agent ids,
 * hosts and reasons refuse control characters and bidirectional overrides
 * or isolates outright (they could rewrite a terminal's title or colours, or
 * make one name look like another); anything else shown from data — a
 * command line, a hand-edited field — is printed with those characters
 * escaped (`\x1b`, `\n`, `\u202e`). JSON output escapes them as JSON does.
 *
 * @module
 */

/** C0 and C1 control characters, DEL, and the bidirectional overrides and isolates. */
// deno-lint-ignore no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// deno-lint-ignore no-control-regex
const UNSAFE_ALL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** The same, but keeping newlines and the colour sequences lokt itself prints (SGR). */
const UNSAFE_IN_OUTPUT =
  // deno-lint-ignore no-control-regex
  /\u001b\[[0-9;]*m|[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Whether a text holds a control character or a bidirectional override or
 * isolate (U+202A–U+202E, U+2066–U+2069).
 *
 * @param text The text.
 * @returns `true` when it does.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { hasUnsafeText } from "./safe_text.ts";
 * assert(hasUnsafeText("agent\u202e1"));
 * assert(hasUnsafeText("two\nlines"));
 * assert(!hasUnsafeText("agent-1 (build)"));
 * ```
 */
export function hasUnsafeText(text: string): boolean {
  return UNSAFE.test(text);
}

/**
 * A piece of data as it may be shown: every control character and
 * bidirectional override or isolate escaped (`\x1b`, `\n`, `\t`, `\u202e`).
 *
 * @param text The data.
 * @returns The text to show.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { shown } from "./safe_text.ts";
 * assert.equal(shown("sleep 4 #\u001b]0;PWN\u0007"), "sleep 4 #\\x1b]0;PWN\\x07");
 * assert.equal(shown("a\nb"), "a\\nb");
 * ```
 */
export function shown(text: string): string {
  return text.replace(UNSAFE_ALL, escapeChar);
}

/**
 * Output text made safe for a terminal as the last step before it is
 * printed: lokt's own newlines and colour (SGR) sequences stay; any other
 * control character, and every bidirectional override or isolate, is
 * escaped. Data is escaped where it is interpolated ({@linkcode shown});
 * this is the net below it, so that no title-setting, cursor or bell
 * sequence from data ever reaches a terminal.
 *
 * @param text The output.
 * @returns The text to print.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { terminalSafe } from "./safe_text.ts";
 * assert.equal(terminalSafe("\u001b[1mHELD\u001b[0m\nx\u001b]0;PWN\u0007"), "\u001b[1mHELD\u001b[0m\nx\\x1b]0;PWN\\x07");
 * ```
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_IN_OUTPUT, (match) => match.length > 1 ? match : escapeChar(match));
}

function escapeChar(char: string): string {
  switch (char) {
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\t":
      return "\\t";
  }
  const code = char.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}
