/**
 * What a `git` command writes in the worktree (docs/agents.md): the
 * pathspecs of `checkout`/`restore`/`rm`/`mv`, relative to `-C DIR` when it
 * has one; `.` (what is under where it runs) for `git clean` or a pathspec
 * with magic lokt does not read; and the whole worktree, spelled
 * {@linkcode WHOLE_TREE}, for the commands that change every file they need
 * to, wherever they run: `stash`, `reset --hard`, `switch`, `merge`, `pull`,
 * `rebase`, `cherry-pick`, `revert`, `am`, `apply`.
 *
 * @module
 */

import { operandsOf } from "./shell_words.ts";

/**
 * The word for the top of the worktree the command runs in (git's `:/`,
 * after a NUL, which no shell word holds: a file named `:` is no mark);
 * `DIR/` before it is the top of the worktree `DIR` is in, a path after it
 * is from there. The hook resolves it where the command runs (`expandWords`).
 */
export const WHOLE_TREE = "\u0000:/";

/**
 * After a word: that path if it exists where the command runs, else the
 * whole worktree (`git checkout NAME` switches to a branch NAME unless NAME
 * is a path). The hook resolves it (`expandWords`).
 */
export const OR_WHOLE_TREE = "\u0000?";

/** Subcommands that change whatever files they need to, anywhere in the worktree. */
const WHOLE_TREE_COMMANDS = new Set([
  "merge",
  "pull",
  "rebase",
  "cherry-pick",
  "revert",
  "am",
  "apply",
]);

/** Options of `git` itself that take a value as the next word. */
const GIT_VALUED = /^(?:-[Cc]|--git-dir|--work-tree|--namespace|--exec-path|--config-env)$/;

/** What `git apply` and `git am` do when they only report (`--stat`, `--check`…). */
const REPORT_ONLY = /^--(?:stat|numstat|summary|check|show-current-patch)$/;

/**
 * The words a `git` command writes: its pathspecs (under `-C DIR`), `.`, or
 * `:/` for the whole worktree.
 *
 * @param args The words after `git`.
 * @returns The written words.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { gitWrites } from "./shell_git_writers.ts";
 * assert.deepEqual(gitWrites(["-C", "src", "checkout", "--", "a.ts"]), ["src/a.ts"]);
 * assert.deepEqual(gitWrites(["stash"]), ["\0:/"]);
 * assert.deepEqual(gitWrites(["-C", "sub", "pull"]), ["sub/\0:/"]);
 * assert.deepEqual(gitWrites(["checkout", "main"]), ["main\0?"]);
 * assert.deepEqual(gitWrites(["status"]), []);
 * ```
 */
export function gitWrites(args: string[]): string[] {
  const { dir, workTrees, sub, rest } = globalOptions(args);
  if (sub === undefined) return [];
  const words = subcommandWrites(sub, rest).map(pathspec);
  // `-C a -C b` runs in `a/b`.
  return [
    ...words.map((w) => under(dir, w)),
    // `--work-tree W` makes W the top: a word may be read from there too.
    ...workTrees.flatMap((tree) => words.map((w) => under(tree, topRelative(w) || "."))),
  ];
}

/** A word relative to the top (`:/x`, or `x`), without the top's mark. */
function topRelative(word: string): string {
  const rest = word.startsWith(WHOLE_TREE) ? word.slice(WHOLE_TREE.length) : word;
  return rest === "." ? "" : rest;
}

/** `git`'s own options: where it runs (`-C`, `--work-tree`), its subcommand and that one's words. */
function globalOptions(
  args: string[],
): { dir: string; workTrees: string[]; sub?: string; rest: string[] } {
  let dir = "";
  const workTrees: string[] = [];
  let i = 0;
  while (i < args.length && (args[i] as string).startsWith("-")) {
    const arg = args[i] as string;
    const value = GIT_VALUED.test(arg) ? args[i + 1] : undefined;
    if (arg === "-C" && value !== undefined) dir = under(dir, value);
    const workTree = arg === "--work-tree" ? value : /^--work-tree=(.*)$/.exec(arg)?.[1];
    if (workTree !== undefined) workTrees.push(under(dir, workTree).replace(/\/+$/, ""));
    i += value === undefined ? 1 : 2;
  }
  return { dir, workTrees, sub: args[i], rest: args.slice(i + 1) };
}

