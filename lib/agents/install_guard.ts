/**
 * lokt's installation as a target of an agent's edit: the harness settings
 * whose hooks run lokt (`.claude/settings.json`, `.claude/settings.local.json`,
 * `.codex/hooks.json`) and lokt's git pre-commit hook. They are what makes an
 * agent's edits reach lokt at all: an agent that edits them away turns lokt
 * off for every later session, and the commit backstop with it.
 *
 * The harnesses' other settings files count too where one line there would
 * turn lokt's hooks off (`hooks_off.ts`: Claude Code's `disableAllHooks`,
 * Codex's `codex_hooks` feature): a file tool's change is judged by the file
 * it leaves, and a write lokt cannot see (a shell command, a patch, an MCP
 * tool) is denied beside lokt's hook entries and, once lokt's hooks are
 * installed in the event's worktree, in the user's and the managed settings,
 * which reach every project.
 *
 * A file is lokt's installation by what it holds, wherever it is (a
 * `core.hooksPath`, a user's own settings): settings with one of lokt's hook
 * entries, a `pre-commit` with lokt's marker. Claude Code's `Write`, `Edit` and
 * `MultiEdit` may still change settings when lokt's entries stay exactly as
 * they are (a permission added, another hook): the hook computes the file the
 * call leaves and compares. Anything else that writes such a file — a shell
 * command, a patch, an MCP tool, a file tool that drops or alters one of
 * lokt's entries, any write of the git hook — is denied (docs/agents.md).
 *
 * @module
 */

import type { EditTarget } from "../core/reservations/target_paths.ts";
import { HOOK_MARKER } from "./git_hook_script.ts";
import { loktHooks } from "./hook_settings.ts";
import { hooksOff, hooksOffScope, turnsHooksOff } from "./hooks_off.ts";
import type { HooksOffScope } from "./hooks_off.ts";

/**
 * What a change would undo: harness settings with lokt's hooks, lokt's git
 * hook, or every hook of a harness at once (`hooks-off`: `disableAllHooks` or
 * `codex_hooks = false` set in one of its settings files, which turns lokt's
 * hooks off with the rest; `unseen-settings`: a write lokt cannot see into
 * such a file).
 */
export type InstallKind = "settings" | "git-hook" | "hooks-off" | "unseen-settings";

/** Where the event runs: its worktree's real top, and its environment. */
export interface InstallPlace {
  /** The real top of the event's worktree, or `null` outside any (asked only when needed). */
  top: () => string | null;
  /** The event's environment (`HOME`, `CLAUDE_CONFIG_DIR`, `CODEX_HOME`). */
  env: (key: string) => string | undefined;
}

/** Settings files by their directory: the harness reads hooks from these. */
const SETTINGS: ReadonlyMap<string, readonly string[]> = new Map([
  [".claude", ["settings.json", "settings.local.json"]],
  [".codex", ["hooks.json"]],
]);

/** A directory that holds a git hooks directory's `pre-commit`. */
const GIT_HOOKS = "hooks";

/** The largest file read to tell (settings and hooks are small). */
const MAX_INSTALL_BYTES = 1 << 20;

/**
 * The installation files a write target is or holds, each with what it
 * installs: the file itself, or for a directory (`.claude`, `.codex`, a
 * `hooks` directory) the installation files in it.
 *
 * @param real The target's real path.
 * @returns The installation files, none when it is not one and holds none.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { installsOf } from "./install_guard.ts";
 * const top = Deno.realPathSync(Deno.makeTempDirSync());
 * Deno.mkdirSync(`${top}/.claude`);
 * const settings = `${top}/.claude/settings.json`;
 * Deno.writeTextFileSync(settings, '{"hooks":{"PreToolUse":[{"hooks":[{"command":"lokt hook claude"}]}]}}');
 * assert.deepEqual(installsOf(settings), [{ path: settings, kind: "settings" }]);
 * assert.deepEqual(installsOf(`${top}/.claude`), [{ path: settings, kind: "settings" }]);
 * assert.deepEqual(installsOf(`${top}/src/a.ts`), []);
 * ```
 */
