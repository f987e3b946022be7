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
 */
const WRITER_WORD = new RegExp(
  "\\b(?:" +
    "rm|rmdir|unlink|shred|touch|truncate|mv|chmod|chown|chgrp|tee|mkdir|mkfifo|mknod|cp|ln|" +
    "install|rsync|sed|perl|ruby|dd|curl|wget|sort|awk|gawk|find|xargs|tar|bsdtar|unzip|zip|patch|" +
    "checkout|restore|stash|clean|reset|switch|merge|pull|rebase|cherry-pick|revert|am|apply|" +
    "prettier|eslint|fmt|fix|gofmt|goimports|black|isort|ruff|rustfmt|biome|clang-format|" +
    "autopep8|yapf|shfmt|stylelint|rubocop|" +
    "mawk|nawk|" +
    "eval|sh|bash|dash|zsh|ksh" +
    ")\\b",
);

/** Redirections that write no file: to a descriptor, or to `/dev/null` and the like. */
const NO_FILE_REDIRECTION = /\d*>&(?:\d+|-)|&?>>?\s*\/dev\/(?:null|stdout|stderr)(?![\w/.-])/g;

/** An interpreter given its code in the command: inline (`-c`, `-e`, `eval`) or in a heredoc. */
const INTERPRETER = /\b(?:python[\d.]*|pypy\d*|node(?:js)?|bun|deno|php)\b/;
const INLINE_CODE = /\s(?:-[A-Za-z]*[ceEr]|--eval|--print|-p|eval)(?=\s)|<</;

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
  return WRITER_WORD.test(text) || text.replace(NO_FILE_REDIRECTION, "").includes(">") ||
    (INTERPRETER.test(text) && INLINE_CODE.test(text));
}
