/**
 * The paths a Codex `apply_patch` touches, read from the patch text: the
 * `*** Add File:`, `*** Update File:`, `*** Delete File:` and `*** Move to:`
 * lines (docs/contract.md §16).
 *
 * Read more leniently than Codex itself reads them, never less: a header
 * Codex would apply must never be missed (a missed one is an edit let
 * through), while reading one Codex would refuse only denies a patch that
 * would fail anyway. Tried against Codex 0.169.1's own `apply_patch`: it
 * applies headers with leading and trailing spaces and CRLF line ends, and
 * refuses other spacing, other case and CR-only line ends; lokt also reads
 * those (any spacing around `***` and the colon, any case, `\r` alone).
 *
 * @module
 */

// The path is trimmed in code: a lazy `(.+?)\s*$` takes quadratic time on a
// line of many spaces (40,000 of them: 2.4 s), and a hook that times out lets the edit through.
const HEADER = /^\s*\*\*\*\s*(?:add\s*file|update\s*file|delete\s*file|move\s*to)\s*:(.*)$/i;

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
 * assert.deepEqual(patchPaths("***  add file:x.ts\r   *** Delete File:  y.ts  \r"), ["x.ts", "y.ts"]);
 * ```
 */
export function patchPaths(patch: string): string[] {
  const paths: string[] = [];
  for (const line of patch.split(/\r\n|\r|\n/)) {
    const path = HEADER.exec(line)?.[1]?.trim();
    if (path && !paths.includes(path)) paths.push(path);
  }
  return paths;
}

/** The start of a patch, as leniently as its headers. */
const BEGIN = /\*\*\*\s*begin\s*patch/i;

/**
 * The patch text of a Codex tool input, wherever it is: `command` as a
 * string or as a list (`["apply_patch", patch]`, or a shell's `-lc` script
 * holding a heredoc), `input` (the freeform `apply_patch` tool) or `patch`;
 * every string there that holds a patch, joined; `null` when none does.
 *
 * @param input The event's `tool_input`.
 * @returns The patch text, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { patchOf } from "./apply_patch.ts";
 * assert(patchOf({ command: ["apply_patch", "*** Begin Patch"] }) === "*** Begin Patch");
 * assert(patchOf({ input: "*** Begin Patch\n*** Add File: a\n" })?.includes("Add File"));
 * assert(patchOf({ command: ["bash", "-lc", "apply_patch <<'EOF'\n*** Begin Patch\nEOF"] }) !== null);
 * assert(patchOf({ command: ["ls"] }) === null);
 * ```
 */
export function patchOf(input: Record<string, unknown>): string | null {
  const texts: string[] = [];
  for (const key of ["command", "input", "patch"]) {
    const value = input[key];
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === "string" && BEGIN.test(item)) texts.push(item);
    }
  }
  return texts.length ? texts.join("\n") : null;
}
