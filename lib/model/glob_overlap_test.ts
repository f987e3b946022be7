// The overlap decision of path patterns (docs/contract.md §15): the spec's table, more
// cases, and property tests against an independent oracle — each pattern
// turned into a regular expression here, and brute force over every path of
// a small universe. A "yes" must come with a witness both patterns match; a
// path of the universe that both match means the answer must be "yes".
import { assert, assertEquals } from "../../tests/_assert.ts";
import { overlapWitness } from "./glob_overlap.ts";
import { compiledOverlap, compilePath, compilePattern } from "./compiled_pattern.ts";
import { literalGlob, normalizePattern, parseGlob } from "./path_glob.ts";
import { UsageError } from "./errors.ts";

/** The oracle: a pattern as a regular expression over "/" + path. */
function oracle(pattern: string): RegExp {
  const globbing = /(^|[^\\])[*?[]/.test(pattern);
  const segments = pattern.split("/");
  let source = "";
  for (const segment of segments) {
    if (segment === "**" && globbing) {
      source += "(?:/[^/]+)*";
      continue;
    }
    source += "/";
    for (let i = 0; i < segment.length; i++) {
      const c = segment[i] as string;
      if (c === "\\") source += escape(segment[++i] as string);
      else if (c === "*") source += "[^/]*";
      else if (c === "?") source += "[^/]";
      else if (c === "[") {
        const end = segment.indexOf("]", i + 2);
        let body = segment.slice(i + 1, end);
        const negated = body.startsWith("!");
        if (negated) body = body.slice(1);
        source += negated ? `[^/${body}]` : `(?![/])[${body}]`;
        i = end;
      } else source += escape(c);
    }
  }
  if (!globbing) source += "(?:/.*)?";
  return new RegExp(`^${source}$`, "u");
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

const matches = (pattern: string, path: string) => oracle(pattern).test(`/${path}`);

function decide(a: string, b: string): string | null {
  return overlapWitness(parseGlob(a), parseGlob(b));
}

Deno.test("overlapWitness() answers the spec's table, and each yes comes with a path both match", () => {
  const table: [string, string, boolean][] = [
    ["src/**", "src/auth/login.ts", true],
    ["src/a/**", "src/b/**", false],
    ["*.md", "docs/x.md", false],
    ["**/*.md", "docs/x.md", true],
    ["src/*.ts", "src/a*", true],
    ["a/**/b", "a/b", true],
    // Literal patterns cover their subtree; a trailing slash is the same.
    ["src/auth", "src/auth/x.ts", true],
    ["src/auth", "src/authz", false],
    ["src/auth", "src", true],
    ["src/auth", "src/*", true],
    ["src/*.ts", "src/auth", false],
    ["src/*", "src/auth", true],
    ["src/*.ts", "src/auth/x.ts", false],
    ["docs/*.md", "docs/**/*.txt", false],
    ["**", "anything/at/all", true],
    ["**/test/**", "src/**/test.ts", true],
    ["a/**/b/**/c", "a/*.txt", false],
    ["a/**/b/**/c", "a/x/b/y/c", true],
    ["[!a]b", "ab", false],
    ["[!a]b", "?b", true],
    ["[a-c]x", "[d-f]x", false],
    ["[a-c]x", "[c-f]x", true],
    ["a*b*c", "*x*", true],
    ["*.ts", "*.tsx", false],
    ["*.ts*", "*.tsx", true],
    ["x\\*y", "x?y", true],
    ["x\\*y", "xay", false],
    [".env", "*", true],
    [".github/**", "*/workflows/ci.yml", true],
    ["src/a?", "src/abc", false],
  ];
  for (const [a, b, want] of table) {
    const w = decide(a, b);
    assertEquals(w !== null, want, `${a} vs ${b}: ${w}`);
    assertEquals(decide(b, a) !== null, want, `${b} vs ${a}`);
    if (w !== null) assert(matches(a, w) && matches(b, w), `witness ${w} of ${a} and ${b}`);
  }
});

Deno.test("check paths are literal: glob characters in them name files, each path covers its subtree", () => {
  const page = literalGlob("app/[slug]/page.tsx");
  assert(overlapWitness(page, parseGlob("app/*/page.tsx")) !== null);
  assert(overlapWitness(page, parseGlob("app/s/page.tsx")) === null);
  assert(overlapWitness(page, parseGlob("app/\\[slug\\]/**")) !== null);
  assert(overlapWitness(literalGlob("src/auth"), parseGlob("src/auth/x.ts")) !== null);
  assert(overlapWitness(literalGlob("src/auth"), parseGlob("src/authz/**")) === null);
  assert(overlapWitness(literalGlob("a*"), parseGlob("ab")) === null);
});

/** A small deterministic generator (xorshift), so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

const TOKENS = ["a", "b", "*", "?", "[ab]", "[!a]", "[a-b]"];

function pattern(next: () => number): string {
  const depth = 1 + Math.floor(next() * 3);
  const segments: string[] = [];
  for (let d = 0; d < depth; d++) {
    if (next() < 0.25) {
      segments.push("**");
      continue;
    }
    const length = 1 + Math.floor(next() * 3);
    let segment = "";
    for (let t = 0; t < length; t++) segment += TOKENS[Math.floor(next() * TOKENS.length)];
    segments.push(segment);
  }
  return segments.join("/");
}

/** Every path of up to 3 segments of 1–3 characters of a, b, c. */
function universe(): string[] {
  const segs: string[] = [];
  const grow = (prefix: string) => {
    if (prefix) segs.push(prefix);
    if (prefix.length < 3) { for (const c of "abc") grow(prefix + c); }
  };
  grow("");
  const paths: string[] = [];
  const extend = (prefix: string, depth: number) => {
    for (const s of segs) {
      const path = prefix ? `${prefix}/${s}` : s;
      paths.push(path);
      if (depth < 3) extend(path, depth + 1);
    }
  };
  extend("", 1);
  return paths;
}

Deno.test("property: the decision agrees with brute force over every path of a universe, and every witness matches both", () => {
  const paths = universe();
  const next = random(0x5eed);
  let yes = 0;
  for (let n = 0; n < 400; n++) {
    const [a, b] = [pattern(next), pattern(next)];
    const [ra, rb] = [oracle(a), oracle(b)];
    const both = paths.find((p) => ra.test(`/${p}`) && rb.test(`/${p}`));
    const w = decide(a, b);
    if (both !== undefined) {
      assert(w !== null, `${a} vs ${b}: both match ${both}, decided no`);
    }
    if (w !== null) {
      yes++;
      assert(
        ra.test(`/${w}`) && rb.test(`/${w}`),
        `${a} vs ${b}: witness ${w} does not match both`,
      );
    }
    assertEquals(decide(b, a) !== null, w !== null, `${a} vs ${b} is not symmetric`);
    // The literal-prefix shortcut never changes the answer.
    assertEquals(compiledOverlap(compilePattern(a), compilePattern(b)), w !== null, `${a} vs ${b}`);
  }
  // Both answers were exercised.
  assert(yes > 50 && yes < 350, `${yes} of 400 overlapped`);
});

Deno.test("property: a pattern overlaps every path it matches, and literal paths only what contains them", () => {
  const paths = universe().filter((_, i) => i % 23 === 0);
  const next = random(42);
  for (let n = 0; n < 200; n++) {
    const p = pattern(next);
    const re = oracle(p);
    for (const path of paths) {
      const hit = overlapWitness(parseGlob(p), literalGlob(path)) !== null;
      assertEquals(compiledOverlap(compilePattern(p), compilePath(path)), hit, `${p} vs ${path}`);
      // A file covers no subtree: the shortcuts for one exact path agree with the automaton.
      const exact = overlapWitness(parseGlob(p), literalGlob(path, false)) !== null;
      assertEquals(exact, re.test(`/${path}`), `${p} vs the file ${path}`);
      assertEquals(
        compiledOverlap(compilePattern(p), compilePath(path, false)),
        exact,
        `${p} vs file ${path}`,
      );
      // The literal covers `path` and its subtree: a match of either is an overlap.
      if (re.test(`/${path}`)) assert(hit, `${p} matches ${path} but no overlap`);
      if (hit) {
        const w = overlapWitness(parseGlob(p), literalGlob(path)) as string;
        assert(w === path || w.startsWith(`${path}/`), `${w} is not under ${path}`);
        assert(re.test(`/${w}`), `${p} does not match its witness ${w}`);
      }
    }
  }
});

Deno.test("long patterns with many ** are decided exactly (their cost is in bench/reservations_bench.ts)", () => {
  const long = Array.from({ length: 128 }, (_, i) => (i % 2 ? "**" : `d${i}`)).join("/");
  assert(long.length <= 512, String(long.length));
  const other = Array.from({ length: 128 }, (_, i) => (i % 2 ? `d${i - 1}` : "**")).join("/");
  const w = overlapWitness(parseGlob(long), parseGlob(other));
  assert(w !== null && matches(long, w) && matches(other, w), String(w));
  assert(overlapWitness(parseGlob(long), parseGlob(`${long}/x`.replace("d0", "e0"))) === null);
});

Deno.test("normalizePattern() makes patterns relative to the worktree's top and refuses what cannot be one", () => {
  assertEquals(normalizePattern("src/auth/", "/r"), "src/auth");
  assertEquals(normalizePattern("./a//b/./c", "/r"), "a/b/c");
  assertEquals(normalizePattern("/r/src", "/r"), "src");
  for (
    const bad of [
      "",
      "/etc/passwd",
      "/rr/x",
      "a/../b",
      "..",
      ".",
      "./",
      "a\u0000b",
      "x".repeat(513),
    ]
  ) {
    assert(usageError(() => normalizePattern(bad, "/r")), JSON.stringify(bad));
  }
  assert(usageError(() => parseGlob("a/[bc")));
  assert(usageError(() => parseGlob("a\\")));
});

/** Whether `fn` throws a UsageError (exit 64). */
function usageError(fn: () => unknown): boolean {
  try {
    fn();
  } catch (err) {
    return err instanceof UsageError;
  }
  return false;
}
