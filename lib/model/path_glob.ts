/**
 * Path patterns of reservations (docs/contract.md §15): their normal form relative to the
 * worktree's top directory, and their parsed form — a list of elements, each
 * `**` (zero or more whole segments) or one segment's glob (`*`, `?`, `[…]`,
 * `[!…]`, `\` escapes; dot-files get no special treatment). A pattern
 * without glob characters covers that path and everything below it, so it
 * parses with a final `**`; a literal path given to `check` always does.
 *
 * @module
 */

import { UsageError } from "./errors.ts";

/** The longest pattern accepted, in characters. */
export const MAX_PATTERN_LENGTH = 512;

/** The most patterns one call may reserve, release or check. */
export const MAX_PATTERNS = 64;

/** A set of characters, as sorted, disjoint, inclusive code point ranges. */
export type CharRanges = ReadonlyArray<readonly [number, number]>;

/** One token of a segment's glob. */
export type SegmentToken =
  | { kind: "chars"; ranges: CharRanges }
  | { kind: "star" };

/** One element of a parsed pattern. */
export type GlobElement =
  | { kind: "globstar" }
  | {
    kind: "segment";
    tokens: SegmentToken[];
    /** The segment's text when every token is one literal character, else `null`. */
    literal: string | null;
  };

/** A parsed pattern. */
export interface PathGlob {
  /** The pattern in its normal form. */
  source: string;
  /** Its elements, in order. */
  elements: GlobElement[];
}

const SLASH = 0x2f;
const MAX_CODE_POINT = 0x10ffff;

/** Every character a path segment may hold: anything but NUL and `/`. */
export const ANY_CHAR: CharRanges = [[1, SLASH - 1], [SLASH + 1, MAX_CODE_POINT]];

/**
 * Brings a pattern to its normal form: relative to the worktree's top
 * directory (an absolute path inside it made relative), `.` segments, empty
 * segments and a trailing `/` dropped.
 *
 * @param raw The pattern as given.
 * @param top The worktree's top directory (absolute, no trailing `/`).
 * @param label How the value is named in errors. @default {"pattern"}
 * @returns The normal form.
 * @throws {UsageError} Empty, too long, a control character, a `..` segment, or an absolute path outside `top`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { normalizePattern } from "./path_glob.ts";
 * assert(normalizePattern("./src//auth/", "/repo") === "src/auth");
 * assert(normalizePattern("/repo/docs/*.md", "/repo") === "docs/*.md");
 * ```
 */
export function normalizePattern(raw: string, top: string, label = "pattern"): string {
  const shown = JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
  const fail = (why: string): never => {
    throw new UsageError(`Invalid ${label} ${shown}: ${why}`);
  };
  if (raw.length === 0) fail("it is empty");
  if (raw.length > MAX_PATTERN_LENGTH) fail(`longer than ${MAX_PATTERN_LENGTH} characters`);
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) fail("it contains a control character");
  let path = raw;
  if (path.startsWith("/")) {
    if (path !== top && !path.startsWith(`${top}/`)) {
      fail(`an absolute path outside the worktree (${top})`);
    }
    path = path.slice(top.length);
  }
  const segments = path.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) fail("a '..' segment (patterns are relative to the worktree's top)");
  if (segments.length === 0) fail("it names the whole worktree; use '**' to mean every path");
  return segments.join("/");
}

/**
 * Parses a pattern in normal form.
 *
 * @param source The normal form ({@linkcode normalizePattern}).
 * @returns The parsed pattern.
 * @throws {UsageError} On an unterminated `[…]` or a trailing `\`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { parseGlob } from "./path_glob.ts";
 * const glob = parseGlob("src/auth");
 * assert(glob.elements.length === 3 && glob.elements[2]?.kind === "globstar");
 * ```
 */
export function parseGlob(source: string): PathGlob {
  let globbing = false;
  const elements: GlobElement[] = [];
  for (const part of splitSegments(source)) {
    if (part === "**") {
      globbing = true;
      elements.push({ kind: "globstar" });
      continue;
    }
    const { tokens, glob } = parseSegment(part, source);
    globbing ||= glob;
    elements.push({ kind: "segment", tokens, literal: literalOf(tokens) });
  }
  // A pattern without glob characters covers its path and everything below it.
  if (!globbing) elements.push({ kind: "globstar" });
  return { source, elements };
}

/**
 * The pattern of a literal path (as `check` and the hooks give them): every
 * character literal, covering the path and everything below it — unless it
 * is known to be a file, which has nothing below it.
 *
 * @param path A path in normal form.
 * @param subtree Whether it covers what is below it. @default {true}
 * @returns The parsed pattern.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { literalGlob } from "./path_glob.ts";
 * const glob = literalGlob("app/[slug]/page.tsx");
 * assert(glob.elements[1]?.kind === "segment" && glob.elements.length === 4);
 * ```
 */
