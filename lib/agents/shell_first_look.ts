/**
 * The first look at a shell command the hook is sent: most of an agent's
 * commands (`git status`, `npm test 2>&1`) write no file by name and are
 * answered after it, without being read further (`shell_writes.ts`).
 *
 * @module
 */

/**
 * A command that names no writing command and redirects nowhere but a
 * device or another descriptor writes no file by name: most of an agent's
 * shell commands (`git status`, `npm test 2>&1`), answered without reading
 * them further. Quotes and backslashes are dropped first (`r"m"` is `rm`).
 * Looked up word by word: one regular expression of them all cost V8 more
 * to compile than the whole look takes now.
 */
const WRITER_WORDS = new Set(
  [
    "rm rmdir unlink shred touch truncate mv chmod chown chgrp tee sponge mkdir mkfifo mknod cp ln",
    "install rsync sed perl ruby dd curl wget sort awk gawk mawk nawk find xargs tar bsdtar",
    "unzip zip patch checkout restore stash clean reset switch merge pull rebase cherry-pick",
    "revert am apply prettier eslint fmt fix gofmt goimports black isort ruff rustfmt biome",
    "clang-format autopep8 yapf shfmt stylelint rubocop eval sh bash dash zsh ksh",
  ].join(" ").split(" "),
);

/** Interpreters that may be given their code in the command. */
const INTERPRETER = /^(?:python[\d.]*|pypy\d*|node|nodejs|bun|deno|php)$/;

/** An interpreter's code given inline (`-c`, `-e`, `eval`) or in a heredoc. */
const INLINE_CODE = /\s(?:-[A-Za-z]*[ceEr]|--eval|--print|-p|eval)(?=\s)|<</;

/** Redirections that write no file: to a descriptor, or to `/dev/null` and the like. */
const NO_FILE_REDIRECTION = /\d*>&(?:\d+|-)|&?>>?\s*\/dev\/(?:null|stdout|stderr)(?![\w/.-])/g;

/**
 * Whether a shell command may write a file by name: a writing command's
 * name, a redirection to a file, or an interpreter given code in it.
 *
 * @param script The command text.
 * @returns `false` when the command surely names nothing it writes.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { mayWrite } from "./shell_first_look.ts";
 * assert(!mayWrite("git status --short && npm test 2>&1 | tail"));
 * assert(mayWrite("sed -i s/a/b/ f") && mayWrite("python3 -c \"open('f', 'w')\""));
 * ```
 */
export function mayWrite(script: string): boolean {
  // ANSI-C quoting may spell any name (`$'\x72m'` is `rm`).
  if (script.includes("$'")) return true;
  const text = script.replace(/["'\\]/g, "");
  if (text.replace(NO_FILE_REDIRECTION, "").includes(">")) return true;
  let interpreter = false;
  for (const word of text.split(/[^\w-]+/)) {
    // `--fix` is `fix`, and the parts of `x-rm` are read too: never fewer words than a `\b` finds.
    const bare = word.replace(/^-+/, "");
    if (WRITER_WORDS.has(bare) || bare.split("-").some((part) => WRITER_WORDS.has(part))) {
      return true;
    }
    interpreter ||= INTERPRETER.test(bare);
  }
  return interpreter && INLINE_CODE.test(text);
}

/** What only the shell reading finds: lokt's own records, its break-glass, an owner, a patch. */
const LOKT_OR_PATCH = /lokt|cli\.ts|LOKT_OWNER=|apply_?patch|applypatch|\*\*\*/;

/**
 * Whether a shell tool's command needs the shell reading (`shell_targets.ts`)
 * at all: it may write a file by name ({@linkcode mayWrite} of the script the
 * shell runs), names lokt or a patch, or is not plain text. Most commands
 * need none, and the hook answers them without loading it.
 *
 * @param command The tool input's `command` (a script, or a program and its arguments).
 * @returns `false` when the reading would surely find nothing.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { shellNeedsReading } from "./shell_first_look.ts";
 * assert(!shellNeedsReading(["bash", "-lc", "git status"]));
 * assert(shellNeedsReading("rm a.ts") && shellNeedsReading("lokt unlock x --force"));
 * assert(shellNeedsReading("apply_patch <<'EOF'\n*** Begin Patch\nEOF"));
 * ```
 */
export function shellNeedsReading(command: unknown): boolean {
  const argv = Array.isArray(command) ? command : [command];
  if (!argv.every((a) => typeof a === "string")) return true;
  const words = argv as string[];
  const script = scriptOf(words);
  const all = words.join(" ");
  // A NUL: the reading refuses it (no program is given one).
  return all.includes("\u0000") || LOKT_OR_PATCH.test(all) || mayWrite(script);
}

/**
 * The script a shell tool's command runs: the script of `[shell, -c,
 * script]` (`bash -lc '…'`), else its words joined. The first look and the
 * reading (`shell_targets.ts`) both read this one.
 *
 * @param words The command's words (a script is one word).
 * @returns The script.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { scriptOf } from "./shell_first_look.ts";
 * assert.equal(scriptOf(["bash", "-lc", "rm a && ls"]), "rm a && ls");
 * assert.equal(scriptOf(["rm", "a"]), "rm a");
 * ```
 */
export function scriptOf(words: string[]): string {
  return words.length === 3 && /^-l?c$/.test(words[1] as string)
    ? words[2] as string
    : words.join(" ");
}
