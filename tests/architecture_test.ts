// The shape of the house (docs/design.md): imports in lib/ point down the
// layers and never form a circle, the library's static graph carries nothing
// of the CLI, and mod.ts still runs the CLI when it is the main module.
import { assert, assertEquals } from "./_assert.ts";
import { freshRoot, MOD } from "./_helpers.ts";

const LIB = new URL("../lib/", import.meta.url).pathname;

/** Layers, lowest first: a module may import its own layer or a lower one. */
const LAYERS: Record<string, number> = {
  model: 0,
  sys: 1,
  store: 2,
  core: 3,
  agents: 4,
  api: 5,
  cli: 5,
};

/** Every lib/ module and the lib/ modules it imports (static, type-only and literal dynamic). */
async function libGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  async function walk(dir: string) {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}${entry.name}`;
      if (entry.isDirectory) await walk(`${path}/`);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
        // JSDoc examples are doc tests, not the module's own imports.
        const text = (await Deno.readTextFile(path)).replace(/^\s*\*.*$/gm, "");
        const targets = [
          ...text.matchAll(/^\s*(?:import|export)\b[^"';]*?from\s+"(\.[^"]+)"/gm),
          ...text.matchAll(/\bimport\(\s*"(\.[^"]+)"\s*\)/g),
        ].map((m) => new URL(m[1] as string, `file://${path}`).pathname);
        graph.set(path, targets.filter((t) => t.startsWith(LIB)));
      }
    }
  }
  await walk(LIB);
  return graph;
}

/**
 * Inside a layer, its areas (sub-folders; "" is the layer's own files), lowest
 * first: an area imports its own area or a lower one, never one of the same
 * rank (sideways) or above. Layers without an entry here are one area.
 */
const AREAS: Record<string, Record<string, number>> = {
  // The interface and the layout; each backend alone; then the one place that opens them.
  store: { "": 0, file: 1, redis: 1, open: 2 },
  // The acting context, identity and policy; then one folder per concern.
  core: {
    "": 0,
    freezes: 1,
    locks: 2,
    reservations: 2,
    guard: 3,
    report: 3,
    audit: 3,
    owners: 3,
    doctor: 4,
  },
  // Shared output and argument helpers; the commands; the dashboard; the entries; the MCP server.
  cli: { "": 0, commands: 1, dashboard: 2, entry: 3, mcp: 4 },
};

const rel = (path: string) => path.slice(LIB.length);
const layerOf = (path: string) => LAYERS[rel(path).split("/")[0] as string];
/** The area of a module: its folder below the layer's ("" for the layer's own files). */
const areaOf = (path: string) => {
  const parts = rel(path).split("/");
  return parts.length > 2 ? parts[1] as string : "";
};

Deno.test("every module of lib/ lives in a layer, and imports only its own layer or lower ones", async () => {
  const graph = await libGraph();
  assert(graph.size > 40, `only ${graph.size} modules found`);
  const upward: string[] = [];
  for (const [from, targets] of graph) {
    assert(layerOf(from) !== undefined, `${rel(from)} is in no layer`);
    for (const to of targets) {
      if ((layerOf(to) ?? 99) > (layerOf(from) ?? -1)) upward.push(`${rel(from)} -> ${rel(to)}`);
      // The CLI and the library are two tops: neither imports the other.
      if (rel(from).split("/")[0] !== rel(to).split("/")[0] && layerOf(to) === layerOf(from)) {
        upward.push(`${rel(from)} -> ${rel(to)} (sideways)`);
      }
    }
  }
  assertEquals(upward, []);
});

Deno.test("inside store, core and cli, each area imports only its own area or lower ones", async () => {
  const graph = await libGraph();
  const wrong: string[] = [];
  for (const [from, targets] of graph) {
    const layer = rel(from).split("/")[0] as string;
    const areas = AREAS[layer];
    if (!areas) continue;
    const own = areaOf(from);
    assert(areas[own] !== undefined, `${rel(from)} is in no area of ${layer}/`);
    for (const to of targets) {
      if (rel(to).split("/")[0] !== layer) continue;
      const area = areaOf(to);
      if (area === own) continue;
      if ((areas[area] ?? 99) >= (areas[own] ?? -1)) wrong.push(`${rel(from)} -> ${rel(to)}`);
    }
  }
  assertEquals(wrong, []);
});

Deno.test("no module of lib/ is over 330 lines (about 300: one concern per file)", async () => {
  const graph = await libGraph();
  const long: string[] = [];
  for (const path of graph.keys()) {
    const lines = (await Deno.readTextFile(path)).split("\n").length;
    if (lines > 330) long.push(`${rel(path)}: ${lines}`);
  }
  assertEquals(long, []);
});

