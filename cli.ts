/**
 * The `lokt` command line: `deno run -A cli.ts <command> [flags]`.
 *
 * It runs from single-file bundles that `deno task bundle` builds from
 * `lib/` (`deno task bundle:check` fails when they are stale): Deno pays for
 * each module it loads and for each byte of it it deserialises
 * (docs/performance.md). What agents run most has a bundle of its own — the
 * fast path of a plain `lock`/`unlock`, `guard`, `hook` — and `mcp` has one
 * with the MCP SDK built in — so that none of
 * them loads the dispatcher bundle or another one's code; every other call
 * loads the dispatcher. Only the bundle a call needs is read at all (see
 * {@linkcode loadBundle}).
 *
 * @module
 */

/**
 * Runs the CLI with the given arguments and returns the exit code.
 *
 * `guard` and `hook` run from their own bundles; a plain `lock` of a free lock or `unlock`
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
  if (args[0] === "guard") {
    const { runGuard }: typeof import("./gen/guard.generated.js") = await loadBundle("guard");
    return await runGuard(args);
  }
  if (args[0] === "hook") {
    const { runHook }: typeof import("./gen/hook.generated.js") = await loadBundle("hook");
    // Its shell reading and session handlers are bundles of their own, loaded only when needed.
    return await runHook(args, {
      shell: (): Promise<typeof import("./gen/shell.generated.js")> => loadBundle("shell"),
      sessions: (): Promise<typeof import("./gen/sessions.generated.js")> => loadBundle("sessions"),
    });
  }
  if (args[0] === "mcp") {
    const { runMcp }: typeof import("./gen/mcp.generated.js") = await loadBundle("mcp");
    return await runMcp(args);
  }
  if (args[0] === "lock" || args[0] === "unlock") {
    const { fastPath }: typeof import("./gen/fast_path.generated.js") = await loadBundle(
      "fast_path",
    );
    const code = fastPath(args);
    if (code !== null) return code;
  }
  const { run }: typeof import("./gen/dispatcher.generated.js") = await loadBundle("dispatcher");
  return await run(args);
}

/**
 * Imports one of the bundles in `gen/`, reading no other.
 *
 * Deno loads every module that a literal `import()` names when the program
 * starts, taken or not: with one literal `import()` per bundle, every lokt
 * call read and hashed all four (~0.5 MB), ~0.65 ms of its start-up
 * (docs/performance.md). A template's name is known only when it runs, and
 * Deno's start-up looks only for files that end the way the template does:
 * with the `#` (an empty fragment, which names the same file on disk and
 * over HTTP) none does. The template still starts with `./`, so `deno
 * publish` knows it needs no rewriting, and `deno compile` names `gen/` with
 * `--include` (docs/design.md, "Bundles").
 *
 * @param name The bundle's name in `gen/`.
 * @returns The bundle's module.
 */
function loadBundle<T>(
  name: "guard" | "hook" | "shell" | "sessions" | "fast_path" | "dispatcher" | "mcp",
): Promise<T> {
  return import(`./gen/${name}.generated.js#`);
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
