/**
 * The HTTP side of `lokt dashboard` (docs/contract.md §18): a read-only handler — the
 * page, `/api/status` (the `status --json` document), `/api/audit`,
 * `/api/why`, `/timeline.svg`, and `/events` (server-sent events carrying
 * the status document whenever it changes). It refuses any other method,
 * any `Host` it does not serve (DNS rebinding), and, with a token, any
 * request without it (`Authorization: Bearer`, or `?token=`, which also sets
 * a cookie so that the page's event stream is authorised too).
 *
 * @module
 */

import * as audit from "../commands/audit.ts";
import * as status from "../commands/status.ts";
import * as why from "../commands/why.ts";
import type { CommandModule } from "../run_command.ts";
import { captureCommand } from "../run_command.ts";
import { UsageError } from "../../model/errors.ts";
import type { DashboardInitial } from "./dashboard_page.ts";
import { dashboardPage } from "./dashboard_page.ts";
import { auditFlags, hostServed, sameToken, whyName } from "./dashboard_request.ts";

/** The read-only commands the dashboard shows (no others: it can change nothing). */
const SHOWN: Record<string, CommandModule> = { audit, status, why };

/** How the dashboard is served. */
export interface DashboardOptions {
  /** The host name it listens on. */
  hostname: string;
  /** The port it listens on. */
  port: number;
  /** The token every request must carry, or `null` (loopback only). */
  token: string | null;
  /** How often `/events` looks for changes, in ms. @default {1000} */
  pollMs?: number;
}

/**
 * Runs a CLI command in this process and returns what it printed.
 *
 * @param argv The command line.
 * @returns The exit code and the lines printed on stdout.
 */
async function capture(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const mod = SHOWN[argv[0] as string]!;
  return await captureCommand(() => mod, argv[0] as string, argv.slice(1));
}

/**
 * Makes the request handler.
 *
 * @param options Host, port, token.
 * @returns The handler.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { dashboardHandler } from "./dashboard_server.ts";
 * const handle = dashboardHandler({ hostname: "127.0.0.1", port: 8080, token: null });
 * const res = await handle(new Request("http://evil.example:8080/api/status"));
 * assert(res.status === 421);
 * ```
 */
export function dashboardHandler(options: DashboardOptions): (req: Request) => Promise<Response> {
  const hosts = servedHosts(options.hostname, options.port);
  return async (req) => {
    // An odd Host makes no URL: it is refused before anything is parsed (DNS rebinding).
    if (!hostServed(req.headers.get("host"), hosts)) {
      return text(421, "this dashboard does not serve that host name");
    }
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return text(421, "this dashboard does not serve that host name");
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      return text(405, "read-only: GET only");
    }
    const cookie = /(?:^|;\s*)lokt_token=([^;]+)/.exec(req.headers.get("cookie") ?? "")?.[1];
    const given = url.searchParams.get("token") ??
      req.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? cookie ?? null;
    if (options.token !== null && !sameToken(given, options.token)) {
      return text(401, "a token is required: ?token=… or Authorization: Bearer …");
    }
    const setCookie: Record<string, string> =
      options.token !== null && url.searchParams.has("token")
        ? { "set-cookie": `lokt_token=${options.token}; HttpOnly; SameSite=Strict; Path=/` }
        : {};
    try {
      return await route(req, url, setCookie, options);
    } catch (err) {
      if (err instanceof UsageError) return badRequest(err.message);
      throw err;
    }
  };
}

/** What the page shows first: sent with it, so a plain screenshot has it all. */
async function firstDocument(): Promise<DashboardInitial> {
  const status = JSON.parse((await capture(["status", "--json"])).lines[0] ?? "null");
  const audit = await capture(["audit", "--json", "--since", "1h", "--limit", "30"]);
  const events = audit.lines.filter((l) => l.startsWith('{"ts"')).map((l) => JSON.parse(l));
  const svg = (await capture(["audit", "--timeline"])).lines.join("\n");
  return { status, events, svg };
}

