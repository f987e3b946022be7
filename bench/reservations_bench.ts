// Path reservations (docs/contract.md §15), against baselines measured in the same run:
//
// 1. `lokt check <path>` with 1,000 live reservations of 50 owners (one
//    pattern of at most 64 characters each), against an empty `deno run`,
//    interleaved. Target: at most 1.5x.
// 2. In-process `checkPaths` over the same 1,000 reservations.
// 3. The overlap decision for long patterns (512 characters, many `**`).
//
//   deno run -A bench/reservations_bench.ts [cliIterations] [inProcess]

import { checkPaths } from "../mod.ts";
import { overlapWitness } from "../lib/model/glob_overlap.ts";
import { parseGlob } from "../lib/model/path_glob.ts";
import { encodeReservationIndex, newReservation } from "../lib/model/reservation.ts";

const cliIterations = Number(Deno.args[0] ?? 40);
const inProcess = Number(Deno.args[1] ?? 200);
const here = new URL(".", import.meta.url).pathname;
const cli = `${here}../cli.ts`;
const empty = `${here}empty.ts`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const dir = await Deno.makeTempDir({ prefix: "lokt-reservations-bench-" });
await new Deno.Command("git", { args: ["init", "-q", dir] }).output();
const root = `${dir}/.git/lokt`;
await Deno.mkdir(`${root}/reservations`, { recursive: true });
const now = Date.now();
const shapes = [
  (i: number) => `src/module-${i % 37}/component-${i}/**`,
  (i: number) => `packages/pkg-${i % 23}/src/**/*.ts`,
  (i: number) => `docs/section-${i % 11}/page-${i}.md`,
  (i: number) => `test/unit/suite-${i % 17}/case-${i}.test.ts`,
  (i: number) => `**/generated-${i}/*.json`,
];
const records = Array.from({ length: 1000 }, (_, i) => {
  const pattern = shapes[i % shapes.length]!(i);
  if (pattern.length > 64) throw new Error(`pattern over 64: ${pattern}`);
  const holder = {
    owner: `agent-${i % 50}`,
    agentId: `agent-${i % 50}`,
    host: "bench",
    machineId: "bench-machine",
    pid: 1,
    pidStart: null,
  };
  return newReservation(pattern, holder, {
    mode: i % 3 === 0 ? "shared" : "exclusive",
    ttlMs: 3_600_000,
    reason: "bench",
    liveness: "ttl",
  }, now);
});
await Deno.writeTextFile(`${root}/reservations/_index.json`, encodeReservationIndex(records));
// The file an agent is about to edit exists (a hook checks existing files).
await Deno.mkdir(`${dir}/src/module-5/other`, { recursive: true });
await Deno.writeTextFile(`${dir}/src/module-5/other/file.ts`, "");
await Deno.mkdir(`${dir}/docs/section-3`, { recursive: true });
await Deno.writeTextFile(`${dir}/docs/section-3/page-47.md`, "");

async function timed(argv: string[], expect: number): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...argv],
    cwd: dir,
    env: { LOKT_OWNER: "bench-checker", NO_COLOR: "1" },
    stdout: "null",
    stderr: "null",
  }).output();
  if (out.code !== expect) throw new Error(`${argv.join(" ")} exited ${out.code}`);
  return performance.now() - t0;
}

const series: Record<string, number[]> = { empty: [], free: [], conflict: [], subtree: [] };
for (let i = 0; i < cliIterations + 3; i++) {
  const keep = i >= 3;
  const e = await timed([empty], 0);
  const free = await timed([cli, "check", "src/module-5/other/file.ts"], 0);
  const e2 = await timed([empty], 0);
  const hit = await timed([cli, "check", "docs/section-3/page-47.md"], 2);
  // A path that does not exist covers its subtree: every `**/…` reservation is in its way.
  const subtree = await timed([cli, "check", "docs/new-section/new.md"], 2);
  if (keep) {
    series.empty!.push(e, e2);
    series.free!.push(free);
    series.conflict!.push(hit);
    series.subtree!.push(subtree);
  }
}

const inproc: number[] = [];
for (let i = 0; i < inProcess + 10; i++) {
  const t0 = performance.now();
  const answer = await checkPaths(["src/module-5/other/file.ts"], {
    cwd: dir,
    owner: "bench-checker",
  });
  if (!answer.allowed) throw new Error("expected allowed");
  if (i >= 10) inproc.push(performance.now() - t0);
}

// 512-character patterns with many `**`, no literal prefix to skip on.
const long = (tag: string) => {
  const parts: string[] = [];
  for (let i = 0; parts.join("/").length < 500; i++) parts.push(i % 2 ? "**" : `${tag}${i}*`);
  return parts.join("/").slice(0, 512).replace(/\/[^/]*$/, "");
};
const [la, lb] = [long("a"), long("b")];
const overlapTimes: number[] = [];
let answer: string | null = null;
for (let i = 0; i < 30; i++) {
  const t0 = performance.now();
  answer = overlapWitness(parseGlob(la), parseGlob(lb));
  overlapTimes.push(performance.now() - t0);
}

const ms = (x: number) => `${x.toFixed(x < 1 ? 3 : 1)} ms`;
const ratio = (x: number) => (x / median(series.empty!)).toFixed(2);
console.log(
  `check with 1,000 reservations of 50 owners, median of ${cliIterations} (interleaved):`,
);
console.log(`  empty deno run       ${ms(median(series.empty!))}`);
console.log(`  check, allowed       ${ms(median(series.free!))} (${ratio(median(series.free!))}x)`);
console.log(
  `  check, a conflict    ${ms(median(series.conflict!))} (${ratio(median(series.conflict!))}x)`,
);
console.log(
  `  check, a new path    ${ms(median(series.subtree!))} (${
    ratio(median(series.subtree!))
  }x; its subtree meets the 200 **/… reservations)`,
);
console.log(`in-process checkPaths over 1,000: median ${ms(median(inproc))}`);
console.log(
  `overlap of two ${la.length}/${lb.length}-char patterns (${
    la.split("/").length
  } elements each, half **): first ${ms(overlapTimes[0]!)}, median ${ms(median(overlapTimes))} (${
    answer === null ? "disjoint" : "overlap"
  })`,
);
await Deno.remove(dir, { recursive: true });
