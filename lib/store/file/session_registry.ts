/**
 * The registry of agent sessions (docs/contract.md §4, §16): a session's hook records
 * the session's owner against its harness process (PID and start marker), so
 * that every lokt call started below that process — the agent's shell
 * commands, the git hooks they trigger, the MCP server the harness started —
 * acts as that owner without any setting. One small file per harness
 * process, `<root>/sessions/<pid>.json`; an entry whose process is gone (or
 * whose PID was reused) is ignored, and removed by the next registration.
 *
 * @module
 */

import { parseObject } from "../../model/record_codec.ts";
import { toLoktError } from "../../model/errors.ts";
import type { Ancestor } from "../../sys/procfs.ts";
import { listedAbsent } from "../../sys/absence.ts";
import { probeProcess } from "../../sys/liveness.ts";
import { writeAtomically } from "./file_primitives.ts";
import { SESSIONS_DIR } from "../layout.ts";

/** One registered session. */
export interface SessionEntry {
  /** `claude` or `codex`. */
  harness: string;
  /** The harness's session id. */
  session_id: string;
  /** The session's owner. */
  owner: string;
  /** The session's agent id. */
  agent_id: string;
  /** The harness process. */
  pid: number;
  /** Its start marker. */
  pid_start: string;
  /**
   * The machine id (with PID namespace) `pid` is numbered in: the hook's. A
   * call in a sandbox's own namespace ties its holds to the harness by it.
   * Absent in entries written before it was recorded.
   */
  machine_id?: string;
  /** When it was registered (ISO time). */
  registered_at: string;
}

/**
 * Registers a session against its harness process (replacing an older entry
 * of the same PID), and removes the entries whose process is gone.
 *
 * @param root The lokt root.
 * @param entry The session.
 * @throws {LoktError} When the registry cannot be written.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { lookupSession, registerSession } from "./session_registry.ts";
 * import { readProcStat } from "../../sys/procfs.ts";
 * const root = Deno.makeTempDirSync();
 * const start = readProcStat(Deno.pid)?.startTime ?? "0";
 * registerSession(root, {
 *   harness: "claude", session_id: "s1", owner: "claude-s1", agent_id: "agent-x",
 *   pid: Deno.pid, pid_start: start, registered_at: new Date().toISOString(),
 * });
 * assert(lookupSession(root, () => [{ pid: Deno.pid, startTime: start, comm: "deno" }])?.owner === "claude-s1");
 * ```
 */
export function registerSession(root: string, entry: SessionEntry): void {
  const dir = `${root}/${SESSIONS_DIR}`;
  // Every hook call of a session registers it: only the first one writes.
  const known = readEntry(dir, entry.pid);
  if (
    known?.session_id === entry.session_id && known.owner === entry.owner &&
    known.pid_start === entry.pid_start
  ) return;
  try {
    Deno.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw toLoktError(err, `Cannot create ${dir}`);
  }
  for (const old of registered(dir)) {
    if (old.pid !== entry.pid && probeProcess(old.pid, old.pid_start) === "dead") {
      try {
        Deno.removeSync(`${dir}/${old.pid}.json`);
      } catch {
        // Removed by another registration meanwhile.
      }
    }
  }
  writeAtomically(`${dir}/${entry.pid}.json`, `${JSON.stringify(entry)}\n`);
}

/**
 * Removes the session registered against a harness process, when it is that
 * session's.
 *
 * @param root The lokt root.
 * @param pid The harness process.
 * @param sessionId The session.
 * @returns Whether an entry was removed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { unregisterSession } from "./session_registry.ts";
 * assert(!unregisterSession(Deno.makeTempDirSync(), 1, "s"));
 * ```
 */
export function unregisterSession(root: string, pid: number, sessionId: string): boolean {
  const dir = `${root}/${SESSIONS_DIR}`;
  const entry = readEntry(dir, pid);
  if (!entry || entry.session_id !== sessionId) return false;
  try {
    Deno.removeSync(`${dir}/${pid}.json`);
    return true;
  } catch {
    return false;
  }
}

/**
 * The session of the nearest registered ancestor that is still the process
 * it was registered as (same start marker), or `null`.
 *
 * @param root The lokt root.
 * @param chain The caller's ancestors, nearest first (asked only when sessions are registered).
 * @returns The session, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { lookupSession } from "./session_registry.ts";
 * assert(lookupSession(Deno.makeTempDirSync(), () => []) === null);
 * ```
 */
export function lookupSession(root: string, chain: () => Iterable<Ancestor>): SessionEntry | null {
  const dir = `${root}/${SESSIONS_DIR}`;
  const names = new Set(fileNames(dir));
  if (names.size === 0) return null;
  for (const a of chain()) {
    if (!names.has(`${a.pid}.json`)) continue;
    const entry = readEntry(dir, a.pid);
    if (entry && entry.pid_start === a.startTime) return entry;
  }
  return null;
}

/**
 * The latest registered session of `owner`, whatever process asks: for a
 * call that cannot see its harness (Codex's sandbox runs commands in a PID
 * namespace of their own) but knows its session from the harness's
 * variable. Its process is not probed: from another namespace it cannot be.
 *
 * @param root The lokt root.
 * @param owner The session's owner (`codex-…`).
 * @returns The entry, or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { sessionOfOwner } from "./session_registry.ts";
 * assert.equal(sessionOfOwner(Deno.makeTempDirSync(), "codex-0123456789ab"), null);
 * ```
 */
export function sessionOfOwner(root: string, owner: string): SessionEntry | null {
  let latest: SessionEntry | null = null;
  for (const entry of registered(`${root}/${SESSIONS_DIR}`)) {
    if (entry.owner === owner && (!latest || entry.registered_at > latest.registered_at)) {
      latest = entry;
    }
  }
  return latest;
}

/** The valid entries of the registry directory (each file `<pid>.json`). */
function* registered(dir: string): Generator<SessionEntry> {
  for (const name of fileNames(dir)) {
    const pid = Number(name.replace(/\.json$/, ""));
    const entry = Number.isSafeInteger(pid) ? readEntry(dir, pid) : null;
    if (entry) yield entry;
  }
}

function readEntry(dir: string, pid: number): SessionEntry | null {
  let text: string;
  try {
    text = Deno.readTextFileSync(`${dir}/${pid}.json`);
  } catch {
    return null;
  }
  const value = parseObject(text);
  const ok = value && typeof value.owner === "string" && value.owner !== "" &&
    typeof value.agent_id === "string" && value.pid === pid &&
    typeof value.pid_start === "string" && typeof value.session_id === "string" &&
    typeof value.harness === "string" &&
    (value.machine_id === undefined || typeof value.machine_id === "string");
  return ok ? value as unknown as SessionEntry : null;
}

/** The names in a directory; none when it does not exist. */
function fileNames(dir: string): string[] {
  // Without a harness there is no registry: the root's listing says so without a thrown NotFound.
  if (listedAbsent(dir)) return [];
  try {
    return Array.from(Deno.readDirSync(dir), (e) => e.name);
  } catch {
    return [];
  }
}
