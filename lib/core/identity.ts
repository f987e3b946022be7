/**
 * Who acts: the one decision of the owner (and agent id) of a call, for every
 * entry point — the CLI and its fast path, the hooks, `lokt mcp` and the
 * library. In order:
 *
 * 1. an owner the caller names (the library's `owner` option), or
 *    `LOKT_OWNER`;
 * 2. a hook event's session: `<harness>-<12 alphanumerics of its id>` (model/identity_value.ts);
 * 3. the registered harness session nearest above this process (a session's
 *    hook recorded it against the harness process): the agent's shell calls,
 *    the git hooks they run and the MCP server the harness started act as
 *    that session;
 * 4. for `lokt mcp`, when none of these applies: one owner per server,
 *    `mcp-<random>` — never the shell that happened to start it;
 * 5. otherwise what the process's environment gives (`sys/identity.ts`): a
 *    harness's session variable, the terminal, or a guessed Unix session.
 *
 * @module
 */

import { LoktError, UsageError } from "../model/errors.ts";
import { harnessSessionOwner, identityValueProblem } from "../model/identity_value.ts";
import { randomId } from "../model/lock_record.ts";
import { lookupSession, sessionOfOwner } from "../store/file/session_registry.ts";
import { onThisMachine } from "../sys/pid_namespace.ts";
import type { Identity } from "../sys/identity.ts";
import {
  currentIdentity,
  derivedAgentId,
  explicitOwner,
  resolveIdentity,
} from "../sys/identity.ts";
import { ancestorChain } from "../sys/procfs.ts";

export type { Identity, OwnerKind } from "../sys/identity.ts";

/** A hook event's session. */
export interface HookSession {
  /** `claude` or `codex`. */
  harness: string;
  /** The event's `session_id`. */
  sessionId: string;
}

/** What the caller knows about who acts; everything else comes from the process. */
export interface ActingRequest {
  /** The lokt root (the registry of harness sessions lives under it). */
  root: string;
  /** An owner the caller names (the library's `owner` option). */
  owner?: string;
  /** The session of the hook event being answered. */
  hookSession?: HookSession;
  /** This process is a `lokt mcp` server: one owner of its own when nothing else applies. */
  mcpServer?: boolean;
  /**
   * Reads the environment; when given, the identity is resolved afresh
   * instead of the process's cached one. @default {the cached process identity}
   */
  env?: (key: string) => string | undefined;
}

/**
 * The identity a call acts as.
 *
 * @param request What the caller knows.
 * @returns The identity, with `ownerKind` saying which rule decided.
 * @throws {UsageError} When a given owner or an identity variable is malformed.
 * @throws {LoktError} When a hook event has no session id and `LOKT_OWNER` is not set.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { actingIdentity } from "./identity.ts";
 * const root = Deno.makeTempDirSync();
 * const env = (key: string) => (key === "LOKT_HOST" ? "box" : undefined);
 * const hook = actingIdentity({ root, env, hookSession: { harness: "claude", sessionId: "ab-12" } });
 * assert.equal(hook.owner, "claude-ab12");
 * assert.equal(hook.ownerKind, "hook-session");
 * const mcp = actingIdentity({ root, env, mcpServer: true });
 * assert.match(mcp.owner, /^mcp-[0-9a-f]{12}$/);
 * assert.equal(actingIdentity({ root, env, owner: "agent-1" }).ownerKind, "option");
 * ```
 */
