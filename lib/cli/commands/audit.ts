/**
 * `lokt audit`: query or follow the audit trail, newest last.
 *
 * @module
 */

import { shown } from "../../model/safe_text.ts";
import type { CommandSpec, ParsedArgs } from "../args.ts";
import type { AuditEvent } from "../../model/audit_event.ts";
import { parseEventList, parseTimeBound } from "../../model/audit_query.ts";
import type { AuditQuery } from "../../model/audit_query.ts";
import type { AuditReadStats } from "../../store/lock_store.ts";
import { openContext } from "../../core/context.ts";
import { readTimeline } from "../../core/audit/timeline_read.ts";
import { isoTime } from "../../model/iso_time.ts";
import { timelineSvgLines } from "../timeline_svg.ts";
import { UsageError } from "../../model/errors.ts";
import { identityValueProblem } from "../../model/identity_value.ts";
import type { CommandResult, Io } from "../output.ts";
import { paint } from "../output.ts";
import { nameArg, stringFlag } from "../flags.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "audit",
  summary: "query or follow the audit trail (oldest first; --json gives JSON Lines)",
  usage: [
    "audit [--since D|TS] [--until TS] [--name N] [--owner O] [--event E[,E…]] [--limit N] [--follow] [--json]",
    "audit --timeline [--since D|TS] [--until D|TS] [--name N] > timeline.svg",
  ],
  flags: [
    {
      name: "since",
      type: "string",
      value: "D|TS",
      help: "events newer than a duration ago (1h) or a timestamp",
    },
    {
      name: "until",
      type: "string",
      value: "D|TS",
      help: "events older than a duration ago or a timestamp",
    },
    { name: "name", type: "string", value: "N", help: "only this lock" },
    { name: "owner", type: "string", value: "O", help: "only this actor" },
    {
      name: "event",
      type: "string",
      value: "E",
      help: "only these kinds (comma-separated), e.g. deny,lost",
    },
    {
      name: "limit",
      type: "string",
      value: "N",
      help: "only the newest N events (printed oldest first)",
    },
    {
      name: "follow",
      type: "boolean",
      help: "keep printing new events until Ctrl-C (history: --limit, default 10)",
    },
    {
      name: "timeline",
      type: "boolean",
      help: "print an SVG timeline: holds per name by owner, waits, breaks (default --since 1h)",
    },
  ],
  positionals: [],
  examples: [
    "lokt audit --since 12h",
    "lokt audit --name build --event deny,lost,force-break",
    "lokt audit --follow --json",
  ],
};

/**
 * Runs `lokt audit`.
 *
 * @param args The parsed arguments.
 * @param io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, io: Io): Promise<CommandResult> {
  if (args.flags.timeline === true) return await timeline(args, io);
  const query = parseQuery(args);
  const follow = args.flags.follow === true;
  if (follow && query.limit === null) query.limit = 10;
  const ctx = openContext();
  const out = bufferedWriter(io);
  const print = (event: AuditEvent) => out.write(io.json ? JSON.stringify(event) : row(io, event));
  if (!io.json) out.write(paint(io, "bold", header()));
  const stats: AuditReadStats = { lines: 0, malformed: 0 };
  let count = 0;
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  // Following goes on from exactly where the history read stops, until Ctrl-C.
  const signals = follow ? (["SIGINT", "SIGTERM"] as const) : [];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  try {
    const events = ctx.store.readAudit(query, {
      stats,
      follow: follow ? stop.signal : undefined,
      onHistoryEnd: () => {
        out.flush();
        if (stats.malformed > 0) {
          io.err(`warning: skipped ${stats.malformed} malformed line(s) in the audit trail`);
        }
      },
    });
    for await (const event of events) {
      print(event);
      count++;
      if (follow) out.flush();
    }
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
  }
  out.flush();
  return {
    exitCode: 0,
    json: null,
    text: count === 0 && !follow ? "(no matching events)" : "",
  };
}

/**
 * `lokt audit --timeline`: the trail folded, event by event, into an SVG
 * (the last hour from its first event, unless `--since`); `--name` keeps one row.
 */
