/**
 * Who a shell command claims to act as: the value it gives `LOKT_OWNER`
 * (`LOKT_OWNER=other lokt release --all`, `export LOKT_OWNER=other`). An
 * agent acts as its own session (docs/agents.md): lokt's hook denies a
 * command that names another owner, which would take or give back that
 * owner's locks and reservations without `--force`.
 *
 * By the words of the command (quotes dropped): an assignment `LOKT_OWNER=…`
 * anywhere, unless it is an argument of a command that only reads (`echo`,
 * `grep`…). `LOKT_OWNER=$LOKT_OWNER` keeps the owner it had.
 *
 * @module
 */

import { inReaderCommand, wordsOf } from "./shell_words.ts";

/** An assignment of `LOKT_OWNER`, and its value. */
const ASSIGNMENT = /^LOKT_OWNER=(.*)$/;

/**
 * The first owner a command gives `LOKT_OWNER`, or `null` when it gives none.
 *
 * @param script The command text.
 * @returns The value as written (quotes dropped), or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ownerSetIn } from "./shell_identity.ts";
 * assert.equal(ownerSetIn("LOKT_OWNER=claude-b lokt release --all"), "claude-b");
 * assert.equal(ownerSetIn("export LOKT_OWNER='x'; lokt unlock build"), "x");
 * assert.equal(ownerSetIn("LOKT_OWNER=$LOKT_OWNER lokt status"), null);
 * assert.equal(ownerSetIn("echo LOKT_OWNER=x"), null);
 * ```
 */
export function ownerSetIn(script: string): string | null {
  // Cheap first: almost no command names it at all.
  if (!script.includes("LOKT_OWNER=")) return null;
  for (const { at, word } of wordsOf(script)) {
    const value = ASSIGNMENT.exec(word)?.[1];
    if (value === undefined || value === "$LOKT_OWNER" || value === "${LOKT_OWNER}") continue;
    if (inReaderCommand(script, at)) continue;
    return value;
  }
  return null;
}
