/**
 * A stand-in agent harness for tests (tests/fixtures/stand_in_harness_process.ts): one
 * long-lived process per simulated session, which runs hook commands and the
 * agent's shell commands as its children, as Claude Code and Codex do.
 *
 * @module
 */

import { baseEnv, FIXTURES, lineReader } from "./_helpers.ts";

/** What one hook or shell command answered. */
export interface Reply {
  code: number;
  stdout: string;
  stderr: string;
}

/** A running stand-in harness. */
export class Harness {
  #child: Deno.ChildProcess;
  #lines: ReturnType<typeof lineReader>;
  #writer: WritableStreamDefaultWriter<Uint8Array>;

  /**
   * Starts a harness working in `cwd`.
   *
   * @param cwd The project directory.
   * @param env Extra environment (no LOKT_* variable is inherited).
   */
  constructor(readonly cwd: string, env: Record<string, string> = {}) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", `${FIXTURES}stand_in_harness_process.ts`],
      cwd,
      env: (() => {
        const all = baseEnv({ env });
        // Only what a test gives: never an env file of the session running the tests.
        if (!("CLAUDE_ENV_FILE" in env)) delete all.CLAUDE_ENV_FILE;
        return all;
      })(),
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#lines = lineReader(this.#child.stdout);
    this.#writer = this.#child.stdin.getWriter();
  }

  /** The harness process's PID. */
  get pid(): number {
    return this.#child.pid;
  }

  /** Runs `lokt hook <kind>` with an event on stdin. */
  hook(kind: string, event: unknown, env: Record<string, string> = {}): Promise<Reply> {
    return this.#send({ hook: kind, event, env, cwd: this.cwd });
  }

  /** Runs a shell command (`lokt …` runs this checkout's CLI) as the agent would. */
  shell(command: string, env: Record<string, string> = {}): Promise<Reply> {
    return this.#send({ shell: command, env, cwd: this.cwd });
  }

  async #send(request: unknown): Promise<Reply> {
    await this.#writer.write(new TextEncoder().encode(`${JSON.stringify(request)}\n`));
    const line = await this.#lines.next();
    if (line === null) throw new Error("the harness stopped");
    return JSON.parse(line);
  }

  /** Kills the harness with SIGKILL, as a crash would (no SessionEnd), and waits until it is gone. */
  async crash(): Promise<void> {
    Deno.kill(this.#child.pid, "SIGKILL");
    await this.#child.status;
  }

  /** Stops the harness (after a crash too). */
  async close(): Promise<void> {
    try {
      await this.#writer.close();
    } catch {
      // Already closed.
    }
    await this.#child.status;
    try {
      await this.#child.stdout.cancel();
    } catch {
      // Consumed.
    }
  }
}

/**
 * A recorded hook payload with its placeholders filled in.
 *
 * @param file The fixture's file name under tests/fixtures/hooks/.
 * @param values `SESSION`, `CWD`, `FILE`.
 * @returns The event.
 */
export function payload(file: string, values: Record<string, string>): Record<string, unknown> {
  let text = Deno.readTextFileSync(`${FIXTURES}hooks/${file}`);
  for (const [key, value] of Object.entries(values)) text = text.replaceAll(`\${${key}}`, value);
  return JSON.parse(text);
}
