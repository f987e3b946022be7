/**
 * `lokt mcp`: an MCP server on stdio for agent harnesses (docs/contract.md §16). The
 * server and the MCP SDK travel in a bundle of their own (`gen/mcp.generated.js`,
 * `lib/cli/mcp/mcp_entry.ts`), which `cli.ts` runs in a worker of its own
 * process: nothing is fetched at start (a harness may start it with a
 * filtered environment and no network), and what the server takes is tied
 * to the process the harness started, so a SIGKILL to it leaves nothing held.
 * This module holds the command's spec (for help) and its run, which that
 * bundle calls with its server.
 *
 * @module
 */

import { LoktError } from "../../model/errors.ts";
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
  json: false,
};

/** Serves MCP on stdio; resolves with the exit code once the client is gone. */
export type McpServe = () => Promise<number>;

/**
 * Runs `lokt mcp`.
 *
 * @param _args The parsed arguments.
 * @param _io The IO.
 * @param serve The server (the MCP bundle passes its own).
 * @returns The server's exit code.
 * @throws {LoktError} Without a server: `lokt mcp` runs from its bundle only.
 */
export async function run(_args: ParsedArgs, _io: Io, serve?: McpServe): Promise<CommandResult> {
  if (!serve) throw new LoktError("lokt mcp runs from its own bundle: start it as `lokt mcp`");
  return { exitCode: await serve(), json: null, text: "" };
}