async function timeline(args: ParsedArgs, io: Io): Promise<CommandResult> {
  if (args.flags.follow === true || stringFlag(args, "limit") !== undefined) {
    throw new UsageError("--timeline takes --since, --until and --name only", "audit");
  }
  const now = Date.now();
  const query = parseQuery(args);
  // Without --since: the last hour, from its first event (a short run fills the picture).
  const fit = query.sinceMs == null;
  query.sinceMs ??= now - 3_600_000;
  const to = query.untilMs ?? now;
  const folded = await readTimeline(openContext(), {
    from: query.sinceMs,
    to,
    fit,
    name: query.name ?? null,
  });
  const title = `lokt — ${query.name ?? "every name"}, ${isoTime(folded.from).slice(0, 19)}Z to ${
    isoTime(folded.to).slice(0, 19)
  }Z (${folded.events} events)`;
  const out = bufferedWriter(io);
  for (const line of timelineSvgLines(folded, title)) out.write(line);
  out.flush();
  return { exitCode: 0, json: null, text: "" };
}

function parseQuery(args: ParsedArgs): AuditQuery & { limit: number | null } {
  const now = Date.now();
  const since = stringFlag(args, "since");
  const until = stringFlag(args, "until");
  const owner = stringFlag(args, "owner");
  const event = stringFlag(args, "event");
  const limit = stringFlag(args, "limit");
  if (owner !== undefined) {
    const problem = identityValueProblem(owner, "--owner");
    if (problem) throw new UsageError(problem, "audit");
  }
  if (limit !== undefined && !/^\d{1,9}$/.test(limit)) {
    throw new UsageError(`Invalid --limit ${JSON.stringify(limit)}: a whole number`, "audit");
  }
  const name = stringFlag(args, "name");
  return {
    sinceMs: since === undefined ? null : parseTimeBound(since, now, "--since"),
    untilMs: until === undefined ? null : parseTimeBound(until, now, "--until"),
    name: name === undefined ? null : nameArg({ ...args, positionals: [name] }, "audit"),
    owner: owner ?? null,
    events: event === undefined ? null : parseEventList(event),
    limit: limit === undefined ? null : Number(limit),
  };
}

// The host tells which machine did what when several share a backend.
const WIDTHS = [24, 14, 20, 24, 16];

function header(): string {
  return ["TIME", "EVENT", "NAME", "OWNER", "HOST"].map((h, i) => h.padEnd(WIDTHS[i] as number))
    .join("  ") + "  DETAIL";
}

function row(io: Io, e: AuditEvent): string {
  const cells = [e.ts, e.event, e.name, e.owner, e.host ?? ""].map((c, i) =>
    fit(shown(c), WIDTHS[i] as number)
  );
  const kind = e.event;
  if (kind === "deny" || kind === "lost" || kind.endsWith("break") || kind === "timeout") {
    cells[1] = paint(
      io,
      kind === "lost" || kind === "force-break" ? "red" : "yellow",
      cells[1] as string,
    );
  }
  return `${cells.join("  ")}  ${detail(e)}`;
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

function detail(e: AuditEvent): string {
  const parts: string[] = [];
  if (e.fence !== null) parts.push(`fence=${e.fence}`);
  if (e.ttl_ms !== null) parts.push(`ttl=${e.ttl_ms}ms`);
  if (e.reason) parts.push(`reason=${JSON.stringify(e.reason)}`);
  const d = e.detail ?? {};
  const holder = d.previous_owner ?? d.holder_owner;
  if (holder) parts.push(`${d.previous_owner ? "previous" : "holder"}=${shown(String(holder))}`);
  for (const key of ["queued", "waited_ms", "corrupt", "extended", "frozen_by", "took_over"]) {
    if (d[key] !== undefined && d[key] !== null) parts.push(`${key}=${JSON.stringify(d[key])}`);
  }
  return parts.join(" ");
}

/** Batches output lines into large writes: a million events are not a million syscalls. */
function bufferedWriter(io: Io): { write(line: string): void; flush(): void } {
  let lines: string[] = [];
  let size = 0;
  const flush = () => {
    if (lines.length) io.out(lines.join("\n"));
    lines = [];
    size = 0;
  };
  return {
    write(line: string) {
      lines.push(line);
      size += line.length;
      if (size > 1 << 16) flush();
    },
    flush,
  };
}
