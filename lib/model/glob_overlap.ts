/**
 * Whether two path patterns overlap — some path matches both — decided
 * exactly (docs/contract.md §15), never by comparing strings: the two patterns are
 * intersected as automata, over path segments (`**` against segments) and,
 * inside each pair of segments, over characters (`*` against characters).
 * The search returns a witness, a path both match, so every "yes" can be
 * checked; a "no" is a search of every pair of positions that found none.
 *
 * Cost: at most (elements of a + 1) × (elements of b + 1) segment pairs, each
 * at most (tokens + 1) × (tokens + 1) character states, each computed once.
 *
 * @module
 */

import type { CharRanges, GlobElement, PathGlob, SegmentToken } from "./path_glob.ts";
import { intersect } from "./path_glob.ts";

/**
 * A path that both patterns match, or `null` when none does.
 *
 * @param a A parsed pattern.
 * @param b Another.
 * @returns A witness path, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { overlapWitness } from "./glob_overlap.ts";
 * import { parseGlob } from "./path_glob.ts";
 * assert(overlapWitness(parseGlob("src/**"), parseGlob("src/auth/login.ts")) !== null);
 * assert(overlapWitness(parseGlob("src/a/**"), parseGlob("src/b/**")) === null);
 * ```
 */
export function overlapWitness(a: PathGlob, b: PathGlob): string | null {
  const segments = walk(a.elements, b.elements, pathMoves);
  if (segments === null) return null;
  // A path has at least one segment; `**` against `**` matches any.
  return segments.length === 0 ? "a" : segments.join("/");
}

/**
 * Whether two patterns overlap.
 *
 * @param a A parsed pattern.
 * @param b Another.
 * @returns `true` when some path matches both.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { overlaps } from "./glob_overlap.ts";
 * import { parseGlob } from "./path_glob.ts";
 * assert(!overlaps(parseGlob("*.md"), parseGlob("docs/x.md")));
 * assert(overlaps(parseGlob("**\/*.md"), parseGlob("docs/x.md")));
 * ```
 */
export function overlaps(a: PathGlob, b: PathGlob): boolean {
  return overlapWitness(a, b) !== null;
}

/** One step of a product search: the next positions and what it emits. */
type Move<T> = [number, number, T | null];

/**
 * A search over pairs of positions (i in `x`, j in `y`) from (0, 0) to the
 * ends, depth first with each pair visited once; returns what the moves on
 * the way emitted, or `null` when the ends cannot be reached.
 */
function walk<X, T>(
  x: readonly X[],
  y: readonly X[],
  moves: (x: readonly X[], y: readonly X[], i: number, j: number) => Move<T>[],
): T[] | null {
  const width = y.length + 1;
  const seen = new Uint8Array((x.length + 1) * width);
  // Each stack entry: position and the index of the entry it came from.
  const from: number[] = [-1];
  const emitted: (T | null)[] = [null];
  const at: number[] = [0];
  const stack = [0];
  seen[0] = 1;
  while (stack.length > 0) {
    const entry = stack.pop() as number;
    const pos = at[entry] as number;
    const i = Math.floor(pos / width);
    const j = pos % width;
    if (i === x.length && j === y.length) {
      const out: T[] = [];
      for (let e = entry; e > 0; e = from[e] as number) {
        const value = emitted[e] as T | null;
        if (value !== null) out.push(value);
      }
      return out.reverse();
    }
    for (const [ni, nj, value] of moves(x, y, i, j)) {
      const next = ni * width + nj;
      if (seen[next]) continue;
      seen[next] = 1;
      from.push(entry);
      emitted.push(value);
      at.push(next);
      stack.push(at.length - 1);
    }
  }
  return null;
}

