/**
 * `lokt exists <name>`: exit 0 if the lock is held (and not stale), 3 if not.
 *
 * @module
 */

import type { CommandSpec, ParsedArgs } from "../args.ts";
import { openContext } from "../../core/context.ts";
import { inspectLock } from "../../core/locks/engine.ts";
import { isHeld } from "../../core/locks/decisions.ts";
import { ExitCode } from "../../model/errors.ts";
import type { CommandResult, Io } from "../output.ts";
import { nameArg } from "../flags.ts";
import { stateJson } from "../lock_json_view.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "exists",
  summary: "exit 0 if a lock is held (and not stale), 3 if not; prints nothing",
  usage: ["exists <name> [--json]"],
  flags: [],
  positionals: ["name"],
  examples: ["lokt exists build && echo 'someone is building'"],
};

/**
 * Runs `lokt exists`.
 *
 * @param args The parsed arguments.
 * @param _io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, _io: Io): Promise<CommandResult> {
  const name = nameArg(args, "exists");
  const state = await inspectLock(openContext(), name);
  const held = isHeld(state);
  return {
    exitCode: held ? ExitCode.Ok : ExitCode.NotFound,
    json: { ok: true, command: "exists", name, exists: held, lock: stateJson(state) },
    text: "",
  };
}
