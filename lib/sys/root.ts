/**
 * Finding the lokt root: `LOKT_ROOT`, else `<git common dir>/lokt`, else
 * `<cwd>/.lokt` (docs/contract.md §2). Git metadata is read from files; `git` is never
 * spawned, because that would cost tens of milliseconds on every call.
 *
 * @module
 */

import { UsageError } from "../model/errors.ts";
import { listedAbsent } from "./absence.ts";
import { dirname, join, resolve } from "./path.ts";

/** The root's directory inside a git common dir. */
const GIT_ROOT_NAME = "lokt";

/** The root's directory outside a repository. */
const DOT_LOKT = ".lokt";

/**
 * How the root was found: `LOKT_ROOT`, the git repository, the nearest
 * existing `.lokt` directory walking up (outside any repository), or none of
 * them — a new `.lokt` in the current directory.
 */
export type RootSource = "env" | "git" | "dotlokt" | "cwd";

/** The resolved lokt root. */
export interface RootInfo {
  /** Absolute path of the lokt root directory. */
  root: string;
  /** Which rule found it. */
  source: RootSource;
  /** The repository's working directory, when inside a git repository. */
  repo: string | null;
  /** The git common directory, when inside a git repository. */
  gitCommonDir: string | null;
}

/** Inputs of root discovery; both default to the current process. */
export interface FindRootOptions {
  /** The directory to start from. @default {Deno.cwd()} */
  cwd?: string;
  /** The `LOKT_ROOT` value. @default {Deno.env.get("LOKT_ROOT")} */
  envRoot?: string | null;
  /**
   * Directories the walk up never enters (`LOKT_CEILING_DIRECTORIES`,
   * colon-separated absolute paths, like git's `GIT_CEILING_DIRECTORIES`).
   * @default {ceilingDirectories()}
   */
  ceilings?: readonly string[];
}

/**
 * The directories root discovery never walks up into, from
 * `LOKT_CEILING_DIRECTORIES` (colon-separated; relative entries are ignored,
 * as git ignores them). The start directory itself is always looked at.
 *
 * @param value The variable's value. @default {Deno.env.get("LOKT_CEILING_DIRECTORIES")}
 * @returns Absolute directory paths without a trailing `/`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ceilingDirectories } from "./root.ts";
 * assert.deepEqual(ceilingDirectories("/tmp/:relative:/srv"), ["/tmp", "/srv"]);
 * ```
 */
export function ceilingDirectories(
  value: string | undefined = Deno.env.get("LOKT_CEILING_DIRECTORIES"),
): string[] {
  if (!value) return [];
  return value.split(":").filter((dir) => dir.startsWith("/")).map((dir) => resolve("/", dir));
}

/**
 * Finds the lokt root for a directory.
 *
 * @param options Where to start and an explicit `LOKT_ROOT`.
 * @returns The root, how it was found, and the repository if any.
 * @throws {UsageError} When `LOKT_ROOT` is only spaces or contains a control character
 * (an empty `LOKT_ROOT` counts as unset).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { findRoot } from "./root.ts";
 * const dir = Deno.makeTempDirSync();
 * Deno.mkdirSync(`${dir}/.git`);
 * Deno.mkdirSync(`${dir}/src`);
 * const info = findRoot({ cwd: `${dir}/src`, envRoot: null });
 * assert.deepEqual([info.root, info.source], [`${dir}/.git/lokt`, "git"]);
 * ```
 */
export function findRoot(options: FindRootOptions = {}): RootInfo {
  const cwd = options.cwd ?? Deno.cwd();
  const env = options.envRoot !== undefined ? options.envRoot : Deno.env.get("LOKT_ROOT");
  const ceilings = new Set(options.ceilings ?? ceilingDirectories());
  const repo = findRepository(cwd, ceilings);
  // An empty LOKT_ROOT means unset, as for every LOKT_ variable.
  if (env !== undefined && env !== null && env !== "") {
    // deno-lint-ignore no-control-regex
    if (env.trim() === "" || /[\u0000-\u001f]/.test(env)) {
      throw new UsageError(`Invalid LOKT_ROOT ${JSON.stringify(env)}: must be a directory path`);
    }
    return { root: resolve(cwd, env), source: "env", ...repo };
  }
  if (repo.gitCommonDir) {
    return { root: join(repo.gitCommonDir, GIT_ROOT_NAME), source: "git", ...repo };
  }
  // Like git finds .git: two subdirectories never silently get separate namespaces.
  const found = nearestDotLokt(cwd, ceilings);
  if (found) return { root: found, source: "dotlokt", repo: null, gitCommonDir: null };
  return { root: join(cwd, DOT_LOKT), source: "cwd", repo: null, gitCommonDir: null };
}

/** The start directory, then each parent up to the top or a ceiling (not entered). */
function* walkUp(cwd: string, ceilings: ReadonlySet<string>): Generator<string> {
  let dir = resolve("/", cwd);
  for (;;) {
    yield dir;
    const parent = dirname(dir);
    if (parent === dir || ceilings.has(parent)) return;
    dir = parent;
  }
}

function nearestDotLokt(cwd: string, ceilings: ReadonlySet<string>): string | null {
  for (const dir of walkUp(cwd, ceilings)) {
    const dotLokt = join(dir, DOT_LOKT);
    if (listedAbsent(dotLokt)) continue;
    try {
      if (Deno.statSync(dotLokt).isDirectory) return dotLokt;
    } catch {
      // None here: look further up.
    }
  }
  return null;
}

