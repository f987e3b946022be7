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
    "rm rmdir unlink shred touch truncate mv chmod chown chgrp tee mkdir mkfifo mknod cp ln",
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
