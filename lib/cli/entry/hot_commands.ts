/**
 * The entry of the CLI's hot bundle (`gen/hot_commands.generated.js`): what
 * agents run most, without loading the dispatcher and the other commands —
 * the fast path of a plain `lock`/`unlock`, and `guard`.
 *
 * @module
 */

import * as guardCommand from "../commands/guard.ts";
import * as hookCommand from "../commands/hook.ts";
import { runCommand } from "../run_command.ts";

export { fastPath } from "./fast_path.ts";

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
 * import { runGuard } from "./hot_commands.ts";
 * const root = Deno.makeTempDirSync();
 * Deno.env.set("LOKT_ROOT", root);
 * assert(await runGuard(["guard", "build", "--", "true"]) === 0);
 * Deno.env.delete("LOKT_ROOT");
 * ```
 */
export function runGuard(argv: string[]): Promise<number> {
  return runCommand(() => guardCommand, "guard", argv.slice(1));
}

/**
 * Runs `lokt hook …` (a harness runs it on every edit of every agent):
 * from this bundle, without the dispatcher's.
 *
 * @param argv The arguments, `hook` first.
 * @returns The exit code.
 *
 * @example Usage
 * ```ts ignore
 * import { runHook } from "./hot_commands.ts";
 * Deno.exit(await runHook(["hook", "claude"]));
 * ```
 */
export function runHook(argv: string[]): Promise<number> {
  return runCommand(() => hookCommand, "hook", argv.slice(1));
}
