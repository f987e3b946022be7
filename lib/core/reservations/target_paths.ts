/**
 * Which path a reservation decision is about (docs/contract.md §15, §19): the
 * one place that turns what a person, an agent or a harness wrote into a
 * path relative to the top of the worktree it really lives in.
 *
 * - On the command line (`reserve`, `release`, `check`), paths and patterns
 *   are relative to the cwd, like git pathspecs; a leading `:/` means the
 *   top. The literal part of a pattern (its segments before the first glob
 *   character) is resolved through links, so `authlink/**` reserves
 *   `src/auth/**` when `authlink -> src/auth`.
 * - A harness's edit target is resolved to the real file it writes (links,
 *   linked directories, `..`, another spelling of the repository,
 *   `/proc/self/cwd`), and the repository is found from that file, not from
 *   the event's cwd. A target lokt cannot judge (a control character, too
 *   long, a link loop, an unreadable part, another process's file
 *   descriptor) is reported as such: the hook denies it, never passes it
 *   silently.
 *
 * @module
 */

import { UsageError } from "../../model/errors.ts";
import { hasUnsafeText, shown } from "../../model/safe_text.ts";
import { MAX_PATTERN_LENGTH, normalizePattern } from "../../model/path_glob.ts";
import { dirname, nearestExistingDir, resolve } from "../../sys/path.ts";
import { realPathOf, UnresolvablePathError } from "../../sys/real_path.ts";
import type { RootInfo } from "../../sys/root.ts";
import { findRoot, patternBase, rootsNamedIn } from "../../sys/root.ts";
import { isRootEntry } from "../../store/layout.ts";

/** The longest path an edit target may have (Linux's PATH_MAX). */
const MAX_TARGET_LENGTH = 4096;

/** Where an edit lands (`real`: the file it really writes). */
export type EditTarget =
  | { kind: "covered"; root: RootInfo; dir: string; path: string; real: string }
  | { kind: "outside"; real: string }
  | { kind: "unjudged"; path: string; why: string };

/**
 * The real top directory of a root's worktree (patterns are relative to it).
 *
 * @param info The resolved root.
 * @returns The top, as a real path when it exists.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { realTop } from "./target_paths.ts";
 * const info = { root: "/nowhere/.lokt", source: "dotlokt", repo: null, gitCommonDir: null } as const;
 * assert.equal(realTop(info), "/nowhere");
 * ```
 */
export function realTop(info: RootInfo): string {
  const top = patternBase(info);
  try {
    return Deno.realPathSync(top);
  } catch {
    return top;
  }
}

/**
 * A path or pattern given on the command line, in normal form relative to
 * the top: relative to `cwd` (`:/` for the top), its literal part resolved
 * through links; refused when it ends outside the top.
 *
 * @param raw What was written.
 * @param cwd The directory it is relative to.
 * @param info The root (its worktree's top).
 * @param label `pattern` (globs allowed) or `path` (literal).
 * @returns The normal form.
 * @throws {UsageError} When it is malformed or ends outside the top (exit 64).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { pathArgument } from "./target_paths.ts";
 * const top = Deno.realPathSync(Deno.makeTempDirSync());
 * Deno.mkdirSync(`${top}/src/auth`, { recursive: true });
 * const info = { root: `${top}/.git/lokt`, source: "git", repo: top, gitCommonDir: `${top}/.git` } as const;
 * assert.equal(pathArgument("auth/*.ts", `${top}/src`, info, "pattern"), "src/auth/*.ts");
 * assert.equal(pathArgument(":/docs", `${top}/src`, info, "pattern"), "docs");
 * assert.equal(pathArgument("../README.md", `${top}/src`, info, "path"), "README.md");
 * assert.throws(() => pathArgument("../../x", `${top}/src`, info, "path"));
 * ```
 */
