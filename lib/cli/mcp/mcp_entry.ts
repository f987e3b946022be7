/**
 * The entry of the CLI's MCP bundle (`gen/mcp.generated.js`): `lokt mcp`, with
 * the MCP SDK built in, so that the server starts without fetching anything
 * and no other command loads the SDK.
 *
 * `cli.ts` runs this bundle in a worker of its own process, not through an
 * `import()`: Deno reads every module a literal `import()` names at start-up,
 * taken or not, and this one is half a megabyte (measured: ~1 ms on every
 * lokt call); a worker's module is read only when the worker starts. The
 * worker gets the arguments in a message and answers with the exit code; the
 * process is the one the harness started, so what the server takes ends with
 * it.
 *
 * @module
 */

import * as mcpCommand from "../commands/mcp.ts";
import { serveMcp } from "./mcp_server.ts";
import { runCommand } from "../run_command.ts";

export { serveMcp };

/** The message `cli.ts` sends the worker, and the one it answers. */
export interface McpWorkerMessage {
  /** The arguments, `mcp` first (to the worker). */
  args?: string[];
  /** The exit code (from the worker). */
  exitCode?: number;
}

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

/** The worker's side: only where this bundle was started as a worker. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<McpWorkerMessage>) => void) | null;
  postMessage(message: McpWorkerMessage): void;
}

if ("WorkerGlobalScope" in globalThis) {
  const scope = globalThis as unknown as WorkerScope;
  scope.onmessage = async (event) => {
    scope.postMessage({ exitCode: await runMcp(event.data.args ?? ["mcp"]) });
  };
}
