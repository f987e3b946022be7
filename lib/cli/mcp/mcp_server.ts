/**
 * The MCP server of `lokt mcp` (docs/contract.md §16), on the official TypeScript SDK:
 * tools `lokt_status`, `lokt_why`, `lokt_lock`, `lokt_unlock`, `lokt_reserve`,
 * `lokt_release`, `lokt_check`, `lokt_audit`. Each tool runs the CLI command
 * of the same name in this process and returns the very document its
 * `--json` prints (a refusal: `isError: true` with the error document). Holds
 * and reservations taken through the server are tied to this process
 * (`--pid`) and are released when stdin closes or on SIGTERM/SIGINT, and
 * the server exits.
 *
 * It runs as its own process (`lokt mcp` starts it), so that the SDK is
 * loaded by this command only: nothing else in lokt imports this module.
 *
 * @module
 */

import process from "node:process";
import { Server } from "npm:@modelcontextprotocol/sdk@1.32.2/server/index.js";
import { StdioServerTransport } from "npm:@modelcontextprotocol/sdk@1.32.2/server/stdio.js";
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
} from "npm:@modelcontextprotocol/sdk@1.32.2/types.js";
import { actingIdentity } from "../../core/identity.ts";
import { VERSION } from "../../model/package_version.ts";
import { findRoot } from "../../sys/root.ts";
import { COMMANDS } from "../entry/dispatcher.ts";
import { captureCommand } from "../run_command.ts";
import type { ToolCommand } from "./mcp_tools.ts";
import { MCP_TOOLS, toolCommand } from "./mcp_tools.ts";

/** The part of a `tools/call` request the server reads. */
interface CallRequest {
  params: { name: string; arguments?: Record<string, unknown> };
}

/** What the server took, to give back when it stops. */
const taken = { locks: new Set<string>(), patterns: new Set<string>() };

/**
 * Runs one CLI command in this process and returns its JSON document(s):
 * flags first, `--json`, then `--` and the positionals, which are therefore
 * never read as flags.
 *
 * @param call The command, its flags and positionals.
 * @returns The exit code and the document (an array for JSON Lines, the error
 * document when the command failed).
 */
async function runJson(call: ToolCommand): Promise<{ code: number; document: unknown }> {
  const entry = COMMANDS[call.command];
  if (!entry) throw new Error(`no command ${call.command}`);
  const argv = [...call.flags, "--json", "--", ...call.positionals];
  const { code, lines } = await captureCommand(entry.load, call.command, argv);
  const docs = lines.map((l) => JSON.parse(l));
  const failed = code !== 0 && docs.length === 1 && docs[0]?.ok === false;
  return { code, document: call.command === "audit" && !failed ? docs : docs[0] ?? null };
}

let ownerDecided = false;

/**
 * Decides who the server acts as, at its first tool call rather than at its
 * start: a harness may start its MCP servers before its SessionStart hook has
 * registered the session above them (Codex does). A registered session (or
 * `LOKT_OWNER`) is found again by every command the server runs; otherwise
 * the server is one owner of its own, `mcp-<random>`.
 */
function decideOwner(): void {
  if (ownerDecided) return;
  ownerDecided = true;
  // Resolved without the process's cache, which must first see the owner chosen here.
  const root = findRoot().root;
  const identity = actingIdentity({ root, mcpServer: true, env: (key) => Deno.env.get(key) });
  if (identity.ownerKind === "mcp-server") Deno.env.set("LOKT_OWNER", identity.owner);
}

async function callTool(name: string, input: Record<string, unknown>) {
  decideOwner();
  // What the server takes lives with this process, the one the harness started.
  const call = toolCommand(name, input, Deno.pid);
  const { code, document } = await runJson(call);
  // Every refusal is an error result: a non-zero exit, or a document that says so.
  const ok = code === 0 && (document as { ok?: boolean } | null)?.ok !== false;
  if (ok && name === "lokt_lock") taken.locks.add(call.positionals[0] as string);
  if (ok && name === "lokt_reserve") {
    for (const r of (document as { reservations: { patterns: string[] }[] }).reservations) {
      taken.patterns.add(r.patterns[0] as string);
    }
  }
  return {
    content: [{ type: "text" as const, text: JSON.stringify(document) }],
    structuredContent: Array.isArray(document)
      ? { events: document }
      : document as Record<string, unknown>,
    isError: !ok,
    _meta: { exit_code: code },
  };
}

let stopping: Promise<number> | null = null;

/** Gives back what the server took; resolves with the exit code. */
function stop(code = 0): Promise<number> {
  stopping ??= (async () => {
    for (const name of taken.locks) {
      await runJson({ command: "unlock", flags: [], positionals: [name] });
    }
    if (taken.patterns.size > 0) {
      await runJson({ command: "release", flags: [], positionals: [...taken.patterns] });
    }
    return code;
  })();
  return stopping;
}

/**
 * Serves lokt's tools over MCP on stdio until the client goes away (stdin
 * ends, or SIGTERM/SIGINT), then gives back what it took.
 *
 * @returns The exit code, once everything taken is given back; the caller
 * exits the process (the SDK's transport still reads stdin).
 */
export async function serveMcp(): Promise<number> {
  const server = new Server({ name: "lokt", version: VERSION }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: MCP_TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (request: CallRequest) => {
    const { name, arguments: input } = request.params;
    try {
      return await callTool(name, (input ?? {}) as Record<string, unknown>);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const document = { ok: false, exit_code: 64, error: { type: "UsageError", message } };
      return {
        content: [{ type: "text" as const, text: JSON.stringify(document) }],
        structuredContent: document,
        isError: true,
      };
    }
  });
  // The SDK's transport reads stdin without closing the server at its end: a
  // client that closes stdin has ended the session.
  await server.connect(new StdioServerTransport());
  return await new Promise<number>((resolve) => {
    const finish = (code: number) => void stop(code).then(resolve);
    server.onclose = () => finish(0);
    process.stdin.on("end", () => finish(0));
    process.stdin.on("close", () => finish(0));
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      Deno.addSignalListener(signal, () => finish(0));
    }
  });
}
