/**
 * A harness hook event (Claude Code and Codex share the wire format: one
 * JSON object on stdin) and the files a tool call is about to write.
 *
 * @module
 */

import { UsageError } from "../model/errors.ts";
import { parseObject } from "../model/record_codec.ts";
import { patchOf, patchPaths } from "./apply_patch.ts";
import { shellNeedsReading } from "./shell_first_look.ts";

/** The harnesses lokt answers. */
export type Harness = "claude" | "codex";

/** The fields of an event lokt reads. */
export interface HookEvent {
  /** The harness's session id. */
  sessionId: string;
  /** The directory the agent works in. */
  cwd: string;
  /** `SessionStart`, `PreToolUse`, `SessionEnd`, … */
  name: string;
  /** The tool of a tool event, else `null`. */
  toolName: string | null;
  /** The tool's input, else `{}`. */
  toolInput: Record<string, unknown>;
}

/** Claude Code's tools that write files, and where each names its file. */
const FILE_TOOLS: Readonly<Record<string, string>> = {
  Write: "file_path",
  Edit: "file_path",
  MultiEdit: "file_path",
  NotebookEdit: "notebook_path",
};

/** Codex's patch tool: its input must carry a patch. */
const PATCH_TOOL = "apply_patch";

/**
 * MCP servers' file-writing tools (`mcp__<server>__<tool>`) and the input
 * keys naming their files: the reference filesystem server's (`write_file`,
 * `edit_file`, `move_file`) and Desktop Commander's `edit_block`. Another
 * server's tools are not known to lokt (docs/agents.md).
 */
const MCP_FILE_TOOLS: Readonly<Record<string, readonly string[]>> = {
  write_file: ["path"],
  edit_file: ["path"],
  move_file: ["source", "destination"],
  edit_block: ["file_path"],
};

/** An MCP tool's name: its server, then its own name after the last `__`. */
const MCP_TOOL = /^mcp__.+__([A-Za-z0-9_-]+)$/;

/** The tools that write files, as a whole-name regular expression (a harness reads it so). */
function matcherOf(names: string[]): string {
  const mcp = `mcp__.+__(?:${Object.keys(MCP_FILE_TOOLS).join("|")})`;
  return `^(?:${[...names, mcp].join("|")})$`;
}

/**
 * The matcher of lokt's PreToolUse hook, for both harnesses: only the tools
 * that write files start a process, the shell (`Bash`) among them, whose
 * commands write files by name (`shell_writes.ts`) and where Codex applies
 * an `apply_patch` itself (`shell_patch.ts`). Anchored: unanchored, `Write`
 * would match `TodoWrite`.
 */
export const FILE_TOOL_MATCHER: string = matcherOf([
  ...Object.keys(FILE_TOOLS),
  PATCH_TOOL,
  "Bash",
]);

/**
 * Parses an event from the text read on stdin.
 *
 * @param text The JSON text.
 * @returns The event.
 * @throws {UsageError} When it is not a hook event.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { parseHookEvent } from "./hook_event.ts";
 * const event = parseHookEvent('{"session_id":"s","cwd":"/r","hook_event_name":"SessionEnd"}');
 * assert(event.name === "SessionEnd" && event.toolName === null);
 * ```
 */
export function parseHookEvent(text: string): HookEvent {
  const value = parseObject(text);
  const name = value?.hook_event_name;
  if (!value || typeof name !== "string") {
    throw new UsageError("stdin is not a hook event (one JSON object with hook_event_name)");
  }
  const text_ = (v: unknown) => (typeof v === "string" ? v : "");
  const input = value.tool_input;
  return {
    sessionId: text_(value.session_id),
    cwd: text_(value.cwd),
    name,
    toolName: typeof value.tool_name === "string" ? value.tool_name : null,
    toolInput: input && typeof input === "object" && !Array.isArray(input)
      ? input as Record<string, unknown>
      : {},
  };
}