export function installsOf(real: string): { path: string; kind: InstallKind }[] {
  const cut = real.lastIndexOf("/");
  const name = real.slice(cut + 1);
  const dir = real.slice(real.lastIndexOf("/", cut - 1) + 1, cut);
  // Most targets are neither such a file nor such a directory: decided by name, nothing read.
  const candidates = SETTINGS.get(dir)?.includes(name) || name === "pre-commit"
    ? [real]
    : SETTINGS.has(name)
    ? (SETTINGS.get(name) ?? []).map((file) => `${real}/${file}`)
    : name === GIT_HOOKS
    ? [`${real}/pre-commit`]
    : [];
  return candidates.flatMap((path) => {
    const kind = installKind(path);
    return kind === null ? [] : [{ path, kind }];
  });
}

/**
 * The first installation file a tool call would change otherwise than
 * {@linkcode keepsInstall} allows, among its targets (a whole tree's
 * entries, `wide`, left out: git and formatters leave these files be).
 *
 * @param targets The call's write targets.
 * @param wide The indices of targets that stand for more than they name.
 * @param tool The tool's name.
 * @param input The tool's input.
 * @param place The event's worktree and environment, for the harnesses' settings that reach
 * every project. @default {no worktree; this process's environment}
 * @returns The target's index, the installation file when the target is a directory that
 * holds it (else `null`), and what it installs; or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { installChanged } from "./install_guard.ts";
 * import { editTarget } from "../core/reservations/target_paths.ts";
 * const top = Deno.realPathSync(Deno.makeTempDirSync());
 * Deno.mkdirSync(`${top}/.git/hooks`, { recursive: true });
 * Deno.writeTextFileSync(`${top}/.git/hooks/pre-commit`, "#!/bin/sh\n# lokt:pre-commit\n");
 * const targets = [editTarget(".git/hooks/pre-commit", top)];
 * const found = installChanged(targets, new Set(), "Bash", { command: "rm .git/hooks/pre-commit" });
 * assert.equal(found?.kind, "git-hook");
 * // The user's settings reach this worktree, where lokt's Claude hooks are installed.
 * Deno.mkdirSync(`${top}/.claude`);
 * Deno.writeTextFileSync(`${top}/.claude/settings.json`, '{"hooks":{"PreToolUse":[{"hooks":[{"command":"lokt hook claude"}]}]}}');
 * const home = Deno.realPathSync(Deno.makeTempDirSync());
 * Deno.mkdirSync(`${home}/.claude`);
 * const user = [editTarget(`${home}/.claude/settings.json`, top)];
 * const place = { top: () => top, env: (key: string) => key === "HOME" ? home : undefined };
 * const shell = { command: `echo '{"disableAllHooks":true}' > ~/.claude/settings.json` };
 * assert.equal(installChanged(user, new Set(), "Bash", shell, place)?.kind, "unseen-settings");
 * assert.equal(installChanged(user, new Set(), "Write", { content: "{}" }, place), null);
 * ```
 */
export function installChanged(
  targets: EditTarget[],
  wide: ReadonlySet<number>,
  tool: string | null,
  input: Record<string, unknown>,
  place: InstallPlace = { top: () => null, env: (key) => Deno.env.get(key) },
): { index: number; held: string | null; kind: InstallKind } | null {
  for (const [index, target] of targets.entries()) {
    if (target.kind === "unjudged" || wide.has(index)) continue;
    const scope = hooksOffScope(target.real, place.env);
    const now = scope === null ? null : readSmall(target.real) ?? "";
    const left = now === null ? null : textLeft(tool, input, now);
    if (scope !== null && left !== null && turnsHooksOff(scope.harness, now ?? "", left)) {
      return { index, held: null, kind: "hooks-off" };
    }
    for (const install of installsOf(target.real)) {
      if (keepsInstall(install, tool, input)) continue;
      return {
        index,
        held: install.path === target.real ? null : install.path,
        kind: install.kind,
      };
    }
    if (scope !== null && left === null && guardedSettings(target.real, scope, place)) {
      return { index, held: null, kind: "unseen-settings" };
    }
  }
  return null;
}

