/**
 * A harness hook event (Claude Code and Codex share the wire format: one
 * JSON object on stdin) and the files a tool call is about to write.
 *
 * @module
 */

import { UsageError } from "../model/errors.ts";
import { parseObject } from "../model/record_codec.ts";
import { patchOf, patchPaths } from "./apply_patch.ts";

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

/** The matcher of lokt's PreToolUse hook: only the tools that write files start a process. */
export const FILE_TOOL_MATCHER = "Write|Edit|MultiEdit|NotebookEdit|apply_patch";

/** Codex's patch tool: its input must carry a patch. */
const PATCH_TOOL = "apply_patch";

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
 * The files a tool call is about to write, as given (absolute or relative to
 * the event's `cwd`); none for a tool that writes no file; `null` for a tool
 * that writes files whose input names none lokt can read (a file tool
 * without its path, `apply_patch` without a patch): that edit cannot be
 * judged, so it is denied, never let through unseen.
 *
 * @param event The event.
 * @returns The paths, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { targetPaths } from "./hook_event.ts";
 * const event = { sessionId: "s", cwd: "/r", name: "PreToolUse", toolName: "Write", toolInput: { file_path: "/r/a.ts" } };
 * assert.deepEqual(targetPaths(event), ["/r/a.ts"]);
 * assert.equal(targetPaths({ ...event, toolInput: { file_path: ["/r/a.ts"] } }), null);
 * assert.deepEqual(targetPaths({ ...event, toolName: "Read" }), []);
 * ```
 */
export function targetPaths(event: HookEvent): string[] | null {
  const key = event.toolName ? FILE_TOOLS[event.toolName] : undefined;
  if (key) {
    const path = event.toolInput[key];
    return typeof path === "string" && path !== "" ? [path] : null;
  }
  const patch = patchOf(event.toolInput);
  if (patch === null) return event.toolName === PATCH_TOOL ? null : [];
  return patchPaths(patch);
}
