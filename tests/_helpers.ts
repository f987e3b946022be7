/**
 * Helpers for black-box tests: run the real CLI in a subprocess with a
 * temporary root and an explicit owner, and poll for conditions.
 *
 * @module
 */

export const CLI = new URL("../cli.ts", import.meta.url).pathname;
export const MOD = new URL("../mod.ts", import.meta.url).pathname;
export const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;

/**
 * Root discovery in tests never walks above the system temp directory (a
 * stray `.lokt` or `.git` there would otherwise decide a test's root).
 */
export const CEILING = (Deno.env.get("TMPDIR") || "/tmp").replace(/(.)\/+$/, "$1");
Deno.env.set("LOKT_CEILING_DIRECTORIES", CEILING);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  root?: string | null;
  owner?: string | null;
  cwd?: string;
  env?: Record<string, string>;
  stdin?: string;
  /** Another copy of cli.ts to run (a test's altered copy of the CLI). */
  cli?: string;
}

/** A clean environment: no inherited LOKT_* variables but the ceiling, no colour. */
export function baseEnv(options: RunOptions = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(Deno.env.toObject())) {
    if (!k.startsWith("LOKT_")) env[k] = v;
  }
  env.LOKT_CEILING_DIRECTORIES = CEILING;
  env.NO_COLOR = "1";
  if (options.root) env.LOKT_ROOT = options.root;
  if (options.owner) env.LOKT_OWNER = options.owner;
  return { ...env, ...options.env };
}

/**
 * A clean environment without any owner: no `LOKT_OWNER`, no harness session
 * variable, no terminal variable (the owner must come from elsewhere, or be guessed).
 */
export function ownerlessEnv(options: RunOptions = {}): Record<string, string> {
  const env = baseEnv(options);
  for (const key of Object.keys(env)) {
    if (/SESSION_ID$|^TMUX|^STY$|^WINDOWID$|^WT_SESSION$|^KITTY_|^SSH_TTY$|^ITERM/.test(key)) {
      delete env[key];
    }
  }
  return env;
}

/** Runs `deno run -A cli.ts …` and collects its output. */
export async function lokt(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", options.cli ?? CLI, ...args],
    cwd: options.cwd,
    env: baseEnv(options),
    clearEnv: true,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  });
  if (options.stdin === undefined) {
    const out = await cmd.output();
    return decode(out);
  }
  const child = cmd.spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(options.stdin));
  await w.close();
  return decode(await child.output());
}

