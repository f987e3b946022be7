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
import { HOLDER_VARIABLE } from "../commands/mcp.ts";
import { probeProcess } from "../../sys/liveness.ts";
import { readProcStat } from "../../sys/procfs.ts";

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

/** The process what the server takes lives with: `lokt mcp`, which started it (else itself). */
const holder = (() => {
  const pid = Number(Deno.env.get(HOLDER_VARIABLE));
  if (!Number.isSafeInteger(pid) || pid <= 1) return { pid: Deno.pid, start: null };
  try {
    return { pid, start: readProcStat(pid)?.startTime ?? null };
  } catch {
    return { pid, start: null };
  }
})();

async function callTool(name: string, input: Record<string, unknown>) {
  const call = toolCommand(name, input, holder.pid);
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

let stopping: Promise<void> | null = null;

/** Gives back what the server took, then exits. */
function stop(code = 0): Promise<void> {
  stopping ??= (async () => {
    for (const name of taken.locks) {
      await runJson({ command: "unlock", flags: [], positionals: [name] });
    }
    if (taken.patterns.size > 0) {
      await runJson({ command: "release", flags: [], positionals: [...taken.patterns] });
    }
    Deno.exit(code);
  })();
  return stopping;
}

if (import.meta.main) {
  // Owner: LOKT_OWNER, else the harness session above this process, else one per server.
  const root = findRoot().root;
  // Resolved without the cache, which must first see the owner chosen here:
  // the commands this server runs in-process act as it.
  const identity = actingIdentity({ root, mcpServer: true, env: (key) => Deno.env.get(key) });
  if (identity.ownerKind === "mcp-server") Deno.env.set("LOKT_OWNER", identity.owner);
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
  server.onclose = () => void stop();
  // The process the harness started is gone (killed): its holds are already free; end too.
  if (holder.pid !== Deno.pid) {
    const watch = setInterval(() => {
      if (probeProcess(holder.pid, holder.start) === "dead") {
        clearInterval(watch);
        void stop();
      }
    }, 500);
    Deno.unrefTimer(watch);
  }
  // The SDK's transport reads stdin without closing the server at its end: a
  // client that closes stdin has ended the session.
  process.stdin.on("end", () => void stop());
  process.stdin.on("close", () => void stop());
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    Deno.addSignalListener(signal, () => void stop(0));
  }
  await server.connect(new StdioServerTransport());
}
