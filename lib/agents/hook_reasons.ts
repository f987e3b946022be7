/**
 * What lokt's hook tells an agent when it denies a tool call: what is in
 * the way, why, and the next safe step — never `--force`, which is a
 * person's break-glass (docs/agents.md). Every string from a record or the
 * event is escaped (`shown`).
 *
 * @module
 */

import { shown } from "../model/safe_text.ts";
import type { Conflict } from "../model/reservation_errors.ts";
import { describeConflict } from "../model/reservation_errors.ts";

/**
 * The reason an edit of a path lokt cannot judge is denied: what it is, why,
 * and the next step.
 *
 * @param path The path as named (escaped).
 * @param why Why it cannot be judged.
 * @returns The reason text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { unjudgedReason } from "./hook_reasons.ts";
 * assert(unjudgedReason("a\\x07", "it contains a control character").includes("cannot tell"));
 * ```
 */
export function unjudgedReason(path: string, why: string): string {
  return `lokt: cannot tell whether ${path} is reserved by another agent (${why}), so this edit is refused rather than let through unseen. Name the file by a plain path inside the repository (no control characters, no /proc/self/fd), or ask a person.`;
}

/**
 * The reason a shell command that runs `apply_patch` on a patch lokt cannot
 * read is denied, and the forms lokt reads.
 *
 * @param why Why its files cannot be known.
 * @returns The reason text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { unseenPatchReason } from "./hook_reasons.ts";
 * assert(unseenPatchReason("its patch is not in the command").includes("apply_patch <<'EOF'"));
 * ```
 */
export function unseenPatchReason(why: string): string {
  return `lokt: this shell command runs apply_patch, but lokt cannot tell which files it writes (${why}), so it is refused rather than let through unseen: another agent may have reserved them. Give the patch in the command itself, as apply_patch <<'EOF' … EOF (after at most one 'cd DIR &&'), or use the apply_patch tool; 'lokt status' lists reservations.`;
}

/**
 * Why an edit of lokt's own records (in `root`, or of a directory that holds
 * `root`) is denied, and the next step.
 *
 * @param path The file as the tool named it.
 * @param root The lokt root it is in, or holds.
 * @param holds Whether `path` holds the root (`rm -rf .git`) rather than lies in it. @default {false}
 * @returns The reason text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { recordsReason } from "./hook_reasons.ts";
 * const reason = recordsReason(".git/lokt/locks/build.json", "/repo/.git/lokt");
 * assert(reason.includes("lokt's own records") && !reason.includes("--force"));
 * assert(recordsReason(".git", "/repo/.git/lokt", true).includes(".git holds lokt's own records"));
 * ```
 */
export function recordsReason(path: string, root: string, holds = false): string {
  const what = holds
    ? `${shown(path)} holds lokt's own records (${
      shown(root)
    }), which only lokt's commands change: removing or moving it would end every lock and reservation in it without a trace.`
    : `${shown(path)} is in lokt's own records (${
      shown(root)
    }), which only lokt's commands change: an edited record would take, break or hide another agent's lock or reservation without a trace.`;
  return `lokt: ${what} See them with 'lokt status'; end your own with 'lokt unlock NAME' or 'lokt release PATTERN', or ask a person.`;
}

/**
 * Why a change of lokt's installation (its hooks in a harness's settings, its
 * git pre-commit hook) is denied, and what may be done instead.
 *
 * @param path The file as the tool named it, or a directory that holds it.
 * @param held The installation file when `path` is a directory that holds it, else `null`.
 * @param kind What it installs, `hooks-off` for a change that turns every hook off, or
 * `unseen-settings` for a write lokt cannot see into a harness's settings.
 * @returns The reason text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { installReason } from "./hook_reasons.ts";
 * const reason = installReason(".claude/settings.json", null, "settings");
 * assert(reason.startsWith("lokt: .claude/settings.json runs lokt's hooks") && reason.includes("A person"));
 * assert(installReason(".git/hooks", "/r/.git/hooks/pre-commit", "git-hook").includes("holds /r/"));
 * assert(installReason("~/.claude/settings.json", null, "unseen-settings").includes("Edit or Write tool"));
 * ```
 */
