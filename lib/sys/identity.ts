/**
 * The identity this process's environment gives: owner, agent id, host,
 * machine id and process. `core/identity.ts` is the one place that decides
 * who acts; it starts from this and adds what only the lokt root knows (a
 * registered harness session above the process) and what the caller knows (a
 * hook event's session, an `owner` option, a `lokt mcp` server).
 *
 * The default owner must tell two terminals or two agents of one Unix user
 * apart [W2], so it is `user@host` qualified by an agent session variable,
 * the controlling terminal, or the session id, in that order.
 *
 * @module
 */

import { UsageError } from "../model/errors.ts";
import {
  HARNESS_SESSION_VARIABLES,
  harnessSessionOwner,
  identityValueProblem,
} from "../model/identity_value.ts";
import { hostName, machineId, userName } from "./host.ts";
import { readProcStat } from "./procfs.ts";

/** Agent-harness variables that identify one agent session, checked in order. */
export const SESSION_VARIABLES: readonly string[] = [
  "CLAUDE_SESSION_ID",
  "CODEX_SESSION_ID",
  "GEMINI_SESSION_ID",
  "AIDER_SESSION_ID",
  "CURSOR_SESSION_ID",
  "TERM_SESSION_ID",
];

/** Terminal variables that tell terminals apart when /proc cannot be read. */
export const TERMINAL_VARIABLES: readonly string[] = [
  "TMUX_PANE",
  "STY",
  "ITERM_SESSION_ID",
  "WT_SESSION",
  "KITTY_WINDOW_ID",
  "WINDOWID",
  "SSH_TTY",
];

/**
 * Where an owner came from, as a type (the text of {@linkcode Identity.ownerSource}
 * is for people): set outright (`LOKT_OWNER`, a caller's `owner` option, a
 * hook event's session, a registered harness session above the process, the
 * one owner of a `lokt mcp` server), or derived from the process (a harness's
 * session variable, the terminal, or — guessed — the Unix session or the
 * parent process).
 */
export type OwnerKind =
  | "LOKT_OWNER"
  | "option"
  | "hook-session"
  | "registered-session"
  | "mcp-server"
  | "harness-variable"
  | "terminal"
  | "unix-session"
  | "parent-process";

/** The acting identity. */
export interface Identity {
  /** Who owns locks taken by this process. */
  owner: string;
  /** Where `owner` came from, as a type. */
  ownerKind: OwnerKind;
  /** Where `owner` came from, in words, e.g. `LOKT_OWNER` or `terminal /dev/pts/3`. */
  ownerSource: string;
  /**
   * The owner had to be guessed from the process session or the parent
   * process (no `LOKT_OWNER`, no agent-session variable, no terminal): the
   * next shell an agent harness starts will be another owner.
   */
  ownerGuessed: boolean;
  /** A stable id of the agent; derived from the owner unless `LOKT_AGENT_ID` is set. */
  agentId: string;
  /** Where `agentId` came from. */
  agentSource: string;
  /** The Unix user name. */
  user: string;
  /** The host name. */
  host: string;
  /** Machine id plus PID namespace: PIDs are comparable only when equal. */
  machineId: string;
  /** This process's PID. */
  pid: number;
  /** This process's start marker (`/proc` start time), or `null` if unknown. */
  pidStart: string | null;
  /**
   * The harness process of the registered session this call acts for
   * (`core/identity.ts`): an owner's holds and reservations without a
   * `--pid` of their own live with it, so a crashed harness strands nothing.
   * `null` for any other owner.
   */
  sessionProcess?: { pid: number; start: string } | null;
}

let cached: Identity | undefined;

/**
 * Resolves the identity of the current process (cached for the process).
 *
 * @returns The identity.
 * @throws {UsageError} When `LOKT_OWNER` or `LOKT_AGENT_ID` is malformed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { currentIdentity } from "./identity.ts";
 * assert.equal(currentIdentity(), currentIdentity());
 * assert.equal(currentIdentity().pid, Deno.pid);
 * ```
 */
export function currentIdentity(): Identity {
  cached ??= resolveIdentity();
  return cached;
}

/**
 * Resolves an identity from environment variables and the process table.
 *
 * @param env Reads one environment variable. @default {Deno.env.get}
 * @returns The identity.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { resolveIdentity } from "./identity.ts";
 * const id = resolveIdentity((k) => (k === "LOKT_OWNER" ? "agent-1" : undefined));
 * assert.equal(id.owner, "agent-1");
 * assert.equal(id.ownerKind, "LOKT_OWNER");
 * ```
 */
