/**
 * The CLI's fast path for the two calls agents make most: `lokt lock <name>`
 * of a free lock and `lokt unlock <name>` of one's own lock.
 *
 * A Deno process pays for every module it loads and for compiling every
 * function it runs, so the full CLI (dispatcher, argument parser, engine,
 * store, queue and freeze logic) costs more than the few file operations of
 * a plain lock. This path runs before any of that is loaded and handles only
 * the unremarkable case; it declines — having written nothing — on anything
 * else: flags other than `--ttl`, `--reason` and `--json`, a record already
 * there, a freeze file or queued waiters for the name, a `lokt.jsonc`, a
 * missing root, symlinks, a contended mutex, missing permissions, malformed
 * identity variables, or any error. The full CLI then handles the call.
 *
 * It writes through the same primitives as the file store (`file_ops.ts`)
 * under the same per-name `flock`, and re-reads the record under that lock,
 * so the two paths can interleave freely.
 *
 * @module
 */

import { recordEvent } from "../model/audit_event.ts";
import { DEFAULT_LOCK_TTL_MS } from "../model/defaults.ts";
import { acquiredResult, releasedResult } from "./lock_results.ts";
import { parseTtl } from "../model/duration.ts";
import {
  allocateCounter,
  appendAudit,
  auditMaxBytes,
  COUNTER_SLOT,
  writeAtomically,
} from "../store/file_primitives.ts";
import { currentIdentity } from "../sys/identity.ts";
import {
  encodeRecord,
  isValidReason,
  MAX_RECORD_BYTES,
  newRecord,
  parseLockRecord,
} from "../model/lock_record.ts";
import { isValidName } from "../model/name.ts";
import type { CommandResult } from "./output.ts";
import { printResult, processIo } from "./output.ts";
import { granted } from "../sys/permissions.ts";
import { configPath, findRoot } from "../sys/root.ts";

/** A call the fast path may handle. */
interface FastCall {
  command: "lock" | "unlock";
  name: string;
  ttl: string | null;
  reason: string | null;
  json: boolean;
}

/** The root of an eligible call and its name's paths. */
interface Scene {
  root: string;
  mutexPath: string;
  recordPath: string;
}

/**
 * Handles a plain `lock`/`unlock` call, or declines.
 *
 * @param argv The CLI arguments.
 * @returns The exit code when handled (always 0), or `null` when declined:
 * nothing was written and the full CLI must handle the call.
 *
 * @example Usage
 * ```ts ignore
 * import { fastPath } from "./fast_path.ts";
 * const code = fastPath(["lock", "build"]); // null: use the full CLI
 * ```
 */
export function fastPath(argv: string[]): number | null {
  const call = parseCall(argv);
  if (call === null) return null;
  let result: CommandResult | null;
  try {
    result = call.command === "lock" ? lockFree(call) : unlockMine(call);
  } catch {
    // Thrown before anything was written: the full CLI redoes it and reports.
    return null;
  }
  if (result === null) return null;
  printResult(processIo(call.json), result);
  return result.exitCode;
}

/** `lock <name> [--ttl D] [--reason T] [--json]` or `unlock <name> [--json]`, in any order. */
function parseCall(argv: string[]): FastCall | null {
  const command = argv[0];
  if (command !== "lock" && command !== "unlock") return null;
  const call: FastCall = { command, name: "", ttl: null, reason: null, json: false };
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("-")) {
      if (call.name !== "") return null;
      call.name = arg;
      continue;
    }
    if (arg === "--json" && !call.json) {
      call.json = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    if (command !== "lock" || (flag !== "--ttl" && flag !== "--reason")) return null;
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    const key = flag === "--ttl" ? "ttl" : "reason";
    if (value === undefined || call[key] !== null) return null;
    call[key] = value;
  }
  if (!isValidName(call.name)) return null;
  if (call.reason !== null && !isValidReason(call.reason)) return null;
  return call;
}

