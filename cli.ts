/**
 * The `lokt` command line: `deno run -A cli.ts <command> [flags]`.
 *
 * It runs from two single-file bundles that `deno task bundle` builds from
 * `lib/` (a test fails when they are stale): Deno pays about 0.15 ms for
 * each module it loads and reads every statically imported module, dynamic
 * ones included, at start-up, which the ~45 modules of `lib/` would add to
 * every call (docs/performance.md).
 *
 * @module
 */

import { fastPath } from "./gen/fast_path.generated.js";

/**
 * Runs the CLI with the given arguments and returns the exit code.
 *
 * A plain `lock` of a free lock or `unlock` of one's own lock is handled by
 * the fast path (`lib/cli/fast_path.ts`); every other call loads the dispatcher
 * (`lib/cli/dispatcher.ts`) and the command it names.
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
  const { run } = await import("./gen/dispatcher.generated.js");
  return await run(args);
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
