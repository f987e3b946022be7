// Handoff and contention benchmarks for guard --wait (issue: guard).
//
//   deno run -A bench/handoff_bench.ts [handoffs] [agents] [runsPerAgent]
//
// 1. Handoff: N+1 guards queue on one lock; each command records when it
//    starts and when it ends. A handoff is the next command's start minus the
//    previous command's end (the previous guard's release, the waiter's wake,
//    acquire and spawn all sit in between). Baseline measured in the same run:
//    the time for a Deno process to spawn the same `sh`+`date` pair directly.
// 2. Throughput: A agents each run R short guarded read-increment-write
//    commands on a shared counter; the counter must end at exactly A*R. The
//    baseline is the same runs without lokt (an empty `deno run` plus the
//    command, unserialised), so the ratio is what serialisation costs.

const handoffs = Number(Deno.args[0] ?? 20);
const agents = Number(Deno.args[1] ?? 8);
const runsPerAgent = Number(Deno.args[2] ?? 25);
const here = new URL(".", import.meta.url).pathname;
const cli = `${here}../cli.ts`;
const deno = Deno.execPath();
const dir = await Deno.makeTempDir({ prefix: "lokt-handoff-" });
const root = `${dir}/root`;
const env = (owner: string) => ({
  ...Deno.env.toObject(),
  LOKT_ROOT: root,
  LOKT_OWNER: owner,
  NO_COLOR: "1",
});

function lokt(args: string[], owner: string): Deno.ChildProcess {
  return new Deno.Command(deno, {
    args: ["run", "-A", "--quiet", cli, ...args],
    env: env(owner),
    stdout: "null",
    stderr: "inherit",
  }).spawn();
}

async function queueLength(): Promise<number> {
  let n = 0;
  try {
    for await (const e of Deno.readDir(`${root}/queue/handoff`)) if (e.name.endsWith(".json")) n++;
  } catch {
    // No queue yet.
  }
  return n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

// --- 1. handoff latency -----------------------------------------------------
await lokt(["lock", "handoff", "--ttl", "10m"], "holder").status;
const stamps = `${dir}/stamps`;
const waiters: Deno.ChildProcess[] = [];
for (let i = 0; i <= handoffs; i++) {
  waiters.push(lokt([
    "guard",
    "handoff",
    "--wait",
    "--timeout",
    "5m",
    "--",
    "sh",
    "-c",
    `echo "start ${i} $(date +%s%N)" >> ${stamps}; sleep 0.02; echo "end ${i} $(date +%s%N)" >> ${stamps}`,
  ], `waiter-${i}`));
  while ((await queueLength()) < i + 1) await new Promise((r) => setTimeout(r, 10));
}
await lokt(["unlock", "handoff"], "holder").status;
for (const w of waiters) {
  if (!(await w.status).success) throw new Error("a waiter failed");
}
const lines = (await Deno.readTextFile(stamps)).trim().split("\n").map((l) => l.split(" "));
const at = (kind: string, i: number) =>
  Number(lines.find((l) => l[0] === kind && l[1] === String(i))?.[2]) / 1e6;
const gaps: number[] = [];
for (let i = 1; i <= handoffs; i++) gaps.push(at("start", i) - at("end", i - 1));
const order = lines.filter((l) => l[0] === "start").map((l) => Number(l[1]));
const fifo = order.every((v, i) => v === i);

// Baseline: spawning the same shell + date directly.
const spawnTimes: number[] = [];
for (let i = 0; i < handoffs; i++) {
  const before = Date.now() * 1e6 + Math.round((performance.now() % 1) * 1e6);
  const t0 = performance.now();
  const out = await new Deno.Command("sh", { args: ["-c", "date +%s%N"], stdout: "piped" })
    .output();
  const started = Number(new TextDecoder().decode(out.stdout).trim()) / 1e6;
  spawnTimes.push(Math.max(0, started - before / 1e6));
  void t0;
}

// --- 2. throughput under contention -------------------------------------------
const counter = `${dir}/counter`;
await Deno.writeTextFile(counter, "0");
const increment = `n=$(cat ${counter}); echo $((n+1)) > ${counter}`;
async function agentLoop(id: number, guarded: boolean): Promise<void> {
  for (let r = 0; r < runsPerAgent; r++) {
    const args = guarded
      ? [
        "run",
        "-A",
        "--quiet",
        cli,
        "guard",
        "counter",
        "--wait",
        "--timeout",
        "5m",
        "--",
        "sh",
        "-c",
        increment,
      ]
      : ["run", "-A", "--quiet", `${here}empty.ts`];
    const out = await new Deno.Command(deno, { args, env: env(`agent-${id}`), stdout: "null" })
      .output();
    if (!out.success) throw new Error(`agent ${id} run ${r} failed`);
    if (!guarded) await new Deno.Command("sh", { args: ["-c", increment] }).output();
  }
}
let t = performance.now();
await Promise.all(Array.from({ length: agents }, (_, i) => agentLoop(i, false)));
const baselineMs = performance.now() - t;
const unguardedCount = Number(await Deno.readTextFile(counter));
await Deno.writeTextFile(counter, "0");
t = performance.now();
await Promise.all(Array.from({ length: agents }, (_, i) => agentLoop(i, true)));
const guardedMs = performance.now() - t;
const guardedCount = Number(await Deno.readTextFile(counter));
const total = agents * runsPerAgent;

console.log(JSON.stringify(
  {
    date: new Date().toISOString().slice(0, 10),
    deno: Deno.version.deno,
    handoff: {
      handoffs,
      median_ms: +median(gaps).toFixed(1),
      p90_ms: +[...gaps].sort((a, b) => a - b)[Math.floor(gaps.length * 0.9)]!.toFixed(1),
      max_ms: +Math.max(...gaps).toFixed(1),
      fifo_order: fifo,
      baseline_spawn_median_ms: +median(spawnTimes).toFixed(1),
      ratio_to_spawn: +(median(gaps) / median(spawnTimes)).toFixed(2),
      target_ms: 20,
    },
    throughput: {
      agents,
      runs_per_agent: runsPerAgent,
      guarded_total_ms: Math.round(guardedMs),
      guarded_runs_per_s: +(total / (guardedMs / 1000)).toFixed(1),
      counter: guardedCount,
      expected: total,
      lost_updates: total - guardedCount,
      baseline_unguarded_total_ms: Math.round(baselineMs),
      baseline_lost_updates: total - unguardedCount,
      ratio_to_unguarded: +(guardedMs / baselineMs).toFixed(2),
    },
  },
  null,
  2,
));
await Deno.remove(dir, { recursive: true });
