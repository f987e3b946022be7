/**
 * The entry of the CLI's hook bundle (`gen/hook.generated.js`): `lokt hook`,
 * which a harness runs before every edit of every agent, without loading the
 * dispatcher and the other commands.
 *
 * @module
 */

import * as hookCommand from "../commands/hook.ts";
import { runCommand } from "../run_command.ts";
import { installShellReader, type ShellReading } from "../../agents/shell_reader.ts";

/**
 * Runs `lokt hook …` exactly as the dispatcher would.
 *
 * @param argv The arguments, `hook` first.
 * @param loadShellReading Loads the shell reading (`gen/shell.generated.js`),
 * which only a shell call needs; without it, a shell command is refused.
 * @returns The exit code.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { runHook } from "./hook_entry.ts";
 * // A hook with no harness named is a usage error (64), answered without a trace.
 * assert.equal(await runHook(["hook"]), 64);
 * ```
 */
export function runHook(
  argv: string[],
  loadShellReading?: () => Promise<ShellReading>,
): Promise<number> {
  if (loadShellReading) installShellReader(loadShellReading);
  return runCommand(() => hookCommand, "hook", argv.slice(1));
}
