/**
 * The entry of the CLI's MCP bundle (`gen/mcp.generated.js`): `lokt mcp`, with
 * the MCP SDK built in, so that the server starts without fetching anything
 * and no other command loads the SDK.
 *
 * `cli.ts` imports this bundle only for `lokt mcp`, by a name Deno does not
 * load at start-up (its `loadBundle`), so no other call reads its half
 * megabyte; the server runs in the process the harness started, so what it
 * takes ends with it.
 *
 * @module
 */

import * as mcpCommand from "../commands/mcp.ts";
import { serveMcp } from "./mcp_server.ts";
import { runCommand } from "../run_command.ts";

export { serveMcp };

/**
 * Runs `lokt mcp …` exactly as the dispatcher would, with the server of this bundle.
 *
 * @param argv The arguments, `mcp` first.
 * @returns The exit code.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { runMcp } from "./mcp_entry.ts";
 * // An argument the command does not take is a usage error (64); no server starts.
 * assert.equal(await runMcp(["mcp", "extra"]), 64);
 * ```
 */
export function runMcp(argv: string[]): Promise<number> {
  const command = { spec: mcpCommand.spec, run: mcpCommand.run };
  return runCommand(
    () => ({ ...command, run: (args, io) => command.run(args, io, serveMcp) }),
    "mcp",
    argv.slice(1),
  );
}
