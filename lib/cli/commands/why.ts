/**
 * `lokt why <name>`: would acquiring succeed now? Every reason it would not,
 * each with the exact commands that clear it. Exit 0 when it would, 2 when not.
 *
 * @module
 */

import type { CommandSpec, ParsedArgs } from "../args.ts";
import { openContext } from "../../core/context.ts";
import { ExitCode } from "../../model/errors.ts";
import type { CommandResult, Io } from "../output.ts";
import { explain } from "../../core/report/why_report.ts";
import { nameArg } from "../flags.ts";
import { stateJson } from "../lock_json_view.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "why",
  summary: "explain whether a lock can be acquired now, and how to clear each obstacle",
  usage: ["why <name> [--json]"],
  flags: [],
  positionals: ["name"],
  examples: ["lokt why build", "lokt why build --json"],
};

/**
 * Runs `lokt why`.
 *
 * @param args The parsed arguments.
 * @param _io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, _io: Io): Promise<CommandResult> {
  const name = nameArg(args, "why");
  const report = await explain(openContext(), name);
  const { canAcquire, reasons, state } = report;
  const head = canAcquire
    ? state.status === "free" && reasons.length === 0
      ? `"${name}" is free: acquiring would succeed now`
      : `"${name}" can be acquired now`
    : `"${name}" cannot be acquired now`;
  const lines = [head];
  for (const reason of reasons) {
    lines.push(`- ${reason.code}: ${reason.message}`);
    for (const fix of reason.fix) lines.push(`    ${fix}`);
  }
  return {
    exitCode: canAcquire ? ExitCode.Ok : ExitCode.Held,
    json: {
      ok: true,
      command: "why",
      name,
      can_acquire: canAcquire,
      reasons,
      lock: stateJson(state),
      freeze: report.freeze,
      queued: report.queued,
    },
    text: lines.join("\n"),
  };
}