function decode(out: Deno.CommandOutput): RunResult {
  const td = new TextDecoder();
  return { code: out.code, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
}

/** Spawns a long-running CLI process (e.g. guard) with piped output. */
export function spawnLokt(args: string[], options: RunOptions = {}): Deno.ChildProcess {
  return spawnScript(CLI, args, options);
}

/** Spawns a Deno script (a fixture) with arguments. */
export function spawnScript(
  script: string,
  args: string[],
  options: RunOptions = {},
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", script, ...args],
    cwd: options.cwd,
    env: baseEnv(options),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/**
 * Feeds one PreToolUse event to `lokt hook <harness>` (run from `/`, as a
 * harness may), with `env` added to the clean environment, and returns its
 * decision: `deny`, or `none` when it answered nothing, with the reason given.
 */
export async function hookDecision(
  harness: "claude" | "codex",
  cwd: string,
  toolName: string,
  input: Record<string, unknown>,
  env: Record<string, string> = {},
): Promise<{ decision: string; reason: string }> {
  const event = {
    session_id: "sess-attacker-0001",
    cwd,
    hook_event_name: "PreToolUse",
    tool_name: toolName,
    tool_input: input,
  };
  const out = await lokt(["hook", harness], { stdin: JSON.stringify(event), cwd: "/", env });
  if (out.code !== 0) throw new Error(`${JSON.stringify(input).slice(0, 120)}: ${out.stderr}`);
  if (out.stdout === "") return { decision: "none", reason: "" };
  const answer = JSON.parse(out.stdout).hookSpecificOutput;
  return {
    decision: answer.permissionDecision as string,
    reason: answer.permissionDecisionReason as string,
  };
}

/** Makes a temporary directory; the returned root is inside it and does not exist yet. */
export async function tempDir(prefix = "lokt-test-"): Promise<string> {
  return await Deno.makeTempDir({ prefix });
}

/** A fresh temporary directory and a lokt root inside it (not yet created). */
export async function freshRoot(): Promise<{ dir: string; root: string }> {
  const dir = await tempDir();
  return { dir, root: `${dir}/root` };
}

/** Polls `check` until it returns a truthy value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 15_000,
  intervalMs = 20,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Reads lines from a child's stdout as they arrive. */
export function lineReader(
  stream: ReadableStream<Uint8Array>,
): { next(): Promise<string | null>; rest(): Promise<string> } {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  return {
    async next() {
      for (;;) {
        const nl = buffer.indexOf("\n");
        if (nl >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          return line;
        }
        const { value, done } = await reader.read();
        if (done) {
          if (buffer) {
            const line = buffer;
            buffer = "";
            return line;
          }
          return null;
        }
        buffer += value;
      }
    },
    async rest() {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
      }
      const out = buffer;
      buffer = "";
      return out;
    },
  };
}

/** Kills a child if still running and waits for it. */
export async function reap(
  child: Deno.ChildProcess,
  signal: Deno.Signal = "SIGKILL",
): Promise<void> {
  try {
    child.kill(signal);
  } catch {
    // Already exited.
  }
  try {
    await child.status;
  } catch {
    // Ignore.
  }
  for (const stream of ["stdout", "stderr"] as const) {
    try {
      await child[stream].cancel();
    } catch {
      // Not piped, already consumed or closed.
    }
  }
}

/** Reads the audit trail of a root as parsed events. */
export async function auditEvents(root: string): Promise<Record<string, unknown>[]> {
  try {
    const text = await Deno.readTextFile(`${root}/audit.jsonl`);
    return text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
}

/** Lists every file under a directory (relative paths), for "nothing written" checks. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string, prefix: string) {
    try {
      for await (const e of Deno.readDir(d)) {
        const rel = prefix ? `${prefix}/${e.name}` : e.name;
        out.push(rel);
        if (e.isDirectory) await walk(`${d}/${e.name}`, rel);
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
  await walk(dir, "");
  return out.sort();
}

/** Runs git in a directory (tests only). */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: [
      "-c",
      "user.email=t@example.com",
      "-c",
      "user.name=t",
      "-c",
      "init.defaultBranch=main",
      ...args,
    ],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const td = new TextDecoder();
  if (out.code !== 0) throw new Error(`git ${args.join(" ")} failed: ${td.decode(out.stderr)}`);
  return td.decode(out.stdout);
}

/** How many waiter tickets a lock's FIFO queue holds. */
export async function queueLength(root: string, name: string): Promise<number> {
  let count = 0;
  try {
    for await (const entry of Deno.readDir(`${root}/queue/${name}`)) {
      if (entry.name.endsWith(".json")) count++;
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return count;
}

/** Kills a whole process group (a guarded command leads its own) and waits until none of it is left. */
export async function endGroup(pgid: number): Promise<void> {
  try {
    Deno.kill(-pgid, "SIGKILL");
  } catch {
    // Already gone.
  }
  await waitFor(() => {
    try {
      Deno.kill(-pgid, 0 as unknown as Deno.Signal);
      return false;
    } catch {
      return true;
    }
  }, `process group ${pgid} to end`);
}

/**
 * Whether this machine lets the tests make PID namespaces (`unshare -p`, as
 * root), as Codex's sandbox does; a test that needs them says so in one line
 * and is ignored where they are refused.
 */
export async function pidNamespacesPermitted(): Promise<boolean> {
  try {
    const out = await new Deno.Command("unshare", {
      args: ["-p", "-f", "--mount-proc", "true"],
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  } catch {
    return false;
  }
}
