/**
 * The files a shell's written words name once the shell has expanded them:
 * braces (`src/{a,b}.ts`, and the word as written, which `sh` does not
 * expand), globs against the directory the command runs in
 * (`rm src/*.ts`; a glob that matches nothing stays as written, as bash
 * leaves it), and a word that names the whole worktree (`git checkout .`,
 * `rm -rf ..` from `src`) as every top-level entry of it, so that each
 * reservation in it is judged; a word git reads from the top of the
 * worktree (`:/`, `sub/:/x` for `git -C sub`) from there. Bounded: a word that expands past
 * {@linkcode MAX_EXPANDED} names (or {@linkcode MAX_LISTED} listed entries)
 * is judged as the directory its literal part names, which covers them all.
 *
 * @module
 */

import { isDirectory, isPresent } from "../sys/path.ts";
import { findRoot } from "../sys/root.ts";
import { OR_WHOLE_TREE, WHOLE_TREE } from "./shell_git_writers.ts";
import { FOUND_NAMED, FOUND_NAMED_ANY_CASE, gitMarked } from "./shell_bulk_writers.ts";

/** The most names a command's words may expand to. */
export const MAX_EXPANDED = 2_000;

/** The most directory entries listed to expand them. */
export const MAX_LISTED = 20_000;

/** The most words one brace word may expand to. */
const MAX_BRACES = 256;

/** The most braces one word may have to be expanded. */
const MAX_BRACE_GROUPS = 64;

/**
 * The absolute files `words` name from `cwd`, expanded as a shell would. A
 * word that would expand to more than lokt lists is judged as the directory
 * its literal part names (which covers everything the word could match).
 * Those names, and the entries that stand for the whole worktree, are also
 * in `broad`: they are checked, never reserved for the session.
 *
 * @param words Written words (absolute, or relative to `cwd`).
 * @param cwd The directory the command runs in.
 * @param top The real top of the worktree the command runs in, or `null`.
 * @param home Where `~` leads. @default {Deno.env.get("HOME")}
 * @returns The names, and those of them that stand for more than the word named.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { expandWords } from "./shell_globs.ts";
 * const dir = Deno.realPathSync(Deno.makeTempDirSync());
 * Deno.writeTextFileSync(`${dir}/a.ts`, "");
 * Deno.writeTextFileSync(`${dir}/b.md`, "");
 * const { names, broad } = expandWords(["*.ts", "{x,y}.js"], dir, null);
 * assert.deepEqual(names, [`${dir}/a.ts`, `${dir}/x.js`, `${dir}/y.js`, `${dir}/{x,y}.js`]);
 * assert.equal(broad.size, 0);
 * ```
 */
export function expandWords(
  words: string[],
  cwd: string,
  top: string | null,
  home: string | undefined = Deno.env.get("HOME"),
): { names: string[]; broad: Set<string> } {
  const names = new Set<string>();
  const broad = new Set<string>();
  for (const given of words) {
    // A word of `rm`, `find -delete`, `chmod`…: given the top, they act on `.git` too.
    const { word, withGit } = gitMarked(given);
    // `~/x` is the home of the user the shell and this hook run as.
    if (word.startsWith("~") && !home) continue;
    // Not normalised: `link/..` is where the link's target's parent is, which the kernel knows.
    const absolute = word.startsWith("/")
      ? word
      : word.startsWith("~")
      ? `${home}${word.slice(1)}`
      : `${cwd.replace(/\/+$/, "")}/${word}`;
    for (const path of marked(absolute)) {
      const expanded = expandWord(path);
      if (expanded === null) broad.add(literalBase(path));
      for (const name of expanded ?? [literalBase(path)]) {
        const entries = top === null ? null : wholeTree(name, top, withGit);
        for (const n of entries ?? [name]) names.add(n);
        // `.git` itself stays a name of its own, judged as what holds lokt's records.
        for (const n of entries ?? []) if (!n.endsWith("/.git")) broad.add(n);
      }
    }
  }
  return { names: [...names], broad };
}

/**
 * The paths a word with git's marks names (`shell_git_writers.ts`): one
 * read from the top of a worktree (`DIR/` {@linkcode WHOLE_TREE} `x`, for
 * `git -C DIR stash` or a `:/x` pathspec) from the top of the worktree `DIR`
 * is in; one that stands for a branch unless it is a path
 * ({@linkcode OR_WHOLE_TREE}) as that path if it exists, else also the top.
 */
