// What the CLI hand-over in mod.ts costs a library importer. Deno loads every
// literal import() at start-up, taken or not, so the hand-over's target is
// paid for by everyone who imports the library. Interleaved in one run:
// an empty script; a script importing mod.ts without any hand-over; with the
// hand-over it has (the dispatcher bundle, named in a template that Deno does
// not load at start-up); and with the alternative of a literal import() of
// cli.ts (which names its bundles the same way). Also a whole library
// program: import mod.ts, acquire a lock, release it. `--compare <other
// mod.ts>` also runs the import and the program of another checkout (e.g. the
// previous commit) in the same interleaving.
//
//   deno run -A bench/handover_bench.ts [iterations] [--compare path/to/mod.ts]

const args = [...Deno.args];
const compareAt = args.indexOf("--compare");
const other = compareAt >= 0 ? args.splice(compareAt, 2)[1] : undefined;
const iterations = Number(args[0] ?? 200);
const root = new URL("..", import.meta.url).pathname;
const mod = await Deno.readTextFile(`${root}mod.ts`);
const cut = mod.indexOf("if (import.meta.main)");
if (cut < 0) throw new Error("mod.ts has no hand-over block");
const library = mod.slice(0, cut);
const viaCli = `${library}if (import.meta.main) {
  const { main } = await import("./cli.ts");
  Deno.exit(await main(Deno.args));
}
`;
// Variants live beside mod.ts, so their relative imports resolve the same way.
const variants: Record<string, string> = {
  without: `${root}.bench_mod_without_handover.ts`,
  via_cli: `${root}.bench_mod_handover_via_cli.ts`,
};
await Deno.writeTextFile(variants.without!, library);
await Deno.writeTextFile(variants.via_cli!, viaCli);
const scratch = await Deno.makeTempDir({ prefix: "lokt-handover-bench-" });
const scripts: Record<string, string> = {
  empty: `${root}bench/empty.ts`,
  without: `${scratch}/without.ts`,
  current: `${scratch}/current.ts`,
  via_cli: `${scratch}/via_cli.ts`,
};
await Deno.writeTextFile(scripts.without!, `import "${variants.without}";\n`);
await Deno.writeTextFile(scripts.current!, `import "${root}mod.ts";\n`);
await Deno.writeTextFile(scripts.via_cli!, `import "${variants.via_cli}";\n`);
/** A library program: import, acquire, release. */
const program = (mod: string, name: string) =>
  `import { acquire } from "${mod}";\n` +
  `const lock = await acquire("bench", { root: "${scratch}/${name}-root", owner: "bench" });\n` +
  `await lock.release();\n`;
scripts.program = `${scratch}/program.ts`;
await Deno.writeTextFile(scripts.program, program(`${root}mod.ts`, "program"));
if (other) {
  scripts.compared_import = `${scratch}/compared_import.ts`;
  scripts.compared_program = `${scratch}/compared_program.ts`;
  await Deno.writeTextFile(scripts.compared_import, `import "${other}";\n`);
  await Deno.writeTextFile(scripts.compared_program, program(other, "compared"));
}

async function timed(script: string): Promise<number> {
  const start = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script],
    cwd: root,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return performance.now() - start;
}

const times: Record<string, number[]> = {};
try {
  for (let i = 0; i < iterations + 5; i++) {
    for (const [name, script] of Object.entries(scripts)) {
      const ms = await timed(script);
      if (i >= 5) (times[name] ??= []).push(ms);
    }
  }
} finally {
  for (const path of Object.values(variants)) await Deno.remove(path);
  await Deno.remove(scratch, { recursive: true });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
// Runs of one iteration are back to back: their differences cancel the slow
// drifts of this machine's speed better than a difference of medians.
const costOf = (name: string) =>
  +median(times[name]!.map((ms, i) => ms - times.without![i]!)).toFixed(2);
console.log(JSON.stringify(
  {
    date: new Date().toISOString().slice(0, 10),
    deno: Deno.version.deno,
    iterations,
    empty_ms: +median(times.empty!).toFixed(1),
    import_mod_ms: +median(times.current!).toFixed(1),
    library_ratio: +(median(times.current!) / median(times.empty!)).toFixed(2),
    handover_cost_ms: costOf("current"),
    handover_via_cli_cost_ms: costOf("via_cli"),
    program_ms: +median(times.program!).toFixed(1),
    program_ratio: +(median(times.program!) / median(times.empty!)).toFixed(2),
    ...(other
      ? {
        compared_import_ms: +median(times.compared_import!).toFixed(1),
        compared_library_ratio: +(median(times.compared_import!) / median(times.empty!))
          .toFixed(2),
        compared_program_ms: +median(times.compared_program!).toFixed(1),
        compared_program_ratio: +(median(times.compared_program!) / median(times.empty!))
          .toFixed(2),
      }
      : {}),
  },
  null,
  2,
));
