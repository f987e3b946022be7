/**
 * What qualifies the default owner when nothing names it: the agent session,
 * the terminal, the Unix session or the parent process of this process, so
 * that two terminals or two agents of one Unix user are told apart.
 *
 * @module
 */

import {
  HARNESS_SESSION_VARIABLES,
  harnessSessionOwner,
  identityValueProblem,
} from "../model/identity_value.ts";

/** How a default owner was derived (the guessed kinds are the last two). */
export type DerivedOwnerKind = "harness-variable" | "terminal" | "unix-session" | "parent-process";

/** Agent-harness variables that identify one agent session, checked in order. */
export const SESSION_VARIABLES: readonly string[] = [
  "CLAUDE_SESSION_ID",
  "CODEX_SESSION_ID",
  "GEMINI_SESSION_ID",
  "AIDER_SESSION_ID",
  "CURSOR_SESSION_ID",
  "TERM_SESSION_ID",
];

/** Terminal variables that tell terminals apart when /proc cannot be read. */
export const TERMINAL_VARIABLES: readonly string[] = [
  "TMUX_PANE",
  "STY",
  "ITERM_SESSION_ID",
  "WT_SESSION",
  "KITTY_WINDOW_ID",
  "WINDOWID",
  "SSH_TTY",
];

/**
 * The qualifier of the default owner `user@host:<tag>`, from what tells this
 * process's agent or terminal apart: an agent session variable (Claude
 * Code's and Codex's give their hooks' owner outright), the controlling
 * terminal, the Unix session, terminal variables where `/proc` cannot be
 * read, and last the parent process.
 *
 * @param env Reads one environment variable.
 * @param ttyNr The controlling terminal's device number from `/proc`, or 0.
 * @param session The Unix session id from `/proc`, or 0.
 * @returns The tag, where it came from, its kind, and the whole owner when a harness gives it.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { sessionQualifier } from "./owner_qualifier.ts";
 * const q = sessionQualifier(() => undefined, 0, 4242);
 * assert.deepEqual(q, { tag: "sid4242", source: "process session 4242", kind: "unix-session" });
 * ```
 */
export function sessionQualifier(
  env: (key: string) => string | undefined,
  ttyNr: number,
  session: number,
): { tag: string; source: string; kind: DerivedOwnerKind; owner?: string } {
  for (const key of SESSION_VARIABLES) {
    const value = env(key);
    if (value && identityValueProblem(value, key) === null) {
      // Claude Code's and Codex's sessions: exactly the owner their hooks use.
      const harness = HARNESS_SESSION_VARIABLES[key];
      const owner = harness ? harnessSessionOwner(harness, value) : null;
      if (owner) return { tag: owner, owner, source: key, kind: "harness-variable" };
      return {
        tag: `${key.split("_")[0]?.toLowerCase()}-${value.slice(0, 16)}`,
        source: key,
        kind: "harness-variable",
      };
    }
  }
  if (ttyNr !== 0) {
    const tty = terminalPath();
    if (tty) {
      return { tag: tty.replace(/^\/dev\//, ""), source: `terminal ${tty}`, kind: "terminal" };
    }
    return { tag: `tty${ttyNr}`, source: `terminal device ${ttyNr}`, kind: "terminal" };
  }
  if (session > 0) {
    return { tag: `sid${session}`, source: `process session ${session}`, kind: "unix-session" };
  }
  // No /proc (macOS, or Deno permissions short of --allow-all): terminal
  // variables, then the parent process (the shell lokt was started from).
  for (const key of TERMINAL_VARIABLES) {
    const value = env(key);
    if (value && identityValueProblem(value, key) === null) {
      return {
        tag: `${key.toLowerCase()}-${value.replace(/[^A-Za-z0-9._-]/g, "").slice(0, 16)}`,
        source: key,
        kind: "terminal",
      };
    }
  }
  return {
    tag: `ppid${Deno.ppid}`,
    source: `parent process ${Deno.ppid} (set LOKT_OWNER for a stable owner)`,
    kind: "parent-process",
  };
}

function terminalPath(): string | null {
  for (const fd of [0, 1, 2]) {
    try {
      const target = Deno.readLinkSync(`/proc/self/fd/${fd}`);
      if (/^\/dev\/(pts\/\d+|tty\w*)$/.test(target)) return target;
    } catch {
      // Not a link or no /proc: try the next descriptor.
    }
  }
  return null;
}
