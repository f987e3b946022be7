/**
 * The paths a Codex `apply_patch` touches, read from the patch text: the
 * `*** Add File:`, `*** Update File:`, `*** Delete File:` and `*** Move to:`
 * lines (docs/contract.md §16).
 *
 * @module
 */

const HEADER = /^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+)$/;

/**
 * The paths named by a patch, in order, without repeats.
 *
 * @param patch The patch text.
 * @returns The paths as written (relative or absolute).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { patchPaths } from "./apply_patch.ts";
 * const patch = "*** Begin Patch\n*** Update File: src/a.ts\n@@\n-x\n+y\n*** Move to: src/b.ts\n*** End Patch\n";
 * assert(patchPaths(patch).join(" ") === "src/a.ts src/b.ts");
 * ```
 */
export function patchPaths(patch: string): string[] {
  const paths: string[] = [];
  for (const line of patch.split(/\r?\n/)) {
    const path = HEADER.exec(line)?.[1]?.trim();
    if (path && !paths.includes(path)) paths.push(path);
  }
  return paths;
}

/**
 * The patch text of a Codex tool input: the string form, or the
 * `["apply_patch", patch]` form of `command`; `null` for anything else.
 *
 * @param input The event's `tool_input`.
 * @returns The patch text, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { patchOf } from "./apply_patch.ts";
 * assert(patchOf({ command: ["apply_patch", "*** Begin Patch"] }) === "*** Begin Patch");
 * assert(patchOf({ command: ["ls"] }) === null);
 * ```
 */
export function patchOf(input: Record<string, unknown>): string | null {
  const command = input.command;
  if (typeof command === "string") return command.includes("*** Begin Patch") ? command : null;
  if (Array.isArray(command) && command[0] === "apply_patch" && typeof command[1] === "string") {
    return command[1];
  }
  if (typeof input.patch === "string") return input.patch;
  return null;
}
