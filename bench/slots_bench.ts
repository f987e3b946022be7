// Semaphores and shared locks against exclusive locks, measured in the same
// run (interleaved, so machine noise hits every series alike):
//
// 1. In-process: tryAcquire + releaseLock of one slot of a 3-slot semaphore
//    (two other slots held), of one shared hold (two other readers), and of
//    an exclusive lock, on the file store.
// 2. Through the CLI: `lokt lock p --slots 3` + `lokt unlock p` (two other
//    slots held) against `lokt lock x` + `lokt unlock x`, each a fresh process.
// 3. Hand-off: two of three slots stay held, so the third is a channel; 21
//    guards queue for a slot. A hand-off is the next command's start minus
//    the previous command's end (release, the waiter's wake, acquire, spawn).
//
//   deno run -A bench/slots_bench.ts [inProcess] [cliIterations] [handoffs]

import { openContext } from "../lib/core/context.ts";
import { releaseLock, tryAcquire } from "../lib/core/locks/engine.ts";
import type { AcquireSpec } from "../lib/core/locks/engine.ts";

const inProcess = Number(Deno.args[0] ?? 400);
const cliIterations = Number(Deno.args[1] ?? 40);
const handoffs = Number(Deno.args[2] ?? 20);
const here = new URL(".", import.meta.url).pathname;
const cli = `${here}../cli.ts`;
const deno = Deno.execPath();
const dir = await Deno.makeTempDir({ prefix: "lokt-slots-bench-" });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] as number;

// --- 1. in-process -------------------------------------------------------------
const root = `${dir}/engine`;
const me = openContext({ root, owner: "bench" });
const others = [openContext({ root, owner: "o1" }), openContext({ root, owner: "o2" })];
const kinds: Record<string, AcquireSpec> = {
  exclusive: { ttlMs: 60_000, liveness: "ttl" },
  slot: { ttlMs: 60_000, liveness: "ttl", mode: "slots", slots: 3 },
  shared: { ttlMs: 60_000, liveness: "ttl", mode: "shared" },
};
for (const [kind, spec] of Object.entries(kinds)) {
  if (kind === "exclusive") continue;
  for (const other of others) await tryAcquire(other, kind, spec);
}
const engine: Record<string, number[]> = { exclusive: [], slot: [], shared: [] };
for (let i = 0; i < inProcess + 20; i++) {
  for (const [kind, spec] of Object.entries(kinds)) {
    const t0 = performance.now();
    await tryAcquire(me, kind, spec);
    await releaseLock(me, kind);
    if (i >= 20) engine[kind]!.push(performance.now() - t0);
  }
}