export function literalGlob(path: string, subtree = true): PathGlob {
  const elements: GlobElement[] = path.split("/").map((part) => ({
    kind: "segment",
    tokens: Array.from(part, (c) => charToken(c.codePointAt(0) as number)),
    literal: part,
  }));
  if (subtree) elements.push({ kind: "globstar" });
  return { source: path, elements };
}

/** Splits on unescaped `/` (a normal form has no empty segment). */
function splitSegments(source: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === "\\" && i + 1 < source.length) {
      current += c + source[++i];
    } else if (c === "/") {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** The text of a segment made of single literal characters only, else `null`. */
function literalOf(tokens: SegmentToken[]): string | null {
  let text = "";
  for (const t of tokens) {
    if (t.kind !== "chars" || t.ranges.length !== 1) return null;
    const [lo, hi] = t.ranges[0] as readonly [number, number];
    if (lo !== hi) return null;
    text += String.fromCodePoint(lo);
  }
  return text;
}

function charToken(code: number): SegmentToken {
  return { kind: "chars", ranges: [[code, code]] };
}

function parseSegment(part: string, source: string): { tokens: SegmentToken[]; glob: boolean } {
  const tokens: SegmentToken[] = [];
  let glob = false;
  const chars = Array.from(part);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === "\\") {
      if (i + 1 >= chars.length) {
        throw new UsageError(`Invalid pattern ${JSON.stringify(source)}: it ends with '\\'`);
      }
      tokens.push(charToken((chars[++i] as string).codePointAt(0) as number));
    } else if (c === "*") {
      glob = true;
      // Consecutive stars inside a segment are one star.
      if (tokens.at(-1)?.kind !== "star") tokens.push({ kind: "star" });
    } else if (c === "?") {
      glob = true;
      tokens.push({ kind: "chars", ranges: ANY_CHAR });
    } else if (c === "[") {
      glob = true;
      const { ranges, end } = parseClass(chars, i, source);
      tokens.push({ kind: "chars", ranges });
      i = end;
    } else tokens.push(charToken(c.codePointAt(0) as number));
  }
  return { tokens, glob };
}

/** Parses `[…]` starting at `start`; returns its characters and the index of its `]`. */
function parseClass(
  chars: string[],
  start: number,
  source: string,
): { ranges: CharRanges; end: number } {
  let i = start + 1;
  const negated = chars[i] === "!";
  if (negated) i++;
  const ranges: [number, number][] = [];
  let first = true;
  for (; i < chars.length; i++) {
    let c = chars[i] as string;
    if (c === "]" && !first) {
      const positive = normalizeRanges(ranges);
      return { ranges: negated ? complement(positive) : intersect(positive, ANY_CHAR), end: i };
    }
    first = false;
    if (c === "\\" && i + 1 < chars.length) c = chars[++i] as string;
    const low = c.codePointAt(0) as number;
    if (chars[i + 1] === "-" && i + 2 < chars.length && chars[i + 2] !== "]") {
      let hi = chars[i + 2] as string;
      i += 2;
      if (hi === "\\" && i + 1 < chars.length) hi = chars[++i] as string;
      const high = hi.codePointAt(0) as number;
      ranges.push(low <= high ? [low, high] : [high, low]);
    } else ranges.push([low, low]);
  }
  throw new UsageError(`Invalid pattern ${JSON.stringify(source)}: an unterminated '['`);
}

/**
 * Sorts and merges ranges.
 *
 * @param ranges Any ranges.
 * @returns Sorted, disjoint ranges.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { normalizeRanges } from "./path_glob.ts";
 * assert(JSON.stringify(normalizeRanges([[5, 9], [1, 6]])) === "[[1,9]]");
 * ```
 */
export function normalizeRanges(ranges: ReadonlyArray<readonly [number, number]>): CharRanges {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = merged.at(-1);
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  return merged;
}

/**
 * The characters in both sets.
 *
 * @param a Sorted, disjoint ranges.
 * @param b Sorted, disjoint ranges.
 * @returns Their intersection.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { intersect } from "./path_glob.ts";
 * assert(JSON.stringify(intersect([[1, 9]], [[5, 20]])) === "[[5,9]]");
 * ```
 */
export function intersect(a: CharRanges, b: CharRanges): CharRanges {
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [alo, ahi] = a[i] as readonly [number, number];
    const [blo, bhi] = b[j] as readonly [number, number];
    const lo = Math.max(alo, blo);
    const hi = Math.min(ahi, bhi);
    if (lo <= hi) out.push([lo, hi]);
    if (ahi < bhi) i++;
    else j++;
  }
  return out;
}

/** The characters of a segment that are not in `ranges`. */
function complement(ranges: CharRanges): CharRanges {
  const out: [number, number][] = [];
  let next = 1;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return intersect(out, ANY_CHAR);
}