Deno.test("lib/ has no import cycle", async () => {
  const graph = await libGraph();
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (node: string, path: string[]) => {
    if (state.get(node) === "done") return;
    if (state.get(node) === "open") {
      cycles.push([...path.slice(path.indexOf(node)), node].map(rel).join(" -> "));
      return;
    }
    state.set(node, "open");
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    state.set(node, "done");
  };
  for (const node of graph.keys()) visit(node, []);
  assertEquals(cycles, []);
});

Deno.test("the library runs from one bundle of lib/api/library.ts, and its graph holds nothing of the CLI", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", MOD],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout));
  type Dep = { isDynamic?: boolean; code?: { specifier: string }; type?: { specifier: string } };
  type Module = {
    specifier: string;
    dependencies?: Dep[];
    typesDependency?: { dependency: { specifier: string } };
  };
  const modules = new Map<string, Module>(info.modules.map((m: Module) => [m.specifier, m]));
  const local = (s: string) =>
    new URL(s).pathname.slice(new URL("..", import.meta.url).pathname.length);
  // What runs: mod.ts and the bundle, nothing else (a dynamic import is the CLI's hand-over).
  const ran = new Set<string>();
  const run = (specifier: string) => {
    if (ran.has(specifier)) return;
    ran.add(specifier);
    for (const dep of modules.get(specifier)?.dependencies ?? []) {
      if (!dep.isDynamic && dep.code) run(dep.code.specifier);
    }
  };
  run(info.roots[0]);
  assertEquals([...ran].map(local).sort(), ["gen/library.generated.js", "mod.ts"]);
  // Its types: lib/api/library.ts, which reaches the engine and nothing of the CLI.
  const bundle = [...ran].find((s) => s.endsWith("/gen/library.generated.js")) as string;
  const types = modules.get(bundle)?.typesDependency?.dependency.specifier;
  assertEquals(types && local(types), "lib/api/library.ts");
  const reached = new Set<string>();
  const visit = (specifier: string) => {
    if (reached.has(specifier)) return;
    reached.add(specifier);
    for (const dep of modules.get(specifier)?.dependencies ?? []) {
      if (dep.isDynamic) continue;
      for (const target of [dep.code?.specifier, dep.type?.specifier]) if (target) visit(target);
    }
  };
  visit(types as string);
  const paths = [...reached].filter((s) => s.startsWith("file://")).map(local);
  assert(paths.includes("lib/core/locks/engine.ts"), "the engine is not in the graph");
  const cli = paths.filter((p) =>
    p.startsWith("lib/cli/") || p.startsWith("gen/") || p === "cli.ts"
  );
  assertEquals(cli, []);
});

Deno.test("cli.ts names its bundles so that Deno loads none of them at start-up, only the one a call takes", async () => {
  // A literal import() is loaded (read, hashed) when the program starts, taken or not.
  const cli = new URL("../cli.ts", import.meta.url);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", cli.pathname],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout));
  // What runs is a dependency's `code`; its `type` (a `typeof import()`) is for checking only.
  const modules = info.modules as { specifier: string; dependencies?: { code?: unknown }[] }[];
  const loaded = modules.find((m) => m.specifier === cli.href)?.dependencies
    ?.map((d) => (d.code as { specifier?: string } | undefined)?.specifier ?? "")
    .filter((s) => s.includes("/gen/"));
  assertEquals(loaded, [], "bundles in cli.ts's start-up graph");
  // And each call still runs from its bundle.
  const { dir, root } = await freshRoot();
  const env = { LOKT_ROOT: root, LOKT_OWNER: "bundles", NO_COLOR: "1" };
  for (const args of [["lock", "b"], ["unlock", "b"], ["guard", "g", "--", "true"], ["version"]]) {
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", cli.pathname, ...args],
      cwd: dir,
      env,
      stdout: "null",
      stderr: "piped",
    }).output();
    assertEquals(run.code, 0, `${args.join(" ")}: ${new TextDecoder().decode(run.stderr)}`);
  }
});

Deno.test("mod.ts run as the main module hands over to the CLI: deno run -A mod.ts guard x -- true", async () => {
  const { dir, root } = await freshRoot();
  const env = { LOKT_ROOT: root, LOKT_OWNER: "main-module", NO_COLOR: "1" };
  const run = async (args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", MOD, ...args],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const td = new TextDecoder();
    return { code: out.code, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
  };
  const guarded = await run([
    "guard",
    "x",
    "--",
    "sh",
    "-c",
    'echo "ran under $LOKT_LOCK"; exit 7',
  ]);
  assertEquals(guarded.code, 7, guarded.stderr);
  assertEquals(guarded.stdout, "ran under x\n");
  const status = await run(["status", "--json"]);
  assertEquals(status.code, 0, status.stderr);
  assertEquals(JSON.parse(status.stdout).locks, []);
  const audit = (await Deno.readTextFile(`${root}/audit.jsonl`)).trim().split("\n")
    .map((l) => JSON.parse(l).event);
  assertEquals(audit, ["acquire", "release"]);
  await Deno.remove(dir, { recursive: true });
});
