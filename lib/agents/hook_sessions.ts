/**
 * A harness session's start and end, as lokt's hook answers them: at the
 * start, the primer for the model (and, for Claude Code, the session's owner
 * exported to its shell); at the end, every hold and reservation of the
 * session given back. The entry of its own bundle
 * (`gen/sessions.generated.js`): once a session, so a tool call's hook does
 * not load it (`session_loader.ts`).
 *
 * @module
 */

import type { OpenedContext } from "../core/context.ts";
import { releaseAllOf } from "../core/owners/release_owner.ts";
import { releaseReservations } from "../core/reservations/reservation_writes.ts";
import { unregisterSession } from "../store/file/session_registry.ts";
import { answer, type HookAnswer, quiet } from "./hook_answers.ts";
import type { HookEvent } from "./hook_event.ts";
import { buildPrimer, primerText } from "./primer.ts";

/**
 * SessionStart: the primer, and the owner exported to Claude Code's shell.
 *
 * @param ctx The session's context (its identity is the session's).
 * @param env The environment (`CLAUDE_ENV_FILE`).
 * @returns The answer.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { openContext } from "../core/context.ts";
 * import { startSession } from "./hook_sessions.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync(), owner: "agent-1" });
 * const answer = await startSession(ctx, () => undefined);
 * const output = JSON.parse(answer.stdout).hookSpecificOutput;
 * assert.equal(output.hookEventName, "SessionStart");
 * assert(output.additionalContext.includes("lokt"));
 * ```
 */
export async function startSession(
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
 * SessionEnd: every reservation, lock and slot the session's owner holds,
 * given back, and the session unregistered.
 *
 * @param ctx The session's context.
 * @param event The event (its session id).
 * @param harness The harness process, if found.
 * @returns The answer (nothing).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { openContext } from "../core/context.ts";
 * import { endSession } from "./hook_sessions.ts";
 * const ctx = openContext({ root: Deno.makeTempDirSync(), owner: "agent-1", write: true });
 * const event = { sessionId: "s", cwd: "/", name: "SessionEnd", toolName: null, toolInput: {} };
 * assert.deepEqual(await endSession(ctx, event, null), { stdout: "", stderr: "", exitCode: 0 });
 * ```
 */
export async function endSession(
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

function shellQuote(value: string): string {
  return /^[A-Za-z0-9._@:+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'"'"'`)}'`;
}
