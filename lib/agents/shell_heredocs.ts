/**
 * A heredoc's body is text the shell does not run (`cat > notes.md <<'EOF'`
 * … `rm -rf src` … `EOF`): the shell readers leave it out, but only where
 * the shell takes it as a body (docs/agents.md).
 *
 * @module
 */

/**
 * The command with the bodies of its heredocs left out: text the shell does
 * not run (`cat > notes.md <<'EOF'` … `rm -rf src` … `EOF`). An unquoted
 * heredoc's body is expanded, so its lines with a command substitution are
 * kept. Read with quotes, comments and arithmetic (`$((1 << 2))`) taken into
 * account, and all kept when a heredoc does not end: a body is left out only
 * where the shell takes it as one.
 *
 * @param script The command text.
 * @returns The text without the bodies.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { withoutBodies } from "./shell_heredocs.ts";
 * assert.equal(withoutBodies("cat > n.md <<'EOF'\nrm -rf src\nEOF\nls"), "cat > n.md <<'EOF'\nls");
 * assert.equal(withoutBodies("echo '<<X'\nrm a\nX"), "echo '<<X'\nrm a\nX");
 * ```
 */
export function withoutBodies(script: string): string {
  if (!script.includes("<<")) return script;
  const kept: string[] = [];
  let pending: Heredoc[] = [];
  let i = 0;
  let lineStart = 0;
  while (i < script.length) {
    const c = script[i] as string;
    if (c === "\\") i += 2;
    else if (c === "'") i = closing(script, i + 1, "'");
    else if (c === '"') i = closing(script, i + 1, '"');
    else if (c === "#" && (i === 0 || /[\s;&|()]/.test(script[i - 1] as string))) {
      i = script.indexOf("\n", i);
      if (i < 0) i = script.length;
    } else if (script.startsWith("((", i)) {
      i = arithmeticEnd(script, i + 2);
    } else if (script.startsWith("<<", i) && script[i + 2] !== "<") {
      const heredoc = heredocAt(script, i + 2);
      if (!heredoc) return script;
      pending.push(heredoc);
      i = heredoc.end;
    } else if (c === "\n") {
      kept.push(script.slice(lineStart, i + 1));
      i++;
      if (pending.length) {
        const after = bodiesEnd(script, i, pending, kept);
        if (after < 0) return script;
        i = after;
        pending = [];
      }
      lineStart = i;
    } else i++;
    if (i < 0) return script;
  }
  if (pending.length) return script;
  kept.push(script.slice(lineStart));
  return kept.join("");
}

/** A heredoc's delimiter, whether any of it is quoted, `<<-`, and where its word ends. */
interface Heredoc {
  delimiter: string;
  quoted: boolean;
  dash: boolean;
  end: number;
}

/** The heredoc whose `<<` ends at `at`, or `null` when its delimiter cannot be read. */
function heredocAt(script: string, at: number): Heredoc | null {
  const m = /^(-?)[ \t]*((?:[^\s;&|()<>'"\\]|'[^']*'|"[^"]*"|\\.)+)/.exec(script.slice(at));
  if (!m) return null;
  const word = m[2] as string;
  return {
    delimiter: word.replace(/\\(.)/g, "$1").replace(/['"]/g, ""),
    quoted: /['"\\]/.test(word),
    dash: m[1] === "-",
    end: at + m[0].length,
  };
}

/** Where the bodies of `pending` end (after their delimiter lines), or -1 when one never ends. */
function bodiesEnd(script: string, from: number, pending: Heredoc[], kept: string[]): number {
  let i = from;
  for (const heredoc of pending) {
    while (true) {
      if (i >= script.length) return -1;
      let end = script.indexOf("\n", i);
      if (end < 0) end = script.length;
      const line = script.slice(i, end);
      i = end + 1;
      const text = heredoc.dash ? line.replace(/^\t+/, "") : line;
      if (text.replace(/\r$/, "") === heredoc.delimiter) break;
      if (!heredoc.quoted && /\$\(|`/.test(line)) kept.push(`${line}\n`);
    }
  }
  return Math.min(i, script.length);
}

/**
 * Past the quote that closes one opened before `from` (a backslash escapes in `"…"`), or -1.
 *
 * @param script The command text.
 * @param from Where the quoted text starts (after its opening quote).
 * @param quote `'` or `"`.
 * @returns The offset after the closing quote, or -1 when it is not closed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { closing } from "./shell_heredocs.ts";
 * assert.equal(closing(`"a\\"b" c`, 1, '"'), 6);
 * assert.equal(closing("'open", 1, "'"), -1);
 * ```
 */
export function closing(script: string, from: number, quote: string): number {
  for (let i = from; i < script.length; i++) {
    if (quote === '"' && script[i] === "\\") i++;
    else if (script[i] === quote) return i + 1;
  }
  return -1;
}

/** Past the `))` that closes an arithmetic `((` opened before `from`, or -1. */
function arithmeticEnd(script: string, from: number): number {
  let depth = 2;
  for (let i = from; i < script.length; i++) {
    if (script[i] === "(") depth++;
    else if (script[i] === ")" && --depth === 0) return i + 1;
  }
  return -1;
}
