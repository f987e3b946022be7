/**
 * Which files a shell command writes by name: the target of a redirection
 * (`> f`, `>> f`, `2> f`, `&> f`, `cat > f <<'EOF'`), and the operands of the
 * common commands that change files (`rm`, `mv`, `touch`, `tee`, `sed -i`,
 * `cp`'s destination, `git checkout -- f`…; `shell_writers.ts`). Both
 * harnesses' shell calls reach lokt's hook, so an agent that writes a
 * reserved file through its shell is denied like one that writes it through
 * a file tool (docs/agents.md).
 *
 * Read to over-approximate what it names: commands split both at every
 * separator and only where quotes allow, words both at white space and as
 * the shell splits them, a relative word after a literal `cd DIR;` judged
 * both where the shell started and in `DIR`, and the expansions lokt can
 * know spelled out (`shell_expansions.ts`). What a command computes at run
 * time (`> "$OUT"` from the environment, a program's own writes but a
 * script given inline to an interpreter) is not seen; the git pre-commit hook stays the backstop. What a command writes
 * without naming it (`find -delete`, `xargs rm`, `git stash`, `deno fmt`)
 * is judged as the directories it may write in.
 *
 * @module
 */

import { closing, withoutBodies } from "./shell_heredocs.ts";
import { mayWrite } from "./shell_first_look.ts";
import { writtenOperands } from "./shell_writers.ts";
import { gitMarked, WITH_GIT } from "./shell_bulk_writers.ts";
import { WHOLE_TREE } from "./shell_git_writers.ts";
import { expandKnown, type Variables, variablesOf } from "./shell_expansions.ts";
import { baseName, quotedWordsOf, redirectedTo, wordsOf } from "./shell_words.ts";

/** Words that run the command after them (with their own options). */
const WRAPPERS = new Set([
  "sudo",
  "command",
  "exec",
  "env",
  "nice",
  "nohup",
  "time",
  "builtin",
  "timeout",
  "stdbuf",
  "ionice",
]);

/** The options of a wrapper that take a value (`sudo -u root rm x`). */
const WRAPPER_VALUES: Readonly<Record<string, RegExp>> = {
  sudo: /^-[ugCDhprtUT]$/,
  env: /^-[uCS]$/,
  timeout: /^-[sk]$/,
  ionice: /^-[cnp]$/,
  stdbuf: /^-[ioe]$/,
  nice: /^-n$/,
};

/** Shell words that start a command without being one (`if`, `then rm x`, `do rm x`). */
const KEYWORDS = new Set(["if", "then", "else", "elif", "do", "while", "until", "!"]);

/** Shells whose `-c SCRIPT` is read too. */
const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh"]);

/** How deep scripts given to shells are read (`bash -c "sh -c '…'"`). */
const MAX_DEPTH = 3;

/**
 * Where a new simple command may start: a separator, a parenthesis, a
 * backquote, `$(`, or a brace group's own `{`/`}` word (a brace inside a
 * word, `src/{a,b}.ts`, is the word's). Captured: `cd DIR &&` and a
 * subshell's parentheses tell where the next command runs.
 */