/**
 * Whether a write lokt cannot see into a harness's settings file `real` could
 * turn lokt's hooks off: beside lokt's own hook entries for that harness, or,
 * for settings that reach every project, once lokt's hooks for it are
 * installed in the event's worktree.
 */
function guardedSettings(real: string, scope: HooksOffScope, place: InstallPlace): boolean {
  const beside = real.slice(0, real.lastIndexOf("/"));
  if (beside.endsWith(`/${scope.dir}`) && installsOf(beside).length > 0) return true;
  const top = scope.reach === "every" ? place.top() : null;
  return top !== null && installsOf(`${top}/${scope.dir}`).length > 0;
}

/** What the file at `path` installs now, or `null`. */
function installKind(path: string): InstallKind | null {
  const text = readSmall(path);
  if (text === null) return null;
  if (path.endsWith("/pre-commit")) return text.includes(HOOK_MARKER) ? "git-hook" : null;
  return (loktHooks(text)?.length ?? 0) > 0 ? "settings" : null;
}

/**
 * Whether a tool call keeps an installation as it is: only Claude Code's
 * `Write`, `Edit` or `MultiEdit` of settings, when the file it leaves holds
 * exactly lokt's entries of the file now.
 *
 * @param install The installation file and what it installs.
 * @param tool The tool's name.
 * @param input The tool's input.
 * @returns `true` when the call leaves lokt's entries as they are.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { keepsInstall } from "./install_guard.ts";
 * const path = `${Deno.makeTempDirSync()}/settings.json`;
 * const hooks = '"hooks":{"PreToolUse":[{"hooks":[{"command":"lokt hook claude"}]}]}';
 * Deno.writeTextFileSync(path, `{${hooks}}`);
 * const install = { path, kind: "settings" } as const;
 * const added = { file_path: path, content: `{"permissions":{"allow":["Bash(ls)"]},${hooks}}` };
 * assert.equal(keepsInstall(install, "Write", added), true);
 * assert.equal(keepsInstall(install, "Write", { file_path: path, content: "{}" }), false);
 * assert.equal(keepsInstall(install, "Bash", { command: `echo {} > ${path}` }), false);
 * ```
 */
export function keepsInstall(
  install: { path: string; kind: InstallKind },
  tool: string | null,
  input: Record<string, unknown>,
): boolean {
  if (install.kind !== "settings") return false;
  const now = readSmall(install.path);
  const left = now === null ? null : textLeft(tool, input, now);
  if (now === null || left === null) return false;
  const before = entriesOf(now);
  return before !== null && before === entriesOf(left);
}

/**
 * lokt's hook entries (event, matcher, command) in a settings text, sorted,
 * and whether the text turns every hook off, as one string.
 */
function entriesOf(text: string): string | null {
  const hooks = loktHooks(text);
  if (hooks === null) return null;
  const entries = hooks.map((h) => JSON.stringify([h.event, h.matcher ?? null, h.command]));
  return [...entries.sort(), `hooks off: ${hooksOff("claude", text)}`].join("\n");
}

/** The text a file tool's call leaves in a file that holds `now`, or `null` when not known. */
function textLeft(tool: string | null, input: Record<string, unknown>, now: string): string | null {
  if (tool === "Write") return typeof input.content === "string" ? input.content : null;
  const edits = tool === "Edit" ? [input] : tool === "MultiEdit" ? input.edits : null;
  if (!Array.isArray(edits)) return null;
  let text = now;
  for (const edit of edits as Record<string, unknown>[]) {
    const { old_string: from, new_string: to, replace_all: all } = edit ?? {};
    if (typeof from !== "string" || typeof to !== "string" || from === "") return null;
    // An edit whose text is not there fails in the harness: the file stays as it is.
    if (!text.includes(from)) return now;
    // A function, so that `$&` and its kin in the new text stay literal.
    text = all === true ? text.split(from).join(to) : text.replace(from, () => to);
  }
  return text;
}

/** A small file's text, or `null` when it is missing, not a file or too large. */
function readSmall(path: string): string | null {
  try {
    const info = Deno.statSync(path);
    return info.isFile && info.size <= MAX_INSTALL_BYTES ? Deno.readTextFileSync(path) : null;
  } catch {
    return null;
  }
}