/** Answers one accepted request. */
async function route(
  req: Request,
  url: URL,
  setCookie: Record<string, string>,
  options: DashboardOptions,
): Promise<Response> {
  const query = url.searchParams;
  switch (url.pathname) {
    case "/":
      return new Response(dashboardPage(await firstDocument()), {
        headers: { "content-type": "text/html; charset=utf-8", ...noStore, ...setCookie },
      });
    case "/api/status":
      return json((await capture(["status", "--json"])).lines[0] ?? "null");
    case "/api/why":
      return json((await capture(["why", "--json", "--", whyName(query)])).lines[0] ?? "null");
    case "/api/audit": {
      const flags = auditFlags(query, { since: "1h", limit: "200" });
      const { lines } = await capture(["audit", "--json", ...flags]);
      return json(`[${lines.filter((l) => l.startsWith('{"ts"')).join(",")}]`);
    }
    case "/timeline.svg": {
      // Without since: the last hour from its first event.
      const { code, lines } = await capture([
        "audit",
        "--timeline",
        ...auditFlags(query, { since: null, limit: null }),
      ]);
      if (code !== 0) return badRequest(lines.join(" "));
      return new Response(lines.join("\n"), {
        headers: { "content-type": "image/svg+xml; charset=utf-8", ...noStore },
      });
    }
    case "/events":
      return events(options.pollMs ?? 1000, req.signal);
    default:
      return text(404, "not found");
  }
}

/**
 * The `Host` headers a dashboard answers (anything else is refused, against
 * DNS rebinding): the host it listens on, `localhost`, `127.0.0.1` and
 * `[::1]`, with the port; listening on every address (`0.0.0.0`, `::`), also
 * this machine's name and the addresses of its interfaces, which is how
 * others reach it.
 *
 * @param hostname The host it listens on (an IPv6 address in brackets).
 * @param port The port.
 * @returns The accepted `Host` values.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { servedHosts } from "./dashboard_server.ts";
 * assert(servedHosts("127.0.0.1", 7337).has("localhost:7337"));
 * ```
 */
export function servedHosts(hostname: string, port: number): Set<string> {
  const names = [hostname, "localhost", "127.0.0.1", "[::1]"];
  if (hostname === "0.0.0.0" || hostname === "[::]") {
    try {
      names.push(Deno.hostname().toLowerCase());
      for (const i of Deno.networkInterfaces()) {
        names.push(i.family === "IPv6" ? `[${i.address}]` : i.address);
      }
    } catch {
      // Without --allow-sys only the names above are answered.
    }
  }
  return new Set(names.map((h) => `${h}:${port}`));
}

const noStore = { "cache-control": "no-store" };

function text(status: number, body: string): Response {
  return new Response(`${body}\n`, {
    status,
    headers: { "content-type": "text/plain", ...noStore },
  });
}

function badRequest(message: string): Response {
  return new Response(JSON.stringify({ ok: false, error: message }), {
    status: 400,
    headers: { "content-type": "application/json; charset=utf-8", ...noStore },
  });
}

function json(body: string): Response {
  return new Response(body, {
    headers: { "content-type": "application/json; charset=utf-8", ...noStore },
  });
}

/** The status document whenever it changes (and a comment every 15 s to keep the stream open). */
function events(pollMs: number, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  let last = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  let beat = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const tick = async () => {
        if (signal.aborted) return;
        try {
          const doc = (await capture(["status", "--json"])).lines[0] ?? "null";
          const stable = doc.replace(/"generated_at":"[^"]*"/, "").replace(
            /"(age_ms|expires_in_ms)":-?\d+/g,
            "",
          );
          if (stable !== last) {
            last = stable;
            controller.enqueue(encoder.encode(`event: status\ndata: ${doc}\n\n`));
          } else if (++beat % Math.max(1, Math.round(15_000 / pollMs)) === 0) {
            controller.enqueue(encoder.encode(`: still here\n\n`));
          }
        } catch {
          return;
        }
        timer = setTimeout(tick, pollMs);
      };
      void tick();
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // Already closed.
        }
      });
    },
    cancel() {
      clearTimeout(timer);
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/event-stream", ...noStore, connection: "keep-alive" },
  });
}
