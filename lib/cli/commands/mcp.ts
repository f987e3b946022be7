/**
 * `lokt mcp`: an MCP server on stdio for agent harnesses (docs/contract.md §16). The
 * server and the MCP SDK travel in a bundle of their own (`gen/mcp.generated.js`),
 * loaded by this command alone and run in this very process: nothing is
 * fetched at start (a harness may start it with a filtered environment and
 * no network), and what the server takes is tied to the process the harness
 * started, so a SIGKILL to it leaves nothing held.
 *
 * @module
 */

import type { CommandSpec, ParsedArgs } from "../args.ts";
import type { CommandResult, Io } from "../output.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "mcp",
  summary: "serve lokt's tools to an agent harness over MCP (stdio)",
  usage: ["mcp"],
  flags: [],
  positionals: [],
  examples: ["claude mcp add lokt -- lokt mcp"],
};

/** Serves MCP on stdio; resolves only if the server stops without exiting the process. */
export type McpServe = () => Promise<number>;

/**
 * Runs `lokt mcp`.
 *
 * @param _args The parsed arguments.
 * @param _io The IO.
 * @param serve The server; by default the one in the package's MCP bundle.
 * @returns The server's exit code.
 */
export async function run(_args: ParsedArgs, _io: Io, serve?: McpServe): Promise<CommandResult> {
  // The bundle sits at a fixed place in the package, beside the entry module.
  const start = serve ??
    (await import(new URL("./gen/mcp.generated.js", Deno.mainModule).href)).serveMcp as McpServe;
  return { exitCode: await start(), json: null, text: "" };
}
