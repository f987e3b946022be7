/**
 * The entry of the CLI's hook bundle (`gen/hook.generated.js`): `lokt hook`,
 * which a harness runs before every edit of every agent, without loading the
 * dispatcher and the other commands.
 *
 * @module
 */

import * as hookCommand from "../commands/hook.ts";
import { runCommand } from "../run_command.ts";

/**
 * Runs `lokt hook …` exactly as the dispatcher would.
 *
 * @param argv The arguments, `hook` first.
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
export function runHook(argv: string[]): Promise<number> {
  return runCommand(() => hookCommand, "hook", argv.slice(1));
}
