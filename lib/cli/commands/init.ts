/**
 * `lokt init [--claude] [--codex] [--git] [--dry-run] [--remove]`: protect a
 * repository with one command (docs/contract.md §16). No flag means `--claude --git`.
 *
 * @module
 */

import type { FileChange } from "../../agents/init.ts";
import { applyChanges, loktCommand, planInit } from "../../agents/init.ts";
import { readOriginals, saveOriginals } from "../../agents/init_originals.ts";
import { planCodexSandbox } from "../../agents/codex_sandbox.ts";
import { openContext } from "../../core/context.ts";
import { LoktError } from "../../model/errors.ts";
import { patternBase } from "../../sys/root.ts";
import type { CommandSpec, ParsedArgs } from "../args.ts";
import type { CommandResult, Io } from "../output.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "init",
  summary: "set up hooks for Claude Code, Codex and git, and the primer in AGENTS.md",
  usage: ["init [--claude] [--codex] [--git] [--dry-run] [--remove] [--json]"],
  flags: [
    { name: "claude", type: "boolean", help: "Claude Code hooks in .claude/settings.json" },
    {
      name: "codex",
      type: "boolean",
      help:
        "Codex hooks in .codex/hooks.json, and lokt's root writable in its sandbox (.codex/config.toml)",
    },
    {
      name: "git",
      type: "boolean",
      help: "a git pre-commit hook (chained, honours core.hooksPath)",
    },
    { name: "dry-run", type: "boolean", help: "print the changes, write nothing" },
    { name: "remove", type: "boolean", help: "take out exactly what lokt added" },
  ],
  positionals: [],
  examples: ["lokt init", "lokt init --codex --dry-run", "lokt init --remove"],
};

/**
 * Runs `lokt init`.
 *
 * @param args The parsed arguments.
 * @param _io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, _io: Io): Promise<CommandResult> {
  const any = ["claude", "codex", "git"].some((f) => args.flags[f] === true);
  const remove = args.flags.remove === true;
  // Without a flag: Claude Code and git hooks; `--remove` alone takes out all lokt added.
  const options = {
    claude: any ? args.flags.claude === true : true,
    codex: any ? args.flags.codex === true : remove,
    git: any ? args.flags.git === true : true,
    remove,
  };
  const ctx = openContext();
  const top = patternBase(ctx.rootInfo);
  const hooksDir = options.git ? await gitHooksDir(top) : null;
  const lokt = loktCommand();
  const originals = readOriginals(ctx.rootInfo.root);
  const changes = planInit(top, hooksDir, options, lokt, originals);
  const sandbox = options.codex
    ? planCodexSandbox(top, ctx.rootInfo.root, options.remove)
    : { change: null, note: null };
  if (sandbox.change) changes.push(sandbox.change);
  const dryRun = args.flags["dry-run"] === true;
  if (!dryRun) {
    applyChanges(changes);
    keepOriginals(ctx.rootInfo.root, originals, changes);
  }
  // Codex's sandbox binds the writable root: it must exist before the first command.
  if (!dryRun && options.codex && !options.remove) {
    Deno.mkdirSync(ctx.rootInfo.root, { recursive: true });
  }
  const lines = changes.map((c) => `${dryRun ? "would " : ""}${c.summary}: ${c.path}`);
  // Codex runs a project's hooks only once a person has trusted them: say so where it matters.
  const notes = [
    ...(sandbox.note ? [sandbox.note] : []),
    ...(changes.some((c) => c.path.endsWith("/.codex/hooks.json") && c.content !== null)
      ? [
        "Codex runs these hooks only once you trust them: review them with /hooks in Codex (lokt doctor checks what Codex still needs)",
      ]
      : []),
  ];
  for (const note of notes) lines.push(`note: ${note}`);
  if (changes.length === 0) lines.push("nothing to change: lokt is already set up as asked");
  if (options.claude && !lokt.portable && !options.remove) {
    lines.push(
      "note: lokt is not on PATH, so its hooks went to .claude/settings.local.json (not committed) with this installation's absolute command; put lokt on PATH and run lokt init again to share them",
    );
  }
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "init",
      dry_run: dryRun,
      changes: changes.map((c) => ({
        path: c.path,
        action: c.content === null ? "delete" : "write",
        summary: c.summary,
      })),
      portable: lokt.portable,
      notes,
    },
    text: lines.join("\n"),
  };
}

/** Keeps the text of each file init rewrote, and forgets those --remove put back. */
function keepOriginals(root: string, originals: Map<string, string>, changes: FileChange[]) {
  let changed = false;
  for (const change of changes) {
    if (change.original !== undefined && !originals.has(change.path)) {
      originals.set(change.path, change.original);
      changed = true;
    } else if (change.restored || change.content === null) {
      changed = originals.delete(change.path) || changed;
    }
  }
  if (changed) saveOriginals(root, originals);
}

async function gitHooksDir(top: string): Promise<string> {
  const out = await new Deno.Command("git", {
    args: ["rev-parse", "--path-format=absolute", "--git-path", "hooks"],
    cwd: top,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new LoktError(`--git: ${top} is not in a git repository`);
  return new TextDecoder().decode(out.stdout).trim();
}
