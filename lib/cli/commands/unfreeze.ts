/**
 * `lokt unfreeze <name>`: lift a freeze (its owner, or anyone with `--force`).
 *
 * @module
 */

import { shown } from "../../model/safe_text.ts";
import type { CommandSpec, ParsedArgs } from "../args.ts";
import { liftFreeze } from "../../core/freezes/freezes.ts";
import type { CommandResult, Io } from "../output.ts";
import { nameArg } from "../flags.ts";
import { openContext } from "../../core/context.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "unfreeze",
  summary: "lift a freeze (yours, or anyone's with --force)",
  usage: ["unfreeze <name> [--force] [--json]"],
  flags: [{ name: "force", type: "boolean", help: "lift another owner's freeze (audited)" }],
  positionals: ["name"],
  examples: ["lokt unfreeze deploy", "lokt unfreeze deploy --force"],
};

/**
 * Runs `lokt unfreeze`.
 *
 * @param args The parsed arguments.
 * @param _io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, _io: Io): Promise<CommandResult> {
  const name = nameArg(args, "unfreeze");
  const { record, event } = await liftFreeze(
    openContext({ write: true }),
    name,
    args.flags.force === true,
  );
  return {
    exitCode: 0,
    json: { ok: true, command: "unfreeze", event, freeze: record },
    text: `${event === "force-unfreeze" ? "force-lifted" : "lifted"} the freeze of "${name}"${
      record && event === "force-unfreeze" ? ` (set by ${shown(record.owner)})` : ""
    }`,
  };
}
