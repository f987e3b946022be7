/**
 * `lokt reserve <pattern>…`: claim the paths you are about to edit (SPEC
 * §15), all patterns or none, against every live reservation of other
 * owners; `--shared` for read intent; `--wait` until none is in the way.
 *
 * @module
 */

import { openContext } from "../../core/context.ts";
import { reserveWaiting } from "../../core/reservations/reservation_wait.ts";
import type { ReserveResult } from "../../core/reservations/reservation_writes.ts";
import { reservePatterns } from "../../core/reservations/reservation_writes.ts";
import { acquireSettings } from "../../core/policy.ts";
import { formatDuration } from "../../model/duration_format.ts";
import type { ReservationSpec } from "../../model/reservation.ts";
import { loadConfig } from "../../sys/config.ts";
import { guessedOwnerWarning } from "../../sys/identity.ts";
import { patternBase } from "../../sys/root.ts";
import type { CommandSpec, ParsedArgs } from "../args.ts";
import {
  ACQUIRE_FLAGS,
  acquireRequest,
  patternArgs,
  pidFlag,
  pidStartOf,
  stringFlag,
} from "../flags.ts";
import { UsageError } from "../../model/errors.ts";
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
  const ctx = openContext({ write: true });
  const patterns = patternArgs(args, "reserve", patternBase(ctx.rootInfo), "pattern");
  const pid = pidFlag(args, "reserve");
  const config = loadConfig(ctx.rootInfo, ctx.cwd);
  if (/^0+(ms|s|m|h|d)?$/.test(stringFlag(args, "ttl") ?? "x")) {
    throw new UsageError("reservations always expire: --ttl must be at least 1s", "reserve");
  }
  const request = { ...acquireRequest(args), shared: undefined, slots: undefined };
  // No lock name: a lock's per-name policy never applies to reservations ("" is no name).
  const settings = acquireSettings(request, "", config, config.defaultTtlMs);
  const reservation: ReservationSpec = {
    mode: args.flags.shared === true ? "shared" : "exclusive",
    ttlMs: settings.ttlMs ?? config.defaultTtlMs,
    reason: settings.reason,
    liveness: pid === null ? "ttl" : "process",
    ...(pid === null ? {} : { pid, pidStart: pidStartOf(pid) }),
  };
  const result = settings.wait
    ? await reserveWaiting(ctx, patterns, reservation, { timeoutMs: settings.timeoutMs })
    : await reservePatterns(ctx, patterns, reservation);
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
