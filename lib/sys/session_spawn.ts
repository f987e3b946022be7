/**
 * Starting a command as the leader of its own session and process group, so
 * that signals sent to the group reach the whole tree it starts.
 *
 * Deno's `detached: true` does this by running `setsid()` between fork and
 * exec, which makes the spawn itself slow (measured here: ~18 ms against
 * ~12 ms for a plain spawn; docs/performance.md). Where util-linux's
 * `setsid(1)` is installed and may be run, the command is spawned plainly
 * through it instead: a child that is not a process-group leader (never the
 * case right after a spawn) calls `setsid()` and execs the command, keeping
 * its pid, so the command's pid is its session and group id either way.
 *
 * @module
 */

import { granted } from "./permissions.ts";

const SETSID_PATHS = ["/usr/bin/setsid", "/bin/setsid"];

let launcher: string | null | undefined;

/** The `setsid(1)` binary to launch through, or `null` to use `detached`. */
function setsidLauncher(): string | null {
  if (launcher !== undefined) return launcher;
  launcher = null;
  for (const path of SETSID_PATHS) {
    try {
      if (Deno.statSync(path).isFile && granted({ name: "run", command: path })) {
        launcher = path;
        break;
      }
    } catch {
      // Not installed here.
    }
  }
  return launcher;
}

/**
 * Spawns `executable` with `args` as a session and process-group leader,
 * stdio inherited.
 *
 * @param executable The resolved executable (a path).
 * @param args Its arguments.
 * @param env Variables to set in its environment (added to this process's).
 * @returns The child; `child.pid` is also its process group id.
 * @throws {Deno.errors.NotFound} or {Deno.errors.PermissionDenied} when it cannot be started.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { spawnSessionLeader } from "./session_spawn.ts";
 * const child = spawnSessionLeader("/bin/sh", ["-c", "exit $CODE"], { CODE: "3" });
 * assert((await child.status).code === 3);
 * ```
 */
export function spawnSessionLeader(
  executable: string,
  args: string[],
  env: Record<string, string>,
): Deno.ChildProcess {
  // setsid(1) would read a leading "-" as its own option.
  const setsid = executable.startsWith("-") ? null : setsidLauncher();
  return new Deno.Command(setsid ?? executable, {
    args: setsid ? [executable, ...args] : args,
    env,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
    detached: setsid === null,
  }).spawn();
}
