/**
 * `lokt hook claude|codex`: answer one agent-harness hook event read from
 * stdin (docs/contract.md §16). `lokt hook git pre-commit`: refuse a commit that stages
 * a path another owner reserved.
 *
 * @module
 */

import { terminalSafe } from "../../model/safe_text.ts";
import { stagedConflicts } from "../../agents/git_hook.ts";
import { answerHook } from "../../agents/hooks.ts";
import { openContext } from "../../core/context.ts";
import { UsageError } from "../../model/errors.ts";
import { describeConflict } from "../../model/reservation_errors.ts";
import type { CommandSpec, ParsedArgs } from "../args.ts";
import type { CommandResult, Io } from "../output.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "hook",
  summary: "answer an agent harness's hook event (stdin), or guard a git commit",
  usage: ["hook claude", "hook codex", "hook git pre-commit"],
  flags: [],
  positionals: ["kind", "event?"],
  examples: [
    'echo \'{"hook_event_name":"SessionStart",…}\' | lokt hook claude',
    "lokt hook git pre-commit   # from .git/hooks/pre-commit (lokt init --git)",
  ],
};

/**
 * Runs `lokt hook`.
 *
 * @param args The parsed arguments.
 * @param io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, io: Io): Promise<CommandResult> {
  const [kind, event] = args.positionals;
  if (kind === "git") {
    if (event !== "pre-commit") throw new UsageError("git hooks: pre-commit", "hook");
    return await preCommit(io);
  }
  if (kind !== "claude" && kind !== "codex") {
    throw new UsageError(`unknown harness ${JSON.stringify(kind)}: claude, codex or git`, "hook");
  }
  if (event !== undefined) throw new UsageError("the event comes on stdin", "hook");
  const input = readStdin();
  const answer = await answerHook(kind, input, (key) => Deno.env.get(key));
  if (answer.stdout) Deno.stdout.writeSync(new TextEncoder().encode(answer.stdout));
  if (answer.stderr) {
    Deno.stderr.writeSync(new TextEncoder().encode(terminalSafe(answer.stderr.trimEnd()) + "\n"));
  }
  return { exitCode: answer.exitCode, json: null, text: "" };
}

async function preCommit(io: Io): Promise<CommandResult> {
  const { conflicts, unjudged } = await stagedConflicts(openContext());
  if (conflicts.length === 0 && unjudged.length === 0) return { exitCode: 0, json: null, text: "" };
  for (const c of conflicts) io.err(`lokt: ${c.pattern} is reserved: ${describeConflict(c)}`);
  for (const u of unjudged) io.err(`lokt: cannot judge the staged path ${u.path}: ${u.why}`);
  io.err(
    conflicts.length > 0
      ? "lokt: commit refused: another agent reserved these paths; leave them out of this commit (git restore --staged <path>, or name the other paths instead of -a), or wait until the reservations end"
      : "lokt: commit refused: lokt cannot tell whether these paths are reserved; give them plain names, or leave them out of this commit (git restore --staged <path>, or name the other paths instead of -a)",
  );
  return { exitCode: 1, json: null, text: "" };
}

/** All of stdin, read synchronously: the web-streams route costs ~10 ms at start-up. */
function readStdin(): string {
  const chunks: Uint8Array[] = [];
  const buffer = new Uint8Array(64 * 1024);
  for (;;) {
    const n = Deno.stdin.readSync(buffer);
    if (n === null || n === 0) break;
    chunks.push(buffer.slice(0, n));
  }
  const all = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all);
}