function marked(absolute: string): string[] {
  const found = foundNamed(absolute);
  if (found) return found;
  if (absolute.endsWith(OR_WHOLE_TREE)) {
    const path = absolute.slice(0, -OR_WHOLE_TREE.length);
    if (isPresent(path)) return [path];
    return [path, fromTop(`${path.slice(0, path.lastIndexOf("/")) || "/"}/${WHOLE_TREE}`)];
  }
  return [fromTop(absolute)];
}

/**
 * What `find DIR -name P` acts on (`DIR/` {@linkcode FOUND_NAMED} `P`):
 * every file and directory below `DIR` whose name matches, links not
 * followed, and in a `.git` on the way only lokt's root (`.git/lokt`);
 * `DIR` itself past {@linkcode MAX_LISTED} entries (it holds them all).
 * `null` for a word without the mark.
 */
function foundNamed(absolute: string): string[] | null {
  const mark = [FOUND_NAMED, FOUND_NAMED_ANY_CASE].find((m) => absolute.includes(`/${m}`));
  if (mark === undefined) return null;
  const at = absolute.indexOf(`/${mark}`);
  const base = absolute.slice(0, at) || "/";
  // find's `*` matches a leading dot too (`-name '*env'` finds `.env`), unlike the shell's.
  const glob = globRegExp(absolute.slice(at + 1 + mark.length)).source.replace("^(?!\\.)", "^");
  const pattern = new RegExp(glob, mark === FOUND_NAMED ? "s" : "si");
  // The start point is one of what it finds too.
  const matches = pattern.test(base.slice(base.lastIndexOf("/") + 1)) ? [base] : [];
  // What it finds below `src/.`, named below `src` (as a reason shows it).
  const dirs = [base.replace(/(?:\/\.)+$/, "") || "/"];
  let listed = 0;
  for (let dir = dirs.pop(); dir !== undefined; dir = dirs.pop()) {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch {
      continue;
    }
    listed += entries.length;
    if (listed > MAX_LISTED || matches.length > MAX_EXPANDED) return [base];
    for (const e of entries) {
      const path = `${dir === "/" ? "" : dir}/${e.name}`;
      if (pattern.test(e.name)) matches.push(path);
      if (!e.isDirectory) continue;
      if (e.name !== ".git") {
        dirs.push(path);
        continue;
      }
      // find walks into .git too, where only lokt's records concern the hook: its root there
      // (`-name '*.json' -delete` from the top removes every lock's record).
      const records = `${path}/lokt`;
      if (!isDirectory(records)) continue;
      if (pattern.test("lokt")) matches.push(records);
      dirs.push(records);
    }
  }
  return matches;
}

/** A path with the top's mark, from the top of the worktree before it (or that directory). */
function fromTop(absolute: string): string {
  const mark = absolute.indexOf(`/${WHOLE_TREE}`);
  if (mark < 0) return absolute;
  const base = absolute.slice(0, mark) || "/";
  // `"$(git rev-parse --show-toplevel)"/src` leaves a slash after the mark.
  const rest = absolute.slice(mark + 1 + WHOLE_TREE.length).replace(/^\/+/, "");
  let real = base;
  try {
    real = Deno.realPathSync(base);
  } catch {
    // Not there (yet): read as written.
  }
  const top = findRoot({ cwd: real, envRoot: null }).repo ?? real;
  return rest === "" ? top : `${top.replace(/\/+$/, "")}/${rest}`;
}

