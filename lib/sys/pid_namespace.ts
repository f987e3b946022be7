/**
 * Holders in another PID namespace of this machine (docs/contract.md §5):
 * Codex runs an agent's commands in a sandbox with its own PID namespace, so a
 * `lokt guard` there records PID 3 and the sandbox's namespace in its machine
 * id (`<machine>:<namespace inode>`). From outside, that PID means nothing;
 * the holder is found by its namespace and the PID it has there
 * (`/proc/<pid>/ns/pid`, and the last `NSpid:`/`NSpgid:` of
 * `/proc/<pid>/status`).
 *
 * Every process of a descendant namespace is visible from its ancestors, so
 * a namespace is judged only from one that sees it: where none of its
 * processes is visible, it is gone only if this process is in the machine's
 * initial namespace (the ancestor of all); elsewhere (inside a sandbox or a
 * container) it may simply be out of sight, and the answer is `unknown` —
 * never a second holder.
 *
 * @module
 */

import { parseProcStat } from "./procfs.ts";
import type { ScanAnswer } from "./process_scan.ts";

/** The inode of the kernel's initial PID namespace (`PROC_PID_INIT_INO`). */
export const INITIAL_PID_NAMESPACE = "4026531836";

/**
 * The PID namespace of a holder that is on this machine but in another
 * namespace, or `null` (the same namespace, or another machine).
 *
 * @param holder The holder's machine id (`<machine>:<namespace>`).
 * @param mine This process's machine id.
 * @returns The holder's namespace inode, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { foreignNamespace } from "./pid_namespace.ts";
 * assert.equal(foreignNamespace("m:4026532310", "m:4026531836"), "4026532310");
 * assert.equal(foreignNamespace("m:1", "m:1"), null);
 * assert.equal(foreignNamespace("other:1", "m:2"), null);
 * ```
 */
export function foreignNamespace(holder: string, mine: string): string | null {
  if (holder === mine) return null;
  const split = (id: string) => /^(.*):(\d+)$/.exec(id);
  const a = split(holder);
  const b = split(mine);
  if (!a || !b || a[1] !== b[1]) return null;
  return a[2] ?? null;
}

/**
 * Whether a machine id names this machine, in this PID namespace or another.
 *
 * @param holder A machine id (`<machine>:<namespace>`).
 * @param mine This process's machine id.
 * @returns `true` for this machine.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { onThisMachine } from "./pid_namespace.ts";
 * assert(onThisMachine("m:4026531836", "m:4026532310"));
 * assert(!onThisMachine("other:4026531836", "m:4026532310"));
 * ```
 */
export function onThisMachine(holder: string, mine: string): boolean {
  return holder === mine || foreignNamespace(holder, mine) !== null;
}

/**
 * Whether a process (or any process of a group) of another PID namespace runs.
 *
 * @param namespace The namespace's inode.
 * @param id The PID (or process group id) as that namespace numbers it.
 * @param what `pid` for one process (with its start marker), `pgid` for a group.
 * @param start The process's start marker, or `null`.
 * @returns `alive`, `dead`, or `unknown` when this process cannot tell.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { probeInNamespace } from "./pid_namespace.ts";
 * // No process lives in a namespace that does not exist.
 * const answer = probeInNamespace("1", 3, "pid", null);
 * assert(answer === "dead" || answer === "unknown");
 * ```
 */
export function probeInNamespace(
  namespace: string,
  id: number,
  what: "pid" | "pgid",
  start: string | null,
): ScanAnswer {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync("/proc")];
  } catch {
    return "unknown";
  }
  const link = `pid:[${namespace}]`;
  let seen = false;
  let unread = false;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      // Another user's process cannot be read: it is not a holder of ours.
      if (Deno.readLinkSync(`/proc/${entry.name}/ns/pid`) !== link) continue;
    } catch {
      continue;
    }
    seen = true;
    try {
      const status = Deno.readTextFileSync(`/proc/${entry.name}/status`);
      const key = what === "pid" ? "NSpid" : "NSpgid";
      const ids = new RegExp(`^${key}:\\s*(.*)$`, "m").exec(status)?.[1]?.trim().split(/\s+/);
      if (Number(ids?.at(-1)) !== id) continue;
      const stat = parseProcStat(Deno.readTextFileSync(`/proc/${entry.name}/stat`));
      if (!stat || stat.state === "Z" || stat.state === "X") continue;
      if (what === "pid" && start !== null && stat.startTime !== start) continue;
      return "alive";
    } catch {
      // Gone meanwhile, or not readable: then this scan cannot say "dead".
      unread = true;
    }
  }
  if (seen) return unread ? "unknown" : "dead";
  return ownNamespace() === INITIAL_PID_NAMESPACE ? "dead" : "unknown";
}

function ownNamespace(): string | null {
  try {
    return Deno.readLinkSync("/proc/self/ns/pid").match(/\d+/)?.[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * Probes a holder's process wherever on this machine it runs: in this PID
 * namespace, or in another one ({@linkcode probeInNamespace}).
 *
 * @param holderMachine The holder's machine id.
 * @param mine This process's machine id.
 * @param pid The holder's PID, as its namespace numbers it.
 * @param start Its start marker, or `null`.
 * @param probe Probes a process of this namespace.
 * @returns Its state, or `null` when it runs on another machine.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { probeHolder } from "./pid_namespace.ts";
 * assert.equal(probeHolder("a:1", "b:1", 3, null, () => "alive"), null);
 * assert.equal(probeHolder("a:1", "a:1", 3, null, () => "alive"), "alive");
 * ```
 */
export function probeHolder(
  holderMachine: string,
  mine: string,
  pid: number,
  start: string | null,
  probe: (pid: number, start: string | null) => ScanAnswer,
): ScanAnswer | null {
  if (holderMachine === mine) return probe(pid, start);
  const namespace = foreignNamespace(holderMachine, mine);
  return namespace === null ? null : probeInNamespace(namespace, pid, "pid", start);
}
