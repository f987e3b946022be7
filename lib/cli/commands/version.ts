/**
 * `lokt version`: print the version.
 *
 * @module
 */

import type { CommandSpec, ParsedArgs } from "../args.ts";
import type { CommandResult, Io } from "../output.ts";
import { VERSION } from "../../model/package_version.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "version",
  summary: "print the version of lokt (and of Deno)",
  usage: ["version [--json]", "--version"],
  flags: [],
  positionals: [],
  examples: ["lokt --version"],
};

/**
 * Runs `lokt version`.
 *
 * @param _args The parsed arguments.
 * @param _io The IO.
 * @returns The result.
 */
export function run(_args: ParsedArgs, _io: Io): Promise<CommandResult> {
  return Promise.resolve({
    exitCode: 0,
    json: { ok: true, command: "version", version: VERSION, deno: Deno.version.deno },
    text: `lokt ${VERSION} (deno ${Deno.version.deno})`,
  });
}