export function actingIdentity(request: ActingRequest): Identity {
  const env = request.env;
  const base = env ? resolveIdentity(env) : currentIdentity();
  if (request.owner !== undefined) {
    const problem = identityValueProblem(request.owner, "owner");
    if (problem) throw new UsageError(problem);
    return withFields(base, {
      owner: request.owner,
      ownerKind: "option",
      ownerSource: "option",
      ownerGuessed: false,
      sessionProcess: null,
    });
  }
  if (request.hookSession) {
    // Asked of the variable, not of `base.ownerKind`: that would derive the default owner.
    const ownerSet = explicitOwner(env ?? ((key) => Deno.env.get(key))) !== null;
    return ownerSet ? base : hookIdentity(base, request.hookSession);
  }
  const session = lookupSession(request.root, () => ancestorChain());
  // A session's shell may carry its owner in LOKT_OWNER (Claude Code's env file):
  // the same owner, and its holds live with the same harness.
  if (base.ownerKind === "LOKT_OWNER") {
    return session?.owner === base.owner
      ? withFields(base, { sessionProcess: { pid: session.pid, start: session.pid_start } })
      : base;
  }
  if (session) {
    return withFields(
      named(base, session.owner, "registered-session", {
        source:
          `${session.harness} session ${session.session_id} (registered for pid ${session.pid})`,
        agentId: session.agent_id,
        agentSource: "the registered session",
      }),
      { sessionProcess: { pid: session.pid, start: session.pid_start } },
    );
  }
  // A sandbox's shell (its own PID namespace) cannot see its harness, but its
  // session variable named the owner: its holds live with that session's harness too.
  if (base.ownerKind === "harness-variable") {
    const entry = sessionOfOwner(request.root, base.owner);
    if (entry?.machine_id && onThisMachine(entry.machine_id, base.machineId)) {
      return withFields(base, {
        sessionProcess: { pid: entry.pid, start: entry.pid_start, machineId: entry.machine_id },
      });
    }
  }
  if (request.mcpServer) {
    return named(base, `mcp-${randomId().slice(0, 12)}`, "mcp-server", {
      source: "this MCP server (no LOKT_OWNER, no harness session above it)",
    });
  }
  return base;
}

/**
 * Whether an owner belongs to a harness session or was set outright, rather
 * than derived from a terminal or guessed: what `lokt mcp` keeps as its owner.
 *
 * @param identity An identity.
 * @returns `true` for `LOKT_OWNER`, an option, a hook or registered session, or a harness variable.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { actingIdentity, ownerIsSession } from "./identity.ts";
 * const env = (key: string) => (key === "LOKT_OWNER" ? "agent-1" : undefined);
 * assert(ownerIsSession(actingIdentity({ root: Deno.makeTempDirSync(), env })));
 * ```
 */
export function ownerIsSession(identity: Identity): boolean {
  return !["terminal", "unix-session", "parent-process"].includes(identity.ownerKind);
}

function hookIdentity(base: Identity, session: HookSession): Identity {
  const owner = harnessSessionOwner(session.harness, session.sessionId);
  if (!owner) throw new LoktError("the event has no session_id and LOKT_OWNER is not set");
  return named(base, owner, "hook-session", {
    source: `${session.harness} session ${session.sessionId}`,
  });
}

/** `base` acting as `owner`; the agent id follows the owner unless `LOKT_AGENT_ID` set it. */
function named(
  base: Identity,
  owner: string,
  kind: Identity["ownerKind"],
  how: { source: string; agentId?: string; agentSource?: string },
): Identity {
  const agentSet = base.agentSource === "LOKT_AGENT_ID";
  return withFields(base, {
    sessionProcess: null,
    owner,
    ownerKind: kind,
    ownerSource: how.source,
    ownerGuessed: false,
    agentId: agentSet ? base.agentId : how.agentId ?? derivedAgentId(owner),
    agentSource: agentSet ? base.agentSource : how.agentSource ?? "derived from owner",
  });
}

/**
 * `base` with `fields` in place of its own. Copied by property descriptors:
 * a spread would read every field the environment's identity reads only
 * when asked for (host, machine id, user, the default owner).
 */
function withFields(base: Identity, fields: Partial<Identity>): Identity {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(base)) as Identity;
  for (const [key, value] of Object.entries(fields)) {
    Object.defineProperty(copy, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
