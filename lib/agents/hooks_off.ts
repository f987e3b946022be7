/**
 * The harnesses' settings files where one line turns every hook off, lokt's
 * with them: Claude Code's `disableAllHooks` (and the managed
 * `allowManagedHooksOnly`), Codex's `codex_hooks` feature (and the managed
 * `allow_managed_hooks_only`). Which files they are, whom they reach (one
 * project, or every project: the user's and the managed ones), and whether a
 * known change turns the hooks off. What is denied is decided in
 * `install_guard.ts` (docs/agents.md).
 *
 * @module
 */

import { parseObject } from "../model/record_codec.ts";
import { realPathOf } from "../sys/real_path.ts";

/** A settings file where hooks can be turned off: whose, and whom it reaches. */
export interface HooksOffScope {
  /** The harness that reads it. */
  harness: "claude" | "codex";
  /** One project (its `.claude` or `.codex` directory), or every project. */
  reach: "project" | "every";
  /** The directory that holds lokt's hook entries for this harness in a project. */
  dir: ".claude" | ".codex";
}

/** Managed settings on Linux: they reach every project of every user. */
const MANAGED: ReadonlyMap<string, "claude" | "codex"> = new Map([
  ["/etc/claude-code/managed-settings.json", "claude"],
  ["/etc/codex/config.toml", "codex"],
  ["/etc/codex/managed_config.toml", "codex"],
  ["/etc/codex/requirements.toml", "codex"],
]);
const CLAUDE_DROP_INS = "/etc/claude-code/managed-settings.d/";

/**
 * Whether `real` is a settings file where a harness's hooks can be turned off,
 * and whom it reaches.
 *
 * @param real The file's real path.
 * @param env The environment the harness runs in (`HOME`, `CLAUDE_CONFIG_DIR`, `CODEX_HOME`).
 * @returns Its scope, or `null` for any other file.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { hooksOffScope } from "./hooks_off.ts";
 * const env = (key: string) => key === "HOME" ? "/home/a" : undefined;
 * assert.equal(hooksOffScope("/r/.claude/settings.local.json", env)?.reach, "project");
 * assert.equal(hooksOffScope("/home/a/.codex/config.toml", env)?.reach, "every");
 * assert.equal(hooksOffScope("/r/src/settings.json", env), null);
 * // A home reached through a link, its ~/.codex not made yet: still the user's.
 * const real = Deno.realPathSync(Deno.makeTempDirSync());
 * Deno.symlinkSync(real, `${real}-link`);
 * const linked = (key: string) => key === "HOME" ? `${real}-link` : undefined;
 * assert.equal(hooksOffScope(`${real}/.codex/config.toml`, linked)?.reach, "every");
 * ```
 */
export function hooksOffScope(
  real: string,
  env: (key: string) => string | undefined,
): HooksOffScope | null {
  const cut = real.lastIndexOf("/");
  const name = real.slice(cut + 1);
  const managed = MANAGED.get(real) ??
    (real.startsWith(CLAUDE_DROP_INS) && name.endsWith(".json") ? "claude" : null);
  if (managed) return scope(managed, "every");
  const harness = name === "settings.json" || name === "settings.local.json"
    ? "claude"
    : name === "config.toml"
    ? "codex"
    : null;
  if (harness === null) return null;
  const at = real.slice(0, cut);
  const home = env("HOME");
  const user = harness === "claude"
    ? env("CLAUDE_CONFIG_DIR") || (home ? `${home}/.claude` : null)
    : env("CODEX_HOME") || (home ? `${home}/.codex` : null);
  if (name !== "settings.local.json" && user !== null && realDir(user) === at) {
    return scope(harness, "every");
  }
  const dir = real.slice(real.lastIndexOf("/", cut - 1) + 1, cut);
  return dir === scope(harness, "project").dir ? scope(harness, "project") : null;
}

/**
 * Whether a change of a settings file from `before` to `after` turns its
 * harness's hooks off where they were on.
 *
 * @param harness The harness that reads the file.
 * @param before The file's text now (`"{}"` or `""` when it does not exist).
 * @param after The text the change leaves.
 * @returns `true` when the hooks would be off after and were not before.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { turnsHooksOff } from "./hooks_off.ts";
 * assert(turnsHooksOff("claude", "{}", '{"disableAllHooks": true}'));
 * assert(turnsHooksOff("codex", "", "[features]\ncodex_hooks = false\n"));
 * assert(!turnsHooksOff("claude", "{}", '{"env": {}}'));
 * ```
 */
export function turnsHooksOff(harness: "claude" | "codex", before: string, after: string): boolean {
  return hooksOff(harness, after) && !hooksOff(harness, before);
}

/**
 * Whether a settings text turns its harness's hooks off.
 *
 * @param harness The harness that reads it.
 * @param text The settings file's text.
 * @returns `true` when the hooks are off under it.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { hooksOff } from "./hooks_off.ts";
 * assert(hooksOff("claude", '{"disableAllHooks": true}'));
 * assert(!hooksOff("codex", "[features]\ncodex_hooks = true\n"));
 * ```
 */
export function hooksOff(harness: "claude" | "codex", text: string): boolean {
  if (harness === "claude") {
    const settings = parseObject(text);
    return Boolean(settings?.disableAllHooks) || Boolean(settings?.allowManagedHooksOnly);
  }
  // TOML is not parsed: any spelling of these keys with that value counts (a comment too,
  // which at worst denies an edit a person can make).
  return /codex_hooks\s*=\s*false/.test(text) || /allow_managed_hooks_only\s*=\s*true/.test(text);
}

function scope(harness: "claude" | "codex", reach: "project" | "every"): HooksOffScope {
  return { harness, reach, dir: harness === "claude" ? ".claude" : ".codex" };
}

/**
 * A directory's real path as targets' real paths are made (`realPathOf`, which
 * also resolves one not made yet), or the path itself when it cannot be resolved.
 */
function realDir(path: string): string {
  try {
    return realPathOf(path);
  } catch {
    return path;
  }
}