/** One absolute word's names, or `null` when they are more than lokt lists. */
function expandWord(absolute: string): string[] | null {
  // Each brace is a level of recursion: a word with very many is judged by its literal part.
  if ((absolute.match(/\{/g)?.length ?? 0) > MAX_BRACE_GROUPS) return null;
  const expanded = expandBraces(absolute);
  if (expanded === null) return null;
  // `sh` (dash) expands no braces: the word as written is a name too.
  const braced = expanded.length === 1 && expanded[0] === absolute
    ? expanded
    : [...expanded, absolute];
  const budget = { listed: 0 };
  const names: string[] = [];
  for (const path of braced) {
    const matched = hasGlob(path) ? globbed(path, budget) : [path];
    if (matched === null) return null;
    // A glob that matches nothing is passed as written (bash's default).
    names.push(...(matched.length ? matched : [path]));
    if (names.length > MAX_EXPANDED) return null;
  }
  return names;
}

/** The directory a word's literal part names: what it names before its first brace or glob. */
function literalBase(absolute: string): string {
  const special = absolute.search(/[{*?[]/);
  const head = special < 0 ? absolute : absolute.slice(0, special);
  return head.slice(0, head.lastIndexOf("/")) || "/";
}

/**
 * A name that holds the whole worktree, as the worktree's entries (`.git`
 * aside unless `withGit`); else `null`.
 */
function wholeTree(name: string, top: string, withGit: boolean): string[] | null {
  let real: string;
  try {
    real = Deno.realPathSync(name);
  } catch {
    return null;
  }
  if (real !== top && !top.startsWith(`${real === "/" ? "" : real}/`)) return null;
  const entries = [...Deno.readDirSync(top)].map((e) => e.name).filter((n) =>
    withGit || n !== ".git"
  );
  return entries.sort().map((n) => `${top}/${n}`);
}

/** Whether a path has an unescaped glob character. */
function hasGlob(path: string): boolean {
  return /(?:^|[^\\])[*?[]/.test(path);
}

/** The paths an absolute glob matches, segment by segment, or `null` past the budget. */
function globbed(absolute: string, budget: { listed: number }): string[] | null {
  let found = ["/"];
  for (const segment of absolute.split("/").filter((s) => s !== "")) {
    const next: string[] = [];
    for (const dir of found) {
      const base = dir === "/" ? "" : dir;
      if (!hasGlob(segment)) {
        next.push(`${base}/${segment.replace(/\\(.)/g, "$1")}`);
        continue;
      }
      const pattern = globRegExp(segment);
      let entries: Deno.DirEntry[];
      try {
        entries = [...Deno.readDirSync(dir || "/")];
      } catch {
        continue;
      }
      budget.listed += entries.length;
      if (budget.listed > MAX_LISTED) return null;
      for (const e of entries) if (pattern.test(e.name)) next.push(`${base}/${e.name}`);
    }
    found = next;
    if (found.length > MAX_EXPANDED) return null;
  }
  return found.sort();
}

/** One segment's glob as a regular expression; `*` and `?` match no leading dot, as in bash. */
function globRegExp(segment: string): RegExp {
  let source = segment.startsWith(".") ? "" : "(?!\\.)";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === "\\" && i + 1 < segment.length) source += escape(segment[++i] as string);
    else if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "[") {
      const end = segment.indexOf("]", i + 2);
      if (end < 0) {
        source += "\\[";
        continue;
      }
      const body = segment.slice(i + 1, end).replace(/^[!^]/, "^").replace(/\\/g, "\\\\");
      source += `[${body}]`;
      i = end;
    } else source += escape(c);
  }
  return new RegExp(`^${source}$`, "s");
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** A word's brace expansion (`a{b,c}d` → `abd`, `acd`), nested; `null` past {@linkcode MAX_BRACES}. */
function expandBraces(word: string): string[] | null {
  const open = word.indexOf("{");
  if (open < 0) return [word];
  // The brace's own end and its top-level commas.
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < word.length && close < 0; i++) {
    if (word[i] === "{") depth++;
    else if (word[i] === "}" && --depth === 0) close = i;
    else if (word[i] === "," && depth === 1) commas.push(i);
  }
  // `{}` or `{a}` is no expansion: the word as written, with what follows expanded.
  if (close < 0 || commas.length === 0) {
    if (close < 0) return [word];
    const rests = expandBraces(word.slice(close + 1));
    return rests && rests.map((rest) => word.slice(0, close + 1) + rest);
  }
  const head = word.slice(0, open);
  const tails = expandBraces(word.slice(close + 1));
  if (tails === null) return null;
  const bounds = [open, ...commas, close];
  const out: string[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const part = word.slice((bounds[k] as number) + 1, bounds[k + 1]);
    const middles = expandBraces(part);
    if (middles === null) return null;
    for (const middle of middles) {
      for (const tail of tails) {
        if (out.length >= MAX_BRACES) return null;
        out.push(head + middle + tail);
      }
    }
  }
  return out;
}
