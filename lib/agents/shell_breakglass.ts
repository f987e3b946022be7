/**
 * A shell command that uses lokt's break-glass: `lokt unlock build --force`,
 * `lokt release --owner A --force`, `lokt unfreeze deploy --force`. Breaking
 * another owner's lock, reservation or freeze is a person's step, never an
 * agent's (docs/agents.md): `lokt mcp` never passes a flag, and lokt's hook,
 * which already reads Codex's shell commands (and Claude Code's `Bash`, where
 * a person routes it there), denies such a command.
 *
 * By the words of each simple command: one that runs lokt — a word `lokt` or
 * a path ending in `/lokt`, `jsr:@lokt/cli…`, or a `cli.ts` run by `deno` —
 * with a `--force` word (quotes dropped) after it and before a lone `--`
 * (what follows is `guard`'s command: `lokt guard push -- git push --force`
 * is not lokt's flag). A command that only reads its arguments (`echo`,
 * `grep`, `cat`…) runs nothing.
 *
 * @module
 */

import { inReaderCommand, simpleCommands, wordsOf } from "./shell_words.ts";

/** A word that names lokt's program. */
const LOKT = /(?:^|\/)lokt$|@lokt\/cli/;

/** lokt's `cli.ts` from a clone, when `deno` runs it. */
const CLI = /(?:^|\/)cli\.ts$/;

/**
 * The first simple command that runs lokt with `--force`, or `null`.
 *
 * @param script The command text.
 * @returns That command, trimmed, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { breakGlassIn } from "./shell_breakglass.ts";
 * assert.equal(breakGlassIn("cd src && lokt unlock build --force"), "lokt unlock build --force");
 * assert.equal(breakGlassIn("lokt guard push -- git push --force"), null);
 * assert.equal(breakGlassIn("echo 'lokt unlock x --force'"), null);
 * ```
 */
export function breakGlassIn(script: string): string | null {
  // Cheap first: almost no command names lokt at all.
  if (!script.includes("lokt") && !script.includes("cli.ts")) return null;
  for (const command of simpleCommands(script)) {
    const words = wordsOf(command);
    const runsDeno = words.some(({ word }) => /(?:^|\/)deno$/.test(word));
    for (const [i, { at, word }] of words.entries()) {
      if (!LOKT.test(word) && !(runsDeno && CLI.test(word))) continue;
      if (inReaderCommand(command, at)) break;
      for (const next of words.slice(i + 1)) {
        if (next.word === "--") break;
        if (next.word === "--force") return command.trim();
      }
    }
  }
  return null;
}
