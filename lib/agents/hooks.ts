/**
 * `lokt hook claude` / `lokt hook codex`: one hook event read from stdin,
 * answered in the harness's protocol (docs/contract.md §16). SessionStart registers the
 * session's owner and injects the primer; PreToolUse on a tool that writes
 * files denies an edit of a path another owner reserved (and with
 * `agents.reserve_on_edit` reserves the file for the session, atomically);
 * SessionEnd releases the session's reservations and owner holds. Anything
 * else: no output. lokt's own failure never blocks the agent: one line on
 * stderr and exit 1, which the protocol treats as non-blocking.
 *
 * @module
 */

import { shown } from "../model/safe_text.ts";
import { openContext } from "../core/context.ts";
import type { OpenedContext } from "../core/context.ts";
import {
  checkWithLinkedNames,
  linkedNames,
  sameFileNoted,
} from "../core/reservations/linked_names.ts";
import { editTarget, realTop, targetInRecords } from "../core/reservations/target_paths.ts";
import { installChanged } from "./install_guard.ts";
import { reservePatterns } from "../core/reservations/reservation_writes.ts";
import { toLoktError } from "../model/errors.ts";
import { isoTime } from "../model/iso_time.ts";
import { ReservationConflictError, unsearchedLinksWhy } from "../model/reservation_errors.ts";
import { registerSession } from "../store/file/session_registry.ts";
import { isDirectory } from "../sys/path.ts";
import { ancestorChain } from "../sys/procfs.ts";
import type { Harness, HookEvent, ReadTargets } from "./hook_event.ts";
import { parseHookEvent, targetPaths } from "./hook_event.ts";
import { denyWith, type HookAnswer, quiet } from "./hook_answers.ts";
import { sessionHandlers } from "./session_loader.ts";
import { expandShellWords, readShellCommand } from "./shell_reader.ts";
import {
  breakGlassReason,
  denialReason,
  installReason,
  ownerReason,
  recordsReason,
  uninstallReason,
  unjudgedReason,
  unseenPatchReason,
} from "./hook_reasons.ts";

export type { HookAnswer } from "./hook_answers.ts";

const NO_WORDS = { names: [], broad: new Set<string>() };

/** The real top of the worktree the event runs in, or `null` outside any. */
function worktreeTop(ctx: OpenedContext): string | null {
  return ctx.rootInfo.source === "cwd" ? null : realTop(ctx.rootInfo);
}

/** Shells between a harness and the commands it runs: never the harness itself. */
const SHELLS = new Set(["sh", "bash", "dash", "zsh", "fish", "ksh", "busybox"]);

/**
 * Answers one hook event.
 *
 * @param harness `claude` or `codex`.
 * @param input The event's JSON text (stdin).
 * @param env The environment (`LOKT_OWNER`, `LOKT_AGENT_ID`, `CLAUDE_ENV_FILE`).
 * @returns The answer.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { answerHook } from "./hooks.ts";
 * const answer = await answerHook("claude", "not json", () => undefined);
 * assert(answer.exitCode === 1 && answer.stdout === "");
 * ```
 */
export async function answerHook(
  harness: Harness,
  input: string,
  env: (key: string) => string | undefined,
): Promise<HookAnswer> {
  try {
    const event = parseHookEvent(input);
    if (!["SessionStart", "PreToolUse", "SessionEnd"].includes(event.name)) return quiet();
    // A call that writes no file (most of Codex's shell commands) costs no more than this.
    const found = event.name === "PreToolUse" ? targetPaths(event) : null;
    // A shell command is read by the shell reader, which only a shell call loads.
    const targets = found && "command" in found ? await readShellCommand(found.command) : found;
    if (
      targets && "paths" in targets && targets.paths.length === 0 && !targets.words &&
      !targets.owner
    ) {
      return quiet();
    }
    // Its permissions are not queried up front (lib/cli/run_command.ts): a
    // missing one fails the first call that needs it, reported below.
    const ctx = openContext({
      cwd: event.cwd || Deno.cwd(),
      acting: { hookSession: { harness, sessionId: event.sessionId }, env },
    });
    const harnessPid = harnessProcess();
    if (event.name === "SessionEnd") {
      return await (await sessionHandlers()).endSession(ctx, event, harnessPid);
    }
    // Outside any repository and below no .lokt there is no root to register in (none is created).
    if (harnessPid && event.sessionId && ctx.rootInfo.source !== "cwd") {
      registerSession(ctx.rootInfo.root, {
        harness,
        session_id: event.sessionId,
        owner: ctx.identity.owner,
        agent_id: ctx.identity.agentId,
        pid: harnessPid.pid,
        pid_start: harnessPid.startTime,
        // Read only when the entry is written: a sandbox's shell ties its holds by it.
        get machine_id() {
          return ctx.identity.machineId;
        },
        registered_at: isoTime(ctx.now()),
      });
    }
    if (event.name === "SessionStart") {
      return await (await sessionHandlers()).startSession(ctx, env);
    }
    return await beforeTool(ctx, event, targets as ReadTargets, harness, env, harnessPid);
  } catch (err) {
    const message = toLoktError(err).message.split("\n")[0];
    return {
      stdout: "",
      stderr: `lokt: ${message} (the tool call was not blocked)\n`,
      exitCode: 1,
    };
  }
}

/** The harness process: the nearest ancestor that is not a shell. */
function harnessProcess(): { pid: number; startTime: string } | null {
  for (const a of ancestorChain()) if (!SHELLS.has(a.comm)) return a;
  return null;
}

/**
 * PreToolUse: each target is judged where it really lands (its real path,
 * in the worktree it lives in, whatever the event's cwd); a target lokt
 * cannot judge is denied, never passed silently.
 */
