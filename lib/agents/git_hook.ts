/**
 * `lokt hook git pre-commit` (docs/contract.md §16): refuse a commit that stages a path
 * another owner has reserved — which also catches edits made through shell
 * commands, which no tool hook sees.
 *
 * @module
 */

import type { OpenedContext } from "../core/context.ts";
import { checkWithLinkedNames } from "../core/reservations/linked_names.ts";
import type { Conflict } from "../model/reservation_errors.ts";
import { unsearchedLinksWhy } from "../model/reservation_errors.ts";
import { LoktError } from "../model/errors.ts";
import { shown } from "../model/safe_text.ts";
import { editTarget, realTop } from "../core/reservations/target_paths.ts";

/** What a pre-commit check found. */
export interface StagedCheck {
  /** Staged paths that other owners' reservations cover. */
  conflicts: Conflict[];
  /**
   * Staged paths lokt cannot judge (a control character, too long, a loop of
   * links…), with why: refused like a hook refuses such an edit, never passed silently.
   */
  unjudged: { path: string; why: string }[];
}

/**
 * The staged paths that other owners' reservations cover, and those lokt cannot judge.
 *
 * @param ctx The engine context (of the repository being committed to).
 * @returns What was found; nothing when the commit may go ahead.
 * @throws {LoktError} When git cannot list the staged paths.
 *
 * @example Usage
 * ```ts ignore
 * import { stagedConflicts } from "./git_hook.ts";
 * import { openContext } from "../core/context.ts";
 * const { conflicts, unjudged } = await stagedConflicts(openContext());
 * console.log(conflicts.length + unjudged.length);
 * ```
 */
export async function stagedConflicts(ctx: OpenedContext): Promise<StagedCheck> {
  const out = await new Deno.Command("git", {
    args: ["diff", "--cached", "--name-only", "-z", "--no-renames"],
    cwd: ctx.cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new LoktError(
      `git diff --cached failed: ${new TextDecoder().decode(out.stderr).trim().split("\n")[0]}`,
    );
  }
  const base = realTop(ctx.rootInfo);
  const top = ctx.rootInfo.repo ?? base;
  // Each staged path where it really lands (through links, as the hooks judge it).
  const paths: string[] = [];
  const unjudged: StagedCheck["unjudged"] = [];
  for (const p of new TextDecoder().decode(out.stdout).split("\0")) {
    if (p === "") continue;
    const target = editTarget(`${top}/${p}`, top);
    if (target.kind === "unjudged") unjudged.push({ path: shown(p), why: target.why });
    else if (target.kind === "covered" && target.root.root === ctx.rootInfo.root) {
      paths.push(target.path);
    }
  }
  if (paths.length === 0) return { conflicts: [], unjudged };
  const { conflicts, linked } = await checkWithLinkedNames(ctx, base, paths, false);
  if (linked.unsearched !== null) {
    unjudged.push({ path: "a staged file", why: unsearchedLinksWhy(linked.unsearched) });
  }
  return { conflicts, unjudged };
}
