/**
 * `lokt doctor`'s checks of the agent integration (docs/agents.md): whether
 * lokt's hooks are installed for Claude Code and Codex, and what Codex needs
 * besides — its sandbox able to write lokt's state, its hook trust, and the
 * approval of lokt's MCP tools (which `codex exec` never asks for, so
 * unapproved calls are refused).
 *
 * @module
 */

import type { AddCheck } from "../core/doctor/state_checks.ts";
import { planCodexSandbox, writableRootFor } from "./codex_sandbox.ts";
import { CLAUDE_EVENTS, CODEX_EVENTS, loktHookEvents, loktHookMatches } from "./hook_settings.ts";

/** Where the integration lives. */
export interface IntegrationPlace {
  /** The worktree's top directory. */
  top: string;
  /** The lokt root. */
  root: string;
  /** Reads the environment (`CODEX_HOME`, `HOME`). */
  env: (key: string) => string | undefined;
}

/**
 * Adds the integration checks.
 *
 * @param place The worktree, the root and the environment.
 * @param add Adds one check.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { checkIntegration } from "./integration_checks.ts";
 * const top = Deno.makeTempDirSync();
 * const found: string[] = [];
 * checkIntegration({ top, root: `${top}/.git/lokt`, env: () => undefined }, (id, status) => found.push(`${id} ${status}`));
 * assert.deepEqual(found, ["hooks OK"]);
 * ```
 */
export function checkIntegration(place: IntegrationPlace, add: AddCheck): void {
  const claude = harnessHooks(claudeFiles(place), CLAUDE_EVENTS);
  const codex = harnessHooks([`${place.top}/.codex/hooks.json`], CODEX_EVENTS);
  if (claude.installed.length === 0 && codex.installed.length === 0) {
    // Reported, not warned: lokt serves people and scripts without any harness too.
    add(
      "hooks",
      "OK",
      "no lokt hooks for Claude Code or Codex: agents' edits of reserved files are not denied until `lokt init` (Claude Code) or `lokt init --codex` (Codex) sets them up",
    );
    return;
  }
  reportHooks("hooks-claude", "Claude Code", claude, "lokt init --claude", add);
  reportHooks("hooks-codex", "Codex", codex, "lokt init --codex", add);
  if (claude.installed.includes("PreToolUse")) {
    checkTools(
      claudeFiles(place),
      CLAUDE_TOOLS,
      "claude-tools",
      "Claude Code",
      "lokt init --claude",
      add,
    );
  }
  if (codex.installed.length > 0) {
    if (codex.installed.includes("PreToolUse")) {
      const fix = "lokt init --codex (then review the changed hook in Codex with /hooks)";
      checkTools([`${place.top}/.codex/hooks.json`], CODEX_TOOLS, "codex-tools", "Codex", fix, add);
    }
    checkCodex(place, add);
  }
}

/** The tools each harness's PreToolUse hook must run for, as a check names them. */
const CLAUDE_TOOLS: Readonly<Record<string, string>> = {
  Write: "Write",
  Bash: "its shell (Bash), whose commands write files by name",
  mcp__server__write_file: "MCP servers' file tools (mcp__…__write_file)",
};
const CODEX_TOOLS: Readonly<Record<string, string>> = {
  apply_patch: "apply_patch",
  Bash: "its shell (Bash), where Codex applies apply_patch <<'EOF' itself",
  mcp__server__write_file: "MCP servers' file tools (mcp__…__write_file)",
};

function claudeFiles(place: IntegrationPlace): string[] {
  return [`${place.top}/.claude/settings.json`, `${place.top}/.claude/settings.local.json`];
}

/** Settings from an older lokt leave out tools it now judges: edits through them go unjudged. */
function checkTools(
  files: string[],
  tools: Readonly<Record<string, string>>,
  id: string,
  name: string,
  fix: string,
  add: AddCheck,
): void {
  const missing = Object.entries(tools)
    .filter(([tool]) => !files.some((f) => loktHookMatches(f, "PreToolUse", tool)))
    .map(([, shown]) => shown);
  if (missing.length === 0) {
    add(id, "OK", `lokt's ${name} hook runs for every tool that writes files`);
  } else {
    add(
      id,
      "WARN",
      `lokt's ${name} hook does not run for ${
        missing.join(", ")
      }: edits through them go unjudged (settings from an older lokt)`,
      fix,
    );
  }
}

interface HarnessHooks {
  installed: string[];
  missing: string[];
}

function harnessHooks(files: string[], events: Readonly<Record<string, string | null>>) {
  const installed = new Set(files.flatMap((f) => loktHookEvents(f) ?? []));
  const wanted = Object.keys(events);
  return {
    installed: wanted.filter((e) => installed.has(e)),
    missing: wanted.filter((e) => !installed.has(e)),
  };
}

function reportHooks(id: string, name: string, hooks: HarnessHooks, fix: string, add: AddCheck) {
  if (hooks.installed.length === 0) {
    add(id, "OK", `no ${name} hooks (not set up; ${fix} adds them)`);
  } else if (hooks.missing.length > 0) {
    add(id, "WARN", `${name} hooks lack ${hooks.missing.join(", ")}`, fix);
  } else {
    add(id, "OK", `${name} hooks installed (${hooks.installed.join(", ")})`);
  }
}

function checkCodex(place: IntegrationPlace, add: AddCheck): void {
  const writable = writableRootFor(place.top, place.root);
  const sandbox = planCodexSandbox(place.top, place.root, false);
  const config = read(`${place.top}/.codex/config.toml`) ?? "";
  if (sandbox.change === null && (sandbox.note === null || config.includes(`"${writable}"`))) {
    add("codex-sandbox", "OK", `Codex's sandbox may write lokt's root (${writable})`);
  } else {
    add(
      "codex-sandbox",
      "WARN",
      "Codex's default sandbox mounts .git read-only: lokt lock, guard and reserve fail in its shell",
      sandbox.note ?? "lokt init --codex",
    );
  }
  const home = place.env("CODEX_HOME") ?? `${place.env("HOME") ?? ""}/.codex`;
  const user = read(`${home}/config.toml`) ?? "";
  // Codex records a reviewed hook by its hash; lokt cannot tell which hash is whose.
  if (/trusted_hash/.test(user)) {
    add("codex-trust", "OK", `a hook trust is recorded in ${home}/config.toml`);
  } else {
    add(
      "codex-trust",
      "WARN",
      "Codex runs a project's hooks only once you trust them; none is recorded, so lokt's hooks may not run",
      "review them in Codex with /hooks (or run codex exec --dangerously-bypass-hook-trust)",
    );
  }
  const server = /^\[mcp_servers\.lokt\]([\s\S]*?)(?=^\[|$(?![\s\S]))/m.exec(user);
  if (server && !/^\s*default_tools_approval_mode\s*=\s*"approve"/m.test(server[1] ?? "")) {
    add(
      "codex-mcp",
      "WARN",
      "Codex asks approval for MCP tool calls and codex exec never asks: lokt's MCP tools are refused",
      `add default_tools_approval_mode = "approve" under [mcp_servers.lokt] in ${home}/config.toml`,
    );
  } else {
    add(
      "codex-mcp",
      "OK",
      server
        ? "lokt's MCP tools are approved for Codex"
        : "no lokt MCP server for Codex (optional)",
    );
  }
}

function read(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}
