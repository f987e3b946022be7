/**
 * The real harnesses run only inside a private network namespace with
 * loopback alone: nothing they, their MCP servers or the scripted model do
 * can leave the machine. This module starts a Deno script in one
 * (`unshare -n`, as root), and the script checks, before anything else
 * starts, that loopback is the only interface.
 *
 * @module
 */

import { baseEnv } from "../_helpers.ts";

/** The pinned harness versions the tests install from npm. */
export const HARNESSES = {
  claude: { pkg: "@anthropic-ai/claude-code", version: "2.1.332", bin: "claude" },
  codex: { pkg: "@openai/codex", version: "0.169.1", bin: "codex" },
} as const;

/**
 * Why the harnesses cannot run here (namespaces refused), or `null`.
 *
 * @returns One line, or `null` when `unshare -n` works.
 */
export async function offlineRefused(): Promise<string | null> {
  try {
    const out = await new Deno.Command("unshare", {
      args: ["-n", "sh", "-c", "ip link set lo up"],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (out.success) return null;
    return `a private network namespace is not permitted here (unshare -n: ${
      new TextDecoder().decode(out.stderr).trim().split("\n")[0]
    })`;
  } catch (err) {
    return `a private network namespace is not permitted here (${(err as Error).message})`;
  }
}

/**
 * Throws unless this process is in a network namespace whose only interface
 * is loopback: called first by every script that starts a harness.
 */
export function assertOffline(): void {
  const names = Deno.readTextFileSync("/proc/self/net/dev").split("\n").slice(2)
    .map((l) => l.split(":")[0]?.trim()).filter((n) => n);
  if (names.length !== 1 || names[0] !== "lo") {
    throw new Error(
      `refusing to start a harness: interfaces ${names.join(", ")} (only lo allowed)`,
    );
  }
}

/**
 * The directory holding `claude` and `codex` at the pinned versions,
 * installed from npm into a cache on first use (outside the namespace:
 * the registry is the one thing fetched).
 *
 * @returns The `node_modules/.bin` directory.
 */
export async function harnessBin(): Promise<string> {
  const home = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME") ?? "/tmp"}/.cache`;
  const dir =
    `${home}/lokt-e2e/claude-${HARNESSES.claude.version}_codex-${HARNESSES.codex.version}`;
  const bin = `${dir}/node_modules/.bin`;
  const ready = async () => {
    try {
      await Deno.stat(`${bin}/claude`);
      await Deno.stat(`${bin}/codex`);
      return true;
    } catch {
      return false;
    }
  };
  if (await ready()) return bin;
  // Installed beside, then renamed: two test files installing at once never see half.
  await Deno.mkdir(`${home}/lokt-e2e`, { recursive: true });
  const scratch = await Deno.makeTempDir({ dir: `${home}/lokt-e2e`, prefix: ".install-" });
  const out = await new Deno.Command("npm", {
    args: [
      "install",
      "--prefix",
      scratch,
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      `${HARNESSES.claude.pkg}@${HARNESSES.claude.version}`,
      `${HARNESSES.codex.pkg}@${HARNESSES.codex.version}`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`npm install of the harnesses failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  try {
    await Deno.rename(scratch, dir);
  } catch {
    // Another process installed them first.
    await Deno.remove(scratch, { recursive: true });
  }
  if (!(await ready())) throw new Error(`the harnesses are not in ${bin} after npm install`);
  return bin;
}

/** What a script run in the namespace printed. */
export interface OfflineRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a Deno script inside a new network namespace with only loopback up.
 *
 * @param script The script's absolute path.
 * @param args Its arguments.
 * @param env Extra environment.
 * @param timeoutMs Killed after this long.
 * @returns What it printed.
 */
export async function runOffline(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 240_000,
): Promise<OfflineRun> {
  const quoted = [Deno.execPath(), "run", "-A", "--quiet", script, ...args]
    .map((a) => `'${a.replaceAll("'", `'"'"'`)}'`).join(" ");
  const child = new Deno.Command("unshare", {
    args: ["-n", "-f", "--kill-child", "sh", "-c", `ip link set lo up && exec ${quoted}`],
    env: { ...baseEnv(), ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }, timeoutMs);
  const out = await child.output();
  clearTimeout(timer);
  const td = new TextDecoder();
  return { code: out.code, stdout: td.decode(out.stdout), stderr: td.decode(out.stderr) };
}
