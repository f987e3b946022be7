/**
 * The `lokt` command line: `deno run -A cli.ts <command> [flags]`.
 *
 * @module
 */

import { run } from "./lib/cli_main.ts";

/**
 * Runs the CLI with the given arguments and returns the exit code.
 *
 * @param args The command-line arguments.
 * @returns The exit code.
 *
 * @example Usage
 * ```ts ignore
 * import { main } from "./cli.ts";
 * Deno.exit(await main(["status"]));
 * ```
 */
export async function main(args: string[]): Promise<number> {
  return await run(args);
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
