/**
 * Is a lock holder's process still alive? (docs/contract.md §5, [W14])
 *
 * A PID is dead when it does not exist or now belongs to a process with a
 * different start marker (PID reuse). Anything unclear counts as alive: a
 * wrong "dead" answer would hand the lock to a second holder.
 *
 * @module
 */

import { granted } from "./permissions.ts";
import { readProcStat } from "./procfs.ts";
import { groupRuns } from "./process_scan.ts";

/** The answer of a liveness probe. */
export type ProcessState = "alive" | "dead" | "unknown";

/**
 * Probes whether process `pid`, started at `pidStart`, is still running.
 *
 * @param pid The PID recorded by the holder.
 * @param pidStart The start marker recorded by the holder, or `null`.
 * @returns `dead` only when provably dead; `unknown` when it cannot tell.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { probeProcess } from "./liveness.ts";
 * assert(probeProcess(Deno.pid, null) === "alive");
 * ```
 */
export function probeProcess(pid: number, pidStart: string | null): ProcessState {
  if (!Number.isSafeInteger(pid) || pid <= 0) return "unknown";
  try {
    const stat = readProcStat(pid);
    if (!stat) return "unknown";
    if (stat.state === "Z" || stat.state === "X") return "dead";
    if (pidStart !== null && stat.startTime !== pidStart) return "dead";
    return "alive";
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      return procAvailable() ? "dead" : probeBySignal(pid);
    }
    // Deno grants /proc only to --allow-all: with scoped permissions, fall back
    // to signal 0 (existence only, no PID-reuse check).
    if (err instanceof Deno.errors.NotCapable) return probeBySignal(pid);
    return "unknown";
  }
}

let hasProc: boolean | undefined;

function procAvailable(): boolean {
  if (hasProc === undefined) {
    try {
      Deno.statSync("/proc/self/stat");
      hasProc = true;
    } catch {
      hasProc = false;
    }
  }
  return hasProc;
}

/** Without /proc (macOS), signal 0 tells existence but not PID reuse. */
function probeBySignal(pid: number): ProcessState {
  // Asking first: Deno.kill without --allow-run would prompt on a terminal.
  if (!granted({ name: "run" })) return "unknown";
  try {
    // Signal 0 checks existence without delivering anything.
    Deno.kill(pid, 0 as unknown as Deno.Signal);
    return "alive";
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return "dead";
    if (err instanceof Deno.errors.PermissionDenied) return "alive";
    // Includes NotCapable (no --allow-run): cannot tell, so alive.
    return "unknown";
  }
}

/**
 * Probes whether any process of a process group is alive (signal 0 to the
 * group, which needs only `--allow-run`). Anything unclear counts as alive.
 *
 * @param pgid The process group id.
 * @returns `dead` once no process of the group is left.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { probeGroup } from "./liveness.ts";
 * const child = new Deno.Command("sleep", { args: ["5"], detached: true }).spawn();
 * assert(probeGroup(child.pid) === "alive");
 * child.kill("SIGKILL");
 * await child.status;
 * assert(probeGroup(child.pid) === "dead");
 * ```
 */
export function probeGroup(pgid: number): ProcessState {
  if (!Number.isSafeInteger(pgid) || pgid <= 1) return "unknown";
  if (!granted({ name: "run" })) return "unknown";
  try {
    Deno.kill(-pgid, 0 as unknown as Deno.Signal);
    // A group that exists may hold only zombies: those are over (only /proc tells).
    return procAvailable() ? groupRuns(pgid) : "alive";
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return "dead";
    if (err instanceof Deno.errors.PermissionDenied) return "alive";
    return "unknown";
  }
}
