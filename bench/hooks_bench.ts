// Agent-harness integration (docs/contract.md §16), against an empty `deno run` measured
// in the same run (interleaved), with a `lokt.jsonc` present:
//
// 1. `lokt hook claude` answering a PreToolUse Edit of a path nobody reserved
//    (target ≤ 1.3x: it runs on every edit of every agent);
//    — in a worktree where nothing is reserved, and in one where another agent
//    holds 20 reservations elsewhere (the index is read and matched);
// 2. the same with `agents.reserve_on_edit`, which reserves the file (≤ 1.5x);
// 3. `lokt hook codex` answering a PreToolUse of Codex's shell (`Bash`) that runs no
//    apply_patch and writes no file by name: most shell commands of a Codex agent pay it;
// 4. the same for a shell command that writes an unreserved file by name
//    (`make > build.log 2>&1`), judged like an edit;
// 5. an MCP tool call's round trip through `lokt mcp` (SDK client, stdio).
//
//   deno run -A bench/hooks_bench.ts [iterations] [--compare path/to/other/cli.ts]
//
// `--compare` also runs another checkout's hooks (e.g. the previous commit) in
// the same interleaving, so that a change is measured against its baseline in
// one run.

import { Client } from "npm:@modelcontextprotocol/sdk@1.32.2/client/index.js";
import { StdioClientTransport } from "npm:@modelcontextprotocol/sdk@1.32.2/client/stdio.js";

const args = [...Deno.args];
const compareAt = args.indexOf("--compare");
const other = compareAt >= 0 ? args.splice(compareAt, 2)[1] : undefined;
const iterations = Number(args[0] ?? 30);
const here = new URL(".", import.meta.url).pathname;
const cli = `${here}../cli.ts`;
const clis: Record<string, string> = { current: cli };
if (other) clis.compared = other;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function repo(config: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "lokt-hooks-bench-" });
  await new Deno.Command("git", { args: ["init", "-q", dir] }).output();
  await Deno.mkdir(`${dir}/src`);
  await Deno.writeTextFile(`${dir}/src/app.ts`, "x\n");
  await Deno.writeTextFile(`${dir}/lokt.jsonc`, config);
  return dir;
}
const plain = await repo(
  `{\n  // a team's config\n  "defaults": { "ttl": "20m" },\n  "locks": { "build": { "ttl": "5m", "wait": true } }\n}\n`,
);
const reserving = await repo(
  `{ "defaults": { "ttl": "20m" }, "agents": { "reserve_on_edit": "30m" } }\n`,
);
// Another agent's reservations, none of them covering the edited file.
const busy = await repo(
  `{\n  // a team's config\n  "defaults": { "ttl": "20m" },\n  "locks": { "build": { "ttl": "5m", "wait": true } }\n}\n`,
);
const reserved = await new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    cli,
    "reserve",
    ...Array.from({ length: 20 }, (_, i) => `docs/area-${i}/**`),
    "--ttl",
    "2h",
  ],
  cwd: busy,
  env: { NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "", LOKT_OWNER: "another-agent" },
  clearEnv: true,
}).output();
if (reserved.code !== 0) throw new Error(new TextDecoder().decode(reserved.stderr));
// Codex's calls in a worktree of their own: this process stands for both
// harnesses, and one root registers one session per harness process, so Claude's
// and Codex's calls in one root would each replace the other's registration — a
// write on every call that no real harness causes (until 2026-12-07 they did).
const codexPlain = await repo(
  `{\n  // a team's config\n  "defaults": { "ttl": "20m" },\n  "locks": { "build": { "ttl": "5m", "wait": true } }\n}\n`,
);