export function pathArgument(
  raw: string,
  cwd: string,
  info: RootInfo,
  label: "pattern" | "path",
): string {
  const top = realTop(info);
  // What was written is checked before anything is resolved.
  const refuse = (why: string): never => {
    throw new UsageError(`Invalid ${label} ${JSON.stringify(shown(raw.slice(0, 80)))}: ${why}`);
  };
  if (raw === "" || raw === ":/") refuse("it names no path");
  if (raw.length > MAX_PATTERN_LENGTH) refuse(`longer than ${MAX_PATTERN_LENGTH} characters`);
  if (hasUnsafeText(raw)) refuse("it contains a control character or a bidirectional override");
  const absolute = raw.startsWith(":/") ? `${top}/${raw.slice(2)}` : resolveAgainst(cwd, raw);
  const glob = label === "pattern" ? absolute.search(/\/[^/]*[*?[\\]/) : -1;
  const literal = glob < 0 ? absolute : absolute.slice(0, glob);
  let real: string;
  try {
    real = realPathOf(literal) + (glob < 0 ? "" : absolute.slice(glob));
  } catch (err) {
    return refuse((err as Error).message);
  }
  if (real !== top && !real.startsWith(`${top}/`)) {
    refuse(
      `it leads outside the worktree (${top}); paths are relative to the current directory, ':/' to the top`,
    );
  }
  return normalizePattern(real, top, label);
}

/**
 * Where a harness's edit target lands: the real file, the worktree (and
 * lokt root) it lives in, and its path there.
 *
 * @param raw The target as the harness named it (absolute, or relative to `cwd`).
 * @param cwd The event's working directory.
 * @returns `covered` (with its root and path), `outside` any worktree, or `unjudged` (with why).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { editTarget } from "./target_paths.ts";
 * const top = Deno.realPathSync(Deno.makeTempDirSync());
 * Deno.mkdirSync(`${top}/.git`);
 * const target = editTarget("src/a.ts", top);
 * assert.equal(target.kind === "covered" && target.path, "src/a.ts");
 * assert.equal(editTarget(`${top}/bad\u0007name`, "/").kind, "unjudged");
 * ```
 */
export function editTarget(raw: string, cwd: string): EditTarget {
  const unjudged = (why: string): EditTarget => ({ kind: "unjudged", path: shown(raw), why });
  if (hasUnsafeText(raw)) {
    return unjudged("it contains a control character or a bidirectional override");
  }
  if (raw.length > MAX_TARGET_LENGTH) {
    return unjudged(`it is longer than ${MAX_TARGET_LENGTH} characters`);
  }
  let absolute = resolveAgainst(cwd, raw);
  // /proc/self is the hook's own process, not the harness's: its cwd is the event's cwd.
  const proc = /^\/proc\/(?:self|thread-self)(\/.*)?$/.exec(absolute);
  if (proc) {
    const rest = proc[1] ?? "";
    if (rest === "/cwd" || rest.startsWith("/cwd/")) {
      absolute = resolveAgainst(cwd, `.${rest.slice(4)}`);
    } else if (rest.startsWith("/root/")) absolute = rest.slice(5);
    else return unjudged("it names a file of the harness's process (/proc/self)");
  }
  let real: string;
  try {
    real = realPathOf(absolute);
  } catch (err) {
    if (err instanceof UnresolvablePathError) return unjudged(err.message);
    throw err;
  }
  // A new file's parent may not exist yet: the nearest directory that does.
  const dir = nearestExistingDir(dirname(real)) ?? "/";
  const root = findRoot({ cwd: dir });
  // No worktree and no .lokt above the file: no reservation can cover it.
  if (root.source === "cwd") return { kind: "outside", real };
  const top = realTop(root);
  if (real === top || !real.startsWith(`${top}/`)) return { kind: "outside", real };
  const path = real.slice(top.length + 1);
  if (path.length > MAX_PATTERN_LENGTH) {
    return unjudged(`its path in the worktree is longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  return { kind: "covered", root, dir, path, real };
}

/**
 * The real directory of a lokt root: through a link to it (`.git/lokt ->
 * elsewhere`), or as named when it does not exist yet.
 *
 * @param info The resolved root.
 * @returns The root's real path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { realRoot } from "./target_paths.ts";
 * const top = Deno.realPathSync(Deno.makeTempDirSync());
 * Deno.mkdirSync(`${top}/elsewhere`);
 * Deno.mkdirSync(`${top}/.git`);
 * Deno.symlinkSync(`${top}/elsewhere`, `${top}/.git/lokt`);
 * const info = { root: `${top}/.git/lokt`, source: "git", repo: top, gitCommonDir: `${top}/.git` } as const;
 * assert.equal(realRoot(info), `${top}/elsewhere`);
 * ```
 */
export function realRoot(info: RootInfo): string {
  try {
    return realPathOf(info.root);
  } catch {
    return info.root;
  }
}

/**
 * The first edit target that lies in lokt's own records: in the lokt root of
 * the event's cwd, in the root of the worktree the target lives in, or in a
 * root its own path names (a `.lokt` directory, a git directory's `lokt`) —
 * or that holds one of those roots (`rm -rf .git`, `mv .git elsewhere`),
 * unless it stands for more than it names (`wide`: a whole tree's entries).
 *
 * @param targets The edit targets, as {@linkcode editTarget} found them.
 * @param eventRoot The lokt root of the event's cwd.
 * @param wide The indices of targets that stand for more than they name. @default {none}
 * @returns The target's index, the (real) root it lies in or holds, and whether it holds it; or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { editTarget, targetInRecords } from "./target_paths.ts";
 * import { findRoot } from "../../sys/root.ts";
 * const top = Deno.realPathSync(Deno.makeTempDirSync());
 * Deno.mkdirSync(`${top}/.git/lokt/locks`, { recursive: true });
 * const targets = ["src/a.ts", ".git/lokt/locks/x.json"].map((p) => editTarget(p, top));
 * const found = targetInRecords(targets, findRoot({ cwd: top }));
 * assert.deepEqual(found, { index: 1, root: `${top}/.git/lokt`, holds: false });
 * assert.equal(targetInRecords(targets.slice(0, 1), findRoot({ cwd: top })), null);
 * const git = targetInRecords([editTarget(".git", top)], findRoot({ cwd: top }));
 * assert.deepEqual(git, { index: 0, root: `${top}/.git/lokt`, holds: true });
 * ```
 */
export function targetInRecords(
  targets: EditTarget[],
  eventRoot: RootInfo,
  wide: ReadonlySet<number> = new Set(),
): { index: number; root: string; holds: boolean } | null {
  // A linked root (`.git/lokt -> elsewhere`) is known only from the event's side.
  const roots = new Map([[eventRoot.root, realRoot(eventRoot)]]);
  for (const t of targets) {
    if (t.kind === "covered" && !roots.has(t.root.root)) roots.set(t.root.root, realRoot(t.root));
  }
  for (const [index, t] of targets.entries()) {
    if (t.kind === "unjudged") continue;
    const root = inRecords(t.real, roots.values()) ??
      rootsNamedIn(t.real).find(({ rest }) => rest === "" || isRootEntry(rest))?.root ?? null;
    if (root !== null) return { index, root, holds: false };
    const held = wide.has(index) ? null : heldRoot(t.real, roots);
    if (held !== null) return { index, root: held, holds: true };
  }
  return null;
}

/**
 * The lokt root a directory holds, where the root really is or where its link
 * stands (removing `.git` removes a `.git/lokt -> elsewhere` link with it).
 */
function heldRoot(real: string, roots: Map<string, string>): string | null {
  const prefix = real === "/" ? "/" : `${real}/`;
  for (const [named, actual] of roots) {
    if (actual.startsWith(prefix)) return actual;
    // Named otherwise than it is: a link, or a path through one.
    if (named === actual) continue;
    const cut = named.lastIndexOf("/");
    try {
      if (`${realPathOf(named.slice(0, cut) || "/")}${named.slice(cut)}`.startsWith(prefix)) {
        return actual;
      }
    } catch {
      // Its directory does not exist: the root is not there to remove.
    }
  }
  return null;
}

/**
 * Whether a real path is one of the given lokt roots or lokt's own entry in
 * one (its records, which only lokt changes: docs/agents.md). A root that
 * `LOKT_ROOT` shares with other files keeps those files editable.
 *
 * @param real The real path of an edit target.
 * @param roots Real paths of lokt roots.
 * @returns The root it lies in, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { inRecords } from "./target_paths.ts";
 * assert.equal(inRecords("/r/.git/lokt/locks/a.json", ["/r/.git/lokt"]), "/r/.git/lokt");
 * assert.equal(inRecords("/r/.git/lokt2", ["/r/.git/lokt"]), null);
 * assert.equal(inRecords("/shared/notes.md", ["/shared"]), null);
 * ```
 */
export function inRecords(real: string, roots: Iterable<string>): string | null {
  for (const root of roots) {
    if (
      real === root || (real.startsWith(`${root}/`) && isRootEntry(real.slice(root.length + 1)))
    ) {
      return root;
    }
  }
  return null;
}

/** `raw` against `cwd`, without collapsing `..` lexically (the resolution takes it after links). */
function resolveAgainst(cwd: string, raw: string): string {
  return raw.startsWith("/") ? raw : `${resolve("/", cwd)}/${raw}`;
}
