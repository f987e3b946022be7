/**
 * `lokt dashboard [--port N] [--host H] [--token T]`: a read-only web page for
 * a person supervising a swarm (docs/contract.md §18), on loopback unless told otherwise;
 * any other host requires a token. The URL is printed on stdout.
 *
 * @module
 */

import { UsageError } from "../../model/errors.ts";
import type { CommandSpec, ParsedArgs } from "../args.ts";
import { dashboardHandler } from "./dashboard_server.ts";
import { stringFlag } from "../flags.ts";
import type { CommandResult, Io } from "../output.ts";

/** The default port. */
export const DEFAULT_PORT = 7337;

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "dashboard",
  summary: "serve a read-only, live web page of locks, reservations, freezes and the timeline",
  usage: ["dashboard [--port N] [--host H] [--token T]"],
  flags: [
    { name: "port", type: "string", value: "N", help: "the port (0: a free one)", default: "7337" },
    {
      name: "host",
      type: "string",
      value: "H",
      help: "the address to listen on",
      default: "127.0.0.1",
    },
    {
      name: "token",
      type: "string",
      value: "T",
      help:
        "required of every request; needed for any non-loopback host (or LOKT_DASHBOARD_TOKEN, which ps does not show)",
    },
  ],
  positionals: [],
  examples: [
    "lokt dashboard",
    "lokt dashboard --port 0",
    'lokt dashboard --host 0.0.0.0 --token "$(openssl rand -hex 16)"',
  ],
  json: false,
};

/**
 * Runs `lokt dashboard` until SIGINT or SIGTERM.
 *
 * @param args The parsed arguments.
 * @param io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, io: Io): Promise<CommandResult> {
  const portText = stringFlag(args, "port") ?? String(DEFAULT_PORT);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new UsageError(`Invalid --port ${JSON.stringify(portText)}: 0 to 65535`, "dashboard");
  }
  const hostname = stringFlag(args, "host") ?? "127.0.0.1";
  // From the environment too: a token in argv is visible to everyone in `ps`.
  const token = stringFlag(args, "token") ?? (Deno.env.get("LOKT_DASHBOARD_TOKEN") || null);
  const loopback = ["127.0.0.1", "localhost", "::1"].includes(hostname);
  if (!loopback && token === null) {
    throw new UsageError(
      `--host ${hostname} is reachable by others: it needs --token`,
      "dashboard",
    );
  }
  if (token !== null && !/^[\x21-\x7e]{8,200}$/.test(token)) {
    throw new UsageError("--token: 8 to 200 printable characters", "dashboard");
  }
  const stop = new AbortController();
  let port = Number(portText);
  let handler: (req: Request) => Promise<Response> = () =>
    Promise.resolve(new Response(null, { status: 503 }));
  const server = Deno.serve({
    hostname,
    port,
    signal: stop.signal,
    onListen: (addr) => {
      port = addr.port;
      handler = dashboardHandler({
        hostname: hostname.includes(":") ? `[${hostname}]` : hostname,
        port,
        token,
      });
      // Every address: the URL others use names this machine (0.0.0.0 is no place to browse to).
      const shown = hostname === "0.0.0.0" || hostname === "::"
        ? Deno.hostname().toLowerCase()
        : hostname.includes(":")
        ? `[${hostname}]`
        : hostname;
      io.out(`http://${shown}:${port}/${token === null ? "" : `?token=${token}`}`);
    },
  }, (req) => handler(req));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => stop.abort());
  }
  await server.finished;
  return { exitCode: 0, json: null, text: "" };
}
