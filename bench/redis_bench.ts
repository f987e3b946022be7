// The Redis backend (docs/contract.md §17) against the file store, in the same run
// (interleaved), on a private redis-server on a free loopback port:
//
// 1. `lokt lock x` + `lokt unlock x` per invocation: Redis vs the file store
//    (target ≤ 1.5x), and the file store against an empty `deno run`.
// 2. Hand-off: 21 guards queue on one lock on Redis (and on the file store);
//    a hand-off is the next command's start minus the previous one's end.
// 3. The library in one process: acquire + release pairs per second on one
//    Redis connection, against the file store (target ≥ 2,000 pairs/s on Redis):
//    the acquisition the library's acquire() and `lokt lock` make (waiters first),
//    on one context (acquire() opens one per call).
//
//   deno run -A bench/redis_bench.ts [iterations] [handoffs]

import { startRedis } from "../tests/_redis.ts";
import { openContext } from "../lib/core/context.ts";
import { releaseLock } from "../lib/core/locks/engine.ts";
import { acquireNow } from "../lib/core/locks/acquisition.ts";

const iterations = Number(Deno.args[0] ?? 30);
const handoffs = Number(Deno.args[1] ?? 20);
const here = new URL(".", import.meta.url).pathname;
const cli = `${here}../cli.ts`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const server = await startRedis();
const dir = await Deno.makeTempDir({ prefix: "lokt-redis-bench-" });
await new Deno.Command("git", { args: ["init", "-q", dir] }).output();
const backends: Record<string, Record<string, string>> = {
  file: {},
  redis: { LOKT_BACKEND: `redis://127.0.0.1:${server.port}` },
};

async function timed(args: string[], env: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...args],
    cwd: dir,
    env: { NO_COLOR: "1", LOKT_OWNER: "bench", PATH: Deno.env.get("PATH") ?? "", ...env },
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return performance.now() - t0;
}

const series: Record<string, number[]> = { empty: [], file: [], redis: [] };
for (let i = 0; i < iterations + 3; i++) {
  const keep = i >= 3;
  const empty = await timed([`${here}empty.ts`], {});
  if (keep) series.empty!.push(empty);
  for (const [name, env] of Object.entries(backends)) {
    const pair = (await timed([cli, "lock", "x"], env)) + (await timed([cli, "unlock", "x"], env));
    if (keep) series[name]!.push(pair / 2);
  }
}

async function handoff(env: Record<string, string>): Promise<number[]> {
  const stamps = await Deno.makeTempFile();
  const lokt = (args: string[], owner: string) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", cli, ...args],
      cwd: dir,
      env: { NO_COLOR: "1", LOKT_OWNER: owner, PATH: Deno.env.get("PATH") ?? "", ...env },
      clearEnv: true,
      stdout: "null",
    });
  await lokt(["lock", "h", "--ttl", "10m"], "holder").output();
  const queued = async () => {
    const doc = JSON.parse(
      new TextDecoder().decode(
        (await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", "--quiet", cli, "status", "h", "--json"],
          cwd: dir,
          env: { NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "", ...env },
          clearEnv: true,
          stdout: "piped",
        }).output()).stdout,
      ),
    );
    return doc.locks[0]?.waiters?.length ?? 0;
  };
  const waiters: Deno.ChildProcess[] = [];
  for (let i = 0; i <= handoffs; i++) {
    const stamp =
      `echo "start ${i} $(date +%s%N)" >> ${stamps}; sleep 0.02; echo "end ${i} $(date +%s%N)" >> ${stamps}`;
    waiters.push(
      lokt(["guard", "h", "--wait", "--timeout", "5m", "--", "sh", "-c", stamp], `w${i}`).spawn(),
    );
    while ((await queued()) < i + 1) await new Promise((r) => setTimeout(r, 10));
  }
  await lokt(["unlock", "h"], "holder").output();
  for (const w of waiters) if (!(await w.status).success) throw new Error("a waiter failed");
  const lines = (await Deno.readTextFile(stamps)).trim().split("\n").map((l) => l.split(" "));
  const at = (kind: string, i: number) =>
    Number(lines.find((l) => l[0] === kind && l[1] === String(i))?.[2]) / 1e6;
  const gaps: number[] = [];
  for (let i = 1; i <= handoffs; i++) gaps.push(at("start", i) - at("end", i - 1));
  await Deno.remove(stamps);
  return gaps;
}
const gaps = { file: await handoff(backends.file!), redis: await handoff(backends.redis!) };

/** Acquire + release pairs per second in this process, on the backend the environment names. */
async function libraryPairsPerSecond(env: Record<string, string>, pairs: number): Promise<number> {
  const backend = env.LOKT_BACKEND;
  if (backend) Deno.env.set("LOKT_BACKEND", backend);
  else Deno.env.delete("LOKT_BACKEND");
  const ctx = openContext({ cwd: dir, owner: "bench-lib" });
  Deno.env.delete("LOKT_BACKEND");
  // Its connection is unref'd: nothing to close.
  // Warm-up: the connection, the scripts loaded, the functions compiled by
  // V8's optimising tiers (a long-lived library user's steady state).
  for (let i = 0; i < 300; i++) {
    await acquireNow(ctx, "lib", { ttlMs: 60_000, liveness: "ttl" });
    await releaseLock(ctx, "lib");
  }
  const t0 = performance.now();
  for (let i = 0; i < pairs; i++) {
    await acquireNow(ctx, "lib", { ttlMs: 60_000, liveness: "ttl" });
    await releaseLock(ctx, "lib");
  }
  return pairs / ((performance.now() - t0) / 1000);
}
const library: Record<string, number[]> = { file: [], redis: [] };
const rounds = 5;
const pairs = 2000;
for (let round = 0; round < rounds; round++) {
  for (const [name, env] of Object.entries(backends)) {
    library[name]!.push(await libraryPairsPerSecond(env, pairs));
  }
}
// The server's own round trip on this machine now, for the ratio: one
// connection, one request at a time, as lokt's library uses it.
const benchmark = await new Deno.Command("redis-benchmark", {
  args: [
    "-h",
    "127.0.0.1",
    "-p",
    String(server.port),
    "-c",
    "1",
    "-n",
    "20000",
    "-t",
    "ping",
    "-q",
  ],
  stdout: "piped",
  stderr: "null",
}).output();
const pingRates = [
  ...new TextDecoder().decode(benchmark.stdout).matchAll(/([\d.]+) requests per second/g),
]
  .map((m) => Number(m[1]));

const ms = (x: number) => `${x.toFixed(1)} ms`;
const base = median(series.empty!);
console.log(`lock or unlock (mean of the pair), median of ${iterations}, interleaved:`);
console.log(`  empty deno run  ${ms(base)}`);
console.log(
  `  file store      ${ms(median(series.file!))} (${
    (median(series.file!) / base).toFixed(2)
  }x the empty run)`,
);
console.log(
  `  redis           ${ms(median(series.redis!))} (${
    (median(series.redis!) / median(series.file!)).toFixed(2)
  }x the file store)`,
);
for (const [name, g] of Object.entries(gaps)) {
  console.log(`hand-off on ${name}: median ${ms(median(g))} over ${g.length}`);
}
for (const [name, rates] of Object.entries(library)) {
  console.log(
    `library acquire+release on ${name}: median ${
      median(rates).toFixed(0)
    } pairs/s (${rounds} rounds of ${pairs})`,
  );
}
console.log(
  `redis-benchmark -c 1 PING: ${pingRates.map((r) => r.toFixed(0)).join(", ")} requests/s`,
);
await server.stop();
await Deno.remove(dir, { recursive: true });