/**
 * The files of a tool call (and, for a shell command, the words it writes
 * before the shell expands them, and the owner it gives `LOKT_OWNER`, which
 * must be its session's); or why lokt cannot tell them
 * (and whether it is a shell command); or, for a shell command, a word of it
 * that writes lokt's own records (and the root it names), or a lokt command
 * of it that uses the break-glass.
 */
export type Targets =
  | { paths: string[]; words?: string[]; owner?: string }
  /** A shell command, not read yet: the shell reader (`shell_reader.ts`) reads it. */
  | { command: unknown }
  | { unjudged: string; shell: boolean }
  | { records: { path: string; root: string } }
  | { breakGlass: string }
  | { uninstall: string };

/** {@linkcode Targets} once a shell command is read. */
export type ReadTargets = Exclude<Targets, { command: unknown }>;

/**
 * The files a tool call is about to write, as given (absolute or relative to
 * the event's `cwd`); none for a tool that writes no file. `unjudged` (with
 * why) for a call that writes files lokt cannot name: a file tool without
 * its path, `apply_patch` without a patch. That edit is denied, never let
 * through unseen. A shell command is returned unread (`command`), for the
 * shell reader (`shell_targets.ts`).
 *
 * @param event The event.
 * @returns The paths, or why they cannot be known.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { targetPaths } from "./hook_event.ts";
 * const event = { sessionId: "s", cwd: "/r", name: "PreToolUse", toolName: "Write", toolInput: { file_path: "/r/a.ts" } };
 * assert.deepEqual(targetPaths(event), { paths: ["/r/a.ts"] });
 * assert("unjudged" in targetPaths({ ...event, toolInput: { file_path: ["/r/a.ts"] } }));
 * assert.deepEqual(targetPaths({ ...event, toolName: "Read" }), { paths: [] });
 * const mcp = { ...event, toolName: "mcp__fs__move_file", toolInput: { source: "a", destination: "b" } };
 * assert.deepEqual(targetPaths(mcp), { paths: ["a", "b"] });
 * const shell = { ...event, toolName: "Bash", toolInput: { command: "rm a.ts" } };
 * assert.deepEqual(targetPaths(shell), { command: "rm a.ts" });
 * assert.deepEqual(targetPaths({ ...shell, toolInput: { command: "git status" } }), { paths: [] });
 * ```
 */
export function targetPaths(event: HookEvent): Targets {
  try {
    return readTargets(event);
  } catch {
    // An input that defeats the reading (one exhausting the stack) is refused as
    // unjudgeable, never passed as lokt's own failure would be.
    return { unjudged: "lokt could not read it", shell: false };
  }
}

function readTargets(event: HookEvent): Targets {
  const key = event.toolName ? FILE_TOOLS[event.toolName] : undefined;
  if (key) {
    const path = event.toolInput[key];
    return typeof path === "string" && path !== "" ? { paths: [path] } : unreadable;
  }
  const mcpTool = MCP_TOOL.exec(event.toolName ?? "")?.[1];
  const mcpKeys = mcpTool ? MCP_FILE_TOOLS[mcpTool] : undefined;
  if (mcpKeys) {
    const paths = mcpKeys.map((k) => event.toolInput[k]);
    return paths.every((p) => typeof p === "string" && p !== "")
      ? { paths: paths as string[] }
      : unreadable;
  }
  const command = event.toolInput.command;
  // Read by the shell reader, which the hook loads only for a command that needs it.
  if (event.toolName !== PATCH_TOOL && command !== undefined) {
    return shellNeedsReading(command) ? { command } : { paths: [] };
  }
  const patch = patchOf(event.toolInput);
  if (patch === null) return event.toolName === PATCH_TOOL ? unreadable : { paths: [] };
  return { paths: patchPaths(patch) };
}

const unreadable: Targets = {
  unjudged: "its input names no file path lokt can read",
  shell: false,
};
