/**
 * lokt's hooks in a harness's settings file: the events each harness gets,
 * and which of them a file runs lokt for (`lokt init` writes them, `lokt
 * doctor` reports them).
 *
 * @module
 */

import { parseObject } from "../model/record_codec.ts";
import { FILE_TOOL_MATCHER } from "./hook_event.ts";

type Json = Record<string, unknown>;

/** Claude Code: the session's start and end, and the tools that write files (its shell too). */
export const CLAUDE_EVENTS: Readonly<Record<string, string | null>> = {
  SessionStart: null,
  PreToolUse: FILE_TOOL_MATCHER,
  SessionEnd: null,
};

/** Codex: the session's start and end (it fires SessionEnd too), `apply_patch` and its shell. */
export const CODEX_EVENTS: Readonly<Record<string, string | null>> = {
  SessionStart: "startup|resume|clear",
  PreToolUse: FILE_TOOL_MATCHER,
  SessionEnd: null,
};

/**
 * The events for which a harness's settings file runs lokt's hook.
 *
 * @param path The settings file (`.claude/settings.json`, `.codex/hooks.json`, …).
 * @returns The events, or `null` when the file does not exist or is not JSON.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { loktHookEvents } from "./hook_settings.ts";
 * const file = `${Deno.makeTempDirSync()}/settings.json`;
 * Deno.writeTextFileSync(file, '{"hooks":{"SessionEnd":[{"hooks":[{"command":"lokt hook claude"}]}]}}');
 * assert.deepEqual(loktHookEvents(file), ["SessionEnd"]);
 * ```
 */
export function loktHookEvents(path: string): string[] | null {
  const text = read(path);
  const hooks = text === null ? null : loktHooks(text);
  return hooks === null ? null : [...new Set(hooks.map((h) => h.event))];
}

/**
 * Whether the group that runs lokt's hook for `event` in a settings file
 * matches `tool` (a missing, empty or `*` matcher matches every tool; an
 * exact list or a regular expression is read as the harness reads it).
 *
 * @param path The settings file.
 * @param event The hook event (`PreToolUse`).
 * @param tool The tool name (`Bash`).
 * @returns `true` when lokt's hook runs for that tool, `false` when it does
 * not (or is not installed).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { loktHookMatches } from "./hook_settings.ts";
 * const file = `${Deno.makeTempDirSync()}/hooks.json`;
 * Deno.writeTextFileSync(file, '{"hooks":{"PreToolUse":[{"matcher":"Write|apply_patch","hooks":[{"command":"lokt hook codex"}]}]}}');
 * assert.equal(loktHookMatches(file, "PreToolUse", "apply_patch"), true);
 * assert.equal(loktHookMatches(file, "PreToolUse", "Bash"), false);
 * ```
 */
export function loktHookMatches(path: string, event: string, tool: string): boolean {
  const text = read(path);
  const hooks = text === null ? null : loktHooks(text);
  return (hooks ?? []).some((h) => h.event === event && matches(h.matcher, tool));
}

/** One of lokt's hook entries in a settings file. */
export interface LoktHook {
  /** The hook event (`PreToolUse`). */
  event: string;
  /** Its group's matcher, as written (`undefined` when there is none). */
  matcher: unknown;
  /** The command that runs lokt. */
  command: string;
}

/**
 * lokt's hook entries in a settings file's text, in the file's order: what
 * `lokt init` wrote, what `lokt doctor` checks, and what an agent's edit must
 * leave as it is (`install_guard.ts`).
 *
 * @param text The settings file's text.
 * @returns The entries, or `null` when the text is not a JSON object.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { loktHooks } from "./hook_settings.ts";
 * const text = '{"hooks":{"PreToolUse":[{"matcher":"Edit","hooks":[{"command":"lokt hook claude"},{"command":"./x.sh"}]}]}}';
 * assert.deepEqual(loktHooks(text), [{ event: "PreToolUse", matcher: "Edit", command: "lokt hook claude" }]);
 * assert.equal(loktHooks("not json"), null);
 * ```
 */
export function loktHooks(text: string): LoktHook[] | null {
  const settings = parseObject(text);
  if (!settings) return null;
  const hooks = settings.hooks;
  if (typeof hooks !== "object" || hooks === null) return [];
  const found: LoktHook[] = [];
  for (const [event, groups] of Object.entries(hooks as Json)) {
    if (!Array.isArray(groups)) continue;
    for (const group of groups as (Json | null)[]) {
      if (!Array.isArray(group?.hooks)) continue;
      for (const hook of group.hooks as (Json | null)[]) {
        if (typeof hook === "object" && hook !== null && isOurs(hook)) {
          found.push({ event, matcher: group.matcher, command: hook.command as string });
        }
      }
    }
  }
  return found;
}

function matches(matcher: unknown, tool: string): boolean {
  if (matcher === undefined || matcher === "" || matcher === "*") return true;
  if (typeof matcher !== "string") return false;
  // Letters, digits, `_` and `|` only: a list of exact names.
  if (/^[\w|]+$/.test(matcher)) return matcher.split("|").includes(tool);
  try {
    return new RegExp(matcher).test(tool);
  } catch {
    return false;
  }
}

/**
 * Whether a hook entry of a settings file is lokt's.
 *
 * @param hook One hook entry.
 * @returns `true` for a command that runs lokt's `hook claude` or `hook codex`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { isOurs } from "./hook_settings.ts";
 * assert(isOurs({ type: "command", command: "lokt hook codex" }));
 * assert(!isOurs({ type: "command", command: "./audit.sh" }));
 * ```
 */
export function isOurs(hook: Record<string, unknown>): boolean {
  return typeof hook.command === "string" && / hook (claude|codex)$/.test(hook.command) &&
    /lokt|cli\.ts|mod\.ts/.test(hook.command);
}

function read(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}
