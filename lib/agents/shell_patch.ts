/**
 * What a shell command's `apply_patch` writes. Codex applies a patch given
 * to its shell (`apply_patch <<'EOF'` … `EOF`, optionally after one
 * `cd DIR &&`) itself, and its sandbox puts an `apply_patch` program on
 * `PATH` for every other form; its PreToolUse hook names that call `Bash`.
 * So a shell command that runs `apply_patch` is an edit like the
 * `apply_patch` tool's, and is judged like one (docs/agents.md).
 *
 * Read to over-approximate, never to miss: every patch header anywhere in
 * the command is a target; a command that runs `apply_patch` on a patch
 * lokt cannot read (from a file, a pipe, a variable), or whose directory
 * lokt cannot know, is `unseen`, which the hook denies.
 *
 * @module
 */

import { patchPaths } from "./apply_patch.ts";
import { changesDirectory, inReaderCommand } from "./shell_words.ts";

/** What a shell command writes through `apply_patch`. */
export type ShellPatch =
  /** The paths its patch names: absolute, or relative to the shell's start directory. */
  | { kind: "patch"; paths: string[] }
  /** It runs `apply_patch`, but lokt cannot tell which files it writes: why. */
  | { kind: "unseen"; why: string }
  /** No `apply_patch` and no patch: not an edit lokt judges. */
  | { kind: "none" };

/** The program's two names, as Codex recognises them. */
const PROGRAM = "(?:apply_patch|applypatch)";

/**
 * Whether a program path names `apply_patch` (either of its names, with or without a directory).
 *
 * @param word A command's first word.
 * @returns `true` for `apply_patch`, `applypatch`, `/usr/bin/apply_patch`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { isPatchProgram } from "./shell_patch.ts";
 * assert(isPatchProgram("/usr/local/bin/applypatch") && !isPatchProgram("apply_patch.sh"));
 * ```
 */
export function isPatchProgram(word: string): boolean {
  return new RegExp(`^(?:.*/)?${PROGRAM}$`).test(word);
}

/**
 * The directory of `cd DIR &&` as Codex's parser takes it: a plain word (no
 * quote, expansion, glob, `~` or shell operator; not an option), a
 * single-quoted string, or a double-quoted one without expansions.
 */
const SPECIAL = "\\s'\"$`\\\\;&|<>(){}*?\\[\\]~#!";
const CD_DIR = `([^${SPECIAL}-][^${SPECIAL}]*|'[^']*'|"[^"$\`\\\\]*")`;

/**
 * The start of the heredoc form Codex applies itself (the whole command must
 * be this one statement, checked after): an optional `cd DIR &&`, the
 * program, and a heredoc whose delimiter may be quoted.
 */
const HEREDOC_FORM = new RegExp(
  `^\\s*(?:cd\\s+${CD_DIR}\\s*&&\\s*)?` +
    `${PROGRAM}\\s*<<-?\\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\\2[ \\t]*\\r?\\n`,
);

/** The direct form: the program and the patch as one quoted argument, nothing else. */
const DIRECT_FORM = new RegExp(`^\\s*${PROGRAM}\\s+(?:'[^']*'|"[^"$\`\\\\]*")\\s*$`);

/** The program as a shell word of its own, or a path's last part (`/usr/bin/apply_patch`). */
const PROGRAM_WORD = new RegExp(
  `(?:^|[\\s'"/=(])(apply_patch|applypatch)(?=$|[\\s'";&|()<>\`])`,
  "dg",
);

/**
 * Judges one shell command (the script a shell runs).
 *
 * @param script The command text.
 * @returns The paths its patch writes, `unseen` with why, or `none`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { shellPatch } from "./shell_patch.ts";
 * const patch = "*** Begin Patch\n*** Update File: auth/login.ts\n@@\n-a\n+b\n*** End Patch";
 * assert.deepEqual(shellPatch(`cd src && apply_patch <<'EOF'\n${patch}\nEOF`), {
 *   kind: "patch",
 *   paths: ["src/auth/login.ts"],
 * });
 * assert.equal(shellPatch("apply_patch < change.patch").kind, "unseen");
 * assert.equal(shellPatch("grep -rn apply_patch docs").kind, "none");
 * ```
 */
export function shellPatch(script: string): ShellPatch {
  // A shell joins a line that ends in `\` to the next in an unquoted heredoc:
  // the command is read that way too, so that a header split so is not missed.
  const joined = script.replaceAll("\\\n", "");
  const paths = joined === script
    ? patchPaths(script)
    : [...new Set([...patchPaths(script), ...patchPaths(joined)])];
  if (paths.length === 0) {
    return runsProgram(script)
      ? { kind: "unseen", why: "its patch is not in the command" }
      : { kind: "none" };
  }
  if (paths.some((p) => /[$`]/.test(p))) {
    return { kind: "unseen", why: "a path in its patch is expanded by the shell" };
  }
  const heredoc = HEREDOC_FORM.exec(script);
  if (heredoc && onlyHeredoc(script.slice(heredoc[0].length), heredoc[3] as string)) {
    const dir = unquoted(heredoc[1]);
    return { kind: "patch", paths: dir === null ? paths : paths.map((p) => under(dir, p)) };
  }
  if (DIRECT_FORM.test(script) || !changesDirectory(script)) return { kind: "patch", paths };
  return { kind: "unseen", why: "it changes directory before the patch applies" };
}

/**
 * Whether the command runs the program somewhere: its word where a simple
 * command starts, or as an argument of anything but a reader.
 */
function runsProgram(script: string): boolean {
  for (const match of script.matchAll(PROGRAM_WORD)) {
    const at = match.indices?.[1]?.[0] ?? match.index;
    if (!inReaderCommand(script, at)) return true;
  }
  return false;
}

/** Whether the heredoc's body ends at a line `delimiter` with nothing after it: one statement. */
function onlyHeredoc(rest: string, delimiter: string): boolean {
  const lines = rest.split(/\r?\n/);
  const end = lines.findIndex((line) => line.replace(/^\t+/, "").trimEnd() === delimiter);
  return end >= 0 && lines.slice(end + 1).every((line) => line.trim() === "");
}

function unquoted(dir: string | undefined): string | null {
  if (dir === undefined) return null;
  return /^['"]/.test(dir) ? dir.slice(1, -1) : dir;
}

/** A patch path as it lands from the `cd` directory (an absolute one stays). */
function under(dir: string, path: string): string {
  if (path.startsWith("/")) return path;
  return `${dir.replace(/\/+$/, "")}/${path}`;
}
