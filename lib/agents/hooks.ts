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
import { releaseAllOf } from "../core/owners/release_owner.ts";
import {
  checkWithLinkedNames,
  linkedNames,
  sameFileNoted,
} from "../core/reservations/linked_names.ts";
import { editTarget, realTop, targetInRecords } from "../core/reservations/target_paths.ts";
import { releaseReservations, reservePatterns } from "../core/reservations/reservation_writes.ts";
import { toLoktError } from "../model/errors.ts";
import { isoTime } from "../model/iso_time.ts";
import type { Conflict } from "../model/reservation_errors.ts";
import {
  describeConflict,
  ReservationConflictError,
  unsearchedLinksWhy,
} from "../model/reservation_errors.ts";
import { registerSession, unregisterSession } from "../store/file/session_registry.ts";
import { ancestorChain } from "../sys/procfs.ts";
import type { Harness, HookEvent } from "./hook_event.ts";
import { parseHookEvent, targetPaths } from "./hook_event.ts";
import { buildPrimer, primerText } from "./primer.ts";

/** What a hook prints and how it exits. */
export interface HookAnswer {
  /** Standard output: the harness's JSON answer, or empty. */
  stdout: string;
  /** Standard error: a warning line, or empty. */
  stderr: string;
  /** 0, or 1 for lokt's own failure (non-blocking). */
  exitCode: number;
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
    const ctx = openContext({
      cwd: event.cwd || Deno.cwd(),
      write: true,
      acting: { hookSession: { harness, sessionId: event.sessionId }, env },
    });
    const harnessPid = harnessProcess();
    if (event.name === "SessionEnd") return await endSession(ctx, event, harnessPid);
    // Outside any repository and below no .lokt there is no root to register in (none is created).
    if (harnessPid && event.sessionId && ctx.rootInfo.source !== "cwd") {
      registerSession(ctx.rootInfo.root, {
        harness,
        session_id: event.sessionId,
        owner: ctx.identity.owner,
        agent_id: ctx.identity.agentId,
        pid: harnessPid.pid,
        pid_start: harnessPid.startTime,
        registered_at: isoTime(ctx.now()),
      });
    }
    if (event.name === "SessionStart") return await startSession(ctx, env);
    return await beforeTool(ctx, event, harness, env, harnessPid);
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

async function startSession(
  ctx: OpenedContext,
  env: (key: string) => string | undefined,
): Promise<HookAnswer> {
  const file = env("CLAUDE_ENV_FILE");
  if (file && ctx.identity.ownerKind === "hook-session") {
    // The agent's own shell commands then act as the same owner as its hooks.
    const lines = `export LOKT_OWNER=${shellQuote(ctx.identity.owner)}\nexport LOKT_AGENT_ID=${
      shellQuote(ctx.identity.agentId)
    }\n`;
    await Deno.writeTextFile(file, lines, { append: true });
  }
  const context = primerText(await buildPrimer(ctx));
  return answer({
    hookSpecificOutput: { hookEventName: "SessionStart", additionalContext: context },
  });
}

/**
 * PreToolUse: each target is judged where it really lands (its real path,
 * in the worktree it lives in, whatever the event's cwd); a target lokt
 * cannot judge is denied, never passed silently.
 */
async function beforeTool(
  eventCtx: OpenedContext,
  event: HookEvent,
  harness: Harness,
  env: (key: string) => string | undefined,
  harnessPid: { pid: number; startTime: string } | null,
): Promise<HookAnswer> {
  const cwd = event.cwd || Deno.cwd();
  const named = targetPaths(event);
  if (named === null) {
    return denyWith(
      unjudgedReason(
        `the file of this ${shown(event.toolName ?? "tool")} call`,
        "its input names no file path lokt can read",
      ),
    );
  }
  const targets = named.map((p) => editTarget(p, cwd));
  const unjudged = targets.find((t) => t.kind === "unjudged");
  if (unjudged?.kind === "unjudged") return denyWith(unjudgedReason(unjudged.path, unjudged.why));
  // lokt's records change only through lokt: an edited one takes, breaks or hides a hold unseen.
  const records = targetInRecords(targets, eventCtx.rootInfo);
  if (records) return denyWith(recordsReason(named[records.index] as string, records.root));
  // By the lokt root each lands in: almost always one.
  const byRoot = new Map<string, { dir: string; paths: string[] }>();
  for (const t of targets) {
    if (t.kind !== "covered") continue;
    const group = byRoot.get(t.root.root) ?? { dir: t.dir, paths: [] };
    group.paths.push(t.path);
    byRoot.set(t.root.root, group);
  }
  for (const [root, { dir, paths }] of byRoot) {
    // Almost always the root the event's cwd is in, already open.
    const ctx = root === eventCtx.rootInfo.root ? eventCtx : openContext({
      cwd: dir,
      write: true,
      acting: { hookSession: { harness, sessionId: event.sessionId }, env },
    });
    const denial = await judgeEdit(ctx, [...new Set(paths)], harness, event, harnessPid);
    if (denial) return denial;
  }
  return quiet();
}

/** One root's part of an edit: a check, or with `reserve_on_edit` one atomic reserve. */
async function judgeEdit(
  ctx: OpenedContext,
  paths: string[],
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
  if (ttlMs === null) {
    const { conflicts } = await checkWithLinkedNames(ctx, top, paths, false, linked);
    return conflicts.length ? denyWith(denialReason(conflicts)) : null;
  }
  try {
    // One atomic reserve, not a check then a reserve: a second agent's edit is denied.
    await reservePatterns(ctx, [...paths, ...linked.names.keys()], {
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

/**
 * The reason an edit of a path lokt cannot judge is denied: what it is, why,
 * and the next step.
 *
 * @param path The path as named (escaped).
 * @param why Why it cannot be judged.
 * @returns The reason text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { unjudgedReason } from "./hooks.ts";
 * assert(unjudgedReason("a\\x07", "it contains a control character").includes("cannot tell"));
 * ```
 */
export function unjudgedReason(path: string, why: string): string {
  return `lokt: cannot tell whether ${path} is reserved by another agent (${why}), so this edit is refused rather than let through unseen. Name the file by a plain path inside the repository (no control characters, no /proc/self/fd), or ask a person.`;
}

/** Why an edit of lokt's own records (in `root`) is denied, and the next step. */
function recordsReason(path: string, root: string): string {
  return `lokt: ${shown(path)} is in lokt's own records (${
    shown(root)
  }), which only lokt's commands change: an edited record would take, break or hide another agent's lock or reservation without a trace. See them with 'lokt status'; end your own with 'lokt unlock NAME' or 'lokt release PATTERN', or ask a person.`;
}

async function endSession(
  ctx: OpenedContext,
  event: HookEvent,
  harness: { pid: number } | null,
): Promise<HookAnswer> {
  try {
    await releaseReservations(ctx, "all");
  } catch (err) {
    if (!(err instanceof Error && err.name === "NotFoundError")) throw err;
  }
  await releaseAllOf(ctx, ctx.identity.owner);
  if (harness) unregisterSession(ctx.rootInfo.root, harness.pid, event.sessionId);
  return quiet();
}

/**
 * The reason of a denial: the path, the reservation in the way (pattern,
 * owner, reason, expiry) and the next step — never `--force`.
 *
 * @param conflicts The conflicts (at least one).
 * @returns The reason text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { denialReason } from "./hooks.ts";
 * import { newReservation } from "../model/reservation.ts";
 * const holder = { owner: "claude-b", agentId: "a", host: "h", machineId: "m", pid: 1, pidStart: null };
 * const reservation = newReservation("src/**", holder, { mode: "exclusive", ttlMs: 60_000, reason: "refactor", liveness: "ttl" }, 0);
 * assert(denialReason([{ pattern: "src/a.ts", reservation, expiresInMs: 60_000 }]).includes("claude-b"));
 * ```
 */
export function denialReason(conflicts: Conflict[]): string {
  const first = conflicts[0] as Conflict;
  const more = conflicts.length > 1 ? ` (and ${conflicts.length - 1} more)` : "";
  const subject = first.sameFileAs === undefined
    ? first.pattern
    : `${first.sameFileAs} is the same file (a hard link) as ${first.pattern}, which`;
  return `lokt: ${subject} is reserved by another agent: ${
    describeConflict(first)
  }${more}. Do not edit it now: work on something else and retry after it expires or is released, or ask ${
    shown(first.reservation.owner)
  }; 'lokt status' lists reservations, 'lokt check ${first.pattern}' tells when it is free.`;
}

function denyWith(reason: string): HookAnswer {
  return answer({
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: "deny",
      permissionDecisionReason: reason,
    },
  });
}

function answer(document: unknown): HookAnswer {
  return { stdout: `${JSON.stringify(document)}\n`, stderr: "", exitCode: 0 };
}

/** No output: never `allow`, which would skip the person's own permission rules. */
function quiet(): HookAnswer {
  return { stdout: "", stderr: "", exitCode: 0 };
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9._@:+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'"'"'`)}'`;
}
