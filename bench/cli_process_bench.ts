// Process-level benchmark: `lokt lock x` + `lokt unlock x` against an empty
// `deno run` of a script beside cli.ts, interleaved in the same run so that
// machine noise hits both alike. Target: at most 1.3x the empty run.
//
//   deno run -A bench/cli_process_bench.ts [iterations]

const iterations = Number(Deno.args[0] ?? 150);
const here = new URL(".", import.meta.url).pathname;
const cli = `${here}../cli.ts`;
const empty = `${here}empty.ts`;
const repo = await Deno.makeTempDir({ prefix: "lokt-cli-bench-" });
await new Deno.Command("git", { args: ["init", "-q", repo] }).output();
const env = { LOKT_OWNER: "bench", NO_COLOR: "1" };

async function timed(args: string[], expect: number): Promise<number> {
  const start = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...args],
    cwd: repo,
    env,
    stdout: "null",
    stderr: "null",
  }).output();
  const ms = performance.now() - start;
  if (out.code !== expect) throw new Error(`${args.join(" ")} exited ${out.code}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const base: number[] = [];
const lock: number[] = [];
const unlock: number[] = [];
for (let i = 0; i < 5; i++) {
  await timed([empty], 0);
  await timed([cli, "lock", "x"], 0);
  await timed([cli, "unlock", "x"], 0);
}
for (let i = 0; i < iterations; i++) {
  base.push(await timed([empty], 0));
  lock.push(await timed([cli, "lock", "x"], 0));
  base.push(await timed([empty], 0));
  unlock.push(await timed([cli, "unlock", "x"], 0));
}
const b = median(base);
const perInvocation = (median(lock) + median(unlock)) / 2;
const report = {
  date: new Date().toISOString().slice(0, 10),
  deno: Deno.version.deno,
  iterations,
  empty_ms: +b.toFixed(1),
  lock_ms: +median(lock).toFixed(1),
  unlock_ms: +median(unlock).toFixed(1),
  per_invocation_ms: +perInvocation.toFixed(1),
  ratio: +(perInvocation / b).toFixed(2),
  min_ratio: +(((Math.min(...lock) + Math.min(...unlock)) / 2) / Math.min(...base)).toFixed(2),
  target_ratio: 1.3,
};
console.log(JSON.stringify(report, null, 2));
await Deno.remove(repo, { recursive: true });
