/**
 * `lokt status [name]`: held locks and freezes, with liveness verdicts.
 *
 * @module
 */

import { shown } from "../../model/safe_text.ts";
import type { CommandSpec, ParsedArgs } from "../args.ts";
import { openContext } from "../../core/context.ts";
import type { OpenedContext } from "../../core/context.ts";
import { expiryText, formatDuration } from "../../model/duration_format.ts";
import type { HoldState, LockState } from "../../core/locks/judge.ts";
import type { FreezeState } from "../../core/freezes/freezes.ts";
import type { CommandResult, Io } from "../output.ts";
import { paint, printResult } from "../output.ts";
import { collectStatus } from "../../core/report/status_report.ts";
import type { Waiter } from "../../core/locks/waiters.ts";
import type { JudgedReservation } from "../../core/reservations/reservation_index.ts";
import { nameArg } from "../flags.ts";
import { stateJson } from "../lock_json_view.ts";
import { isoTime } from "../../model/iso_time.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "status",
  summary: "show held locks and freezes: owner, agent, age, TTL left, fence, liveness",
  usage: ["status [name] [--watch] [--json]"],
  flags: [{ name: "watch", type: "boolean", help: "redraw every second until Ctrl-C" }],
  positionals: ["name?"],
  examples: ["lokt status", "lokt status build --json", "lokt status --watch"],
};

