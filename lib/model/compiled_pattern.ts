/**
 * Patterns and paths prepared for many overlap decisions (reservation checks
 * against a whole index): the leading literal segments decide most pairs at
 * once; the exact decision of `glob_overlap.ts` runs only when they agree.
 *
 * @module
 */

import type { PathGlob } from "./path_glob.ts";
import { literalGlob, parseGlob } from "./path_glob.ts";
import { overlapWitness } from "./glob_overlap.ts";

/**
 * A pattern (or a literal path) ready for many overlap decisions: its
 * leading literal segments, and its parsed form, made on first use.
 */
export interface CompiledPattern {
  /** The pattern or path, in normal form. */
  source: string;
  /** Its leading segments that hold no glob character, as written. */
  prefix: string[];
  /** Whether it is a literal path (`check`), not a pattern. */
  literal: boolean;
  /** For a literal path: whether it covers what is below it. */
  subtree: boolean;
  /** The parsed form, once an exact decision needed it. */
  glob: PathGlob | null;
}

/**
 * Prepares a pattern for {@linkcode compiledOverlap}.
 *
 * @param source A pattern in normal form.
 * @returns The compiled pattern.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { compilePattern } from "./compiled_pattern.ts";
 * assert(compilePattern("src/auth/*.ts").prefix.join("/") === "src/auth");
 * ```
 */
export function compilePattern(source: string): CompiledPattern {
  const prefix: string[] = [];
  for (const segment of source.split("/")) {
    if (/[*?[\\]/.test(segment)) break;
    prefix.push(segment);
  }
  return { source, prefix, literal: false, subtree: false, glob: null };
}

/**
 * Prepares a literal path (glob characters in it are file names) for
 * {@linkcode compiledOverlap}.
 *
 * @param path A path in normal form.
 * @param subtree Whether it covers what is below it (not for a file). @default {true}
 * @returns The compiled path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { compilePath } from "./compiled_pattern.ts";
 * assert(compilePath("app/[slug]/page.tsx").prefix.length === 3);
 * ```
 */
export function compilePath(path: string, subtree = true): CompiledPattern {
  return { source: path, prefix: path.split("/"), literal: true, subtree, glob: null };
}

/**
 * Whether two compiled patterns overlap: the same exact decision as
 * {@linkcode overlaps}, skipped when their leading literal segments already
 * differ (no path can then match both: a segment at that depth would have to
 * equal two different strings).
 *
 * @param a A compiled pattern or path.
 * @param b Another.
 * @returns `true` when some path matches both.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { compiledOverlap, compilePath, compilePattern } from "./compiled_pattern.ts";
 * assert(compiledOverlap(compilePattern("src/**"), compilePath("src/a.ts")));
 * assert(!compiledOverlap(compilePattern("docs/**"), compilePath("src/a.ts")));
 * ```
 */
export function compiledOverlap(a: CompiledPattern, b: CompiledPattern): boolean {
  const n = Math.min(a.prefix.length, b.prefix.length);
  for (let i = 0; i < n; i++) if (a.prefix[i] !== b.prefix[i]) return false;
  if (a.literal && !a.subtree && !b.literal && !fileCanMatch(a.prefix, b.source)) return false;
  if (b.literal && !b.subtree && !a.literal && !fileCanMatch(b.prefix, a.source)) return false;
  return overlapWitness(globOf(a), globOf(b)) !== null;
}

const GLOB_CHAR = /[*?[\\]/;

/**
 * Necessary conditions for a pattern to match one exact path (a file, with
 * nothing below it), tested on the pattern's text before it is parsed: every
 * segment of it without glob characters is one of the path's segments; and
 * when the pattern globs (so it has no implicit `**` at its end), its last
 * segment, if literal, is the path's last one, or, if its text after the last
 * `*` is literal, the path's last segment ends with that text.
 */
function fileCanMatch(segments: string[], source: string): boolean {
  const parts = source.split("/");
  for (const part of parts) {
    if (part !== "**" && !GLOB_CHAR.test(part) && !segments.includes(part)) return false;
  }
  if (!GLOB_CHAR.test(source)) return true;
  const last = parts.at(-1) as string;
  const file = segments.at(-1) as string;
  if (last === "**") return true;
  if (!GLOB_CHAR.test(last)) return last === file;
  const tail = last.slice(last.lastIndexOf("*") + 1);
  return !last.includes("*") || GLOB_CHAR.test(tail) || file.endsWith(tail);
}

function globOf(c: CompiledPattern): PathGlob {
  c.glob ??= c.literal ? literalGlob(c.source, c.subtree) : parseGlob(c.source);
  return c.glob;
}
