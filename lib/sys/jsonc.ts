/**
 * JSON with comments (`lokt.jsonc`): comments and trailing commas are blanked
 * out — replaced by spaces, newlines kept — so that `JSON.parse` reads the rest
 * and every line and column stays where it was in the file.
 *
 * @module
 */

/**
 * Blanks out `//` and `/* *\/` comments and trailing commas outside strings.
 *
 * @param text JSONC text.
 * @returns JSON text of the same length, with the same line breaks.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { stripJsonc } from "./jsonc.ts";
 * const json = stripJsonc('{\n  // default TTL\n  "ttl": "5m", /* why *\/\n}');
 * assert(JSON.parse(json).ttl === "5m");
 * ```
 */
export function stripJsonc(text: string): string {
  const out = text.split("");
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n" && out[k] !== "\r") out[k] = " ";
  };
  let i = 0;
  let lastComma = -1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      lastComma = -1;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      i++;
    } else if (c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else {
      if (c === ",") lastComma = i;
      else if ((c === "}" || c === "]") && lastComma >= 0) blank(lastComma, lastComma + 1);
      if (c !== " " && c !== "\t" && c !== "\n" && c !== "\r" && c !== ",") lastComma = -1;
      i++;
    }
  }
  return out.join("");
}
