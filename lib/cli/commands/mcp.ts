/**
 * `lokt mcp`: an MCP server on stdio for agent harnesses (docs/contract.md §16). It runs
 * `lib/cli/mcp/mcp_server.ts` as its own process, with this process's stdio, so
 * that the MCP SDK is loaded by this command alone; signals are passed on,
 * and the server's exit code is this command's.
 *
 * @module
 */

import type { CommandSpec, ParsedArgs } from "../args.ts";
import type { CommandResult, Io } from "../output.ts";

/**
 * The variable through which `lokt mcp` tells the server it starts which
 * process holds what the server takes: itself, the process the harness
 * started (so a SIGKILL to it frees the holds, and the server exits).
 */
export const HOLDER_VARIABLE = "LOKT_MCP_HOLDER_PID";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "mcp",
  summary: "serve lokt's tools to an agent harness over MCP (stdio)",
  usage: ["mcp"],
  flags: [],
  positionals: [],
  examples: ["claude mcp add lokt -- lokt mcp"],
};

/**
 * Runs `lokt mcp`.
 *
 * @param _args The parsed arguments.
 * @param _io The IO.
 * @returns The server's exit code.
 */
export async function run(_args: ParsedArgs, _io: Io): Promise<CommandResult> {
  // The server module sits at a fixed place in the package, beside the entry module.
  const server = new URL("./lib/cli/mcp/mcp_server.ts", Deno.mainModule).href;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", server],
    // What the server takes lives with this process, the one the harness started: a
    // SIGKILL to it frees them, and the server, which watches it, exits too.
    env: { [HOLDER_VARIABLE]: String(Deno.pid) },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const forward = (signal: Deno.Signal) => () => {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  };
  const listeners = (["SIGTERM", "SIGINT"] as const).map((s) => [s, forward(s)] as const);
  for (const [s, fn] of listeners) Deno.addSignalListener(s, fn);
  const status = await child.status;
  for (const [s, fn] of listeners) Deno.removeSignalListener(s, fn);
  return { exitCode: status.code, json: null, text: "" };
}
