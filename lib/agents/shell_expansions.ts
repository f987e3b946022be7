/**
 * The expansions of a shell word that lokt can know from the command alone:
 * `$HOME` (as `~`, expanded where the hook runs), `$PWD/` (the shell's
 * directory), a variable the command assigns a literal value
 * (`f=src/a.ts; rm "$f"`, `export F=…`), a `for` loop's literal list
 * (`for f in a.ts b.ts; do rm "$f"; done`). Anything else the shell computes at run time stays
 * unknown, and the word is not judged (docs/agents.md).
 *
 * @module
 */

import { quotedWordsOf, wordsOf } from "./shell_words.ts";

/** The values a command gives its variables, by name. */
export type Variables = ReadonlyMap<string, readonly string[]>;

/** The most values one variable, or one word's expansions, may have. */
const MAX_VALUES = 16;

/** An assignment of a literal value. */
const ASSIGNED = /^([A-Za-z_][A-Za-z0-9_]*)=([^$`]*)$/;

/** A `for NAME in LIST` and its list (up to `;`, a newline or `do`). */
const FOR_LOOP = /\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\s+([^;\n]*?)\s*(?:[;\n]|\bdo\b)/g;

/**
 * The literal values a command's text gives its variables: every assignment
 * anywhere (quotes dropped), and every `for` loop's list.
 *
 * @param script The command text.
 * @returns The values of each variable.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { variablesOf } from "./shell_expansions.ts";
 * const vars = variablesOf(`f="src/a.ts"; for g in x y; do rm $g; done`);
 * assert.deepEqual([...vars], [["f", ["src/a.ts"]], ["g", ["x", "y"]]]);
 * ```
 */
export function variablesOf(script: string): Variables {
  const values = new Map<string, string[]>();
  const add = (name: string, value: string) => {
    const list = values.get(name) ?? [];
    if (!list.includes(value) && list.length < MAX_VALUES) list.push(value);
    values.set(name, list);
  };
  if (!script.includes("=") && !script.includes("for")) return values;
  // Split both ways: `S="sed -i"` is one word to the shell.
  for (const { word } of [...wordsOf(script), ...quotedWordsOf(script)]) {
    const m = ASSIGNED.exec(word);
    if (m) add(m[1] as string, m[2] as string);
  }
  for (const m of script.matchAll(FOR_LOOP)) {
    for (const { word } of wordsOf(m[2] as string)) {
      if (!/[$`]/.test(word)) add(m[1] as string, word);
    }
  }
  return values;
}

/**
 * A word's expansions by what lokt knows: its variables substituted (each
 * value), `$HOME` as `~`, a leading `$PWD/` dropped (the shell's directory;
 * `$PWD` alone is `.`).
 * A word still naming an unknown variable is left as it is (not judged).
 *
 * @param word A shell word, quotes dropped.
 * @param variables What {@linkcode variablesOf} found.
 * @returns The words it may be.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { expandKnown } from "./shell_expansions.ts";
 * const vars = new Map([["f", ["a.ts", "b.ts"]]]);
 * assert.deepEqual(expandKnown("src/${f}", vars), ["src/a.ts", "src/b.ts"]);
 * assert.deepEqual(expandKnown("$HOME/x", vars), ["~/x"]);
 * assert.deepEqual(expandKnown("$PWD/src/a.ts", vars), ["src/a.ts"]);
 * assert.deepEqual(expandKnown("${PWD}", vars), ["."]);
 * ```
 */
export function expandKnown(word: string, variables: Variables): string[] {
  let words = [word];
  if (word.includes("$") && variables.size > 0) {
    for (const [name, values] of variables) {
      const use = new RegExp(`\\$(?:${name}|\\{${name}\\})(?![A-Za-z0-9_])`, "g");
      if (!use.test(word)) continue;
      words = words.flatMap((w) => values.map((v) => w.replace(use, () => v)))
        .slice(0, MAX_VALUES);
    }
  }
  return words.map((w) =>
    w.replace(/^\$(?:HOME|\{HOME\})(?=\/|$)/, "~").replace(/^\$(?:PWD|\{PWD\})(?:\/+|$)/, "") ||
    // `"$PWD"` alone is the shell's directory itself (`rm -rf "$PWD"`).
    (w === "" ? "" : ".")
  );
}
