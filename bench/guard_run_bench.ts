// A whole `lokt guard g -- true` run — acquire, spawn, wait, release, audit —
// against a Deno script that only spawns `true` and awaits it
// (bench/spawn_only.ts), interleaved in one run, in wall time (median) and
// in CPU time (user + system of the child process tree, mean: read from this
// process's `cutime`/`cstime`, which count in 10 ms ticks, so only a mean over
// many runs is meaningful). Target: at most 1.25x in both. A third series,
// `floor` (bench/floor.ts guard), does only the Deno operations guard cannot
// do without: what lies between it and guard is lokt's own work.
//
//   deno run -A bench/guard_run_bench.ts [iterations] [--compare path/to/cli.ts]

const args = [...Deno.args];
const compareAt = args.indexOf("--compare");
const other = compareAt >= 0 ? args.splice(compareAt, 2)[1] : undefined;
const iterations = Number(args[0] ?? 100);
const here = new URL(".", import.meta.url).pathname;
const repo = await Deno.makeTempDir({ prefix: "lokt-guard-run-bench-" });
await new Deno.Command("git", { args: ["init", "-q", repo] }).output();
const env = { LOKT_OWNER: "bench", NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" };
const runs: Record<string, string[]> = {
  spawn_only: [`${here}spawn_only.ts`, "true"],
  guard: [`${here}../cli.ts`, "guard", "g", "--", "true"],
  floor: [`${here}floor.ts`, "guard", "true"],
};
if (other) runs.compared_guard = [other, "guard", "g", "--", "true"];

/** CPU time this process's waited-for children have used, in ms (10 ms ticks). */
function childrenCpuMs(): number {
  const stat = Deno.readTextFileSync("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the command name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** One run: wall ms and CPU ms. */
async function once(argv: string[]): Promise<{ wall: number; cpu: number }> {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...argv],
    cwd: repo,
    env,
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).output();
  const wall = performance.now() - t0;
  if (out.code !== 0) throw new Error(new TextDecoder().decode(out.stderr));
  return { wall, cpu: childrenCpuMs() - cpu0 };
}

const walls: Record<string, number[]> = {};
const cpus: Record<string, number[]> = {};
for (let i = 0; i < iterations + 5; i++) {
  for (const [name, argv] of Object.entries(runs)) {
    const { wall, cpu } = await once(argv);
    if (i < 5) continue;
    (walls[name] ??= []).push(wall);
    (cpus[name] ??= []).push(cpu);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const result: Record<string, unknown> = {
  date: new Date().toISOString().slice(0, 10),
  deno: Deno.version.deno,
  iterations,
};
for (const name of Object.keys(runs)) {
  result[`${name}_wall_ms`] = +median(walls[name]!).toFixed(1);
  result[`${name}_cpu_ms`] = +mean(cpus[name]!).toFixed(1);
  if (name !== "spawn_only") {
    result[`${name}_wall_ratio`] = +(median(walls[name]!) / median(walls.spawn_only!)).toFixed(2);
    result[`${name}_cpu_ratio`] = +(mean(cpus[name]!) / mean(cpus.spawn_only!)).toFixed(2);
  }
}
console.log(JSON.stringify(result, null, 2));
await Deno.remove(repo, { recursive: true });
