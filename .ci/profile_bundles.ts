// `deno task bundle:profile`: finds which functions of the hot bundles a run of
// each hot command calls, writes them to `.ci/hot_functions.json`, and builds
// the bundles with those made eager (`.ci/eager_compile.ts`).
//
// It builds the bundles with nothing eager (`bundle.ts --lazy`), runs the
// commands agents run most — a plain lock and unlock, a guard, the hook's
// PreToolUse (once per edit; a session's start and end are left lazy) — through cli.ts with V8's function-event log on, and takes every
// function V8 compiled as called. The scenarios run in temporary repositories
// with a fixed environment. Run it again when the hot paths change: a stale
// list only costs speed (a function it misses is compiled lazily, as before).

import { functionUnits } from "./eager_compile.ts";

const root = new URL("..", import.meta.url).pathname;
const cli = `${root}cli.ts`;
const HOT_BUNDLES = [
  "gen/fast_path.generated.js",
  "gen/guard.generated.js",
  "gen/hook.generated.js",
  "gen/shell.generated.js",
  "gen/library.generated.js",
];

async function run(
  args: string[],
  options: { cwd?: string; stdin?: string; env?: Record<string, string> } = {},
) {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: options.cwd ?? root,
    env: { ...inherited(), NO_COLOR: "1", ...options.env },
    clearEnv: true,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

/** What Deno itself needs from the environment (its cache), nothing of lokt's. */
function inherited(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME"]) {
    const value = Deno.env.get(key);
    if (value !== undefined) env[key] = value;
  }
  return env;
}

async function build(flags: string[]): Promise<void> {
  const out = await run(["run", "-A", `${root}.ci/bundle.ts`, ...flags]);
  if (out.code !== 0) throw new Error(`bundle.ts ${flags.join(" ")}: ${out.stderr}`);
}

let logNo = 0;
const logs: string[] = [];

/** Runs lokt with V8's function events logged; setting-up calls pass `logged: false`. */
async function lokt(
  cwd: string,
  args: string[],
  options: { stdin?: string; logged?: boolean; env?: Record<string, string> } = {},
): Promise<void> {
  const log = `${scratch}/v8-${logNo++}.log`;
  const flags = options.logged === false
    ? []
    : [`--v8-flags=--log-function-events,--logfile=${log},--no-logfile-per-isolate`];
  const out = await run(["run", "-A", ...flags, cli, ...args], {
    cwd,
    stdin: options.stdin,
    env: options.env,
  });
  if (out.code !== 0) throw new Error(`lokt ${args.join(" ")}: exit ${out.code}: ${out.stderr}`);
  if (options.logged !== false) logs.push(log);
}

/** Runs a library program (a script importing mod.ts) with V8's function events logged. */
async function program(cwd: string, code: string): Promise<void> {
  const script = `${scratch}/program-${logNo}.ts`;
  await Deno.writeTextFile(script, code);
  const log = `${scratch}/v8-${logNo++}.log`;
  const flags = [`--v8-flags=--log-function-events,--logfile=${log},--no-logfile-per-isolate`];
  const out = await run(["run", "-A", ...flags, script], { cwd, env: { LOKT_OWNER: "program" } });
  if (out.code !== 0) throw new Error(`library program: exit ${out.code}: ${out.stderr}`);
  logs.push(log);
}

async function repository(config: string | null): Promise<string> {
  const dir = await Deno.makeTempDir({ dir: scratch });
  const git = await new Deno.Command("git", { args: ["init", "-q", dir] }).output();
  if (!git.success) throw new Error("git init failed");
  await Deno.mkdir(`${dir}/src/auth`, { recursive: true });
  await Deno.writeTextFile(`${dir}/src/app.ts`, "x\n");
  await Deno.writeTextFile(`${dir}/src/auth/login.ts`, "x\n");
  if (config !== null) await Deno.writeTextFile(`${dir}/lokt.jsonc`, config);
  return dir;
}

function hookEvent(cwd: string, name: string, tool?: [string, Record<string, unknown>]): string {
  return JSON.stringify({
    session_id: "profile-session-1",
    cwd,
    hook_event_name: name,
    ...(tool ? { tool_name: tool[0], tool_input: tool[1] } : {}),
  });
}

