/**
 * Commands that write files they do not name one by one (docs/agents.md):
 * `find DIR -delete` or `-exec sed -i … {} +` writes what it finds under
 * `DIR`; `… | xargs sed -i` writes what it reads, judged as all of where it
 * runs; `tar -x`, `unzip` and `patch` write under where they extract or
 * apply; `tar -c`/`zip` write their archive; `awk -i inplace` its files.
 * Each is read as the directories it may write in, which the hook judges
 * with every reservation inside them.
 *
 * @module
 */

import { baseName, operandsOf } from "./shell_words.ts";

/** Reads the words a command writes: `writtenOperands` (passed in, to keep the modules acyclic). */
export type OperandReader = (argv: string[]) => string[];

/** What `find` runs on each file it finds (`-exec CMD {} ;`). */
const FIND_EXEC = /^-(?:exec|execdir|ok|okdir)$/;

/** `find` options that write a file: `-fprint FILE`, `-fls FILE`. */
const FIND_FILE = /^-(?:fprint0?|fprintf|fls)$/;

/** `xargs` options that take a value. */
const XARGS_VALUED = /^-[adEILnPs]$|^--(?:arg-file|delimiter|max-args|max-procs|replace)$/;

/** Stands for the names a command gets from its input (what `xargs` or `find` passes it). */
const PASSED = "\u0000passed";

/**
 * Before a `find -name` pattern, after the directory it searches: every
 * file or directory below it whose name matches (a NUL, which no shell word
 * holds, marks it). The hook lists them (`expandWords`).
 */
export const FOUND_NAMED = "\u0000name/";

/** {@linkcode FOUND_NAMED} for `-iname`: the name matched in any case. */
export const FOUND_NAMED_ANY_CASE = "\u0000iname/";

/**
 * The mark after a word of a command that acts on every entry of a directory
 * it is given, `.git` with the rest (`rm -rf`, `find … -delete`, `chmod -R`):
 * where such a word names the top of a worktree or above, `.git` is one of
 * the entries it stands for (git's and formatters' whole-tree words leave it be).
 */
export const WITH_GIT = "\u0000+git";

/**
 * A written word without {@linkcode WITH_GIT}, and whether it had it.
 *
 * @param word A word as the writers give it.
 * @returns The word itself, and whether its command acts on `.git` too.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { gitMarked, WITH_GIT } from "./shell_bulk_writers.ts";
 * assert.deepEqual(gitMarked(`.${WITH_GIT}`), { word: ".", withGit: true });
 * assert.deepEqual(gitMarked("src"), { word: "src", withGit: false });
 * ```
 */
export function gitMarked(word: string): { word: string; withGit: boolean } {
  const withGit = word.endsWith(WITH_GIT);
  return { word: withGit ? word.slice(0, -WITH_GIT.length) : word, withGit };
}

/**
 * The words a bulk writer writes, or `null` when the command is none.
 *
 * @param name The command's name (its last path part).
 * @param args The words after it.
 * @param read How a command's own writes are read (`writtenOperands`).
 * @returns The written words (directories for what is written inside them), or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { bulkWrites } from "./shell_bulk_writers.ts";
 * const rm = (argv: string[]) => argv[0] === "rm" ? argv.slice(1) : [];
 * assert.deepEqual(bulkWrites("find", ["src", "-type", "f", "-delete"], rm), ["src\0+git"]);
 * assert.deepEqual(bulkWrites("find", ["src", "-name", "*.js", "-delete"], rm), ["src/\0name/*.js"]);
 * assert.deepEqual(bulkWrites("xargs", ["-0", "rm"], rm), ["."]);
 * assert.deepEqual(bulkWrites("tar", ["-xzf", "a.tgz", "-C", "out"], rm), ["out"]);
 * assert.equal(bulkWrites("ls", [], rm), null);
 * ```
 */
