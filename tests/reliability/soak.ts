// The soak run: the reliability scenarios at larger counts, repeated for a
// fixed time (default 10 minutes). Not part of CI: `deno task soak [minutes]`.
// Prints one JSON summary; exits 1 on any violation or problem.
import { tempDir } from "../_helpers.ts";
import { crashScenario, loadScenario } from "./_scenarios.ts";
import type { Figures } from "./_scenarios.ts";
import { faultRound } from "./_faults.ts";

const minutes = Number(Deno.args[0] ?? Deno.env.get("LOKT_SOAK_MINUTES") ?? 10);
const started = Date.now();
const until = started + minutes * 60_000;
const totals = {
  rounds: 0,
  load_operations: 0,
  crash_cycles: 0,
  kills: 0,
  violations: 0,
  fault_rounds: 0,
  stranded_holds: 0,
  blocked_give_backs: 0,
  fences_backwards: 0,
  problems: [] as string[],
};

function add(f: Figures, kind: "load" | "crash") {
  if (kind === "load") totals.load_operations += f.operations;
  else totals.crash_cycles += f.operations;
  totals.kills += f.kills;
  totals.violations += f.violations;
  totals.problems.push(...f.problems);
}

while (Date.now() < until) {
  totals.rounds++;
  const load = await tempDir("lokt-soak-");
  add(
    await loadScenario(load, { libWorkers: 12, cliWorkers: 4, iterations: 40, locks: 3 }),
    "load",
  );
  await Deno.remove(load, { recursive: true });
  const crash = await tempDir("lokt-soak-");
  const left = Math.max(10_000, Math.min(60_000, until - Date.now()));
  add(
    await crashScenario(crash, { workers: 10, durationMs: left, killEveryMs: 250, locks: 3 }),
    "crash",
  );
  await Deno.remove(crash, { recursive: true });
  // The faults of a swarm's week: a crashed harness, a broken config, a Redis that lost its data.
  const faults = await tempDir("lokt-soak-");
  const f = await faultRound(faults);
  totals.fault_rounds++;
  totals.stranded_holds += f.stranded;
  totals.blocked_give_backs += f.blockedGiveBacks;
  totals.fences_backwards += f.fencesBackwards;
  totals.violations += f.stranded + f.blockedGiveBacks + f.fencesBackwards;
  totals.problems.push(...f.problems);
  await Deno.remove(faults, { recursive: true });
  console.error(
    `round ${totals.rounds}: ${JSON.stringify({ ...totals, problems: totals.problems.length })}`,
  );
}

const summary = {
  date: new Date().toISOString(),
  deno: Deno.version.deno,
  minutes: +((Date.now() - started) / 60_000).toFixed(1),
  ...totals,
};
console.log(JSON.stringify(summary, null, 2));
if (totals.violations > 0 || totals.problems.length > 0) Deno.exit(1);
