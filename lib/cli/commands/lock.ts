/**
 * `lokt lock <name>`: acquire and exit, leaving the lock held. The record is
 * TTL-protected (`liveness: "ttl"`) unless `--pid` names a process to watch,
 * because this short-lived process exiting must not free it [W1].
 *
 * @module
 */

import { openContext } from "../../core/context.ts";
import { acquireForRequest } from "../../core/locks/lock_request.ts";
import { guessedOwnerWarning } from "../../sys/identity.ts";
import type { CommandSpec, ParsedArgs } from "../args.ts";
import { ACQUIRE_FLAGS, acquireRequest, nameArg, pidFlag, pidStartOf } from "../flags.ts";
import { acquiredResult } from "../acquire_release_results.ts";
import type { CommandResult, Io } from "../output.ts";
import { waitProgressPrinter } from "../wait_progress.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "lock",
  summary: "acquire a lock and exit, leaving it held until unlock or TTL expiry",
  usage: [
    "lock <name> [--ttl D] [--pid PID] [--reason TEXT] [--wait] [--timeout D] [--slots N | --shared] [--json]",
  ],
  flags: [
    ...ACQUIRE_FLAGS.map((f) => (f.name === "ttl" ? { ...f, default: "30m, or lokt.jsonc" } : f)),
    {
      name: "pid",
      type: "string",
      value: "PID",
      help: "hold the lock while process PID lives (--ttl 0 then means no expiry)",
    },
  ],
  positionals: ["name"],
  examples: [
    "lokt lock deploy --ttl 30m --reason 'release 1.2'",
    "lokt lock db --pid $$ --ttl 0      # held while this shell lives",
    "lokt lock build --wait --timeout 2m",
    "lokt lock test-db --slots 3 --ttl 20m  # one of 3 test databases; prints its slot",
  ],
};

/**
 * Runs `lokt lock`.
 *
 * @param args The parsed arguments.
 * @param io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, io: Io): Promise<CommandResult> {
  const name = nameArg(args, "lock");
  const pid = pidFlag(args, "lock");
  const ctx = openContext({ write: true, takes: true });
  const { result, settings } = await acquireForRequest(ctx, name, {
    ...acquireRequest(args, pid),
    // The owner's hold, with or without --pid (§4a).
    hold: "owner",
    pidStart: pid === null ? null : pidStartOf(pid),
  }, { onProgress: waitProgressPrinter(io, name) });
  return acquiredResult(result, guessedOwnerWarning(ctx.identity), settings.slots);
}
