/**
 * What a script given to an interpreter in the command itself may write
 * (docs/agents.md): `python3 -c "…"`, `python3 - <<'EOF'` … `EOF`,
 * `node -e`, `ruby -e`, `perl -e`, `php -r`, `deno eval`, an `awk`
 * program's `print > "f"`. An agent denied an edit may try one, so a
 * script that writes files (`open(p, "w")`, `write_text`, `os.remove`,
 * `writeFileSync`, `File.write`, `>` …) is judged as every path its text
 * names in quotes (`'src/a.ts'`, `"docs/"`, `'.'`, and any word given
 * first to a call such as `rmtree('build')` or `Path('src')`), but those it
 * only reads outright (`open('x')`, `Path('x').read_text()`). A path the
 * script builds at run time (`Path('src') / name`) is judged by the parts
 * it names (`src`, as a directory); a script in a file (`python3 gen.py`) is
 * not read.
 *
 * @module
 */

import { operandsOf } from "./shell_words.ts";

/** Interpreters, and the options that give them their code. */
const INLINE: Readonly<Record<string, RegExp>> = {
  python: /^-[A-Za-z]*c$/,
  node: /^(?:-e|--eval|-p|--print)$/,
  bun: /^(?:-e|--eval|-p|--print)$/,
  deno: /^eval$/,
  ruby: /^-[A-Za-z]*e$/,
  perl: /^-[A-Za-z]*[eE]$/,
  php: /^-r$/,
};

/**
 * Code that writes or removes files, in the languages above (and an `awk`
 * redirection). Kept apart: one alternation of them all costs V8 ~1 ms to
 * compile on its first use in a process, these ~0.3 ms together.
 */
const WRITES = [
  /\bopen\s*\([^)]*,\s*(?:mode\s*=\s*)?['"][^'"]*[wax+]/,
  /\.write_(?:text|bytes)\s*\(/,
  /\.(?:touch|unlink|rename|replace|rmdir|mkdir|symlink_to|hardlink_to)\s*\(/,
  /\bos\.(?:remove|unlink|rename|replace|rmdir|removedirs|makedirs|mkdir|truncate|symlink|link)\b/,
  /\bshutil\./,
  /\bfileinput\b/,
  /\b(?:write|append)File(?:Sync)?\b/,
  /\b(?:rm|rmdir|unlink|rename|copyFile|cp|mkdir|truncate|symlink|link)Sync\b/,
  /\bcreateWriteStream\b/,
  /\bfs(?:\.promises)?\.(?:rm|rmdir|unlink|rename|copyFile|cp|mkdir|truncate|open|symlink|link)\b/,
  /\bDeno\.(?:write|remove|rename|copyFile|mkdir|truncate|create|open|symlink|link)/,
  /\bBun\.write\b/,
  /\b(?:File|FileUtils|IO)\.(?:write|delete|unlink|rename|open|symlink|link|mv|rm|cp|touch|mkdir|binwrite)/,
  /\b(?:file_put_contents|fopen|unlink|rename|copy|mkdir|rmdir|touch)\s*\(/,
  /\bopen\s*\(?\s*(?:my\s+)?[$\w]+\s*,\s*['"]\+?[>|]/,
  />\s*['"]/,
];

/** A string literal of the code. */
const LITERAL = /(['"])((?:(?!\1)[^\\\n]|\\.)*)\1/g;

/** A literal that names a path: a `/` in it, an extension, or `.`/`..`; no space, no expansion. */
const PATH_LIKE = /^(?:\.\.?|[\w.~@+\-/]*(?:\/[\w.~@+\-/]*|\.[A-Za-z][A-Za-z0-9]{0,9}))$/;

/**
 * A literal given first to a call that writes or names a path
 * (`shutil.rmtree('build')`, `rmSync("src")`, `Path('src') / name`): a path
 * even without a `/` or an extension.
 */
const CALL_ARGUMENT =
  /\b(?:remove|unlink|rmtree|rmdir|removedirs|rename|replace|move|copy\w*|rm|rmSync|unlinkSync|writeFile\w*|appendFile\w*|mkdir\w*|makedirs|truncate\w*|delete|open|Path|join)\s*\(\s*(['"])([\w.~@+\-/]+)\1/g;

/** The longest literal read as a path (prose in quotes is no path). */
const MAX_PATH = 400;

/** Literals the code only reads, outright: `open('x')`, `open('x', 'r')`, `Path('x').read_text()`. */
const READ_ONLY =
  /\bopen\s*\(\s*(['"])((?:(?!\1).)*)\1\s*(?:\)|,\s*(?:mode\s*=\s*)?['"]r[bt]?['"])|\bPath\s*\(\s*(['"])((?:(?!\3).)*)\3\s*\)\s*\.read_(?:text|bytes)\b|\b(?:readFileSync|readFile|readTextFile|File\.read)\s*\(\s*(['"])((?:(?!\5).)*)\5/g;

/**
 * The paths an interpreter's script names, when the script writes files;
 * `null` when the command is no interpreter given a script lokt can read.
 *
 * @param name The command's name (its last path part).
 * @param args The words after it.
 * @param stdin The text the command may read its script from (the whole command, read over).
 * @returns The path literals of a script that writes, `[]` for one that does not, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { scriptWrites } from "./shell_interpreters.ts";
 * const code = "from pathlib import Path; Path('src/a.ts').write_text('x')";
 * assert.deepEqual(scriptWrites("python3", ["-c", code], ""), ["src/a.ts"]);
 * assert.deepEqual(scriptWrites("python3", ["-c", "print(open('src/a.ts').read())"], ""), []);
 * assert.equal(scriptWrites("python3", ["gen.py"], ""), null);
 * ```
 */
export function scriptWrites(name: string, args: string[], stdin: string): string[] | null {
  const code = codeOf(name, args, stdin);
  if (code === null) return null;
  if (!WRITES.some((pattern) => pattern.test(code))) return [];
  const read = new Set<string>();
  for (const m of code.matchAll(READ_ONLY)) read.add(m[2] ?? m[4] ?? m[6] ?? "");
  const paths = new Set<string>();
  for (const m of code.matchAll(CALL_ARGUMENT)) {
    if (!read.has(m[2] as string) && (m[2] as string).length <= MAX_PATH) paths.add(m[2] as string);
  }
  for (const m of code.matchAll(LITERAL)) {
    const text = (m[2] as string).replace(/\\(.)/g, "$1");
    if (text.length <= MAX_PATH && PATH_LIKE.test(text) && !read.has(text)) paths.add(text);
  }
  return [...paths];
}

/** The code an interpreter runs: given inline, or read from its input; `null` from a file. */
function codeOf(name: string, args: string[], stdin: string): string | null {
  if (/^(?:g|m|n)?awk$/.test(name)) {
    return args.some((a) => a === "-f" || a.startsWith("--file"))
      ? null
      : operandsOf(args)[0] ?? "";
  }
  const family = /^python[\d.]*$|^pypy\d*$/.test(name)
    ? "python"
    : name === "nodejs"
    ? "node"
    : name;
  const inline = INLINE[family];
  if (!inline) return null;
  const given = args.flatMap((
    a,
    i,
  ) => (inline.test(a) && args[i + 1] !== undefined ? [args[i + 1]] : []));
  if (given.length) return given.join("\n");
  // `python3 script.py` runs a file; `python3`, `python3 -`, `node -` read their input.
  const operands = operandsOf(args);
  if (family === "deno" || (operands.length && operands[0] !== "-")) return null;
  return stdin;
}