async function timed(args: string[], cwd: string, stdin?: string): Promise<number> {
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...args],
    cwd,
    env: { NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "" },
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  const ms = performance.now() - t0;
  if (out.code !== 0 || out.stdout.length !== 0) {
    throw new Error(
      `${args.join(" ")}: exit ${out.code} ${new TextDecoder().decode(out.stdout)}${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
  return ms;
}

// Each reserving edit is of a new file, so that every one writes a reservation.
let fileNo = 0;
const event = (cwd: string, file = "src/app.ts") =>
  JSON.stringify({
    session_id: "bench-session-1",
    transcript_path: "/tmp/t.jsonl",
    cwd,
    permission_mode: "default",
    hook_event_name: "PreToolUse",
    tool_name: "Edit",
    tool_input: { file_path: `${cwd}/${file}`, old_string: "x", new_string: "y" },
    tool_use_id: "toolu_1",
  });

const shellEvent = (cwd: string, command = "ls -la src && git status --short") =>
  JSON.stringify({
    session_id: "bench-session-2",
    cwd,
    hook_event_name: "PreToolUse",
    tool_name: "Bash",
    tool_input: { command },
    tool_use_id: "call_1",
  });

const empty: number[] = [];
const series: Record<string, Record<string, number[]>> = {};
for (let i = 0; i < iterations + 3; i++) {
  const keep = i >= 3;
  const e1 = await timed([`${here}empty.ts`], plain);
  if (keep) empty.push(e1);
  for (const [label, path] of Object.entries(clis)) {
    const runs = {
      hook: await timed([path, "hook", "claude"], plain, event(plain)),
      busy: await timed([path, "hook", "claude"], busy, event(busy)),
      reserve: await timed(
        [path, "hook", "claude"],
        reserving,
        event(reserving, `src/new-${fileNo++}.ts`),
      ),
      shell: await timed([path, "hook", "codex"], codexPlain, shellEvent(codexPlain)),
      shellWrite: await timed(
        [path, "hook", "codex"],
        codexPlain,
        shellEvent(codexPlain, "make > build.log 2>&1"),
      ),
    };
    const e2 = await timed([`${here}empty.ts`], plain);
    if (!keep) continue;
    empty.push(e2);
    const mine = series[label] ??= {};
    for (const [name, ms] of Object.entries(runs)) (mine[name] ??= []).push(ms);
  }
}

const transport = new StdioClientTransport({
  command: Deno.execPath(),
  args: ["run", "-A", "--quiet", cli, "mcp"],
  cwd: plain,
  env: { NO_COLOR: "1", LOKT_OWNER: "bench-mcp", PATH: Deno.env.get("PATH") ?? "" },
});
const client = new Client({ name: "bench", version: "1" });
const c0 = performance.now();
await client.connect(transport);
const connectMs = performance.now() - c0;
const rounds: Record<string, number[]> = { lokt_status: [], lokt_check: [] };
for (let i = 0; i < iterations + 3; i++) {
  for (
    const [name, args] of [["lokt_status", {}], ["lokt_check", { paths: ["src/app.ts"] }]] as const
  ) {
    const t0 = performance.now();
    await client.callTool({ name, arguments: args });
    if (i >= 3) rounds[name]!.push(performance.now() - t0);
  }
}
await client.close();

const base = median(empty);
const ms = (x: number) => `${x.toFixed(1)} ms`;
console.log(`hook claude PreToolUse, median of ${iterations} (interleaved, lokt.jsonc present):`);
console.log(`  empty deno run                ${ms(base)}`);
const lines: [string, string][] = [
  ["hook", "unreserved path              "],
  ["busy", "  … 20 reservations elsewhere "],
  ["reserve", "reserve_on_edit (writes)     "],
  ["shell", "Codex shell call, no patch   "],
  ["shellWrite", "Codex shell call, writes file"],
];
for (const [label, runs] of Object.entries(series)) {
  if (other) console.log(`${label} (${clis[label]}):`);
  for (const [name, text] of lines) {
    const m = median(runs[name]!);
    console.log(`  ${text} ${ms(m)} (${(m / base).toFixed(2)}x)`);
  }
}
console.log(
  `MCP: connect (server start) ${ms(connectMs)}; round trip lokt_status ${
    ms(median(rounds.lokt_status!))
  }, lokt_check ${ms(median(rounds.lokt_check!))}`,
);
for (const d of [plain, busy, reserving, codexPlain]) await Deno.remove(d, { recursive: true });
