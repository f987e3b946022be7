/**
 * `lokt reserve <pattern>…`: claim the paths you are about to edit (docs/contract.md
 * §15), all patterns or none, against every live reservation of other
 * owners; `--shared` for read intent; `--wait` until none is in the way.
 *
 * @module
 */

import { openContext } from "../../core/context.ts";
import type { ReserveResult } from "../../core/reservations/reservation_writes.ts";
import { reserveForRequest } from "../../core/reservations/reserve_request.ts";
import { formatDuration } from "../../model/duration_format.ts";
import { guessedOwnerWarning } from "../../sys/identity.ts";
import type { CommandSpec, ParsedArgs } from "../args.ts";
import { ACQUIRE_FLAGS, acquireRequest, patternArgs, pidFlag, pidStartOf } from "../flags.ts";
import type { CommandResult, Io } from "../output.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "reserve",
  summary: "claim paths you are about to edit: all patterns or none",
  usage: [
    "reserve <pattern>… [--ttl D] [--shared] [--reason TEXT] [--wait] [--timeout D] [--pid PID] [--json]",
  ],
  flags: [
    ...ACQUIRE_FLAGS.filter((f) => ["ttl", "wait", "timeout", "reason", "shared"].includes(f.name))
      .map((f) =>
        f.name === "shared"
          ? { ...f, help: "read intent: conflicts only with exclusive reservations of others" }
          : f.name === "ttl"
          ? { ...f, default: "30m, or lokt.jsonc defaults.ttl" }
          : f
      ),
    {
      name: "pid",
      type: "string",
      value: "PID",
      help: "the reservations also end when process PID ends",
    },
  ],
  positionals: ["pattern..."],
  examples: [
    "lokt reserve src/auth --ttl 1h --reason 'refactor login'",
    "lokt reserve 'src/**/*.test.ts' docs/api.md",
    "lokt reserve src/api/types.ts --shared   # I depend on it: do not change it under me",
  ],
};

/**
 * Runs `lokt reserve`.
 *
 * @param args The parsed arguments.
 * @param _io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, _io: Io): Promise<CommandResult> {
  const ctx = openContext({ write: true, takes: true });
  const patterns = patternArgs(args, "reserve", ctx, "pattern");
  const pid = pidFlag(args, "reserve");
  const request = acquireRequest(args);
  const result = await reserveForRequest(ctx, patterns, {
    ttl: request.ttl,
    wait: request.wait,
    timeout: request.timeout,
    reason: request.reason,
    mode: args.flags.shared === true ? "shared" : "exclusive",
    liveness: pid === null ? "ttl" : "process",
    pid,
    pidStart: pid === null ? null : pidStartOf(pid),
  });
  return reservedResult(result, guessedOwnerWarning(ctx.identity));
}

function reservedResult(result: ReserveResult, warning: string | null): CommandResult {
  const lines = result.reservations.map((r) =>
    `${result.renewed.includes(r.id) ? "renewed" : "reserved"} "${
      r.patterns[0]
    }" (${r.mode}, expires in ${formatDuration(r.ttl_ms)})`
  );
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "reserve",
      reservations: result.reservations,
      renewed: result.renewed,
    },
    text: lines.join("\n"),
    ...(warning === null ? {} : { warning }),
  };
}
