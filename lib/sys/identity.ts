/**
 * Who is acting: owner, agent id, host, machine id and process (SPEC §4).
 *
 * The default owner must tell two terminals or two agents of one Unix user
 * apart [W2], so it is `user@host` qualified by an agent session variable,
 * the controlling terminal, or the session id, in that order.
 *
 * @module
 */

import { UsageError } from "../model/errors.ts";
import { identityValueProblem } from "../model/identity_value.ts";
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

/** The acting identity. */
export interface Identity {
  /** Who owns locks taken by this process. */
  owner: string;
  /** Where `owner` came from, e.g. `LOKT_OWNER` or `terminal /dev/pts/3`. */
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
}

let cached: Identity | undefined;

/**
 * Resolves the identity of the current process (cached for the process).
 *
 * @returns The identity.
 * @throws {UsageError} When `LOKT_OWNER` or `LOKT_AGENT_ID` is malformed.
 *
 * @example Usage
 * ```ts ignore
 * import { currentIdentity } from "./identity.ts";
 * console.log(currentIdentity().owner);
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
 * ```ts ignore
 * import { resolveIdentity } from "./identity.ts";
 * const id = resolveIdentity((k) => (k === "LOKT_OWNER" ? "agent-1" : undefined));
 * console.assert(id.owner === "agent-1");
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
  let ownerSource: string;
  let ownerGuessed = false;
  if (explicit) {
    owner = explicit;
    ownerSource = "LOKT_OWNER";
  } else {
    const qualifier = sessionQualifier(env, self?.ttyNr ?? 0, self?.session ?? 0);
    owner = `${userOnce()}@${host}:${qualifier.tag}`;
    ownerSource = qualifier.source;
    ownerGuessed = qualifier.guessed;
  }
  const agentVar = checkedVar(env, "LOKT_AGENT_ID");
  return {
    owner,
    ownerSource,
    ownerGuessed,
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
): { tag: string; source: string; guessed: boolean } {
  for (const key of SESSION_VARIABLES) {
    const value = env(key);
    if (value && identityValueProblem(value, key) === null) {
      return {
        tag: `${key.split("_")[0]?.toLowerCase()}-${value.slice(0, 16)}`,
        source: key,
        guessed: false,
      };
    }
  }
  if (ttyNr !== 0) {
    const tty = terminalPath();
    if (tty) return { tag: tty.replace(/^\/dev\//, ""), source: `terminal ${tty}`, guessed: false };
    return { tag: `tty${ttyNr}`, source: `terminal device ${ttyNr}`, guessed: false };
  }
  if (session > 0) {
    return { tag: `sid${session}`, source: `process session ${session}`, guessed: true };
  }
  // No /proc (macOS, or Deno permissions short of --allow-all): terminal
  // variables, then the parent process (the shell lokt was started from).
  for (const key of TERMINAL_VARIABLES) {
    const value = env(key);
    if (value && identityValueProblem(value, key) === null) {
      return {
        tag: `${key.toLowerCase()}-${value.replace(/[^A-Za-z0-9._-]/g, "").slice(0, 16)}`,
        source: key,
        guessed: false,
      };
    }
  }
  return {
    tag: `ppid${Deno.ppid}`,
    source: `parent process ${Deno.ppid} (set LOKT_OWNER for a stable owner)`,
    guessed: true,
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
