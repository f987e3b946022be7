/**
 * `lokt freeze <name> --ttl D`: block every new acquisition of a name.
 *
 * @module
 */

import { shown } from "../../model/safe_text.ts";
import type { CommandSpec, ParsedArgs } from "../args.ts";
import { parseTtl } from "../../model/duration.ts";
import { formatDuration } from "../../model/duration_format.ts";
import { UsageError } from "../../model/errors.ts";
import { setFreeze } from "../../core/freezes/freezes.ts";
import type { CommandResult, Io } from "../output.ts";
import { nameArg, stringFlag } from "../flags.ts";
import { openContext } from "../../core/context.ts";
import { checkReason } from "../../model/lock_record.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "freeze",
  summary: "block every new acquisition of a name (lock, guard and waiters) for a while",
  usage: ["freeze <name> --ttl D [--reason TEXT] [--json]"],
  flags: [
    {
      name: "ttl",
      type: "string",
      value: "D",
      help: "how long the freeze lasts (required, at least 1s)",
    },
    { name: "reason", type: "string", value: "TEXT", help: "why (shown to everyone denied)" },
  ],
  positionals: ["name"],
  examples: ["lokt freeze deploy --ttl 1h --reason 'incident 42'"],
};

/**
 * Runs `lokt freeze`.
 *
 * @param args The parsed arguments.
 * @param _io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, _io: Io): Promise<CommandResult> {
  const name = nameArg(args, "freeze");
  const ttlText = stringFlag(args, "ttl");
  if (ttlText === undefined) throw new UsageError("freeze needs --ttl (e.g. --ttl 30m)", "freeze");
  const ttlMs = parseTtl(ttlText);
  const reason = stringFlag(args, "reason") ?? null;
  checkReason(reason, "--reason", "freeze");
  const { record, extended } = await setFreeze(
    openContext({ write: true, takes: true }),
    name,
    ttlMs,
    reason,
  );
  return {
    exitCode: 0,
    json: { ok: true, command: "freeze", extended, freeze: record },
    text: `${extended ? "extended freeze of" : "froze"} "${name}" for ${formatDuration(ttlMs)}${
      record.reason ? ` (${shown(record.reason)})` : ""
    }: new acquisitions are refused until ${record.expires_at}`,
  };
}
