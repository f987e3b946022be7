/**
 * The CLI's fast path for the two calls agents make most: `lokt lock <name>`
 * of a free lock and `lokt unlock <name>` of one's own lock.
 *
 * A Deno process pays for every module it loads and for compiling every
 * function it runs, so this path runs before the dispatcher, the command
 * modules and the waiting machinery are loaded (`cli.ts` runs it from its own
 * small bundle). It makes no decision of its own: it parses with the
 * command's own spec, settles the request as `lokt lock` does
 * (`core/locks/lock_request.ts`, with `lokt.jsonc`), judges with the engine's rules (`core/locks/judge.ts`), writes what
 * the engine writes (`core/locks/transitions.ts`) through the file store's own
 * critical sections. What it adds are probes — the argument shape, directory
 * listings, a `tryLock` — and when a probe finds anything that needs more
 * than the plain case (other flags, a record already there for `lock`, a
 * freeze or waiters, waiting by policy, a root not set up, a busy mutex, a
 * missing permission, any error), it declines having written nothing, and
 * the full CLI handles the call.
 *
 * @module
 */

import { acquisition, releaseEvents } from "../../core/locks/transitions.ts";
import type { Written } from "../../core/locks/transitions.ts";
import { decideAcquire, decideRelease } from "../../core/locks/decisions.ts";
import { judge } from "../../core/locks/judge.ts";
import { settleRequest } from "../../core/locks/lock_request.ts";
import { FileStore } from "../../store/file/file_store.ts";
import { lookAt } from "../../store/file/file_probe.ts";
import { auditMaxBytes } from "../../store/layout.ts";
import type { Config } from "../../sys/config.ts";
import { loadConfig } from "../../sys/config.ts";
import { guessedOwnerWarning } from "../../sys/identity.ts";
import { actingIdentity } from "../../core/identity.ts";
import { backendOf } from "../../sys/backend_choice.ts";
import { missingPermission } from "../../sys/permissions.ts";
import { inheritedHolds } from "../../sys/held_env.ts";
import type { RootInfo } from "../../sys/root.ts";
import { findRoot } from "../../sys/root.ts";
import { parseArgs } from "../args.ts";
import type { ParsedArgs } from "../args.ts";
import { spec as lockSpec } from "../commands/lock.ts";
import { spec as unlockSpec } from "../commands/unlock.ts";
import { acquireRequest, nameArg } from "../flags.ts";
import { acquiredResult, releasedResult } from "../acquire_release_results.ts";
import type { CommandResult } from "../output.ts";
import { jsonRequested, printResult, processIo } from "../output.ts";

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
 * const code = fastPath(Deno.args) ?? await (await import("./dispatcher.ts")).run(Deno.args);
 * Deno.exit(code);
 * ```
 */
export function fastPath(argv: string[]): number | null {
  const command = argv[0];
  if ((command !== "lock" && command !== "unlock") || !plainShape(argv)) return null;
  let result: CommandResult | null;
  try {
    const args = parseArgs(command === "lock" ? lockSpec : unlockSpec, argv.slice(1));
    result = command === "lock" ? lockFree(args) : unlockMine(args);
  } catch {
    // Thrown before anything was written: the full CLI redoes it and reports.
    return null;
  }
  if (result === null) return null;
  printResult(processIo(jsonRequested(argv)), result);
  return result.exitCode;
}

/** No `--`, no short flags, no flag given twice: anything else is for the full CLI. */
function plainShape(argv: string[]): boolean {
  const seen = new Set<string>();
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--" || (arg.startsWith("-") && !arg.startsWith("--"))) return false;
    if (!arg.startsWith("--")) continue;
    const flag = arg.split("=", 1)[0] as string;
    if (seen.has(flag)) return false;
    seen.add(flag);
  }
  return true;
}

/** Whether only these flags were given. */
function onlyFlags(args: ParsedArgs, allowed: string[]): boolean {
  return Object.keys(args.flags).every((flag) => allowed.includes(flag));
}

/** What the fast path opens: the call's root, its file store, and `lokt.jsonc` (read once). */
interface Opened {
  store: FileStore;
  root: RootInfo;
  config: () => Config;
}

/** The file store of the call's root, when every permission it needs is granted. */
function openStore(): Opened | null {
  // Where Deno cannot prompt (stdin is no terminal), a missing permission fails
  // the first call that needs it, before anything is written, and the full path
  // reports it: no query here, whose first call costs ~0.3 ms (docs/performance.md).
  const query = Deno.stdin.isTerminal();
  if (query && missingPermission({ writeRoot: null, run: null }) !== null) return null;
  const cwd = Deno.cwd();
  const root = findRoot({ cwd });
  if (query && missingPermission({ base: false, writeRoot: root.root, run: null }) !== null) {
    return null;
  }
  let config: Config | undefined;
  const readConfig = () => (config ??= loadConfig(root, cwd));
  // The fast path writes files: any other backend, or a config it cannot read, is the full path's.
  if (backendOf(readConfig, false).kind !== "file") return null;
  return {
    store: new FileStore(root.root, { auditMaxBytes: auditMaxBytes() }),
    root,
    config: readConfig,
  };
}

/** Acquires a free lock; `null` when anything is there to judge or wait for. */
function lockFree(args: ParsedArgs): CommandResult | null {
  if (!onlyFlags(args, ["ttl", "reason", "json"])) return null;
  const name = nameArg(args, "lock");
  const opened = openStore();
  if (opened === null) return null;
  const { settings, spec } = settleRequest(name, { ...acquireRequest(args), hold: "owner" }, {
    config: opened.config(),
    traits: opened.store.traits,
  });
  // Waiting, and the modes of several holders, are the full path's.
  if (settings.wait || settings.mode !== "exclusive") return null;
  const look = lookAt(opened.root.root, name);
  if (look === null || look.record || look.freeze || look.queued) return null;
  // Resolved only now: a call that declines (a held lock, say) never pays for it.
  const identity = actingIdentity({ root: opened.root.root });
  // A registered session's hold lives with its harness: settled with it by the full path.
  if (identity.sessionProcess) return null;
  const state = judge(name, null, identity, Date.now());
  if (decideAcquire(state).kind !== "create") return null;
  let written: Written | null = null;
  const wrote = opened.store.tryCreateIfAbsentSync("lock", name, (fence) => {
    written = acquisition(state, fence, identity, spec, Date.now());
    return written;
  }, { freshFence: true });
  const done = written as Written | null;
  if (!wrote || done === null) return null;
  return acquiredResult(
    { record: done.record, outcome: "acquired", broke: null },
    guessedOwnerWarning(identity),
  );
}

/** Releases one's own lock; `null` unless the rules allow this owner to release it. */
function unlockMine(args: ParsedArgs): CommandResult | null {
  if (!onlyFlags(args, ["json"])) return null;
  const name = nameArg(args, "unlock");
  const opened = openStore();
  if (opened === null) return null;
  const look = lookAt(opened.root.root, name);
  if (look === null || !look.record) return null;
  const entry = opened.store.readSync("lock", name);
  if (entry === null) return null;
  const identity = actingIdentity({ root: opened.root.root });
  const state = judge(name, entry, identity, Date.now());
  // A shared or semaphore name keeps its other holds: the full path rewrites it.
  if (state.mode !== "exclusive") return null;
  // Throws (and so declines) for anything but a valid record of this owner.
  const record = decideRelease(
    state,
    identity.owner,
    undefined,
    inheritedHolds().get(name) ?? null,
  );
  const events = releaseEvents(record, identity, Date.now());
  const removed = opened.store.tryCompareAndRemoveSync("lock", name, entry.token, events);
  return removed ? releasedResult(record) : null;
}
