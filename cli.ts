/**
 * The `lokt` command line: `deno run -A cli.ts <command> [flags]`.
 *
 * @module
 */

import { fastPath } from "./lib/fast_path.ts";

/**
 * Runs the CLI with the given arguments and returns the exit code.
 *
 * A plain `lock` of a free lock or `unlock` of one's own lock is handled by
 * a lean path that loads almost nothing; every other call loads the
 * dispatcher and the module of its command.
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
  const code = fastPath(args);
  if (code !== null) return code;
  const { run } = await import("./lib/cli_main.ts");
  return await run(args);
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
