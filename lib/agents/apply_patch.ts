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
 * Codex splits lines at `\n` alone and trims them as Rust does, so a header
 * may hold a `\r`, a U+2028 or a U+0085 that JavaScript reads as the end of
 * a line, or not as a space: each line is read both ways, and each path is
 * taken both as Codex takes it and trimmed, so that the file Codex writes is
 * always among those judged (a path with a control character is then refused
 * as one lokt cannot judge).
 *
 * @module
 */

// Spaces as either side reads them: JavaScript's `\s`, and U+0085, which
// Rust's `trim()` also strips.
const SPACE = "[\\s\\u0085]";
// Rust's `char::is_whitespace`, which Codex's `trim()` strips (JavaScript's
// `\s` without U+FEFF, with U+0085).
const RUST_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const ANY_SPACE = /[\s\u0085]/;
// The path is trimmed in code: a lazy `(.+?)\s*$` takes quadratic time on a
// line of many spaces (40,000 of them: 2.4 s), and a hook that times out lets the edit through.
// `[^]` and not `.`: a path may hold U+2028, which `.` does not match.
const HEADER = new RegExp(
  `^${SPACE}*\\*\\*\\*${SPACE}*(add${SPACE}*file|update${SPACE}*file|delete${SPACE}*file|move${SPACE}*to)${SPACE}*:([^]*)$`,
  "i",
);

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
 * assert.deepEqual(patchPaths("***  add file:x.ts\r\n   *** Delete File: y.ts  \r\n"), ["x.ts", "y.ts"]);
 * // Lines that end at a `\r` alone are read too (and as one line, as Codex reads them).
 * assert(patchPaths("*** Add File: a.ts\r*** Add File: b.ts").includes("b.ts"));
 * // Codex trims U+0085 and U+2028 as spaces, and reads a `\r` inside a line as part of the path.
 * assert.deepEqual(patchPaths("\u0085*** Update File: a.ts\u2028\n"), ["a.ts"]);
 * assert(patchPaths("*** Add File: src/x\r/../auth/new.ts\n").includes("src/x\r/../auth/new.ts"));
 * ```
 */
export function patchPaths(patch: string): string[] {
  // A set keeps the order and stays linear for a patch of many files.
  const paths = new Set<string>();
  const add = (path: string) => {
    if (path !== "") paths.add(path);
  };
  // Codex's lines (`str::lines`: at `\n`, one `\r` before it dropped), then lokt's lenient ones.
  const lines = [
    ...patch.split("\n").map((l) => l.endsWith("\r") ? l.slice(0, -1) : l),
    ...patch.split(/\r\n|\r|\n/),
  ];
  for (const line of lines) {
    const header = HEADER.exec(line);
    if (header === null) continue;
    const [, kind, rest] = header as unknown as [string, string, string];
    add(trimmed(rest, ANY_SPACE, true));
    // As Codex takes it: after the marker's one space; a header's line trimmed at its end, a
    // `Move to:` line not at all.
    const taken = rest.startsWith(" ") ? rest.slice(1) : rest;
    add(/^move/i.test(kind) ? taken : trimmed(taken, RUST_SPACE, false));
  }
  return [...paths];
}

/** `text` without the spaces `space` matches at its end (and at its start with `both`). */
function trimmed(text: string, space: RegExp, both: boolean): string {
  let start = 0;
  let end = text.length;
  while (end > start && space.test(text[end - 1] as string)) end--;
  while (both && start < end && space.test(text[start] as string)) start++;
  return text.slice(start, end);
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