/** The words one subcommand writes, as it spells them. */
function subcommandWrites(sub: string, rest: string[]): string[] {
  if (WHOLE_TREE_COMMANDS.has(sub)) {
    return rest.some((a) => REPORT_ONLY.test(a)) && !rest.includes("--apply") ? [] : [WHOLE_TREE];
  }
  const specs = operandsOf(rest);
  switch (sub) {
    case "checkout":
      return checkoutWrites(rest, specs);
    case "switch":
      return switchWrites(rest, specs);
    case "restore":
    case "rm":
    case "mv":
      return specs;
    case "stash": {
      // `git stash list/show` only read; push (the default), pop, apply change the tree.
      if (specs[0] === "list" || specs[0] === "show" || specs[0] === "drop") return [];
      const end = rest.indexOf("--");
      return end >= 0 && end < rest.length - 1 ? rest.slice(end + 1) : [WHOLE_TREE];
    }
    case "reset":
      return rest.includes("--hard") || rest.includes("--merge") || rest.includes("--keep")
        ? [WHOLE_TREE]
        : [];
    case "clean":
      if (rest.some((a) => a === "-n" || a === "--dry-run" || /^-[a-z]*n/.test(a))) return [];
      return specs.length ? specs : ["."];
    default:
      return [];
  }
}

/**
 * `git checkout`: its pathspecs; and the whole tree when it switches by
 * force, back (`-`), or creates a branch from another start point (`-b
 * NEW START`). A plain `git checkout NAME` switches to a branch unless NAME
 * is a path: the hook judges the path if it exists, else the whole tree.
 */
function checkoutWrites(rest: string[], specs: string[]): string[] {
  const forced = rest.some((a) => /^(?:-f|--force|-m|--merge|--detach)$/.test(a));
  const create = rest.findIndex((a) => /^(?:-[bB]|--orphan)$/.test(a));
  // `-b NEW` names the branch; a further operand is where it starts.
  const started = create >= 0 && operandsOf(rest.slice(create + 2)).length > 0;
  if (create >= 0 && !started && !forced) return [];
  // `git checkout -` goes back to the branch before.
  if (forced || started || rest.includes("-")) return [...specs, WHOLE_TREE];
  // One name without `--`: a branch to switch to, unless it is a path (no
  // branch name starts with `.` or `/`).
  const name = specs[0] as string;
  if (specs.length === 1 && !rest.includes("--") && !/^[./]/.test(name)) {
    return [`${name}${OR_WHOLE_TREE}`];
  }
  return specs;
}

/** `git switch BRANCH` changes the tree; `-c NEW` from where it is does not. */
function switchWrites(rest: string[], specs: string[]): string[] {
  const create = rest.findIndex((a) => /^(?:-[cC]|--create|--force-create|--orphan)$/.test(a));
  if (create >= 0 && operandsOf(rest.slice(create + 2)).length === 0) return [];
  return specs.length || rest.length ? [WHOLE_TREE] : [];
}

/**
 * A pathspec as lokt judges it: `:/x` and `:(top)x` from the top, any other
 * magic (`:!x`, `:(exclude)x`, `:(glob)x`) as all of where it runs.
 */
function pathspec(spec: string): string {
  if (spec.startsWith(WHOLE_TREE)) return spec;
  const top = /^:(?:\/|\((?:[a-z,]*,)?top(?:,[a-z,]*)?\))(.*)$/.exec(spec);
  if (top) return `${WHOLE_TREE}${top[1]}`;
  return spec.startsWith(":") ? "." : spec;
}

/** A word as it lands from `dir` (an absolute word stays). */
function under(dir: string, word: string): string {
  if (dir === "" || word.startsWith("/")) return word;
  return word === "." ? dir : `${dir.replace(/\/+$/, "")}/${word}`;
}
