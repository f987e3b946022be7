/**
 * `lokt prime [--json]`: the primer an agent needs at the start of a
 * session — who it is, what is held, waited for, reserved and frozen, and
 * the conventions (docs/contract.md §16).
 *
 * @module
 */

import { buildPrimer, primerText } from "../../agents/primer.ts";
import { openContext } from "../../core/context.ts";
import type { CommandSpec, ParsedArgs } from "../args.ts";
import type { CommandResult, Io } from "../output.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "prime",
  summary: "what an agent needs to know now: identity, locks, reservations, conventions",
  usage: ["prime [--json]"],
  flags: [],
  positionals: [],
  examples: ["lokt prime", "lokt prime --json"],
};

/**
 * Runs `lokt prime`.
 *
 * @param _args The parsed arguments.
 * @param _io The IO.
 * @returns The result.
 */
export async function run(_args: ParsedArgs, _io: Io): Promise<CommandResult> {
  const primer = await buildPrimer(openContext());
  return {
    exitCode: 0,
    json: { ok: true, command: "prime", ...primer },
    text: primerText(primer),
  };
}