async function beforeTool(
  eventCtx: OpenedContext,
  event: HookEvent,
  found: ReadTargets,
  harness: Harness,
  env: (key: string) => string | undefined,
  harnessPid: { pid: number; startTime: string } | null,
): Promise<HookAnswer> {
  const cwd = event.cwd || Deno.cwd();
  if ("records" in found) return denyWith(recordsReason(found.records.path, found.records.root));
  if ("breakGlass" in found) return denyWith(breakGlassReason());
  if ("uninstall" in found) return denyWith(uninstallReason());
  // An agent acts as its session: another owner's holds are not its to take or give back.
  if ("owner" in found && found.owner !== undefined && found.owner !== eventCtx.identity.owner) {
    return denyWith(ownerReason(found.owner, eventCtx.identity.owner));
  }
  if ("unjudged" in found) {
    return denyWith(
      found.shell ? unseenPatchReason(found.unjudged) : unjudgedReason(
        `the file of this ${shown(event.toolName ?? "tool")} call`,
        found.unjudged,
      ),
    );
  }
  // A shell's words as the shell expands them where it runs (globs, braces, the whole tree).
  // `null` when they defeat the expansion: denied, never passed.
  const words = found.words
    ? await expandShellWords(found.words, cwd, worktreeTop(eventCtx))
    : NO_WORDS;
  if (words === null) {
    return denyWith(
      unjudgedReason("the files of this shell command", "lokt could not expand them"),
    );
  }
  const named = [...found.paths, ...words.names];
  const targets = named.map((p) => editTarget(p, cwd));
  const unjudged = targets.find((t) => t.kind === "unjudged");
  if (unjudged?.kind === "unjudged") return denyWith(unjudgedReason(unjudged.path, unjudged.why));
  // lokt's records change only through lokt: an edited one takes, breaks or hides a hold unseen.
  // So is a directory that holds them, unless it stands for a whole tree (git leaves `.git` be).
  const wide = new Set(named.flatMap((n, i) => words.broad.has(n) ? [i] : []));
  const records = targetInRecords(targets, eventCtx.rootInfo, wide);
  if (records) {
    return denyWith(recordsReason(named[records.index] as string, records.root, records.holds));
  }
  // So is lokt's installation (its hooks in the harness's settings, its git hook): an agent
  // that edits it away turns lokt off for every later session.
  const install = installChanged(targets, wide, event.toolName, event.toolInput, {
    top: () => worktreeTop(eventCtx),
    env,
  });
  if (install) {
    return denyWith(installReason(named[install.index] as string, install.held, install.kind));
  }
  // By the lokt root each lands in: almost always one.
  const byRoot = new Map<string, { dir: string; paths: string[]; broad: Set<string> }>();
  for (const [i, t] of targets.entries()) {
    if (t.kind !== "covered") continue;
    const group = byRoot.get(t.root.root) ?? { dir: t.dir, paths: [], broad: new Set() };
    group.paths.push(t.path);
    if (words.broad.has(named[i] as string)) group.broad.add(t.path);
    byRoot.set(t.root.root, group);
  }
  for (const [root, { dir, paths, broad }] of byRoot) {
    // Almost always the root the event's cwd is in, already open.
    const ctx = root === eventCtx.rootInfo.root ? eventCtx : openContext({
      cwd: dir,
      acting: { hookSession: { harness, sessionId: event.sessionId }, env },
    });
    const denial = await judgeEdit(ctx, [...new Set(paths)], broad, harness, event, harnessPid);
    if (denial) return denial;
  }
  return quiet();
}

/** One root's part of an edit: a check, or with `reserve_on_edit` one atomic reserve. */
async function judgeEdit(
  ctx: OpenedContext,
  paths: string[],
  broad: Set<string>,
  harness: Harness,
  event: HookEvent,
  harnessPid: { pid: number; startTime: string } | null,
): Promise<HookAnswer | null> {
  const top = realTop(ctx.rootInfo);
  // A hard link is the same file under another name: its names are judged too.
  const linked = await linkedNames(ctx, top, paths);
  if (linked.unsearched !== null) {
    return denyWith(
      unjudgedReason(shown(paths[0] as string), unsearchedLinksWhy(linked.unsearched)),
    );
  }
  const ttlMs = ctx.config.reserveOnEditMs;
  // What stands for more than a file (a directory, the whole tree) is checked, never reserved.
  const checked = ttlMs === null
    ? paths
    : paths.filter((p) => broad.has(p) || isDirectory(`${top}/${p}`));
  if (checked.length) {
    const { conflicts } = await checkWithLinkedNames(ctx, top, checked, false, linked);
    const [first] = conflicts;
    const wide = first !== undefined &&
      (broad.has(first.pattern) || isDirectory(`${top}/${first.pattern}`));
    if (first) return denyWith(denialReason(conflicts, wide));
  }
  const reserved = paths.filter((p) => !checked.includes(p));
  if (ttlMs === null || reserved.length + linked.names.size === 0) return null;
  try {
    // One atomic reserve, not a check then a reserve: a second agent's edit is denied.
    await reservePatterns(ctx, [...reserved, ...linked.names.keys()], {
      mode: "exclusive",
      ttlMs,
      reason: `editing (${harness} ${event.toolName ?? "tool"})`,
      // They end with the harness too: a crashed harness strands no reservation.
      ...(harnessPid
        ? { liveness: "process" as const, pid: harnessPid.pid, pidStart: harnessPid.startTime }
        : { liveness: "ttl" as const }),
      exact: true,
    });
    return null;
  } catch (err) {
    if (err instanceof ReservationConflictError) {
      return denyWith(denialReason(sameFileNoted(err.conflicts, linked)));
    }
    throw err;
  }
}
