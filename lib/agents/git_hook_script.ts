/**
 * The script of lokt's git `pre-commit` hook, which `lokt init --git` writes
 * (chaining an existing hook) and `--remove` takes out by its marker.
 *
 * @module
 */

/** The line that marks the hook as lokt's. */
export const HOOK_MARKER = "# lokt:pre-commit";

/** Where an existing hook is kept, and run after lokt's. */
export const CHAINED = "pre-commit.lokt-chained";

/**
 * lokt's pre-commit hook: it finds lokt (on `PATH`, else where `init` found
 * it) and refuses a commit of paths other agents reserved; where lokt cannot
 * be found (an IDE's git, a GUI client with another `PATH`) it says so and
 * lets the commit through — lokt's absence must not block work.
 *
 * @param command The command that runs lokt's check (`lokt hook git pre-commit`, or an absolute one).
 * @returns The script.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { gitHookScript } from "./git_hook_script.ts";
 * const script = gitHookScript("'/opt/deno' run -A /opt/lokt/cli.ts hook git pre-commit");
 * assert.match(script, /command -v lokt/);
 * assert.match(script, /elif \[ -x '\/opt\/deno' \]/);
 * assert.match(script, /not found from this git/);
 * ```
 */
export function gitHookScript(command: string): string {
  const direct = command === "lokt hook git pre-commit"
    ? null
    : command.replace(/ hook git pre-commit$/, "");
  // The executable of an absolute command: its first word, unquoted.
  const executable = direct?.match(/^'([^']*)'|^(\S+)/)?.slice(1).find((x) => x) ?? null;
  return [
    "#!/bin/sh",
    `${HOOK_MARKER}: refuse commits of paths other agents reserved (lokt init --remove undoes this)`,
    "if command -v lokt >/dev/null 2>&1; then",
    "  lokt hook git pre-commit || exit $?",
    ...(direct && executable
      ? [`elif [ -x '${executable.replaceAll("'", `'"'"'`)}' ]; then`, `  ${command} || exit $?`]
      : []),
    "else",
    '  echo "lokt: not found from this git (PATH=$PATH): the commit is not checked for paths other agents reserved; put lokt on PATH to check it" >&2',
    "fi",
    `if [ -x "$(dirname "$0")/${CHAINED}" ]; then exec "$(dirname "$0")/${CHAINED}" "$@"; fi`,
    "",
  ].join("\n");
}