/**
 * Runs `lokt status`.
 *
 * @param args The parsed arguments.
 * @param io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, io: Io): Promise<CommandResult> {
  const name = args.positionals.length ? nameArg(args, "status") : null;
  const ctx = openContext();
  if (args.flags.watch !== true) return await snapshot(ctx, name, io);
  return await watch(ctx, name, io);
}

async function snapshot(ctx: OpenedContext, name: string | null, io: Io): Promise<CommandResult> {
  const report = await collectStatus(ctx, name);
  const { locks, freezes, waiters } = report;
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "status",
      root: ctx.rootInfo.root,
      store: ctx.store.location,
      name,
      locks: locks.map((state) => ({ ...stateJson(state), waiters: waiters[state.name] ?? [] })),
      freezes: freezes.map(freezeJson),
      reservations: report.reservations.map(reservationJson),
      reservations_corruption: report.reservationsCorruption,
      generated_at: isoTime(ctx.now()),
    },
    text: [
      render(io, name, locks, freezes, waiters, ctx.now()),
      ...reservationLines(io, report.reservations, report.reservationsCorruption),
    ].join("\n"),
  };
}

async function watch(ctx: OpenedContext, name: string | null, io: Io): Promise<CommandResult> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    let last = "";
    while (!stop.signal.aborted) {
      const result = await snapshot(ctx, name, io);
      const shown = io.json ? JSON.stringify({ ...result.json, generated_at: null }) : result.text;
      if (shown !== last) {
        if (!io.json && Deno.stdout.isTerminal()) {
          io.out("\x1b[H\x1b[2J" + "lokt status --watch (Ctrl-C to stop)\n");
        }
        printResult(io, result);
        last = shown;
      }
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 1000);
        stop.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve(null);
        }, { once: true });
      });
    }
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
  return { exitCode: 0, json: null, text: "" };
}

function reservationJson(j: JudgedReservation): Record<string, unknown> {
  return { ...j.reservation, mine: j.mine, status: j.status, expires_in_ms: j.expiresInMs };
}

function reservationLines(
  io: Io,
  reservations: JudgedReservation[],
  corruption: string | null,
): string[] {
  const lines = reservations.map((j) => {
    const r = j.reservation;
    const left = j.status === "live"
      ? expiryText(j.expiresInMs)
      : `${j.status}, removed by the next reservation`;
    return `${paint(io, "dim", "RESERVED")} ${shown(r.patterns[0])} by ${shown(r.owner)}${
      j.mine ? " (you)" : ""
    } [${r.mode}]${r.reason ? ` — ${shown(r.reason)}` : ""} — ${left}`;
  });
  if (corruption) {
    lines.push(
      `${paint(io, "yellow", "RESERVATIONS")} corrupt index (${shown(corruption)}): ignored`,
    );
  }
  return lines;
}

function freezeJson(state: FreezeState): Record<string, unknown> {
  const r = state.record;
  return {
    name: state.name,
    active: state.active,
    owner: r?.owner ?? null,
    reason: r?.reason ?? null,
    expires_in_ms: state.expiresInMs,
    corruption: state.corruption,
    record: r,
  };
}

function render(
  io: Io,
  name: string | null,
  locks: LockState[],
  freezes: FreezeState[],
  waiters: Record<string, Waiter[]>,
  now: number,
): string {
  const lines: string[] = [];
  if (locks.length === 0) lines.push(name ? `${name}: free` : "no locks held");
  else {
    const rows = locks.flatMap(rowsOf);
    const header = [
      "NAME",
      "STATUS",
      "OWNER",
      "AGENT",
      "AGE",
      "TTL LEFT",
      "FENCE",
      "LIVENESS",
      "REASON",
      "COMMAND",
    ];
    const widths = header.map((h, i) =>
      Math.min(40, Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
    );
    const fmt = (cells: string[]) =>
      cells.map((c, i) => (i === cells.length - 1 ? c : c.slice(0, 40).padEnd(widths[i] ?? 0)))
        .join("  ").trimEnd();
    lines.push(paint(io, "bold", fmt(header)));
    for (const r of rows) lines.push(fmt(r));
  }
  for (const lock of locks) {
    for (const w of waiters[lock.name] ?? []) {
      const since = w.since ? ` for ${formatDuration(now - Date.parse(w.since))}` : "";
      const mode = w.mode === "shared" || w.mode === "slots" ? ` [${w.mode}]` : "";
      lines.push(
        `${paint(io, "dim", "WAITING")} ${lock.name}${mode}: ${
          w.owner === null ? "unreadable ticket" : shown(w.owner)
        }${w.pid === null ? "" : ` (pid ${w.pid})`}${since}`,
      );
    }
  }
  for (const f of freezes) {
    if (f.corruption) {
      lines.push(
        `${paint(io, "yellow", "FREEZE")} ${f.name}: corrupt freeze file (${shown(f.corruption)})`,
      );
    } else if (f.active && f.record) {
      lines.push(
        `${paint(io, "yellow", "FROZEN")} ${f.name} by ${shown(f.record.owner)}, ${
          formatDuration(f.expiresInMs ?? 0)
        } left${f.record.reason ? ` — ${shown(f.record.reason)}` : ""}`,
      );
    }
  }
  return lines.join("\n");
}

/** The rows of a lock: one per hold (a shared or semaphore name has several). */
function rowsOf(s: LockState): string[][] {
  if (s.holds.length === 0) {
    return [[s.name, "corrupt", "-", "-", "-", "-", "-", "-", shown(s.corruption ?? ""), ""]];
  }
  return s.holds.map((hold) => holdRow(s, hold));
}

function holdRow(s: LockState, hold: HoldState): string[] {
  const r = hold.record;
  const ttl = hold.expiresInMs === null
    ? "none"
    : hold.expiresInMs >= 0
    ? formatDuration(hold.expiresInMs)
    : `-${formatDuration(-hold.expiresInMs)}`;
  const name = s.mode === "slots"
    ? `${s.name} [slot ${r.slot}/${s.slots}]`
    : s.mode === "shared"
    ? `${s.name} [shared]`
    : s.name;
  return [
    name,
    hold.mine ? `${hold.status} (you)` : hold.status,
    shown(r.owner),
    shown(r.agent_id),
    formatDuration(hold.ageMs),
    ttl,
    String(r.fence),
    hold.liveness,
    shown(r.reason ?? ""),
    r.command ? r.command.map(shown).join(" ") : "",
  ];
}
