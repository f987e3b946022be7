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
import { checkLiteralPaths } from "../core/reservations/reservation_index.ts";
import { releaseReservations, reservePatterns } from "../core/reservations/reservation_writes.ts";
import { toLoktError } from "../model/errors.ts";
import { isoTime } from "../model/iso_time.ts";
import { normalizePattern } from "../model/path_glob.ts";
import type { Conflict } from "../model/reservation_errors.ts";
import { describeConflict, ReservationConflictError } from "../model/reservation_errors.ts";
import { registerSession, unregisterSession } from "../store/file/session_registry.ts";
import { isFile, resolve } from "../sys/path.ts";
import { ancestors } from "../sys/procfs.ts";
import { patternBase } from "../sys/root.ts";
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
    if (harnessPid && event.sessionId) {
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
    return await beforeTool(ctx, event, harness);
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
  return ancestors().find((a) => !SHELLS.has(a.comm)) ?? null;
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

async function beforeTool(ctx: OpenedContext, event: HookEvent, harness: Harness) {
  const base = patternBase(ctx.rootInfo);
  const cwd = event.cwd || ctx.cwd;
  // Paths outside the worktree are never covered.
  const paths = targetPaths(event).flatMap((p) => {
    try {
      return [normalizePattern(resolve(cwd, p), base, "path")];
    } catch {
      return [];
    }
  });
  if (paths.length === 0) return quiet();
  const ttlMs = ctx.config.reserveOnEditMs;
  if (ttlMs === null) {
    const { conflicts } = await checkLiteralPaths(ctx, paths, false, (p) => isFile(`${base}/${p}`));
    return conflicts.length ? deny(conflicts) : quiet();
  }
  try {
    // One atomic reserve, not a check then a reserve: a second agent's edit is denied.
    await reservePatterns(ctx, paths, {
      mode: "exclusive",
      ttlMs,
      reason: `editing (${harness} ${event.toolName ?? "tool"})`,
      liveness: "ttl",
      exact: true,
    });
    return quiet();
  } catch (err) {
    if (err instanceof ReservationConflictError) return deny(err.conflicts);
    throw err;
  }
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
  return `lokt: ${first.pattern} is reserved by another agent: ${
    describeConflict(first)
  }${more}. Do not edit it now: work on something else and retry after it expires or is released, or ask ${
    shown(first.reservation.owner)
  }; 'lokt status' lists reservations, 'lokt check ${first.pattern}' tells when it is free.`;
}

function deny(conflicts: Conflict[]): HookAnswer {
  return answer({
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: "deny",
      permissionDecisionReason: denialReason(conflicts),
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