export function resolveIdentity(
  env: (key: string) => string | undefined = (key) => Deno.env.get(key),
): Identity {
  const self = safeStat();
  // Containers sharing one host name, and tests simulating machines, set these.
  const host = checkedVar(env, "LOKT_HOST") ?? hostName();
  const explicit = checkedVar(env, "LOKT_OWNER");
  // The user name costs file reads and is needed only for the default owner and whoami.
  let user: string | undefined;
  const userOnce = () => (user ??= userName(env));
  let owner: string;
  let ownerKind: OwnerKind;
  let ownerSource: string;
  if (explicit) {
    owner = explicit;
    ownerKind = "LOKT_OWNER";
    ownerSource = "LOKT_OWNER";
  } else {
    const qualifier = sessionQualifier(env, self?.ttyNr ?? 0, self?.session ?? 0);
    owner = qualifier.owner ?? `${userOnce()}@${host}:${qualifier.tag}`;
    ownerKind = qualifier.kind;
    ownerSource = qualifier.source;
  }
  const agentVar = checkedVar(env, "LOKT_AGENT_ID");
  return {
    owner,
    ownerKind,
    ownerSource,
    ownerGuessed: ownerKind === "unix-session" || ownerKind === "parent-process",
    agentId: agentVar ?? derivedAgentId(owner),
    agentSource: agentVar ? "LOKT_AGENT_ID" : "derived from owner",
    get user() {
      return userOnce();
    },
    host,
    machineId: checkedVar(env, "LOKT_MACHINE_ID") ?? machineId(),
    pid: Deno.pid,
    pidStart: self?.startTime ?? null,
  };
}

function checkedVar(env: (key: string) => string | undefined, key: string): string | null {
  const value = env(key);
  if (value === undefined || value === "") return null;
  const problem = identityValueProblem(value, key);
  if (problem) throw new UsageError(problem);
  return value;
}

function sessionQualifier(
  env: (key: string) => string | undefined,
  ttyNr: number,
  session: number,
): { tag: string; source: string; kind: OwnerKind; owner?: string } {
  for (const key of SESSION_VARIABLES) {
    const value = env(key);
    if (value && identityValueProblem(value, key) === null) {
      // Claude Code's and Codex's sessions: exactly the owner their hooks use.
      const harness = HARNESS_SESSION_VARIABLES[key];
      const owner = harness ? harnessSessionOwner(harness, value) : null;
      if (owner) return { tag: owner, owner, source: key, kind: "harness-variable" };
      return {
        tag: `${key.split("_")[0]?.toLowerCase()}-${value.slice(0, 16)}`,
        source: key,
        kind: "harness-variable",
      };
    }
  }
  if (ttyNr !== 0) {
    const tty = terminalPath();
    if (tty) {
      return { tag: tty.replace(/^\/dev\//, ""), source: `terminal ${tty}`, kind: "terminal" };
    }
    return { tag: `tty${ttyNr}`, source: `terminal device ${ttyNr}`, kind: "terminal" };
  }
  if (session > 0) {
    return { tag: `sid${session}`, source: `process session ${session}`, kind: "unix-session" };
  }
  // No /proc (macOS, or Deno permissions short of --allow-all): terminal
  // variables, then the parent process (the shell lokt was started from).
  for (const key of TERMINAL_VARIABLES) {
    const value = env(key);
    if (value && identityValueProblem(value, key) === null) {
      return {
        tag: `${key.toLowerCase()}-${value.replace(/[^A-Za-z0-9._-]/g, "").slice(0, 16)}`,
        source: key,
        kind: "terminal",
      };
    }
  }
  return {
    tag: `ppid${Deno.ppid}`,
    source: `parent process ${Deno.ppid} (set LOKT_OWNER for a stable owner)`,
    kind: "parent-process",
  };
}

function terminalPath(): string | null {
  for (const fd of [0, 1, 2]) {
    try {
      const target = Deno.readLinkSync(`/proc/self/fd/${fd}`);
      if (/^\/dev\/(pts\/\d+|tty\w*)$/.test(target)) return target;
    } catch {
      // Not a link or no /proc: try the next descriptor.
    }
  }
  return null;
}

function safeStat() {
  try {
    return readProcStat("self");
  } catch {
    return null;
  }
}

/**
 * 32-bit FNV-1a hash as 8 hex digits: a short, stable fingerprint.
 *
 * @param text The text to hash.
 * @returns 8 lowercase hex digits.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { fnv1a } from "./identity.ts";
 * assert(fnv1a("a") === fnv1a("a") && fnv1a("a").length === 8);
 * ```
 */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/**
 * The warning `lock` prints when its owner was guessed (§4), or `null`.
 *
 * @param identity The acting identity.
 * @returns One line for stderr, or `null` when the owner is stable.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { guessedOwnerWarning, resolveIdentity } from "./identity.ts";
 * const id = resolveIdentity((key) => (key === "LOKT_OWNER" ? "agent-1" : undefined));
 * assert(guessedOwnerWarning(id) === null);
 * ```
 */
export function guessedOwnerWarning(identity: Identity): string | null {
  if (!identity.ownerGuessed) return null;
  return `the owner ${identity.owner} was guessed from this process's ${identity.ownerSource}; a command run from another shell session will be another owner and cannot unlock it: set LOKT_OWNER (one name per agent, e.g. 'export LOKT_OWNER=agent-1') to keep one identity`;
}

/**
 * The agent id derived from an owner (when `LOKT_AGENT_ID` is not set):
 * stable across invocations of the same agent [W16].
 *
 * @param owner The owner.
 * @returns `agent-<hash>`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { derivedAgentId } from "./identity.ts";
 * assert(derivedAgentId("agent-1") === derivedAgentId("agent-1"));
 * ```
 */
export function derivedAgentId(owner: string): string {
  return `agent-${fnv1a(owner)}`;
}