const COMMAND_START = /(&&|\|\||[\n;&|()`!]|\$\(|(?<=^|[\s;&|])[{}](?=$|[\s;]))/;

/** A variable assignment before a command (`CI=1 make`). */
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** The most directories a command's `cd`s are followed into (each doubles the words judged). */
const MAX_DIRECTORIES = 16;

/**
 * The files a shell command writes by name, in order and once each:
 * absolute, or relative to the shell's start directory (after `cd DIR;`, a
 * relative word is judged both there and in `DIR`). A word the shell
 * would expand (`$X`, `` `…` ``, `~user`) is left out, but for `~/`,
 * `$HOME` (given as `~`) and `$PWD/`; a glob or brace word is
 * kept as written (the hook expands it), `/dev/…` is no file of a worktree.
 *
 * @param script The command text.
 * @returns The words written.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { shellWrites } from "./shell_writes.ts";
 * assert.deepEqual(shellWrites("cat > src/a.ts <<'EOF'\nrm -rf /\nEOF"), ["src/a.ts"]);
 * const edit = "cd src && sed -i 's/a/b/' x.ts 2>/dev/null";
 * assert.deepEqual(shellWrites(edit), ["src/x.ts"]);
 * assert.deepEqual(shellWrites("cp src/a.ts /tmp/b.ts && grep -n x src/a.ts"), ["/tmp/b.ts"]);
 * ```
 */
export function shellWrites(script: string): string[] {
  return mayWrite(script) ? [...writesOf(script, 0)] : [];
}

/** `$(pwd)`, `` `pwd` `` (and their `-L`, `-P`): the only command output lokt knows, the shell's directory. */
const PWD_OUTPUT = /\$\(\s*pwd(?:\s+-[LP])?\s*\)|`\s*pwd(?:\s+-[LP])?\s*`/g;

/** `$(git rev-parse --show-toplevel)`: the top of the worktree the shell is in (git's mark for it). */
const TOP_OUTPUT =
  /(?:\$\(\s*git\s+rev-parse\s+--show-toplevel\s*\)|`\s*git\s+rev-parse\s+--show-toplevel\s*`)\/?/g;

/**
 * {@linkcode shellWrites} of a script, `depth` shells deep (`bash -c '…'`):
 * its commands split as the shell splits them, and at every separator
 * whatever quotes it (a script inside quotes is a shell's too); both read.
 */
function writesOf(script: string, depth: number, outer: Variables = new Map()): Set<string> {
  // `>|` writes like `>`; the `|` is no pipe. `$(pwd)` is the shell's directory, as `$PWD` is.
  const text = withoutBodies(script).replaceAll(">|", "> ").replace(PWD_OUTPUT, "$$PWD")
    .replace(TOP_OUTPUT, WHOLE_TREE);
  const written = new Set<string>();
  // An inner script (`bash -c "rm $F"`) also sees what the outer one assigned.
  const variables = new Map([...outer, ...variablesOf(text)]);
  // An interpreter may read its script from the command's heredoc: all of it is read.
  const read = { depth, variables, stdin: script };
  readCommands(text.split(COMMAND_START), read, written);
  readCommands(splitOutsideQuotes(text), read, written);
  return written;
}

/**
 * A script split at the separators the shell sees (none inside quotes), in
 * the shape of `split(COMMAND_START)`: commands with the separators between.
 */
function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  const separator = new RegExp(COMMAND_START.source, "y");
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = closing(text, i + 1, c);
      i = end < 0 ? text.length : end;
      continue;
    }
    // A comment runs to the end of its line: no operand of the command before it.
    if (c === "#" && (i === 0 || /[\s;&|()]/.test(text[i - 1] as string))) {
      const end = text.indexOf("\n", i);
      parts.push(text.slice(start, i), "#");
      i = end < 0 ? text.length : end;
      start = i;
      continue;
    }
    separator.lastIndex = i;
    const m = separator.exec(text);
    if (m) {
      parts.push(text.slice(start, i), m[0]);
      i += m[0].length;
      start = i;
    } else i++;
  }
  parts.push(text.slice(start));
  return parts;
}

/** Reads split commands in order, adding the words they write to `written`. */
function readCommands(
  parts: string[],
  { depth, variables, stdin }: { depth: number; variables: Variables; stdin: string },
  written: Set<string>,
): void {
  // Relative directories the shell may be in: "" is where it started.
  let dirs = [""];
  // Where a subshell (`(…)`, `$(…)`) started: its `cd` ends with it.
  const outer: string[][] = [];
  for (let k = 0; k < parts.length; k += 2) {
    const command = parts[k] as string;
    const separator = parts[k + 1];
    // Split at white space alone, and as the shell would with quotes: both are judged.
    const loose = splitCommand(command, wordsOf(command));
    const quoted = splitCommand(command, quotedWordsOf(command));
    const cd = changedTo(quoted.argv);
    if (cd !== null) {
      // After `cd DIR &&` the shell is in DIR; after `cd DIR;` it may have stayed.
      const into = cd === undefined ? [] : expandKnown(cd, variables).filter(judgeable);
      if (into.length) {
        dirs = [...new Set(into.flatMap((d) => entered(dirs, d, separator !== "&&")))];
      }
    } else {
      const words = [
        ...loose.redirected,
        ...quoted.redirected,
        ...writtenOperands(loose.argv),
        ...byName(quoted.argv, variables).flatMap((argv) => [
          ...writtenOperands(argv, stdin),
          ...(depth < MAX_DEPTH ? innerWrites(argv, depth, variables) : []),
        ]),
      ];
      for (const word of words.flatMap((w) => expandMarked(w, variables))) {
        if (!judgeable(word)) continue;
        if (word.startsWith("/") || word.startsWith("~")) written.add(word);
        else for (const dir of dirs) written.add(dir === "" ? word : `${dir}/${word}`);
      }
    }
    if (separator === "(" || separator === "$(") outer.push(dirs);
    else if (separator === ")") dirs = outer.pop() ?? dirs;
  }
}

