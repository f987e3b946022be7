/**
 * The primer an agent needs at the start of a session (docs/contract.md §16): who it is,
 * what is held, waited for, reserved and frozen right now, and the
 * conventions — short enough to inject at every session start.
 *
 * @module
 */

import { shown } from "../model/safe_text.ts";
import type { EngineContext, OpenedContext } from "../core/context.ts";
import type { StatusReport } from "../core/report/status_report.ts";
import { collectStatus } from "../core/report/status_report.ts";
import { formatDuration } from "../model/duration_format.ts";

/** The conventions, one line each. */
export const CONVENTIONS: readonly string[] = [
  "Run shared commands under a lock: `lokt guard <name> --wait -- <command>` (builds, git push, migrations).",
  'Before editing files another agent may touch, reserve them: `lokt reserve <path or pattern>… --reason "…"`; `lokt release --all` when done.',
  "`lokt check <path>` says whether you may write a path now; edits of paths others reserved are denied.",
  "Exit 2 means held, reserved, frozen or timed out: run `lokt why <name>`, wait (`--wait`) or work elsewhere.",
  "Never use `--force` and never delete files under the lokt root: that is a person's break-glass.",
];

/** The primer as data (`lokt prime --json`). */
export interface Primer {
  /** Who the session acts as. */
  owner: string;
  /** Where that owner came from. */
  owner_source: string;
  /** Live locks: name, mode, holders' owners, expiry. */
  locks: { name: string; mode: string; owners: string[]; expires_in_ms: number | null }[];
  /** Waiters per lock name. */
  waiters: Record<string, number>;
  /** Live reservations. */
  reservations: {
    pattern: string;
    mode: string;
    owner: string;
    reason: string | null;
    expires_in_ms: number;
    mine: boolean;
  }[];
  /** Active freezes. */
  freezes: { name: string; owner: string; reason: string | null; expires_in_ms: number | null }[];
  /** The conventions. */
  conventions: readonly string[];
}

/**
 * Builds the primer from the current state.
 *
 * @param ctx The engine context.
 * @returns The primer.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { buildPrimer, primerText } from "./primer.ts";
 * import { openContext } from "../core/context.ts";
 * const primer = await buildPrimer(openContext({ root: Deno.makeTempDirSync(), owner: "agent-1" }));
 * assert(primerText(primer).includes("agent-1"));
 * ```
 */
export async function buildPrimer(ctx: EngineContext & Partial<OpenedContext>): Promise<Primer> {
  const report: StatusReport = await collectStatus(ctx, null);
  return {
    owner: ctx.identity.owner,
    owner_source: ctx.identity.ownerSource,
    locks: report.locks.filter((l) => l.status === "held").map((l) => ({
      name: l.name,
      mode: l.mode,
      owners: l.holds.filter((h) => h.status === "held").map((h) => h.record.owner),
      expires_in_ms: l.expiresInMs,
    })),
    waiters: Object.fromEntries(
      Object.entries(report.waiters).filter(([, w]) => w.length > 0).map(([n, w]) => [n, w.length]),
    ),
    reservations: report.reservations.filter((j) => j.status === "live").map((j) => ({
      pattern: j.reservation.patterns[0],
      mode: j.reservation.mode,
      owner: j.reservation.owner,
      reason: j.reservation.reason,
      expires_in_ms: j.expiresInMs,
      mine: j.mine,
    })),
    freezes: report.freezes.filter((f) => f.active && f.record).map((f) => ({
      name: f.name,
      owner: f.record!.owner,
      reason: f.record!.reason,
      expires_in_ms: f.expiresInMs,
    })),
    conventions: CONVENTIONS,
  };
}

/**
 * The primer as text, for a session's context.
 *
 * @param primer The primer.
 * @returns A few lines of Markdown.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { CONVENTIONS, primerText } from "./primer.ts";
 * const text = primerText({ owner: "a", owner_source: "x", locks: [], waiters: {}, reservations: [], freezes: [], conventions: CONVENTIONS });
 * assert(text.startsWith("lokt: you act as a"));
 * ```
 */
export function primerText(primer: Primer): string {
  const left = (ms: number | null) => (ms === null ? "no expiry" : `${formatDuration(ms)} left`);
  const lines = [
    `lokt: you act as ${
      shown(primer.owner)
    } (locks and reservations of this session are yours; others are denied your reserved files and you theirs).`,
  ];
  const held = primer.locks.map((l) =>
    `${l.name}${l.mode === "exclusive" ? "" : ` [${l.mode}]`} by ${
      l.owners.map((o) => (o === primer.owner ? `${shown(o)} (you)` : shown(o))).join(", ")
    } (${left(l.expires_in_ms)}${
      primer.waiters[l.name] ? `, ${primer.waiters[l.name]} waiting` : ""
    })`
  );
  lines.push(held.length ? `Locks held: ${held.join("; ")}.` : "No locks held.");
  const reserved = primer.reservations.map((r) =>
    `${r.pattern} by ${r.mine ? "you" : r.owner}${r.mode === "shared" ? " [shared]" : ""}${
      r.reason ? ` (${shown(r.reason)})` : ""
    }, ${left(r.expires_in_ms)}`
  );
  lines.push(reserved.length ? `Reserved: ${reserved.join("; ")}.` : "Nothing reserved.");
  if (primer.freezes.length) {
    lines.push(
      `Frozen (wait, do not unfreeze): ${
        primer.freezes.map((f) =>
          `${f.name} by ${shown(f.owner)}${f.reason ? ` (${shown(f.reason)})` : ""}`
        )
          .join("; ")
      }.`,
    );
  }
  lines.push(...primer.conventions.map((c) => `- ${c}`));
  return lines.join("\n");
}
