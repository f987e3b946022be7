// A shell's written words as the shell expands them (shell_globs.ts): braces,
// globs against the files there (no leading dot, no match stays as written),
// a word that names the whole worktree as its entries, and a word that would
// expand past the limit as the directory that covers every match.
import { assertEquals } from "../../tests/_assert.ts";
import { FOUND_NAMED, FOUND_NAMED_ANY_CASE } from "./shell_bulk_writers.ts";
import { expandWords, MAX_EXPANDED } from "./shell_globs.ts";

const names = (words: string[], cwd: string, top: string | null) =>
  expandWords(words, cwd, top).names;

function tree(files: string[]): string {
  const top = Deno.realPathSync(Deno.makeTempDirSync());
  for (const file of files) {
    Deno.mkdirSync(`${top}/${file.slice(0, file.lastIndexOf("/") + 1)}`, { recursive: true });
    Deno.writeTextFileSync(`${top}/${file}`, "");
  }
  return top;
}

Deno.test("names() expands braces and globs as bash does", () => {
  const top = tree(["src/a.ts", "src/b.ts", "src/.hidden.ts", "src/auth/login.ts", "docs/x.md"]);
  const rel = (names: string[]) => names.map((n) => n.slice(top.length + 1));
  assertEquals(rel(names(["src/*.ts"], top, null)), ["src/a.ts", "src/b.ts"]);
  assertEquals(rel(names(["src/.*.ts"], top, null)), ["src/.hidden.ts"]);
  assertEquals(rel(names(["*/*/*.ts"], top, null)), ["src/auth/login.ts"]);
  assertEquals(rel(names(["src/[ab].ts"], top, null)), ["src/a.ts", "src/b.ts"]);
  assertEquals(rel(names(["src/[!a].ts"], top, null)), ["src/b.ts"]);
  assertEquals(rel(names(["src/?.ts"], top, null)), ["src/a.ts", "src/b.ts"]);
  assertEquals(rel(names(["{src,docs}/{a,x}.{ts,md}"], top, null)), [
    "src/a.ts",
    "src/a.md",
    "src/x.ts",
    "src/x.md",
    "docs/a.ts",
    "docs/a.md",
    "docs/x.ts",
    "docs/x.md",
    // `sh` does not expand braces: the word as written.
    "{src,docs}/{a,x}.{ts,md}",
  ]);
  assertEquals(rel(names(["src/{a,{b,c}}.ts"], top, null)), [
    "src/a.ts",
    "src/b.ts",
    "src/c.ts",
    "src/{a,{b,c}}.ts",
  ]);
  // No match: the word as written, as bash passes it.
  assertEquals(rel(names(["src/*.js", "{x}"], top, null)), ["src/*.js", "{x}"]);
  // An escaped glob character is literal.
  assertEquals(rel(names(["src/\\*.ts"], top, null)), ["src/\\*.ts"]);
  // Relative to the directory the command runs in; an absolute word as it is.
  assertEquals(names(["a.ts", `${top}/docs/x.md`], `${top}/src`, null), [
    `${top}/src/a.ts`,
    `${top}/docs/x.md`,
  ]);
});

Deno.test("names() judges a word naming the whole worktree as each of its entries", () => {
  const top = tree(["src/a.ts", "README.md", ".git/config"]);
  const entries = [`${top}/README.md`, `${top}/src`];
  assertEquals(names(["."], top, top), entries);
  assertEquals(names([".."], `${top}/src`, top), entries);
  assertEquals(names(["/"], `${top}/src`, top), entries);
  assertEquals(names(["*"], top, top), entries);
  // They are checked, never reserved for the session.
  assertEquals([...expandWords(["."], top, top).broad], entries);
  // Inside the worktree, a directory is itself.
  assertEquals(names(["src"], top, top), [`${top}/src`]);
});

Deno.test("names() judges a word past the limit as the directory that holds every match", () => {
  const top = tree([]);
  Deno.mkdirSync(`${top}/gen`);
  for (let i = 0; i <= MAX_EXPANDED; i++) Deno.writeTextFileSync(`${top}/gen/f${i}.ts`, "");
  assertEquals(names(["gen/*.ts"], top, null), [`${top}/gen`]);
  assertEquals([...expandWords(["gen/*.ts"], top, null).broad], [`${top}/gen`]);
  // Braces past 256 words: the same.
  const many = `gen/{${
    Array.from({ length: 20 }, (_, i) => i).join(",")
  }}{a,b,c,d,e,f,g,h,i,j,k,l,m,n}`;
  assertEquals(names([many], top, null), [`${top}/gen`]);
});

Deno.test("expandWords() lists what find -name acts on: matching files and directories below its root, links not followed", () => {
  const dir = Deno.realPathSync(Deno.makeTempDirSync());
  Deno.mkdirSync(`${dir}/src/auth`, { recursive: true });
  Deno.mkdirSync(`${dir}/src/cache.pyc`);
  Deno.writeTextFileSync(`${dir}/src/a.pyc`, "");
  Deno.writeTextFileSync(`${dir}/src/auth/B.PYC`, "");
  Deno.writeTextFileSync(`${dir}/src/auth/login.ts`, "");
  Deno.mkdirSync(`${dir}/elsewhere`);
  Deno.writeTextFileSync(`${dir}/elsewhere/c.pyc`, "");
  Deno.symlinkSync(`${dir}/elsewhere`, `${dir}/src/link`);
  const named = expandWords([`src/${FOUND_NAMED}*.pyc`], dir, null).names.sort();
  assertEquals(named, [`${dir}/src/a.pyc`, `${dir}/src/cache.pyc`]);
  const anyCase = expandWords([`src/${FOUND_NAMED_ANY_CASE}*.pyc`], dir, null).names.sort();
  assertEquals(anyCase, [`${dir}/src/a.pyc`, `${dir}/src/auth/B.PYC`, `${dir}/src/cache.pyc`]);
  assertEquals(expandWords([`src/${FOUND_NAMED}*.none`], dir, null).names, []);
  // Its `*` matches a leading dot, unlike the shell's.
  Deno.writeTextFileSync(`${dir}/src/auth/.env`, "");
  assertEquals(expandWords([`src/${FOUND_NAMED}*env`], dir, null).names, [`${dir}/src/auth/.env`]);
});