/** {@linkcode expandKnown} of a word that may carry {@linkcode WITH_GIT}, which it keeps. */
function expandMarked(word: string, variables: Variables): string[] {
  const { word: bare, withGit } = gitMarked(word);
  const words = expandKnown(bare, variables);
  return withGit ? words.map((w) => `${w}${WITH_GIT}`) : words;
}

/** The command as each value of a variable that names it would run it (`R=rm; $R a`). */
function byName(argv: string[], variables: Variables): string[][] {
  const name = argv[0];
  if (name === undefined || !name.includes("$")) return [argv];
  // Unquoted, the value is split at white space: `S="sed -i"; $S …` runs `sed -i …`.
  const named = expandKnown(name, variables).map((n) => n.split(/\s+/).filter((w) => w !== ""));
  return [argv, ...named.map((words) => unwrapped([...words, ...argv.slice(1)]))];
}

/** What a script given to a shell (`bash -c 'rm a'`) or to `eval` writes. */
function innerWrites(argv: string[], depth: number, variables: Variables): string[] {
  const name = baseName(argv[0] ?? "");
  if (name === "eval") return [...writesOf(argv.slice(1).join(" "), depth + 1, variables)];
  if (!SHELLS.has(name)) return [];
  const flag = argv.findIndex((a, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(a));
  const inner = flag < 0 ? undefined : argv[flag + 1];
  return inner === undefined ? [] : [...writesOf(inner, depth + 1, variables)];
}

/** A word lokt can judge as written: not expanded by the shell at run time, not a device. */
function judgeable(marked: string): boolean {
  const { word } = gitMarked(marked);
  return word !== "" && !/[$`]/.test(word) && !/^~[^/]/.test(word) && !word.startsWith("/dev/");
}

/**
 * A simple command's words: what its redirections write, and its argv
 * (assignments, fds and inputs left out).
 */
function splitCommand(
  command: string,
  words: { at: number; word: string }[],
): { argv: string[]; redirected: string[] } {
  const argv: string[] = [];
  const redirected: string[] = [];
  for (const { at, word } of words) {
    const before = command.slice(Math.max(0, at - 3), at);
    if (redirectedTo(command, at)) redirected.push(word);
    // An input or a heredoc's delimiter is no operand.
    else if (/<\s*$/.test(before)) continue;
    // The fd of `2>x` or `2>&1`.
    else if (/^\d+$/.test(word) && /^[<>]/.test(command.slice(at + word.length))) continue;
    else if (argv.length === 0 && ASSIGNMENT.test(word)) continue;
    else argv.push(word);
  }
  return { argv: unwrapped(argv), redirected };
}

/**
 * The command a wrapper or a keyword runs (`sudo rm x`, `env A=1 rm x`,
 * `then rm x`, `do A=1 rm x` are `rm x`).
 */
function unwrapped(argv: string[]): string[] {
  let i = 0;
  while (i < argv.length) {
    const name = baseName(argv[i] as string);
    // A keyword, or an assignment before the command (`do A=1 rm x`).
    if (KEYWORDS.has(argv[i] as string) || ASSIGNMENT.test(argv[i] as string)) {
      i++;
      continue;
    }
    if (!WRAPPERS.has(name)) break;
    i++;
    // Its options (and their values: `sudo -u root`), assignments (`env A=1`),
    // and numbers (`nice -n 5`, `timeout 10s`).
    const valued = WRAPPER_VALUES[name];
    while (i < argv.length && /^(?:-|\d|[A-Za-z_][A-Za-z0-9_]*=)/.test(argv[i] as string)) {
      i += valued?.test(argv[i] as string) ? 2 : 1;
    }
  }
  return argv.slice(i);
}

/**
 * The directory word of a `cd`/`pushd` (expanded by the caller), `undefined`
 * when it names none lokt can follow (`cd -`, `cd` alone, `popd`), `null`
 * when the command is not one.
 */
function changedTo(argv: string[]): string | null | undefined {
  const name = argv[0];
  if (name !== "cd" && name !== "pushd") return name === "popd" ? undefined : null;
  const dir = argv.slice(1).find((w) => !/^-[LPe@]*$/.test(w) && w !== "--");
  return dir;
}

/** The directories after a `cd DIR` from each of `dirs` (and, `orStayed`, those it left). */
function entered(dirs: string[], dir: string, orStayed: boolean): string[] {
  const next = new Set(orStayed ? dirs : []);
  for (const from of dirs) {
    if (next.size >= MAX_DIRECTORIES) break;
    const absolute = dir.startsWith("/") || dir.startsWith("~");
    next.add(absolute || from === "" ? dir.replace(/\/+$/, "") : `${from}/${dir}`);
  }
  return [...next];
}