export function bulkWrites(name: string, args: string[], read: OperandReader): string[] | null {
  switch (name) {
    case "find":
      return findWrites(args, read);
    case "xargs":
      return xargsWrites(args, read);
    case "tar":
    case "bsdtar":
      return tarWrites(args);
    case "unzip":
      return args.some((a) => /^-[A-Za-z]*[lptvZ]/.test(a)) ? [] : [valueOf(args, "-d") ?? "."];
    case "zip":
      return operandsOf(args).slice(0, 1);
    case "patch":
      return patchWrites(args);
    case "awk":
    case "gawk":
      return awkWrites(args);
    default:
      return null;
  }
}

/**
 * `find`: its start directories when it deletes or runs a writer on what it
 * finds, and the files its `-exec` commands or `-fprint` name outright.
 */
function findWrites(args: string[], read: OperandReader): string[] {
  let i = 0;
  // Options before the start points (`-L`, `-H`, `-P`, `-D debug`, `-O3`).
  while (i < args.length && /^-[HLPDO]/.test(args[i] as string)) i += args[i] === "-D" ? 2 : 1;
  const follows = args.slice(0, i).includes("-L");
  const starts: string[] = [];
  while (i < args.length && !/^[-(!]/.test(args[i] as string)) starts.push(args[i++] as string);
  const roots = starts.length ? starts : ["."];
  const written: string[] = [];
  let under = false;
  for (const [k, arg] of args.entries()) {
    if (k < i) continue;
    if (arg === "-delete") under = true;
    else if (FIND_FILE.test(arg) && args[k + 1] !== undefined) written.push(args[k + 1] as string);
    else if (FIND_EXEC.test(arg)) {
      const end = args.findIndex((a, j) => j > k && (a === ";" || a === "+" || a === "\\;"));
      const command = args.slice(k + 1, end < 0 ? args.length : end);
      const words = read(command.map((w) => w.replaceAll("{}", PASSED)));
      under ||= words.some((w) => w.includes(PASSED)) || passesOn(command, "{}");
      written.push(...words.filter((w) => !w.includes(PASSED)));
    }
  }
  if (!under) return written;
  // What it finds by name alone (`-name '*.pyc'`), the hook lists; else all under its roots.
  const named = follows ? null : nameFilter(args.slice(i));
  return [...roots.map((r) => named === null ? `${r}${WITH_GIT}` : `${r}/${named}`), ...written];
}

/**
 * The one name filter every file `find` acts on must match (`-name P` or
 * `-iname P`, as a {@linkcode FOUND_NAMED} word), or `null` when its
 * expression may act on others (`-o`, `!`, `-not`, parentheses).
 */
function nameFilter(expression: string[]): string | null {
  if (expression.some((a) => /^(?:-o|-or|!|-not|\(|\)|,)$/.test(a))) return null;
  const at = expression.findIndex((a) => a === "-name" || a === "-iname");
  const pattern = expression[at + 1];
  if (at < 0 || pattern === undefined || pattern.includes("/")) return null;
  return `${expression[at] === "-iname" ? FOUND_NAMED_ANY_CASE : FOUND_NAMED}${pattern}`;
}

/** Whether a command runs something that may use the names it is passed in ways lokt does not read. */
function passesOn(command: string[], placeholder: string | null): boolean {
  const name = baseName(command[0] ?? "");
  const runs = /^(?:sh|bash|dash|zsh|ksh|env|xargs|eval|exec|sudo|python[\d.]*|node|perl|ruby)$/;
  return runs.test(name) && (placeholder === null || command.some((w) => w.includes(placeholder)));
}

/**
 * `xargs CMD`: what `CMD` writes with the names it is given, which lokt
 * cannot know, read as all of where it runs; what `CMD` names outright.
 */
function xargsWrites(args: string[], read: OperandReader): string[] {
  let replace: string | undefined;
  let i = 0;
  while (i < args.length && (args[i] as string).startsWith("-")) {
    const arg = args[i] as string;
    if (arg === "-I" || arg === "--replace") replace = args[i + 1];
    else if (arg.startsWith("--replace=")) replace = arg.slice("--replace=".length);
    // `-I{}`, and the old `-i` (`{}`) or `-iR`.
    else if (/^-[Ii]./.test(arg)) replace = arg.slice(2);
    else if (arg === "-i") replace = "{}";
    i += XARGS_VALUED.test(arg) ? 2 : 1;
  }
  const command = args.slice(i);
  if (command.length === 0) return [];
  // With `-I R` the names replace R; else they follow the command's words.
  const argv = replace
    ? command.map((w) => w.replaceAll(replace as string, PASSED))
    : [...command, PASSED];
  const words = read(argv);
  const passed = words.some((w) => w.includes(PASSED)) || passesOn(command, replace ?? null);
  return [...(passed ? ["."] : []), ...words.filter((w) => !w.includes(PASSED))];
}

/** `tar`: where it extracts (`-C DIR`, else where it runs), or the archive it creates. */
function tarWrites(args: string[]): string[] {
  // Its modes: the first word may be a bundle of letters without a dash (`tar xzf a.tgz`).
  const first = args[0] ?? "";
  const modes = [first.startsWith("-") ? "" : first, ...args.filter((a) => /^-[A-Za-z]+$/.test(a))]
    .join("");
  if (/x/.test(modes) || args.some((a) => a === "--extract" || a === "--get")) {
    return [valueOf(args, "-C") ?? valueOf(args, "--directory") ?? "."];
  }
  const creates = /[cruA]/.test(modes) || args.some((a) => /^--(?:create|append|update)$/.test(a));
  const archive = valueOf(args, "--file") ?? bundledFile(args);
  return creates && archive !== undefined && archive !== "-" ? [archive] : [];
}

/** The archive of a letter bundle that ends in `f` (`tar czf out.tgz src`): the next word. */
function bundledFile(args: string[]): string | undefined {
  const at = args.findIndex((a) => /^-?[A-Za-z]*f$/.test(a));
  return at < 0 ? undefined : args[at + 1];
}

/** `patch`: the file it is given or `-o FILE`, and where it applies (`-d DIR`, else `.`). */
function patchWrites(args: string[]): string[] {
  if (args.some((a) => a === "--dry-run" || a === "-C" || a === "--check")) return [];
  const valued = /^-[pdioBDFgVYzr]$|^--(?:strip|directory|input|output|reject-file)$/;
  const outputs: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (/^(?:-[or]|--output|--reject-file)$/.test(arg)) outputs.push(args[i + 1] ?? "");
    if (valued.test(arg)) i++;
    else if (!arg.startsWith("-")) files.push(arg);
  }
  // `patch FILE [PATCH]` writes FILE. Given none, it writes the files its
  // patch names, which lokt does not read: all of where it applies.
  const dir = valueOf(args, "-d") ?? valueOf(args, "--directory") ?? ".";
  return [...outputs, ...(files.length ? files.slice(0, 1) : [dir])];
}

/** `awk -i inplace 'prog' files…`: the files (the program is the first operand without `-f`). */
function awkWrites(args: string[]): string[] {
  const at = args.findIndex((a, i) => a === "-i" && /^inplace$/.test(args[i + 1] ?? ""));
  if (at < 0 && !args.includes("--include=inplace")) return [];
  const files: string[] = [];
  let program = !args.some((a) => a === "-f" || a.startsWith("--file"));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (/^-[ifvW]$/.test(arg)) i++;
    else if (arg.startsWith("-")) continue;
    else if (program) program = false;
    else if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) files.push(arg);
  }
  return files;
}

/** The value of an option: `-C dir`, `-Cdir`, `--directory=dir`. */
function valueOf(args: string[], option: string): string | undefined {
  for (const [i, arg] of args.entries()) {
    if (arg === option) return args[i + 1];
    if (option.startsWith("--") && arg.startsWith(`${option}=`)) {
      return arg.slice(option.length + 1);
    }
    if (!option.startsWith("--") && arg.startsWith(option) && arg.length > option.length) {
      return arg.slice(option.length);
    }
  }
  return undefined;
}