/** The moves over path elements: `**` takes zero or more segments of the other side. */
function pathMoves(
  a: readonly GlobElement[],
  b: readonly GlobElement[],
  i: number,
  j: number,
): Move<string>[] {
  const moves: Move<string>[] = [];
  const ea = a[i];
  const eb = b[j];
  if (ea?.kind === "globstar") moves.push([i + 1, j, null]);
  if (eb?.kind === "globstar") moves.push([i, j + 1, null]);
  if (ea?.kind === "globstar" && eb?.kind === "segment") {
    const w = eb.literal ?? segmentWitness(eb.tokens, STAR_SEGMENT);
    if (w !== null) moves.push([i, j + 1, w]);
  }
  if (ea?.kind === "segment" && eb?.kind === "globstar") {
    const w = ea.literal ?? segmentWitness(ea.tokens, STAR_SEGMENT);
    if (w !== null) moves.push([i + 1, j, w]);
  }
  if (ea?.kind === "segment" && eb?.kind === "segment") {
    const w = segmentsMeet(ea, eb);
    if (w !== null) moves.push([i + 1, j + 1, w]);
  }
  return moves;
}

type Segment = Extract<GlobElement, { kind: "segment" }>;

/**
 * A segment both match. A literal segment is one string: against another
 * literal it is equality, against a glob a match of that string (the common
 * case of a path checked against patterns); two globs are intersected.
 */
function segmentsMeet(a: Segment, b: Segment): string | null {
  if (a.literal !== null && b.literal !== null) return a.literal === b.literal ? a.literal : null;
  if (a.literal !== null) return matchesText(b.tokens, a.literal) ? a.literal : null;
  if (b.literal !== null) return matchesText(a.tokens, b.literal) ? b.literal : null;
  return segmentWitness(a.tokens, b.tokens);
}

/** Whether a segment's tokens match a text: wildcard matching, backtracking to the last star. */
function matchesText(tokens: readonly SegmentToken[], text: string): boolean {
  const chars = Array.from(text, (c) => c.codePointAt(0) as number);
  let t = 0;
  let c = 0;
  let star = -1;
  let resume = 0;
  while (c < chars.length) {
    const token = tokens[t];
    if (token?.kind === "chars" && inRanges(token.ranges, chars[c] as number)) {
      t++;
      c++;
    } else if (token?.kind === "star") {
      star = t++;
      resume = c;
    } else if (star >= 0) {
      t = star + 1;
      c = ++resume;
    } else return false;
  }
  while (tokens[t]?.kind === "star") t++;
  return t === tokens.length;
}

function inRanges(ranges: CharRanges, code: number): boolean {
  for (const [lo, hi] of ranges) if (code >= lo && code <= hi) return true;
  return false;
}

const STAR_SEGMENT: SegmentToken[] = [{ kind: "star" }];

/** A non-empty segment both token lists match, or `null`. */
function segmentWitness(a: readonly SegmentToken[], b: readonly SegmentToken[]): string | null {
  const chars = walk(a, b, charMoves);
  if (chars === null) return null;
  // Only stars on both sides: any one character will do.
  return chars.length === 0 ? "a" : String.fromCodePoint(...chars);
}

/** The moves over segment tokens: `*` takes zero or more characters of the other side. */
function charMoves(
  a: readonly SegmentToken[],
  b: readonly SegmentToken[],
  i: number,
  j: number,
): Move<number>[] {
  const moves: Move<number>[] = [];
  const ta = a[i];
  const tb = b[j];
  if (ta?.kind === "star") moves.push([i + 1, j, null]);
  if (tb?.kind === "star") moves.push([i, j + 1, null]);
  if (ta?.kind === "star" && tb?.kind === "chars") moves.push([i, j + 1, first(tb.ranges)]);
  if (ta?.kind === "chars" && tb?.kind === "star") moves.push([i + 1, j, first(ta.ranges)]);
  if (ta?.kind === "chars" && tb?.kind === "chars") {
    const common = intersect(ta.ranges, tb.ranges);
    if (common.length > 0) moves.push([i + 1, j + 1, first(common)]);
  }
  // A character set with nothing in it (`[!…]` of everything) matches no character.
  return moves.filter(([, , c]) => c !== -1);
}

/** A character of a set, for the witness: a letter, else a printable one, else any. */
function first(ranges: CharRanges): number {
  for (const prefer of [LETTERS, PRINTABLE, ranges]) {
    const found = intersect(ranges, prefer)[0];
    if (found) return found[0];
  }
  return -1;
}

const LETTERS: CharRanges = [[0x61, 0x7a]];
const PRINTABLE: CharRanges = [[0x21, 0x2e], [0x30, 0x7e]];
