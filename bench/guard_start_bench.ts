// guard's start-up: the time from starting `lokt guard g -- <cmd>` to the
// moment <cmd> starts, against a Deno script that only spawns the same
// command (bench/spawn_only.ts), interleaved in one run. The command prints
// the wall clock when it starts (`date +%s%N`). Target: at most 1.3x.
// `--compare <other cli.ts>` also runs another checkout's guard in the same
// interleaving.
//
//   deno run -A bench/guard_start_bench.ts [iterations] [--compare path/to/cli.ts]

const args = [...Deno.args];
const compareAt = args.indexOf("--compare");
const other = compareAt >= 0 ? args.splice(compareAt, 2)[1] : undefined;
const iterations = Number(args[0] ?? 100);
const here = new URL(".", import.meta.url).pathname;
const repo = await Deno.makeTempDir({ prefix: "lokt-guard-bench-" });
await new Deno.Command("git", { args: ["init", "-q", repo] }).output();
const env = { LOKT_OWNER: "bench", NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" };
const command = ["date", "+%s%N"];
const runs: Record<string, string[]> = {
  spawn_only: [`${here}spawn_only.ts`, ...command],
  guard: [`${here}../cli.ts`, "guard", "g", "--", ...command],
};
if (other) runs.compared_guard = [other, "guard", "g", "--", ...command];

/** Milliseconds from starting the Deno process to the command's first instant. */
async function toCommandStart(argv: string[]): Promise<number> {
  const started = performance.timeOrigin + performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...argv],
    cwd: repo,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) throw new Error(new TextDecoder().decode(out.stderr));
  const ns = BigInt(new TextDecoder().decode(out.stdout).trim());
  return Number(ns / 1000n) / 1000 - started;
}

const times: Record<string, number[]> = {};
for (let i = 0; i < iterations + 5; i++) {
  for (const [name, argv] of Object.entries(runs)) {
    const ms = await toCommandStart(argv);
    if (i >= 5) (times[name] ??= []).push(ms);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const spawn = median(times.spawn_only!);
const guard = median(times.guard!);
console.log(JSON.stringify(
  {
    date: new Date().toISOString().slice(0, 10),
    deno: Deno.version.deno,
    iterations,
    spawn_only_ms: +spawn.toFixed(1),
    guard_ms: +guard.toFixed(1),
    ratio: +(guard / spawn).toFixed(2),
    ...(other
      ? {
        compared_guard_ms: +median(times.compared_guard!).toFixed(1),
        compared_ratio: +(median(times.compared_guard!) / spawn).toFixed(2),
      }
      : {}),
    target_ratio: 1.3,
  },
  null,
  2,
));
await Deno.remove(repo, { recursive: true });
