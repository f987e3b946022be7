/**
 * The files `lokt init` rewrote, as they were: a harness's settings file is
 * JSON that lokt must parse and write back to add its hooks, which loses the
 * file's own layout (inline arrays, spacing). `init` keeps the text it found,
 * under the lokt root (`init/originals.json`, per clone, never committed), so
 * that `init --remove` puts back exactly those bytes when the file, without
 * lokt's hooks, still says the same; otherwise (someone edited it since) it
 * writes the edited settings without lokt's hooks.
 *
 * @module
 */

import { parseObject } from "../model/record_codec.ts";
import { INIT_DIR } from "../store/layout.ts";

/** The file of originals under the lokt root. */
export const ORIGINALS_FILE = `${INIT_DIR}/originals.json`;

/**
 * The originals kept under a root.
 *
 * @param root The lokt root.
 * @returns Each rewritten file's original text, by absolute path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { readOriginals, saveOriginals } from "./init_originals.ts";
 * const root = Deno.makeTempDirSync();
 * saveOriginals(root, new Map([["/r/.claude/settings.json", "{ }\n"]]));
 * assert.equal(readOriginals(root).get("/r/.claude/settings.json"), "{ }\n");
 * ```
 */
export function readOriginals(root: string): Map<string, string> {
  let text: string;
  try {
    text = Deno.readTextFileSync(`${root}/${ORIGINALS_FILE}`);
  } catch {
    return new Map();
  }
  const saved = parseObject(text) ?? {};
  return new Map(
    Object.entries(saved).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

/**
 * Saves the originals (removes the file when none is left).
 *
 * @param root The lokt root.
 * @param originals The originals, by absolute path.
 */
export function saveOriginals(root: string, originals: Map<string, string>): void {
  const path = `${root}/${ORIGINALS_FILE}`;
  if (originals.size === 0) {
    try {
      Deno.removeSync(path);
    } catch {
      // None saved.
    }
    return;
  }
  Deno.mkdirSync(`${root}/${INIT_DIR}`, { recursive: true });
  Deno.writeTextFileSync(path, `${JSON.stringify(Object.fromEntries(originals), null, 2)}\n`);
}

/**
 * The text to write back when lokt's part comes out of a file: the original
 * bytes when they say the same as what is left (the same JSON; for other
 * text, the same but for blank lines at the end, which lokt's block needed
 * around it), else what is left.
 *
 * @param left The file without lokt's part, as lokt would write it.
 * @param original The text the file had before `init`, if kept.
 * @param json Compare as JSON settings (else as text).
 * @returns The text to write.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { restoredText } from "./init_originals.ts";
 * assert.equal(restoredText('{\n  "a": [1, 2]\n}\n', '{"a":[1,2]}', true), '{"a":[1,2]}');
 * assert.equal(restoredText('{\n  "a": 3\n}\n', '{"a":[1,2]}', true), '{\n  "a": 3\n}\n');
 * assert.equal(restoredText("# Agents\n", "# Agents", false), "# Agents");
 * ```
 */
export function restoredText(left: string, original: string | undefined, json: boolean): string {
  if (original === undefined) return left;
  const same = json
    ? JSON.stringify(parseObject(left)) === JSON.stringify(parseObject(original))
    : left.replace(/\n+$/, "") === original.replace(/\n+$/, "");
  return same ? original : left;
}