// --- 2. through the CLI ----------------------------------------------------------
const cliRoot = `${dir}/cli`;
const env = (owner: string) => ({ LOKT_ROOT: cliRoot, LOKT_OWNER: owner, NO_COLOR: "1" });
async function run(args: string[], owner = "bench"): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(deno, {
    args: ["run", "-A", "--quiet", cli, ...args],
    env: env(owner),
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return performance.now() - t0;
}
await run(["lock", "p", "--slots", "3", "--ttl", "1h"], "o1");
await run(["lock", "p", "--slots", "3", "--ttl", "1h"], "o2");
const viaCli: Record<string, number[]> = { exclusive: [], slot: [] };
for (let i = 0; i < cliIterations + 3; i++) {
  const exclusive = (await run(["lock", "x"])) + (await run(["unlock", "x"]));
  const slot = (await run(["lock", "p", "--slots", "3"])) + (await run(["unlock", "p"]));
  if (i >= 3) {
    viaCli.exclusive!.push(exclusive);
    viaCli.slot!.push(slot);
  }
}

// --- 3. hand-off from a releasing holder to the next waiter -----------------
async function handoffGaps(slotted: boolean): Promise<{ gaps: number[]; fifo: boolean }> {
  const pool = `${dir}/pool-${slotted ? "slots" : "exclusive"}`;
  const penv = (owner: string) => ({ LOKT_ROOT: pool, LOKT_OWNER: owner, NO_COLOR: "1" });
  const mode = slotted ? ["--slots", "3"] : [];
  const lokt = (owner: string, args: string[]) =>
    new Deno.Command(deno, { args: ["run", "-A", "--quiet", cli, ...args], env: penv(owner) });
  // Two slots stay held: the third is a channel, like an exclusive lock.
  const holders = slotted ? ["keep-1", "keep-2", "holder"] : ["holder"];
  for (const owner of holders) await lokt(owner, ["lock", "h", ...mode, "--ttl", "10m"]).output();
  const queued = async () => {
    let n = 0;
    try {
      for await (const e of Deno.readDir(`${pool}/queue/h`)) if (e.name.endsWith(".json")) n++;
    } catch {
      // No queue yet.
    }
    return n;
  };
  const stamps = `${pool}/stamps`;
  const waiters: Deno.ChildProcess[] = [];
  for (let i = 0; i <= handoffs; i++) {
    const stamp =
      `echo "start ${i} $(date +%s%N)" >> ${stamps}; sleep 0.02; echo "end ${i} $(date +%s%N)" >> ${stamps}`;
    waiters.push(
      new Deno.Command(deno, {
        args: [
          "run",
          "-A",
          "--quiet",
          cli,
          "guard",
          "h",
          ...mode,
          "--wait",
          "--",
          "sh",
          "-c",
          stamp,
        ],
        env: penv(`waiter-${i}`),
        stdout: "null",
      }).spawn(),
    );
    while ((await queued()) < i + 1) await new Promise((r) => setTimeout(r, 10));
  }
  await lokt("holder", ["unlock", "h"]).output();
  for (const w of waiters) if (!(await w.status).success) throw new Error("a waiter failed");
  const lines = (await Deno.readTextFile(stamps)).trim().split("\n").map((l) => l.split(" "));
  const at = (kind: string, i: number) =>
    Number(lines.find((l) => l[0] === kind && l[1] === String(i))?.[2]) / 1e6;
  const gaps: number[] = [];
  for (let i = 1; i <= handoffs; i++) gaps.push(at("start", i) - at("end", i - 1));
  const fifo = lines.filter((l) => l[0] === "start").every((l, i) => Number(l[1]) === i);
  return { gaps, fifo };
}
const handoff = { exclusive: await handoffGaps(false), slot: await handoffGaps(true) };

const ms = (x: number) => `${x.toFixed(x < 1 ? 3 : 1)} ms`;
console.log(`in-process acquire+release, median of ${inProcess} (interleaved):`);
console.log(`  exclusive ${ms(median(engine.exclusive!))}`);
console.log(
  `  slot of 3 ${ms(median(engine.slot!))} (${
    (median(engine.slot!) / median(engine.exclusive!)).toFixed(2)
  }x)`,
);
console.log(
  `  shared    ${ms(median(engine.shared!))} (${
    (median(engine.shared!) / median(engine.exclusive!)).toFixed(2)
  }x)`,
);
console.log(`CLI lock+unlock, median of ${cliIterations} (interleaved):`);
console.log(`  exclusive ${ms(median(viaCli.exclusive!))}`);
console.log(
  `  slot of 3 ${ms(median(viaCli.slot!))} (${
    (median(viaCli.slot!) / median(viaCli.exclusive!)).toFixed(2)
  }x)`,
);
for (const [kind, { gaps, fifo }] of Object.entries(handoff)) {
  console.log(
    `${kind} hand-off, ${handoffs} hand-offs: median ${ms(median(gaps))}, p90 ${
      ms(p90(gaps))
    }, max ${ms(Math.max(...gaps))}, FIFO ${fifo ? "kept" : "BROKEN"}`,
  );
}
console.log(
  `slot / exclusive hand-off median: ${
    (median(handoff.slot.gaps) / median(handoff.exclusive.gaps)).toFixed(2)
  }x`,
);
await Deno.remove(dir, { recursive: true });
