/**
 * Reading `/proc/<pid>/stat`, the one place Linux tells a process's state,
 * session, terminal and start time.
 *
 * @module
 */

/** The fields of `/proc/<pid>/stat` lokt uses. */
export interface ProcStat {
  /** One-letter state; `Z` (zombie) and `X` (dead) mean the process is gone. */
  state: string;
  /** Parent PID. */
  ppid: number;
  /** Process group ID. */
  pgrp: number;
  /** Session ID. */
  session: number;
  /** Controlling terminal device number (0 when none). */
  ttyNr: number;
  /** Start time in clock ticks since boot: the PID-reuse marker. */
  startTime: string;
  /** The command name (at most 15 characters, as the kernel keeps it). */
  comm: string;
}

/**
 * Reads and parses `/proc/<pid>/stat`.
 *
 * @param pid The process ID, or `"self"`.
 * @returns The parsed fields; `null` if the file exists but cannot be parsed.
 * @throws {Deno.errors.NotFound} When the process (or `/proc`) does not exist.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { readProcStat } from "./procfs.ts";
 * const stat = readProcStat("self");
 * assert(stat === null || stat.startTime.length > 0);
 * ```
 */
export function readProcStat(pid: number | "self"): ProcStat | null {
  return parseProcStat(Deno.readTextFileSync(`/proc/${pid}/stat`));
}

/**
 * Parses the text of a `/proc/<pid>/stat` file. The command name may contain
 * spaces and parentheses, so fields are counted after the last `)`.
 *
 * @param text The file's text.
 * @returns The parsed fields, or `null` when malformed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { parseProcStat } from "./procfs.ts";
 * const line = "1 (a b) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 777 0 0";
 * assert(parseProcStat(line)?.startTime === "777");
 * ```
 */
export function parseProcStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(")");
  const open = text.indexOf("(");
  if (close < 0 || open < 0) return null;
  const fields = text.slice(close + 1).trim().split(/\s+/);
  const startTime = fields[19];
  if (fields.length < 20 || startTime === undefined) return null;
  return {
    state: fields[0] ?? "?",
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    session: Number(fields[3]),
    ttyNr: Number(fields[4]),
    startTime,
    comm: text.slice(open + 1, close),
  };
}

/** One process of a chain of ancestors. */
export interface Ancestor {
  /** Its PID. */
  pid: number;
  /** Its start marker. */
  startTime: string;
  /** Its command name. */
  comm: string;
}

/**
 * The ancestors of a process, nearest first (its parent, then the parent's
 * parent, …), up to but not including PID 1; stops where `/proc` cannot be read.
 *
 * @param pid The process whose ancestors are wanted. @default {Deno.pid}
 * @returns The ancestors.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ancestors } from "./procfs.ts";
 * assert(ancestors().every((a) => a.pid > 1));
 * ```
 */
export function ancestors(pid: number = Deno.pid): Ancestor[] {
  return [...ancestorChain(pid)];
}

/**
 * The same ancestors, read one at a time as they are asked for (a hook stops
 * at the first one that is not a shell), each process's `stat` read once.
 *
 * @param pid The process whose ancestors are wanted. @default {Deno.pid}
 * @returns The ancestors, nearest first.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ancestorChain } from "./procfs.ts";
 * const parent = ancestorChain().next().value;
 * assert(parent === undefined || parent.pid === Number(Deno.readTextFileSync("/proc/self/stat").split(") ")[1]!.split(" ")[1]));
 * ```
 */
export function* ancestorChain(pid: number = Deno.pid): Generator<Ancestor> {
  let stat = statOrNull(pid);
  for (let depth = 0; depth < 64 && stat && stat.ppid > 1; depth++) {
    const next = stat.ppid;
    stat = statOrNull(next);
    if (!stat) return;
    yield { pid: next, startTime: stat.startTime, comm: stat.comm };
  }
}

function statOrNull(pid: number): ProcStat | null {
  try {
    return readProcStat(pid);
  } catch {
    return null;
  }
}

/**
 * The processes holding a `flock` on a file, as `/proc/locks` lists them (by
 * inode): who to name when a name's mutex stays busy.
 *
 * @param inode The file's inode number (`Deno.statSync(path).ino`).
 * @param locks The text of `/proc/locks` (read when not given).
 * @returns Their PIDs (none when `/proc/locks` cannot be read).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { flockHolders } from "./procfs.ts";
 * const text = "1: FLOCK  ADVISORY  WRITE 4242 fe:00:1234 0 EOF\n2: POSIX  ADVISORY  READ 7 fe:00:1234 0 EOF\n";
 * assert(flockHolders(1234, text).join() === "4242");
 * ```
 */
export function flockHolders(inode: number, locks?: string): number[] {
  let text = locks;
  if (text === undefined) {
    try {
      text = Deno.readTextFileSync("/proc/locks");
    } catch {
      return [];
    }
  }
  const pids: number[] = [];
  for (const line of text.split("\n")) {
    // "1: FLOCK  ADVISORY  WRITE 4242 fe:00:1234 0 EOF" (a waiter's line has "->" after the number)
    const m = /^\d+: FLOCK\s+\S+\s+\S+\s+(\d+)\s+[0-9a-f]+:[0-9a-f]+:(\d+)\s/.exec(line);
    if (m && Number(m[2]) === inode) pids.push(Number(m[1]));
  }
  return pids;
}
