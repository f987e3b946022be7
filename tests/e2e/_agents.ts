/**
 * Real harness sessions against the scripted model (inside the offline
 * namespace): a repository set up with `lokt init --claude --codex` and a
 * `lokt` on PATH that runs this checkout; `claude -p` and `codex exec` with a
 * fresh home each, the project's hooks, lokt's MCP server, and Codex in its
 * default sandbox.
 *
 * @module
 */

import { CEILING, CLI, FIXTURES } from "../_helpers.ts";

/** One test's repository and the tools around it. */
export interface Workspace {
  /** The temp directory holding everything. */
  dir: string;
  /** The repository (the agents' cwd). */
  repo: string;
  /** The directory with `lokt` (and the harnesses' links). */
  bin: string;
  /** The scripted model's URL. */
  modelUrl: string;
  /** Where Deno caches what lokt compiled (a fresh HOME must not lose it). */
  denoDir: string;
}

const td = new TextDecoder();

/** The stand-in MCP filesystem server Claude Code sessions get besides lokt's. */
const FS_SERVER = `${FIXTURES}fs_mcp_server.ts`;

/** Runs a shell command in the repository, with lokt on PATH; throws on failure. */
export async function sh(ws: Workspace, command: string, owner?: string): Promise<string> {
  const out = await new Deno.Command("sh", {
    args: ["-c", command],
    cwd: ws.repo,
    env: { ...pathEnv(ws), ...(owner ? { LOKT_OWNER: owner } : {}) },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`${command}: ${td.decode(out.stderr)}`);
  return td.decode(out.stdout);
}

function pathEnv(ws: Workspace): Record<string, string> {
  return {
    PATH: `${ws.bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    DENO_DIR: ws.denoDir,
    LOKT_CEILING_DIRECTORIES: CEILING,
    NO_COLOR: "1",
  };
}

/**
 * Makes a repository set up for both harnesses.
 *
 * @param dir An empty temp directory.
 * @param harnessBin Where `claude` and `codex` are.
 * @param modelUrl The scripted model's URL.
 * @param config The text of `lokt.jsonc`, if any.
 * @returns The workspace.
 */
export async function makeWorkspace(
  dir: string,
  harnessBin: string,
  modelUrl: string,
  config?: string,
): Promise<Workspace> {
  const repo = `${dir}/repo`;
  const bin = `${dir}/bin`;
  await Deno.mkdir(`${repo}/src`, { recursive: true });
  await Deno.mkdir(`${repo}/docs`, { recursive: true });
  await Deno.mkdir(bin);
  await Deno.writeTextFile(
    `${bin}/lokt`,
    `#!/bin/sh\nexec ${Deno.execPath()} run -A --quiet ${CLI} "$@"\n`,
  );
  await Deno.chmod(`${bin}/lokt`, 0o755);
  for (const name of ["claude", "codex"]) {
    await Deno.symlink(`${harnessBin}/${name}`, `${bin}/${name}`);
  }
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  const denoDir = JSON.parse(td.decode(info.stdout)).denoDir as string;
  const ws = { dir, repo, bin, modelUrl, denoDir };
  for (const f of ["free.ts", "taken.ts", "shared.ts"]) {
    await Deno.writeTextFile(`${repo}/src/${f}`, "x\n");
  }
  if (config) await Deno.writeTextFile(`${repo}/lokt.jsonc`, config);
  await sh(ws, "git init -q && lokt init --claude --codex --git >/dev/null");
  await Deno.writeTextFile(`${repo}/.gitignore`, ".e2e/\n");
  await Deno.mkdir(`${repo}/.e2e`);
  await sh(ws, "git add -A && git -c user.name=t -c user.email=t@t commit -qm init");
  return ws;
}

/** What one harness session did. */
export interface SessionRun {
  /** The harness's exit code. */
  code: number;
  /** Its JSON event stream (`stream-json` or `exec --json`), parsed. */
  events: Record<string, unknown>[];
  /** Its standard error. */
  stderr: string;
  /** Claude Code's debug log (hook timings), else "". */
  debug: string;
}

async function runHarness(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<Omit<SessionRun, "debug">> {
  // A session that hangs is killed (and fails its test): every run is bounded.
  const out = await new Deno.Command(command, {
    args,
    cwd,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  const events = td.decode(out.stdout).split("\n").filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
  return { code: out.code, events, stderr: td.decode(out.stderr) };
}

/** Options of one session. */
export interface SessionOptions {
  /** Kill the session after this long. */
  timeoutMs?: number;
}

/**
 * Runs one Claude Code session (`claude -p`) with the given script.
 *
 * @param ws The workspace.
 * @param script The script's name (`e2e-script:<name>` in the prompt).
 * @param options Options.
 * @returns What it did.
 */
export async function runClaude(
  ws: Workspace,
  script: string,
  options: SessionOptions = {},
): Promise<SessionRun> {
  const home = await Deno.makeTempDir({ dir: ws.dir, prefix: "claude-home-" });
  const mcp = {
    mcpServers: {
      lokt: { command: "lokt", args: ["mcp"] },
      // A file-writing MCP server, as an agent may have one: lokt's hook judges its tools.
      filesystem: { command: Deno.execPath(), args: ["run", "-A", "--quiet", FS_SERVER] },
    },
  };
  const env = {
    ...pathEnv(ws),
    HOME: home,
    ANTHROPIC_BASE_URL: ws.modelUrl,
    ANTHROPIC_API_KEY: "sk-e2e",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_ERROR_REPORTING: "1",
  };
  const debugFile = `${home}/debug.log`;
  const run = await runHarness(
    "claude",
    [
      "-p",
      `e2e-script:${script} do the scripted work`,
      "--output-format",
      "stream-json",
      "--verbose",
      "--include-hook-events",
      "--debug-file",
      debugFile,
      "--permission-mode",
      "acceptEdits",
      "--allowedTools",
      "Bash,mcp__lokt,mcp__filesystem",
      "--mcp-config",
      JSON.stringify(mcp),
    ],
    ws.repo,
    env,
    options.timeoutMs ?? 120_000,
  );
  let debug = "";
  try {
    debug = await Deno.readTextFile(debugFile);
  } catch {
    // No log written.
  }
  return { ...run, debug };
}

/**
 * Runs one Codex session (`codex exec`) in its default sandbox, with the given script.
 *
 * @param ws The workspace.
 * @param script The script's name.
 * @param options Options.
 * @returns What it did.
 */
export async function runCodex(
  ws: Workspace,
  script: string,
  options: SessionOptions = {},
): Promise<SessionRun> {
  const home = await Deno.makeTempDir({ dir: ws.dir, prefix: "codex-home-" });
  await Deno.mkdir(`${home}/.codex`);
  await Deno.writeTextFile(
    `${home}/.codex/config.toml`,
    [
      // A model of Codex's own catalog: otherwise it offers no apply_patch tool.
      `model = "gpt-5.5"`,
      `model_provider = "e2e"`,
      `[model_providers.e2e]`,
      `name = "e2e"`,
      `base_url = "${ws.modelUrl}/v1"`,
      `wire_api = "responses"`,
      `env_key = "E2E_MODEL_KEY"`,
      `[projects."${ws.repo}"]`,
      `trust_level = "trusted"`,
      // MCP tool calls need approval, which `exec` never asks: lokt's tools are approved here.
      `[mcp_servers.lokt]`,
      `command = "lokt"`,
      `args = ["mcp"]`,
      `default_tools_approval_mode = "approve"`,
      // A file-writing MCP server, as an agent may have one: lokt's hook judges its tools.
      `[mcp_servers.filesystem]`,
      `command = ${JSON.stringify(Deno.execPath())}`,
      `args = ["run", "-A", "--quiet", ${JSON.stringify(FS_SERVER)}]`,
      `default_tools_approval_mode = "approve"`,
      "",
    ].join("\n"),
  );
  const env = {
    ...pathEnv(ws),
    HOME: home,
    CODEX_HOME: `${home}/.codex`,
    E2E_MODEL_KEY: "sk-e2e",
    RUST_LOG: "error",
  };
  const run = await runHarness(
    "codex",
    [
      "exec",
      "--json",
      // Hooks need a trust review of their own (docs/agents.md); a test cannot click.
      "--dangerously-bypass-hook-trust",
      `e2e-script:${script} do the scripted work`,
    ],
    ws.repo,
    env,
    options.timeoutMs ?? 120_000,
  );
  return { ...run, debug: "" };
}

/**
 * The durations Claude Code logged for each hook command, by command.
 *
 * @param debug Its debug log.
 * @returns Milliseconds per command, in order.
 */
export function hookTimings(debug: string): Map<string, number[]> {
  const timings = new Map<string, number[]>();
  for (
    const m of debug.matchAll(
      /Hooks: PreToolUse:\S+ \[(.+?)\] finished with status \d+ \((\d+)ms\)/g,
    )
  ) {
    const list = timings.get(m[1] as string) ?? [];
    list.push(Number(m[2]));
    timings.set(m[1] as string, list);
  }
  return timings;
}
