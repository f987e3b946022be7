/**
 * A shell command that uses lokt's break-glass: `lokt unlock build --force`,
 * `lokt release --owner A --force`, `lokt unfreeze deploy --force`; or that
 * takes lokt's hooks out (`lokt init --remove`). Breaking another owner's
 * lock, reservation or freeze, and turning lokt off, are a person's steps, never an
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
  return loktRuns(script).find(({ args }) => args.includes("--force"))?.command ?? null;
}

/**
 * The first simple command that runs `lokt init --remove`, which takes lokt's
 * hooks out of the harness's settings and git: a person's step too (an agent
 * that runs it turns lokt off for every later session), or `null`.
 *
 * @param script The command text.
 * @returns That command, trimmed, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { uninstallIn } from "./shell_breakglass.ts";
 * assert.equal(uninstallIn("lokt init --remove && git add -A"), "lokt init --remove");
 * assert.equal(uninstallIn("lokt init --claude"), null);
 * assert.equal(uninstallIn("lokt guard g -- ./init --remove"), null);
 * ```
 */
export function uninstallIn(script: string): string | null {
  const run = loktRuns(script).find(({ args }) =>
    args.includes("init") && args.includes("--remove")
  );
  return run?.command ?? null;
}

/** Each run of lokt in a script: its simple command and its words up to a lone `--`. */
function loktRuns(script: string): { command: string; args: string[] }[] {
  // Cheap first: almost no command names lokt at all.
  if (!script.includes("lokt") && !script.includes("cli.ts")) return [];
  const runs: { command: string; args: string[] }[] = [];
  for (const command of simpleCommands(script)) {
    const words = wordsOf(command);
    const runsDeno = words.some(({ word }) => /(?:^|\/)deno$/.test(word));
    for (const [i, { at, word }] of words.entries()) {
      if (!LOKT.test(word) && !(runsDeno && CLI.test(word))) continue;
      if (inReaderCommand(command, at)) break;
      const rest = words.slice(i + 1).map((w) => w.word);
      const end = rest.indexOf("--");
      runs.push({ command: command.trim(), args: end < 0 ? rest : rest.slice(0, end) });
    }
  }
  return runs;
}
