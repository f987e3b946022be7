/**
 * The `lokt` command line: `deno run -A cli.ts <command> [flags]`.
 *
 * It runs from two single-file bundles that `deno task bundle` builds from
 * `lib/` (`deno task bundle:check` fails when they are stale): Deno pays for
 * each module it loads and reads every statically imported module, literal
 * dynamic ones included, at start-up (docs/performance.md). The hot bundle
 * holds what agents run most — the fast path of a plain `lock`/`unlock`, and
 * `guard` — so those never load the dispatcher bundle.
 *
 * @module
 */

import { fastPath, runGuard, runHook } from "./gen/hot_commands.generated.js";

/**
 * Runs the CLI with the given arguments and returns the exit code.
 *
 * `guard` runs from the hot bundle; a plain `lock` of a free lock or `unlock`
 * of one's own lock is handled by the fast path (`lib/cli/entry/fast_path.ts`);
 * every other call loads the dispatcher (`lib/cli/entry/dispatcher.ts`) and the
 * command it names. All of them run commands through the same
 * `lib/cli/run_command.ts` and the same rules.
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
  if (args[0] === "guard") return await runGuard(args);
  if (args[0] === "hook") return await runHook(args);
  const code = fastPath(args);
  if (code !== null) return code;
  const { run } = await import("./gen/dispatcher.generated.js");
  return await run(args);
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
