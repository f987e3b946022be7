/**
 * Codex's default `workspace-write` sandbox mounts `.git` read-only, so lokt's
 * state under `.git/lokt` cannot be written from the agent's shell (`lokt
 * lock`, `guard`, `reserve` fail with "Read-only file system"). `lokt init
 * --codex` adds the lokt root to the sandbox's writable roots in the project's
 * `.codex/config.toml` — a block between markers, so `--remove` takes out
 * exactly it. Codex resolves a relative root against the directory of the
 * file (`.codex/`), so the committed path works in every clone.
 *
 * The trade-off (docs/agents.md): the sandboxed agent may write lokt's state
 * directly, as any agent outside a sandbox can; the rest of `.git` stays
 * read-only.
 *
 * @module
 */

import type { FileChange } from "./init.ts";

/** The first line of lokt's block in `.codex/config.toml`. */
export const CODEX_BLOCK_BEGIN =
  "# lokt:begin (lokt init --codex: lokt's state, writable in the sandbox)";
/** The last line of lokt's block. */
export const CODEX_BLOCK_END = "# lokt:end";

/** What `init --codex` does to `.codex/config.toml`. */
export interface CodexSandboxPlan {
  /** The change, or `null` when none is needed (or possible). */
  change: FileChange | null;
  /** What the person must do by hand, when lokt cannot edit the file safely. */
  note: string | null;
}

/**
 * The path of the lokt root relative to `.codex/`, as Codex reads it.
 *
 * @param top The worktree's top directory.
 * @param root The lokt root (absolute).
 * @returns The relative path, or the absolute one when the root is not below a parent of `.codex/`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { writableRootFor } from "./codex_sandbox.ts";
 * assert.equal(writableRootFor("/r", "/r/.git/lokt"), "../.git/lokt");
 * assert.equal(writableRootFor("/w/tree", "/w/main/.git/lokt"), "../../main/.git/lokt");
 * ```
 */
export function writableRootFor(top: string, root: string): string {
  const from = `${top}/.codex`.split("/").filter(Boolean);
  const to = root.split("/").filter(Boolean);
  let common = 0;
  while (common < from.length && from[common] === to[common]) common++;
  if (common === 0) return root;
  return [...Array(from.length - common).fill(".."), ...to.slice(common)].join("/");
}

/**
 * Plans the change of `.codex/config.toml` for `init --codex` (or `--remove`).
 *
 * @param top The worktree's top directory.
 * @param root The lokt root (absolute).
 * @param remove Take lokt's block out instead.
 * @returns The change and what to tell the person.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { planCodexSandbox } from "./codex_sandbox.ts";
 * const top = Deno.makeTempDirSync();
 * const plan = planCodexSandbox(top, `${top}/.git/lokt`, false);
 * assert.match(plan.change?.content ?? "", /writable_roots = \["\.\.\/\.git\/lokt"\]/);
 * ```
 */
export function planCodexSandbox(top: string, root: string, remove: boolean): CodexSandboxPlan {
  const path = `${top}/.codex/config.toml`;
  const text = read(path);
  const start = text?.indexOf(CODEX_BLOCK_BEGIN) ?? -1;
  const end = text?.indexOf(CODEX_BLOCK_END) ?? -1;
  const has = text !== null && start >= 0 && end > start;
  const without = has
    ? text.slice(0, start) + text.slice(end + CODEX_BLOCK_END.length).replace(/^\n/, "")
    : text;
  const writable = writableRootFor(top, root);
  const block = `${CODEX_BLOCK_BEGIN}\n[sandbox_workspace_write]\nwritable_roots = [${
    JSON.stringify(writable)
  }]\n${CODEX_BLOCK_END}\n`;
  if (remove) {
    if (!has) return { change: null, note: null };
    const content = without === "" ? null : without;
    return { change: { path, content, summary: "remove lokt's sandbox setting" }, note: null };
  }
  // A table of the person's own cannot be declared twice: they add the root themselves.
  if (without !== null && /^\s*\[sandbox_workspace_write\]/m.test(without)) {
    return {
      change: null,
      note: `${path} has its own [sandbox_workspace_write]: add ${
        JSON.stringify(writable)
      } to its writable_roots, or lokt cannot write its state from Codex's sandbox`,
    };
  }
  const next = has
    ? text.slice(0, start) + block + text.slice(end + CODEX_BLOCK_END.length).replace(/^\n/, "")
    : text && !text.endsWith("\n")
    ? `${text}\n${block}`
    : `${text ?? ""}${block}`;
  if (next === text) return { change: null, note: null };
  return {
    change: { path, content: next, summary: "let Codex's sandbox write lokt's state" },
    note: null,
  };
}

function read(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}
