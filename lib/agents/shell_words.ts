/**
 * Reading a shell command as far as lokt's hook needs to: its words (split at
 * white space alone, or as the shell splits them, `$'…'` decoded), where a
 * simple command starts, whether a word is an argument of a command that
 * only reads (`grep apply_patch`, `cat .git/lokt/audit.jsonl`), whether a
 * word is where a redirection writes, and whether the command changes
 * directory. Not a shell parser: every answer errs towards "it writes"
 * (docs/agents.md).
 *
 * @module
 */

/** Commands that never run or write their arguments. */
const READERS = new Set([
  "grep",
  "egrep",
  "fgrep",
  "rg",
  "ag",
  "ack",
  "echo",
  "printf",
  "cat",
  "head",
  "tail",
  "less",
  "more",
  "wc",
  "ls",
  "file",
  "stat",
  "which",
  "whereis",
  "type",
  "man",
  "jq",
  "diff",
  "cmp",
  "od",
  "xxd",
]);

/** `git` subcommands that only read (`git grep apply_patch`). */
const GIT_READERS = new Set(["grep", "log", "show", "diff", "blame"]);

/** Where a new simple command may start. */
const COMMAND_START = /[\n;&|(){}`!]|\$\(/g;

/** A change of directory inside the command. */
const CHANGES_DIRECTORY = /(?:^|[\s;&|(){}`'"])(?:cd|pushd|popd)(?=$|[\s;&|()'"])/;

/**
 * Whether the word at `at` is an argument of a simple command that only
 * reads (the command's first word is a reader, or `git grep` and the like).
 *
 * @param script The command text.
 * @param at Where the word starts.
 * @returns `true` when that command only reads.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { inReaderCommand } from "./shell_words.ts";
 * const script = "grep x f; apply_patch < p";
 * assert(inReaderCommand(script, 5));
 * assert(!inReaderCommand(script, script.indexOf("apply_patch")));
 * ```
 */
export function inReaderCommand(script: string, at: number): boolean {
  let start = 0;
  for (const m of script.slice(0, at).matchAll(COMMAND_START)) start = m.index + m[0].length;
  const words = script.slice(start, at).trim().split(/\s+/);
  const first = words[0] ?? "";
  const name = first.slice(first.lastIndexOf("/") + 1);
  if (name === "git") return GIT_READERS.has(words[1] ?? "");
  // `command -v NAME` looks NAME up; `command NAME` runs it.
  if (name === "command") return words[1] === "-v" || words[1] === "-V";
  return READERS.has(name);
}

/** A shell word (its quotes are dropped by {@linkcode wordsOf}). */
const WORD = /[^\s;&|()<>`]+/g;

/**
 * The words of a command text and where each starts, quotes dropped (and the
 * `$` of `$'…'`): the shell would pass `--for"ce"` as `--force`.
 *
 * @param text The command text.
 * @returns Each word, unquoted, with its offset in `text`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { wordsOf } from "./shell_words.ts";
 * assert.deepEqual(wordsOf(`rm -f ".git/lokt" $'x'`), [
 *   { at: 0, word: "rm" },
 *   { at: 3, word: "-f" },
 *   { at: 6, word: ".git/lokt" },
 *   { at: 18, word: "x" },
 * ]);
 * ```
 */
export function wordsOf(text: string): { at: number; word: string }[] {
  return [...text.matchAll(WORD)].map((m) => ({
    at: m.index,
    word: m[0].replace(/\$(?=['"])/g, "").replace(/['"]/g, ""),
  }));
}

/**
 * The simple commands of a command text, as the shell would separate them
 * (at `;`, `&`, `|`, newlines, parentheses, braces, backquotes, `!`, `$(`),
 * quotes not taken into account: a separator inside quotes only splits more.
 *
 * @param script The command text.
 * @returns Its simple commands, in order (some may be empty).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { simpleCommands } from "./shell_words.ts";
 * assert.deepEqual(simpleCommands("cd src && make; echo $(date)").map((c) => c.trim()), [
 *   "cd src", "", "make", "echo", "date", "",
 * ]);
 * ```
 */
export function simpleCommands(script: string): string[] {
  return script.split(COMMAND_START);
}

/**
 * Whether the word at `at` is the target of an output redirection (`> f`,
 * `>> f`, `2>f`, `&> f`).
 *
 * @param script The command text.
 * @param at Where the word starts.
 * @returns `true` when a redirection writes it.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { redirectedTo } from "./shell_words.ts";
 * assert(redirectedTo("echo x >> log.txt", 10));
 * assert(!redirectedTo("cat log.txt", 4));
 * ```
 */
export function redirectedTo(script: string, at: number): boolean {
  return /[>]\|?\s*$/.test(script.slice(Math.max(0, at - 8), at));
}

/**
 * Whether the command changes directory anywhere (`cd`, `pushd`, `popd`).
 *
 * @param script The command text.
 * @returns `true` when it does.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { changesDirectory } from "./shell_words.ts";
 * assert(changesDirectory("cd src && make"));
 * assert(!changesDirectory("make cdrom"));
 * ```
 */
export function changesDirectory(script: string): boolean {
  return CHANGES_DIRECTORY.test(script);
}

/** A shell word as the shell splits it: quotes and a backslash keep white space and operators in. */
const QUOTED_WORD =
  /(?:[^\s;&|()<>`'"\\$]|\$(?!')|\\.|\$'(?:[^'\\]|\\.)*'|'[^']*'|"(?:[^"\\]|\\.)*")+/g;

/**
 * The words of a command split as the shell splits them: quotes and a
 * backslash keep white space and operators in, and are dropped; `$'…'` is
 * decoded ({@linkcode ansiC}).
 *
 * @param command The command text.
 * @returns Each word, as the shell passes it, with its offset in `command`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { quotedWordsOf } from "./shell_words.ts";
 * assert.deepEqual(quotedWordsOf(`rm "a b" c\\ d $'\\x65'`).map((w) => w.word), [
 *   "rm", "a b", "c d", "e",
 * ]);
 * ```
 */
export function quotedWordsOf(command: string): { at: number; word: string }[] {
  return [...command.matchAll(QUOTED_WORD)].map((m) => ({
    at: m.index,
    word: m[0].replace(
      /\$'((?:[^'\\]|\\.)*)'|\\(.)|'([^']*)'|"((?:[^"\\]|\\.)*)"/g,
      (_, c, e, s, d) =>
        c !== undefined ? ansiC(c) : e ?? s ?? (d as string).replace(/\\(.)/g, "$1"),
    ),
  }));
}

/**
 * The text of an ANSI-C quoted string's body (`$'…'`): its backslash escapes
 * decoded as bash does.
 *
 * @param body What stands between `$'` and `'`.
 * @returns The string the shell passes.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ansiC } from "./shell_words.ts";
 * assert.equal(ansiC("src/\\x61.ts"), "src/a.ts");
 * assert.equal(ansiC("a\\101\\u0062\\'"), "aAb'");
 * ```
 */
export function ansiC(body: string): string {
  const simple: Record<string, string> = {
    a: "\x07",
    b: "\b",
    e: "\x1b",
    E: "\x1b",
    f: "\f",
    n: "\n",
    r: "\r",
    t: "\t",
    v: "\v",
  };
  return body.replace(
    /\\(?:x([0-9A-Fa-f]{1,2})|u([0-9A-Fa-f]{1,4})|U([0-9A-Fa-f]{1,8})|([0-7]{1,3})|c(.)|(.))/gs,
    (_, hex, u, bigU, octal, control, other) => {
      const code = hex ?? u ?? bigU;
      if (code !== undefined) return String.fromCodePoint(parseInt(code, 16) % 0x110000);
      if (octal !== undefined) return String.fromCharCode(parseInt(octal, 8) & 0xff);
      if (control !== undefined) return String.fromCharCode(control.charCodeAt(0) & 0x1f);
      return simple[other as string] ?? other;
    },
  );
}

/**
 * A command's operands: the words that are not options, and all of those
 * after `--`.
 *
 * @param args The words after the command's name.
 * @returns Its operands, in order.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { operandsOf } from "./shell_words.ts";
 * assert.deepEqual(operandsOf(["-rf", "a", "--", "-b"]), ["a", "-b"]);
 * ```
 */
export function operandsOf(args: string[]): string[] {
  const end = args.indexOf("--");
  const before = end < 0 ? args : args.slice(0, end);
  const after = end < 0 ? [] : args.slice(end + 1);
  return [...before.filter((a) => !a.startsWith("-")), ...after];
}

/**
 * A command word's last path part (`/bin/rm` → `rm`).
 *
 * @param word The word.
 * @returns Its last part.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { baseName } from "./shell_words.ts";
 * assert.equal(baseName("/usr/bin/rm"), "rm");
 * ```
 */
export function baseName(word: string): string {
  return word.slice(word.lastIndexOf("/") + 1);
}
