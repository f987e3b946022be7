/**
 * The swarm soak (`deno task soak:swarm [minutes] [<claude>,<codex>] [plain]`, default
 * 10 minutes, 4 Claude Code and 2 Codex agents): sessions at once on one
 * repository, offline, for the given time (`swarm_run.ts` says what they do and what is measured). Prints the
 * report and exits 1 when any promise broke: a file written while another
 * session held it reserved, two guarded sections at once, a hold left after
 * every session ended, or a session that failed.
 *
 * @module
 */

import { harnessBin, offlineRefused, runOffline } from "./_offline.ts";

/** What the soak found. */
export interface SwarmReport {
  seconds: number;
  sessions: { claude: number; codex: number; failed: number };
  writes: { claude: number; codex: number };
  denied: number;
  guardedSections: number;
  unfinishedSections: number;
  violations: number;
  overlaps: number;
  holdsLeft: number;
  hooks: {
    lokt: { count: number; median: number | null; p95: number | null };
    emptyDenoRun: { count: number; median: number | null; p95: number | null };
  };
}

/**
 * Runs the swarm for a while, offline.
 *
 * @param seconds How long new sessions keep starting.
 * @param agents `<claude>,<codex>`: how many agents of each harness.
 * @param plain Without `reserve_on_edit` (no contention: to time the hook's read-only path).
 * @returns The report.
 */
export async function runSwarm(
  seconds: number,
  agents = "4,2",
  plain = false,
): Promise<SwarmReport> {
  const bin = await harnessBin();
  const script = new URL("./swarm_run.ts", import.meta.url).pathname;
  const run = await runOffline(
    script,
    [String(seconds), bin, agents, ...(plain ? ["plain"] : [])],
    {},
    seconds * 1000 + 600_000,
  );
  if (run.code !== 0) throw new Error(`the swarm failed: ${run.stderr.slice(-3000)}`);
  return JSON.parse(run.stdout) as SwarmReport;
}

if (import.meta.main) {
  const refused = await offlineRefused();
  if (refused) {
    console.log(`soak:swarm: not run, ${refused}`);
    Deno.exit(0);
  }
  const minutes = Number(Deno.args[0] ?? "10");
  const report = await runSwarm(
    Math.round(minutes * 60),
    Deno.args[1] ?? "4,2",
    Deno.args[2] === "plain",
  );
  console.log(JSON.stringify(report, null, 2));
  const broken = report.violations + report.overlaps + report.holdsLeft + report.sessions.failed;
  console.log(
    `${report.sessions.claude} Claude Code + ${report.sessions.codex} Codex sessions, ${
      report.writes.claude + report.writes.codex
    } edits, ${report.denied} denied, ${report.guardedSections} guarded builds; violations ${report.violations}, overlaps ${report.overlaps}, holds left ${report.holdsLeft}, failed sessions ${report.sessions.failed}; PreToolUse median/p95: lokt ${report.hooks.lokt.median}/${report.hooks.lokt.p95} ms, empty deno run ${report.hooks.emptyDenoRun.median}/${report.hooks.emptyDenoRun.p95} ms`,
  );
  Deno.exit(broken === 0 ? 0 : 1);
}
