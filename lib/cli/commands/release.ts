/**
 * `lokt release <pattern>… | --all`: drop your own reservations (docs/contract.md §15);
 * `--owner O --force` is a person's break-glass for another owner's.
 *
 * @module
 */

import { openContext } from "../../core/context.ts";
import { releaseReservations } from "../../core/reservations/reservation_writes.ts";
import { identityValueProblem } from "../../model/identity_value.ts";
import { UsageError } from "../../model/errors.ts";
import type { CommandSpec, ParsedArgs } from "../args.ts";
import { patternArgs, stringFlag } from "../flags.ts";
import type { CommandResult, Io } from "../output.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "release",
  summary: "drop your reservations: the patterns given, or --all",
  usage: ["release <pattern>… [--json]", "release --all [--json]", "release --owner O --force"],
  flags: [
    { name: "all", type: "boolean", help: "release every reservation you hold" },
    {
      name: "owner",
      type: "string",
      value: "O",
      help: "with --force: break every reservation owner O holds (break-glass, audited)",
    },
    { name: "force", type: "boolean", help: "with --owner: break another owner's reservations" },
  ],
  positionals: ["pattern...?"],
  examples: ["lokt release src/auth", "lokt release --all"],
};

/**
 * Runs `lokt release`.
 *
 * @param args The parsed arguments.
 * @param io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, io: Io): Promise<CommandResult> {
  const all = args.flags.all === true;
  const force = args.flags.force === true;
  const owner = stringFlag(args, "owner");
  const given = args.positionals.length > 0;
  if (!given && !all && owner === undefined) {
    throw new UsageError("name the patterns to release, or use --all", "release");
  }
  if ((all || owner !== undefined) && given) {
    throw new UsageError(`--${all ? "all" : "owner"} takes no pattern`, "release");
  }
  if (owner !== undefined) {
    const problem = identityValueProblem(owner, "--owner");
    if (problem) throw new UsageError(problem, "release");
    if (!force) {
      throw new UsageError(
        `--owner ${owner} breaks another owner's reservations (audited): it needs --force`,
        "release",
      );
    }
  } else if (force) throw new UsageError("--force goes with --owner", "release");
  const ctx = openContext({ write: true });
  const patterns = given ? patternArgs(args, "release", ctx, "pattern") : "all";
  const result = await releaseReservations(ctx, patterns, owner === undefined ? {} : { owner });
  if (result.notHeld.length > 0) {
    io.err(`note: you hold no reservation of ${result.notHeld.map((p) => `"${p}"`).join(", ")}`);
  }
  const shown = result.released.map((r) => `"${r.patterns[0]}"`).join(", ");
  const forced = owner !== undefined && owner !== ctx.identity.owner;
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "release",
      action: forced ? "reserve-break" : "unreserve",
      released: result.released,
      not_held: result.notHeld,
    },
    text: forced
      ? `broke ${result.released.length} reservation(s) of ${owner}: ${shown} — audited as reserve-break`
      : `released ${result.released.length} reservation(s): ${shown}`,
  };
}
