/**
 * The entry of the CLI's guard bundle (`gen/guard.generated.js`): `lokt
 * guard`, the command agents run most after `lock`/`unlock`, without loading
 * the dispatcher and the other commands.
 *
 * @module
 */

import * as guardCommand from "../commands/guard.ts";
import { runCommand } from "../run_command.ts";

/**
 * Runs `lokt guard …` exactly as the dispatcher would (`runCommand` with the
 * guard command's module), without loading the dispatcher.
 *
 * @param argv The CLI arguments, `guard` first.
 * @returns The exit code.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { runGuard } from "./guard_entry.ts";
 * const root = Deno.makeTempDirSync();
 * Deno.env.set("LOKT_ROOT", root);
 * assert(await runGuard(["guard", "build", "--", "true"]) === 0);
 * Deno.env.delete("LOKT_ROOT");
 * ```
 */
export function runGuard(argv: string[]): Promise<number> {
  return runCommand(() => guardCommand, "guard", argv.slice(1));
}
