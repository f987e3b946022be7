// Builds the CLI's single-file bundles in gen/ from lib/ (`deno task bundle`).
// cli.ts runs from them because Deno pays per loaded module at start-up (see
// docs/performance.md). With `--check` (`deno task bundle:check`, a step of
// `deno task ci`) it writes nothing and exits 1 when a bundle differs from
// what lib/ builds now. Each bundle starts with a header naming its source.
// The bundles are minified (function and class names kept); to read or debug
// the code, read lib/ — the bundles are built from it and nothing else.

// `eager`: the bundle starts with V8's `//# allFunctionsCalledOnLoad` hint, so
// its functions are compiled when it loads and land in the code cache Deno
// keeps, instead of being compiled lazily again in every process (measured:
// -1 to -1.5 ms per call for the small, hot bundles, docs/performance.md). Not
// for the dispatcher: most of its code is never called by one run, and a
// larger code cache costs more to read.
const ENTRIES: readonly { source: string; output: string; eager: boolean; npm?: boolean }[] = [
  { source: "lib/cli/entry/fast_path.ts", output: "gen/fast_path.generated.js", eager: true },
  { source: "lib/cli/entry/guard_entry.ts", output: "gen/guard.generated.js", eager: true },
  { source: "lib/cli/entry/hook_entry.ts", output: "gen/hook.generated.js", eager: true },
  { source: "lib/cli/entry/dispatcher.ts", output: "gen/dispatcher.generated.js", eager: false },
  // The MCP SDK is built into this one (no `--external npm:*`): `lokt mcp`
  // starts without fetching anything, under a harness's filtered environment.
  {
    source: "lib/cli/mcp/mcp_entry.ts",
    output: "gen/mcp.generated.js",
    eager: false,
    npm: true,
  },
];

const root = new URL("..", import.meta.url).pathname;
const check = Deno.args.includes("--check");
const scratch = await Deno.makeTempDir({ prefix: "lokt-bundle-" });
const stale: string[] = [];
try {
  for (const { source, output, eager, npm } of ENTRIES) {
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
    const hint = eager ? "//# allFunctionsCalledOnLoad\n" : "";
    const text =
      `${hint}// @ts-self-types="../${source}"\n// Generated from ${source} by \`deno task bundle\`; do not edit.\n${await Deno
        .readTextFile(built)}`;
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
