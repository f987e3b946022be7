/**
 * Which operands a command writes, by its name: every operand of `rm`,
 * `mv`, `touch`, `tee`, `sponge`…; the destination of `cp`, `ln`, `install`,
 * `rsync`; the files of `sed -i`, `perl -pi`; `dd of=`; what `git`
 * (`shell_git_writers.ts`), a formatter (`shell_formatters.ts`) or a bulk
 * writer such as `find -delete` or `xargs rm` (`shell_bulk_writers.ts`)
 * writes, and the paths a script given to an interpreter names when it
 * writes files (`shell_interpreters.ts`; docs/agents.md).
 *
 * @module
 */

import { baseName, operandsOf } from "./shell_words.ts";
import { bulkWrites, WITH_GIT } from "./shell_bulk_writers.ts";
import { formatterWrites, runnerCommand } from "./shell_formatters.ts";
import { gitWrites } from "./shell_git_writers.ts";
import { scriptWrites } from "./shell_interpreters.ts";

/** Commands whose every operand is a file they write (or remove). */
const ALL_OPERANDS = new Set([
  "rm",
  "rmdir",
  "unlink",
  "shred",
  "touch",
  "truncate",
  "mv",
  "chmod",
  "chown",
  "chgrp",
  "tee",
  "sponge",
  "mkdir",
  "mkfifo",
  "mknod",
]);

/** Of those, the ones that act on `.git` too when given the top of a worktree ({@linkcode WITH_GIT}). */
const REACHES_GIT = new Set(["rm", "rmdir", "unlink", "shred", "mv", "chmod", "chown", "chgrp"]);

/**
 * An operand of a command that acts on `.git` too, marked so. `rm` and
 * `rmdir` refuse an operand whose last part is `.` or `..` (`rm -rf ..`):
 * such a word is still judged, as the entries it names, but not as reaching
 * `.git` (`"$PWD"` is not one of them: the shell makes it a path).
 */
function reaching(name: string, operand: string): string {
  const refused = (name === "rm" || name === "rmdir") && /(?:^|\/)\.\.?\/*$/.test(operand);
  return refused ? operand : `${operand}${WITH_GIT}`;
}

/** Commands whose last operand (or `-t DIR`) is where they write. */
const LAST_OPERAND = new Set(["cp", "ln", "install", "rsync"]);

/** Commands that write the value of an output option (`curl -o f`, `sort -o f`). */
const OUTPUT_OPTIONS: Readonly<Record<string, { short: string; long: string }>> = {
  curl: { short: "-o", long: "--output" },
  wget: { short: "-O", long: "--output-document" },
  sort: { short: "-o", long: "--output" },
};

/** Commands that write their operands with `-i` (in place). */
const IN_PLACE = new Set(["sed", "perl", "ruby"]);

/**
 * The operands a command writes, by its name.
 *
 * @param argv The command's words (its name first, wrappers and assignments left out).
 * @param stdin The text an interpreter may read its script from (`python3 - <<'EOF'`).
 * @returns The words it writes, as written.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { writtenOperands } from "./shell_writers.ts";
 * assert.deepEqual(writtenOperands(["cp", "-r", "a", "b/"]), ["b/"]);
 * assert.deepEqual(writtenOperands(["git", "stash"]), ["\0:/"]);
 * assert.deepEqual(writtenOperands(["npx", "prettier", "--write", "src"]), ["src"]);
 * assert.deepEqual(writtenOperands(["sed", "s/a/b/", "f"]), []);
 * ```
 */
export function writtenOperands(argv: string[], stdin = ""): string[] {
  const name = baseName(argv[0] ?? "");
  const args = argv.slice(1);
  if (REACHES_GIT.has(name)) return operandsOf(args).map((operand) => reaching(name, operand));
  if (ALL_OPERANDS.has(name)) return operandsOf(args);
  if (LAST_OPERAND.has(name)) return lastOperand(args);
  if (IN_PLACE.has(name) && inPlace(args)) return inPlaceFiles(name, args);
  if (name === "dd") return args.filter((a) => a.startsWith("of=")).map((a) => a.slice(3));
  const output = OUTPUT_OPTIONS[name];
  if (output) return outputValues(args, output.short, output.long);
  if (name === "git") return gitWrites(args);
  const run = runnerCommand(name, args);
  if (run) return writtenOperands(run, stdin);
  const formatted = formatterWrites(name, args);
  if (formatted) return formatted;
  // `awk -i inplace '{ print > "f" }' g` writes both.
  const bulk = bulkWrites(name, args, (inner) => writtenOperands(inner));
  return [...bulk ?? [], ...scriptWrites(name, args, stdin) ?? []];
}

/** The values of an output option: `-o f`, `-sSo f`, `-of`, `--output f`, `--output=f`. */
function outputValues(args: string[], short: string, long: string): string[] {
  const values: string[] = [];
  for (const [i, arg] of args.entries()) {
    const letter = short.slice(1);
    // `-o f`, or a cluster ending in it (`curl -sSo f`).
    if (arg === long || new RegExp(`^-[A-Za-z]*${letter}$`).test(arg)) {
      values.push(args[i + 1] ?? "");
    } else if (arg.startsWith(`${long}=`)) values.push(arg.slice(long.length + 1));
    else if (arg.startsWith(short) && arg.length > 2) values.push(arg.slice(2));
  }
  return values;
}

/** Where `cp`/`ln`/`install`/`rsync` write: `-t DIR`, else the last operand. */
function lastOperand(args: string[]): string[] {
  const target = args.findIndex((a) => a === "-t" || a === "--target-directory");
  if (target >= 0 && args[target + 1] !== undefined) return [args[target + 1] as string];
  const long = args.find((a) => a.startsWith("--target-directory="));
  if (long) return [long.slice("--target-directory=".length)];
  const all = operandsOf(args);
  // One operand is no copy (`cp a` fails).
  return all.length > 1 ? all.slice(-1) : [];
}

/** Whether `sed`/`perl`/`ruby` edit in place (`-i`, `-i.bak`, `-pi`, `--in-place`). */
function inPlace(args: string[]): boolean {
  return args.some((a) => /^-[A-Za-z]*i/.test(a) || a.startsWith("--in-place"));
}

/**
 * The files `sed -i`/`perl -pi`/`ruby -i` edit: their operands, less the
 * script (the value of `-e`, or the first operand without one).
 */
function inPlaceFiles(name: string, args: string[]): string[] {
  const valued = name === "sed" ? /^-[efl]$/ : /^-[eEI]$/;
  const files: string[] = [];
  let scripted = name === "sed" ? false : args.some((a) => /^-[A-Za-z]*[eE]/.test(a));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (valued.test(arg)) {
      if (/^-[ef]$/.test(arg)) scripted = true;
      i++;
    } else if (/^--(?:expression|file)=/.test(arg)) scripted = true;
    else if (!arg.startsWith("-")) files.push(arg);
  }
  return scripted ? files : files.slice(1);
}