/** The scene of an eligible call, or `null`: nothing unusual may be in the way. */
function scene(name: string, command: "lock" | "unlock"): Scene | null {
  if (!granted({ name: "read" }) || !granted({ name: "env" })) return null;
  const cwd = Deno.cwd();
  const info = findRoot({ cwd });
  if (!granted({ name: "write", path: info.root })) return null;
  const config = configPath(info, cwd);
  const slash = config.lastIndexOf("/");
  if (entries(config.slice(0, slash) || "/").has(config.slice(slash + 1))) return null;
  const top = entries(info.root);
  if (top.get("locks") !== "dir" || top.get("mutex") !== "dir") return null;
  if (top.has("audit.jsonl") && top.get("audit.jsonl") !== "file") return null;
  if (command === "lock") {
    if (top.has("freezes")) {
      if (top.get("freezes") !== "dir") return null;
      if (entries(`${info.root}/freezes`).has(`${name}.json`)) return null;
    }
    if (top.has("queue")) {
      if (top.get("queue") !== "dir") return null;
      const queue = entries(`${info.root}/queue`);
      if (queue.has(name) && hasTickets(`${info.root}/queue/${name}`)) return null;
    }
  }
  const mutex = entries(`${info.root}/mutex`).get(`${name}.lock`);
  if (mutex !== undefined && mutex !== "file") return null;
  return {
    root: info.root,
    mutexPath: `${info.root}/mutex/${name}.lock`,
    recordPath: `${info.root}/locks/${name}.json`,
  };
}

/** Acquires a free lock; `null` when the record exists (any state: the engine judges). */
function lockFree(call: FastCall): CommandResult | null {
  const ttlMs = call.ttl === null ? DEFAULT_LOCK_TTL_MS : parseTtl(call.ttl);
  const at = scene(call.name, "lock");
  if (at === null) return null;
  return withMutex(at.mutexPath, true, (mutex) => {
    if (entries(`${at.root}/locks`).has(`${call.name}.json`)) return null;
    // Resolved only now: a call that declines (a held lock, say) never pays for it.
    const identity = currentIdentity();
    const fence = allocateCounter(mutex, COUNTER_SLOT.fence, 0);
    const record = newRecord(call.name, fence, identity, {
      ttlMs,
      liveness: "ttl",
      reason: call.reason,
    }, Date.now());
    writeAtomically(at.recordPath, encodeRecord(record));
    // Written: from here on nothing may throw back into a fallback.
    const warning = appendAudit(
      at.root,
      [recordEvent("acquire", record, identity, Date.now())],
      auditMaxBytes(),
    );
    return withWarning(acquiredResult({ record, outcome: "acquired", broke: null }), warning);
  });
}

/** Releases one's own lock; `null` unless the record is a valid one of this owner. */
function unlockMine(call: FastCall): CommandResult | null {
  const at = scene(call.name, "unlock");
  if (at === null) return null;
  return withMutex(at.mutexPath, false, () => {
    if (entries(`${at.root}/locks`).get(`${call.name}.json`) !== "file") return null;
    const raw = Deno.readTextFileSync(at.recordPath);
    if (raw.length > MAX_RECORD_BYTES) return null;
    const record = parseLockRecord(raw);
    const identity = currentIdentity();
    if (record === null || record.owner !== identity.owner) return null;
    Deno.removeSync(at.recordPath);
    const warning = appendAudit(
      at.root,
      [recordEvent("release", record, identity, Date.now())],
      auditMaxBytes(),
    );
    return withWarning(releasedResult(record), warning);
  });
}

function withWarning(result: CommandResult, warning: string | null): CommandResult {
  return warning === null ? result : { ...result, warning };
}

/** Runs `fn` holding the name's mutex, or returns `null` when it is contended. */
function withMutex<T>(
  path: string,
  create: boolean,
  fn: (mutex: Deno.FsFile) => T | null,
): T | null {
  const mutex = Deno.openSync(path, { read: true, write: true, create, mode: 0o644 });
  try {
    return mutex.tryLockSync(true) ? fn(mutex) : null;
  } finally {
    mutex.close();
  }
}

/** A directory's entries by kind (throws when it cannot be listed: the call declines). */
function entries(dir: string): Map<string, "file" | "dir" | "other"> {
  const found = new Map<string, "file" | "dir" | "other">();
  for (const entry of Deno.readDirSync(dir)) {
    found.set(
      entry.name,
      entry.isSymlink ? "other" : entry.isFile ? "file" : entry.isDirectory ? "dir" : "other",
    );
  }
  return found;
}

function hasTickets(dir: string): boolean {
  for (const name of entries(dir).keys()) if (name.endsWith(".json")) return true;
  return false;
}