async function scenarios(): Promise<void> {
  const plain = await repository(null);
  const configured = await repository(
    `{\n  // a team's config\n  "defaults": { "ttl": "20m" },\n  "locks": { "build": { "ttl": "5m", "wait": true } }\n}\n`,
  );
  const reserving = await repository(`{ "agents": { "reserve_on_edit": "30m" } }\n`);
  for (const dir of [plain, configured, reserving]) {
    // The first call sets the root up (the full path); the profiled ones follow.
    await lokt(dir, ["lock", "setup"], { logged: false });
    await lokt(dir, ["unlock", "setup"], { logged: false });
  }
  // An agent's shell usually names its owner (a session's env file exports LOKT_OWNER).
  for (const env of [{}, { LOKT_OWNER: "agent-1" }] as Record<string, string>[]) {
    for (const dir of [plain, configured]) {
      await lokt(dir, ["lock", "x"], { env });
      await lokt(dir, ["unlock", "x"], { env });
      await lokt(dir, ["guard", "build", "--", "true"], { env });
    }
  }
  const other = await run(["run", "-A", cli, "reserve", "src/auth"], {
    cwd: configured,
    env: { LOKT_OWNER: "other" },
  });
  if (other.code !== 0) throw new Error(`reserve: ${other.stderr}`);
  const edit = (file: string) =>
    ["Edit", { file_path: file, old_string: "x", new_string: "y" }] as [
      string,
      Record<string, unknown>,
    ];
  for (const dir of [configured, reserving]) {
    await lokt(dir, ["hook", "claude"], {
      stdin: hookEvent(dir, "PreToolUse", edit(`${dir}/src/app.ts`)),
    });
    await lokt(dir, ["hook", "claude"], {
      stdin: hookEvent(dir, "PreToolUse", edit(`${dir}/src/new.ts`)),
    });
  }
  await lokt(configured, ["hook", "claude"], {
    stdin: hookEvent(configured, "PreToolUse", edit(`${configured}/src/auth/login.ts`)),
  });
  // Codex's shell calls: most write nothing by name; some write a file.
  for (const command of ["ls -la src && git status --short", "make > build.log 2>&1"]) {
    await lokt(configured, ["hook", "codex"], {
      stdin: hookEvent(configured, "PreToolUse", ["Bash", { command }]),
    });
  }
  // A library program: what one does most, once per process.
  const mod = JSON.stringify(`${root}mod.ts`);
  for (const dir of [plain, configured]) {
    await program(
      dir,
      `import { acquire, withLock } from ${mod};\n` +
        `const lock = await acquire("lib");\nawait lock.release();\n` +
        `await withLock("lib", {}, () => {});\n`,
    );
    await program(
      dir,
      `import { reserve } from ${mod};\n` +
        `const held = await reserve(["src/app.ts"], { ttl: "5m" });\nawait held.release();\n`,
    );
  }
  await lokt(configured, ["hook", "codex"], {
    stdin: hookEvent(configured, "PreToolUse", ["apply_patch", {
      command: [
        "apply_patch",
        "*** Begin Patch\n*** Update File: src/app.ts\n@@\n-x\n+y\n*** End Patch\n",
      ],
    }]),
  });
}

/** The functions V8 compiled, per bundle, by the positions its log gives. */
async function compiled(): Promise<Map<string, Set<number>>> {
  const found = new Map<string, Set<number>>(HOT_BUNDLES.map((b) => [b, new Set<number>()]));
  for (const log of logs) {
    const scripts = new Map<string, string>();
    const lines = (await Deno.readTextFile(log)).split("\n");
    for (const line of lines) {
      const f = line.split(",");
      // cli.ts imports each bundle with an empty fragment (`…generated.js#`).
      const bundle = HOT_BUNDLES.find((b) => f[2]?.replace(/#$/, "").endsWith(`/${b}`));
      if (f[0] === "script-details" && bundle && f[1]) scripts.set(f[1], bundle);
    }
    for (const line of lines) {
      const f = line.split(",");
      const bundle = scripts.get(f[2] ?? "");
      if (f[0] === "function" && f[1] === "interpreter" && bundle) {
        found.get(bundle)?.add(Number(f[3]));
      }
    }
  }
  return found;
}

const scratch = await Deno.makeTempDir({ prefix: "lokt-profile-" });
try {
  await build(["--lazy"]);
  await scenarios();
  const positions = await compiled();
  const hot: Record<string, string[]> = {};
  for (const bundle of HOT_BUNDLES) {
    const code = await Deno.readTextFile(`${root}${bundle}`);
    const at = positions.get(bundle) ?? new Set();
    const names = functionUnits(code)
      .filter((u) => u.name !== null && u.kind !== "fixed" && at.has(u.position))
      .map((u) => u.name as string);
    hot[bundle] = [...new Set(names)].sort();
    console.error(`${bundle}: ${hot[bundle].length} functions called`);
  }
  await Deno.writeTextFile(`${root}.ci/hot_functions.json`, JSON.stringify(hot, null, 2) + "\n");
  await build([]);
} finally {
  await Deno.remove(scratch, { recursive: true });
}