export function installReason(
  path: string,
  held: string | null,
  kind: "settings" | "git-hook" | "hooks-off" | "unseen-settings",
): string {
  const subject = held === null ? shown(path) : `${shown(path)} holds ${shown(held)}, which`;
  const off =
    `this change of ${subject} would turn every hook of the harness off (Claude Code's disableAllHooks, Codex's codex_hooks feature), lokt's with them, which make agents' edits reach lokt: an agent may not`;
  const what = kind === "hooks-off"
    ? off
    : kind === "unseen-settings"
    ? `${subject} is a harness's settings file, where one line turns every hook off (Claude Code's disableAllHooks, Codex's codex_hooks feature), lokt's hooks with them, and lokt cannot see what a shell command, a patch or this tool writes there. In Claude Code, change it with the Edit or Write tool, whose result lokt checks`
    : kind === "settings"
    ? `${subject} runs lokt's hooks, which make agents' edits reach lokt: an agent may not remove or change lokt's entries there, nor change the file by a shell command or a patch. Other changes go through the Edit or Write tool, leaving lokt's entries exactly as they are`
    : `${subject} is lokt's git pre-commit hook, which refuses commits of paths other agents reserved: an agent may not change or remove it`;
  return `lokt: ${what}. A person can change it; ask one if it is in your way.`;
}

/**
 * The reason of a denial of `lokt init --remove` in an agent's shell: a
 * person's step, as the break-glass is.
 *
 * @returns The reason text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { uninstallReason } from "./hook_reasons.ts";
 * assert(uninstallReason().includes("a person's step"));
 * ```
 */
export function uninstallReason(): string {
  return "lokt: this command would take lokt's hooks out of the harness's settings and git, which keep agents from editing each other's reserved files: a person's step, never an agent's. If lokt is in your way, see why with 'lokt status', work on something else, or ask a person.";
}

/**
 * The reason of a denial of a lokt command run with its break-glass flag: it
 * names the next safe steps, never the flag.
 *
 * @returns The reason text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { breakGlassReason } from "./hook_reasons.ts";
 * assert(breakGlassReason().includes("a person's") && !breakGlassReason().includes("--force"));
 * ```
 */
export function breakGlassReason(): string {
  return "lokt: this command would break another owner's lock, reservation or freeze, which is a person's break-glass, never an agent's. See who holds it and until when with 'lokt why NAME' or 'lokt status'; wait for it ('lokt guard NAME --wait -- …', 'lokt lock NAME --wait'), work on something else, or ask a person.";
}

/**
 * The reason of a denial of a shell command that acts as another owner.
 *
 * @param claimed The owner the command gives `LOKT_OWNER`.
 * @param session The owner the session acts as.
 * @returns The reason text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ownerReason } from "./hook_reasons.ts";
 * assert(ownerReason("claude-b", "codex-a").includes("this session acts as codex-a"));
 * ```
 */
export function ownerReason(claimed: string, session: string): string {
  return `lokt: this command sets LOKT_OWNER to ${shown(claimed)}, but this session acts as ${
    shown(session)
  }: an agent acts as its own session, and another owner's locks and reservations are not its to take or give back. Drop LOKT_OWNER from the command (your shell already acts as ${
    shown(session)
  }); 'lokt status' shows who holds what, 'lokt why NAME' until when.`;
}

/**
 * The reason of a denial: the path, the reservation in the way (pattern,
 * owner, reason, expiry) and the next step — never `--force`.
 *
 * @param conflicts The conflicts (at least one).
 * @param wide Whether the judged paths stand for more than files (a directory, the whole tree).
 * @returns The reason text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { denialReason } from "./hook_reasons.ts";
 * import { newReservation } from "../model/reservation.ts";
 * const holder = { owner: "claude-b", agentId: "a", host: "h", machineId: "m", pid: 1, pidStart: null };
 * const reservation = newReservation("src/**", holder, { mode: "exclusive", ttlMs: 60_000, reason: "refactor", liveness: "ttl" }, 0);
 * assert(denialReason([{ pattern: "src/a.ts", reservation, expiresInMs: 60_000 }]).includes("claude-b"));
 * ```
 */
export function denialReason(conflicts: Conflict[], wide = false): string {
  const first = conflicts[0] as Conflict;
  const more = conflicts.length > 1 ? ` (and ${conflicts.length - 1} more)` : "";
  const subject = first.sameFileAs === undefined
    ? first.pattern
    : `${first.sameFileAs} is the same file (a hard link) as ${first.pattern}, which`;
  // A directory, or what a command writes without naming it: the way on is to name one's files.
  const step = wide
    ? `This command may write any file in ${first.pattern} (a directory it names, or files it writes without naming them: git stash, pull, merge, find, xargs, a formatter). Do not run it now: name only your own files instead (git stash push -- FILE, deno fmt FILE), work on something else, or retry after it expires or is released, or ask`
    : "Do not edit it now: work on something else and retry after it expires or is released, or ask";
  return `lokt: ${subject} is reserved by another agent: ${
    describeConflict(first)
  }${more}. ${step} ${
    shown(first.reservation.owner)
  }; 'lokt status' lists reservations, 'lokt check ${first.pattern}' tells when it is free.`;
}