function findRepository(
  cwd: string,
  ceilings: ReadonlySet<string>,
): { repo: string | null; gitCommonDir: string | null } {
  for (const dir of walkUp(cwd, ceilings)) {
    const common = gitCommonDirAt(dir);
    if (common) return { repo: dir, gitCommonDir: common };
  }
  return { repo: null, gitCommonDir: null };
}

function gitCommonDirAt(dir: string): string | null {
  const dotGit = join(dir, ".git");
  // Most directories have none: their listing says so without a thrown NotFound.
  if (listedAbsent(dotGit)) return null;
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(dotGit);
  } catch {
    return null;
  }
  // A `.git` directory is the main repository's own git dir; only linked
  // worktrees (a `.git` file) point elsewhere through `commondir`.
  if (info.isDirectory) return dotGit;
  if (!info.isFile) return null;
  const text = readSmall(dotGit);
  const target = text?.match(/^gitdir:(.*)$/m)?.[1]?.trim();
  if (!target) return null;
  return commonDirOf(resolve(dir, target));
}

/** A linked worktree's git dir names the shared one in its `commondir` file. */
function commondirFile(gitDir: string): string | null {
  const text = readSmall(join(gitDir, "commondir"));
  const line = text?.trim();
  return line ? resolve(gitDir, line) : null;
}

function commonDirOf(gitDir: string): string {
  return commondirFile(gitDir) ?? gitDir;
}

function readSmall(path: string): string | null {
  let file: Deno.FsFile | undefined;
  try {
    // At most 4 KB, however large the file: anyone may write a `.git` file.
    file = Deno.openSync(path);
    const buffer = new Uint8Array(4096);
    let length = 0;
    while (length < buffer.length) {
      const n = file.readSync(buffer.subarray(length));
      if (n === null) break;
      length += n;
    }
    return new TextDecoder().decode(buffer.subarray(0, length));
  } catch {
    return null;
  } finally {
    file?.close();
  }
}

/**
 * Where the config file lives: the repository root; outside a repository, the
 * directory holding the `.lokt` root (the cwd with `LOKT_ROOT`).
 *
 * @param info The resolved root.
 * @param cwd The current directory.
 * @returns The config file path.
 *
 * @example Usage
 * ```ts
 * import { configPath, findRoot } from "./root.ts";
 * const cwd = Deno.cwd();
 * console.log(configPath(findRoot({ cwd }), cwd)); // <repository>/lokt.jsonc
 * ```
 */
export function configPath(info: RootInfo, cwd: string): string {
  if (info.repo) return join(info.repo, "lokt.jsonc");
  // Outside a repository, beside the .lokt directory in use.
  return join(info.source === "env" ? cwd : dirname(info.root), "lokt.jsonc");
}

/**
 * The directory that reservation patterns are relative to (docs/contract.md §15): the
 * worktree's top directory, or outside a repository the directory holding
 * the lokt root (`.lokt`).
 *
 * @param info The resolved root.
 * @returns An absolute directory path without a trailing `/`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { patternBase } from "./root.ts";
 * const info = { root: "/work/.lokt", source: "dotlokt", repo: null, gitCommonDir: null } as const;
 * assert(patternBase(info) === "/work");
 * ```
 */
export function patternBase(info: RootInfo): string {
  if (info.repo) return info.repo;
  const parent = info.root.slice(0, info.root.lastIndexOf("/"));
  return parent === "" ? "/" : parent;
}

/**
 * Every directory above (or at) a path that is a lokt root by its name alone:
 * a `.lokt` directory, or the `lokt` directory of a git directory (also a
 * submodule's `.git/modules/<name>/lokt`, which {@linkcode findRoot} does not
 * reach from inside `.git`). Innermost first, each with the path below it.
 *
 * @param path An absolute, real path.
 * @returns The roots it names, and the rest of the path below each (`""` for the root itself).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { rootsNamedIn } from "./root.ts";
 * assert.deepEqual(rootsNamedIn("/p/.lokt/locks/a.json"), [{ root: "/p/.lokt", rest: "locks/a.json" }]);
 * assert.deepEqual(rootsNamedIn("/nowhere/lokt/locks/a.json"), []);
 * ```
 */
export function rootsNamedIn(path: string): { root: string; rest: string }[] {
  // Cheap first: almost no path has such a segment.
  if (!path.includes(`/${GIT_ROOT_NAME}`) && !path.includes(`/${DOT_LOKT}`)) return [];
  const parts = path.split("/");
  const found: { root: string; rest: string }[] = [];
  for (let i = parts.length - 1; i > 0; i--) {
    const name = parts[i];
    if (name !== GIT_ROOT_NAME && name !== DOT_LOKT) continue;
    if (name === GIT_ROOT_NAME && !isGitDir(parts.slice(0, i).join("/"))) continue;
    found.push({ root: parts.slice(0, i + 1).join("/"), rest: parts.slice(i + 1).join("/") });
  }
  return found;
}

/** Whether a directory is a git directory (a `.git`, a bare repository, a submodule's). */
function isGitDir(dir: string): boolean {
  try {
    return Deno.statSync(`${dir}/HEAD`).isFile && Deno.statSync(`${dir}/objects`).isDirectory;
  } catch {
    return false;
  }
}
