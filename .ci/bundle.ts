// Builds the CLI's single-file bundles in gen/ from lib/ (`deno task bundle`).
// cli.ts runs from them because Deno pays per loaded module at start-up (see
// docs/performance.md). With `--check` (`deno task bundle:check`, a step of
// `deno task ci`) it writes nothing and exits 1 when a bundle differs from
// what lib/ builds now. Each bundle starts with a header naming its source.
// The bundles are minified (function and class names kept); to read or debug
// the code, read lib/ — the bundles are built from it and nothing else.

import { compiledOnLoad, functionUnits } from "./eager_compile.ts";

// `eager`: the functions a run of the command calls are compiled when the
// bundle loads, so that their bytecode comes from Deno's code cache instead of
// being compiled again in every process (`.ci/eager_compile.ts`, with the list
// `deno task bundle:profile` keeps in `.ci/hot_functions.json`). Not for the
// dispatcher: one run calls little of it. With `--lazy`, no function is made
// eager (the profiler runs those bundles). `names`: the kept names are set at
// run time too (the library's classes are public: `Lock`, `LockHeldError`).
const ENTRIES: readonly {
  source: string;
  output: string;
  eager: boolean;
  npm?: boolean;
  names?: boolean;
}[] = [
  { source: "lib/cli/entry/fast_path.ts", output: "gen/fast_path.generated.js", eager: true },
  { source: "lib/cli/entry/guard_entry.ts", output: "gen/guard.generated.js", eager: true },
  { source: "lib/cli/entry/hook_entry.ts", output: "gen/hook.generated.js", eager: true },
  // What a shell command writes: loaded by the hook only for a shell call.
  { source: "lib/agents/shell_targets.ts", output: "gen/shell.generated.js", eager: true },
  // A session's start and end (the primer, giving holds back): once a session, left lazy.
  { source: "lib/agents/hook_sessions.ts", output: "gen/sessions.generated.js", eager: false },
  { source: "lib/cli/entry/dispatcher.ts", output: "gen/dispatcher.generated.js", eager: false },
  // The library (mod.ts runs from it; its types are lib/api/library.ts's).
  {
    source: "lib/api/library.ts",
    output: "gen/library.generated.js",
    eager: true,
    names: true,
  },
  // The MCP SDK is built into this one (no `--external npm:*`): `lokt mcp`
  // starts without fetching anything, under a harness's filtered environment.
  {
    source: "lib/cli/mcp/mcp_entry.ts",
    output: "gen/mcp.generated.js",
    eager: false,
    npm: true,
  },
];

/** Says so when the profiled list names functions the bundle no longer has. */
function staleProfile(output: string, code: string): void {
  const present = new Set(functionUnits(code).map((u) => u.name));
  const gone = (hot[output] ?? []).filter((name) => !present.has(name));
  if (gone.length > 0) {
    console.error(
      `note: ${gone.length} functions listed for ${output} in .ci/hot_functions.json are gone; 'deno task bundle:profile' lists them again (only speed depends on it)`,
    );
  }
}

const root = new URL("..", import.meta.url).pathname;
const check = Deno.args.includes("--check");
const lazy = Deno.args.includes("--lazy");
const hot: Record<string, string[]> = JSON.parse(
  await Deno.readTextFile(`${root}.ci/hot_functions.json`),
);
const scratch = await Deno.makeTempDir({ prefix: "lokt-bundle-" });
const stale: string[] = [];
try {
  for (const { source, output, eager, npm, names } of ENTRIES) {
    const built = `${scratch}/${output.replaceAll("/", "_")}`;
    const result = await new Deno.Command(Deno.execPath(), {
      // Minified (names kept): Deno reads and deserialises every byte of a
      // bundle at each start, and half the bytes is ~3.5 ms less per call.
      args: [
        "bundle",
        "--quiet",
        "--platform",
        "deno",
        ...(npm ? [] : ["--external", "npm:*"]),
        "--minify",
        "--keep-names",
        "-o",
        built,
        source,
      ],
      cwd: root,
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!result.success) throw new Error(`deno bundle ${source} failed`);
    // The types of a bundle are those of its source module.
    const code = await Deno.readTextFile(built);
    if (eager && !lazy) staleProfile(output, code);
    const text =
      `// @ts-self-types="../${source}"\n// Generated from ${source} by \`deno task bundle\`; do not edit.\n${
        eager && !lazy
          ? compiledOnLoad(code, new Set(hot[output] ?? []), { runtimeNames: names })
          : code
      }`;
    const path = `${root}${output}`;
    let current: string | null = null;
    try {
      current = await Deno.readTextFile(path);
    } catch {
      // Not built yet.
    }
    if (current === text) continue;
    if (check) stale.push(output);
    else await Deno.writeTextFile(path, text);
  }
} finally {
  await Deno.remove(scratch, { recursive: true });
}
if (stale.length > 0) {
  console.error(`stale: ${stale.join(", ")} (run 'deno task bundle' after changing lib/)`);
  Deno.exit(1);
}
