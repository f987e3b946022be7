/**
 * Looking through every process (`/proc`), for the two questions a guard's
 * hold raises once the guard itself is dead (docs/contract.md §5, §7): does any
 * process of its command's group still run — zombies do not count, they
 * are over and only wait to be reaped — and, before the group was recorded,
 * does the command it started still run (found by the `LOKT_LOCK_ID` guard
 * gives its command). Both scan `/proc`, which costs a few milliseconds, so
 * they are asked only of a dead guard's hold. An answer that cannot be read
 * is `unknown`, which counts as alive: never a second holder.
 *
 * @module
 */

import { parseProcStat } from "./procfs.ts";

/** The answer of a scan (the same as a liveness probe's). */
export type ScanAnswer = "alive" | "dead" | "unknown";

/** The numeric entries of `/proc`, or `null` when it cannot be listed. */
function processIds(): number[] | null {
  try {
    return [...Deno.readDirSync("/proc")].map((e) => Number(e.name)).filter((n) =>
      Number.isSafeInteger(n) && n > 0
    );
  } catch {
    return null;
  }
}

/**
 * Whether any process of a group still runs (a zombie does not).
 *
 * @param pgid The process group.
 * @returns `alive`, `dead`, or `unknown` when `/proc` cannot be read.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { groupRuns } from "./process_scan.ts";
 * import { readProcStat } from "./procfs.ts";
 * assert.equal(groupRuns(readProcStat("self")!.pgrp), "alive");
 * assert.equal(groupRuns(2 ** 22 + 7), "dead");
 * ```
 */
export function groupRuns(pgid: number): ScanAnswer {
  const pids = processIds();
  if (pids === null) return "unknown";
  for (const pid of pids) {
    try {
      const stat = parseProcStat(Deno.readTextFileSync(`/proc/${pid}/stat`));
      if (stat && stat.pgrp === pgid && stat.state !== "Z" && stat.state !== "X") return "alive";
    } catch {
      // Gone meanwhile.
    }
  }
  return "dead";
}

/**
 * Whether a process that guard started for a hold still runs: one whose
 * environment holds `LOKT_LOCK_ID=<lockId>` (and is no zombie). A process
 * whose environment cannot be read (another user's) cannot have been
 * started by this user's guard without its knowledge, and is skipped.
 *
 * @param lockId The hold's `lock_id`.
 * @returns `alive` or `dead` (also when `/proc` cannot be listed: no sign of a command).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { commandRuns } from "./process_scan.ts";
 * assert.equal(commandRuns("0".repeat(32)), "dead");
 * ```
 */
export function commandRuns(lockId: string): ScanAnswer {
  const pids = processIds();
  // Without /proc (scoped Deno permissions, macOS) nothing shows a command was
  // started at all: the hold is judged by its guard alone, as it always was
  // (counting it alive would strand a guard's hold that has no TTL forever).
  if (pids === null) return "dead";
  const wanted = new TextEncoder().encode(`\u0000LOKT_LOCK_ID=${lockId}\u0000`);
  for (const pid of pids) {
    let environ: Uint8Array;
    try {
      environ = Deno.readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue;
    }
    if (!contains(environ, wanted)) continue;
    try {
      const stat = parseProcStat(Deno.readTextFileSync(`/proc/${pid}/stat`));
      if (stat && stat.state !== "Z" && stat.state !== "X") return "alive";
    } catch {
      // Gone meanwhile.
    }
  }
  return "dead";
}

/** Whether `haystack`, with a NUL before it, contains `needle` (which starts with NUL). */
function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  const data = new Uint8Array(haystack.length + 2);
  data.set(haystack, 1);
  outer: for (let i = 0; i + needle.length <= data.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (data[i + j] !== needle[j]) continue outer;
    }
    return true;
  }
  return false;
}
