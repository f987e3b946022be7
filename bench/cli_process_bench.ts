// Process-level benchmark: `lokt lock x` + `lokt unlock x` against an empty
// `deno run` of a script beside cli.ts, interleaved in the same run so that
// machine noise hits both alike; once in a repository without `lokt.jsonc`
// and once with one (the fast path applies its policies). Target: at most
// 1.20x the empty run (1.25x until 2026-12-06). The `floor` series runs
// bench/floor.ts, the Deno operations a lock and an unlock cannot do
// without: what lies between it and lokt is lokt's own work. `--compare <other cli.ts>`
// also runs another checkout's CLI (e.g. the previous commit) in the same
// interleaving.
//
//   deno run -A bench/cli_process_bench.ts [iterations] [--compare path/to/cli.ts]

const args = [...Deno.args];
const compareAt = args.indexOf("--compare");
const other = compareAt >= 0 ? args.splice(compareAt, 2)[1] : undefined;
const iterations = Number(args[0] ?? 150);
const here = new URL(".", import.meta.url).pathname;
const empty = `${here}empty.ts`;
const clis: Record<string, string> = { current: `${here}../cli.ts`, floor: `${here}floor.ts` };
if (other) clis.compared = other;

async function repository(config: boolean): Promise<string> {
  const repo = await Deno.makeTempDir({ prefix: "lokt-cli-bench-" });
  await new Deno.Command("git", { args: ["init", "-q", repo] }).output();
  if (config) {
    await Deno.writeTextFile(
      `${repo}/lokt.jsonc`,
      `{\n  // as a team would have it\n  "defaults": { "ttl": "20m" },\n  "locks": { "build": { "ttl": "5m", "wait": true }, "deploy": { "ttl": "1h" } },\n}\n`,
    );
  }
  return repo;
}
const repos = { plain: await repository(false), config: await repository(true) };
const env = { LOKT_OWNER: "bench", NO_COLOR: "1" };

async function timed(cwd: string, argv: string[]): Promise<number> {
  const start = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...argv],
    cwd,
    env,
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - start;
  if (out.code !== 0) {
    throw new Error(
      `${argv.join(" ")} exited ${out.code}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const series: Record<string, number[]> = {};
const add = (key: string, ms: number, keep: boolean) => keep && (series[key] ??= []).push(ms);
for (let i = 0; i < iterations + 5; i++) {
  const keep = i >= 5;
  for (const [repoName, repo] of Object.entries(repos)) {
    for (const [cliName, cli] of Object.entries(clis)) {
      add("empty", await timed(repo, [empty]), keep);
      add(`${cliName}/${repoName}/lock`, await timed(repo, [cli, "lock", "x"]), keep);
      add("empty", await timed(repo, [empty]), keep);
      add(`${cliName}/${repoName}/unlock`, await timed(repo, [cli, "unlock", "x"]), keep);
    }
  }
}
const base = median(series.empty!);
const report: Record<string, unknown> = {
  date: new Date().toISOString().slice(0, 10),
  deno: Deno.version.deno,
  iterations,
  empty_ms: +base.toFixed(1),
  target_ratio: 1.2,
};
for (const cliName of Object.keys(clis)) {
  for (const repoName of Object.keys(repos)) {
    const lock = median(series[`${cliName}/${repoName}/lock`]!);
    const unlock = median(series[`${cliName}/${repoName}/unlock`]!);
    report[`${cliName}_${repoName}`] = {
      lock_ms: +lock.toFixed(1),
      unlock_ms: +unlock.toFixed(1),
      ratio: +((lock + unlock) / 2 / base).toFixed(2),
    };
  }
}
console.log(JSON.stringify(report, null, 2));
for (const repo of Object.values(repos)) await Deno.remove(repo, { recursive: true });
