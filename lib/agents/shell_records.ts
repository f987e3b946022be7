/**
 * A shell command that writes lokt's own records by name: `rm
 * .git/lokt/locks/build.json`, `echo {} > .lokt/reservations/_index.json`,
 * `rm -rf .git/lokt/*`. The hook already runs for Codex's shell (it applies
 * patches given there), so such a command is denied there like a file tool's
 * edit of the records: a person's break-glass is `lokt unlock --force`, never
 * an agent's `rm` (docs/agents.md).
 *
 * By the words of the command, not by what it would resolve to: a path whose
 * own place names a lokt root — a `.lokt` segment, or `lokt` right inside a
 * `.git` directory (or a submodule's under `.git/modules/`) — followed by
 * nothing, one of lokt's entries, or a glob that could match one. A word is
 * written unless it is an argument of a command that only reads (`cat`,
 * `ls`, `jq`, `grep`) and no redirection writes it.
 *
 * @module
 */

import { isRootEntry } from "../store/layout.ts";
import { inReaderCommand, redirectedTo, wordsOf } from "./shell_words.ts";

/** A lokt root named by its place, and what follows it. */
const ROOT_IN_PATH = /(?:^|\/)(?:\.lokt|\.git\/(?:modules\/(?:[^/]+\/)+)?lokt)(?:\/(.*))?$/;

/**
 * The first word of a command that writes lokt's records, and its root part.
 *
 * @param script The command text.
 * @returns The word and the root it names, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { recordsWritten } from "./shell_records.ts";
 * assert.deepEqual(recordsWritten("rm -f .git/lokt/locks/build.json"), {
 *   path: ".git/lokt/locks/build.json",
 *   root: ".git/lokt",
 * });
 * assert.equal(recordsWritten("cat .git/lokt/audit.jsonl | tail"), null);
 * assert.equal(recordsWritten("lokt unlock build"), null);
 * ```
 */
export function recordsWritten(script: string): { path: string; root: string } | null {
  // Cheap first: almost no command names lokt at all.
  if (!script.includes("lokt")) return null;
  for (const { at, word } of wordsOf(script)) {
    const named = ROOT_IN_PATH.exec(word);
    if (!named || !isRecords(named[1])) continue;
    if (!redirectedTo(script, at) && inReaderCommand(script, at)) continue;
    // What follows the root's `/` (none when the word ends at the root itself).
    const rest = named[1];
    return { path: word, root: rest === undefined ? word : word.slice(0, -rest.length - 1) };
  }
  return null;
}

/** Nothing after the root (the root itself), one of its entries, or a glob that may match one. */
function isRecords(rest: string | undefined): boolean {
  if (rest === undefined || rest === "") return true;
  const first = rest.split("/", 1)[0] as string;
  return /[*?[{]/.test(first) || isRootEntry(rest);
}
