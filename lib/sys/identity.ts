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
import { identityValueProblem } from "../model/identity_value.ts";
import { hostName, machineId, userName } from "./host.ts";
import type { DerivedOwnerKind } from "./owner_qualifier.ts";
import { sessionQualifier } from "./owner_qualifier.ts";
import { readProcStat } from "./procfs.ts";

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
  | DerivedOwnerKind;

/** The harness process of an agent session, as a hold is tied to it. */
export interface SessionProcess {
  /** The harness's PID. */
  pid: number;
  /** Its start marker. */
  start: string;
  /** The machine id (with PID namespace) `pid` is numbered in, when not this process's. */
  machineId?: string;
}

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
   * `null` for any other owner. `machineId` when the harness is numbered in
   * another PID namespace than this process (a sandbox's shell).
   */
  sessionProcess?: SessionProcess | null;
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
 * Its fields are read from the system when first asked for: copy it with
 * property descriptors, not a spread, to keep them so.
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
  // Malformed variables fail now; what comes from the system is read when first
  // asked for (a hook acting as its harness session needs none of it). LOKT_HOST
  // and LOKT_MACHINE_ID: containers sharing one host name, tests simulating machines.
  const hostVar = checkedVar(env, "LOKT_HOST");
  const machineVar = checkedVar(env, "LOKT_MACHINE_ID");
  const explicit = explicitOwner(env);
  const agentVar = checkedVar(env, "LOKT_AGENT_ID");
  const self = lazy(safeStat);
  const host = lazy(() => hostVar ?? hostName());
  const user = lazy(() => userName(env));
  const qualified = lazy((): { owner: string; kind: OwnerKind; source: string } => {
    if (explicit) return { owner: explicit, kind: "LOKT_OWNER", source: "LOKT_OWNER" };
    const qualifier = sessionQualifier(env, self()?.ttyNr ?? 0, self()?.session ?? 0);
    const owner = qualifier.owner ?? `${user()}@${host()}:${qualifier.tag}`;
    return { owner, kind: qualifier.kind, source: qualifier.source };
  });
  const agentId = lazy(() => agentVar ?? derivedAgentId(qualified().owner));
  const machine = lazy(() => machineVar ?? machineId());
  return {
    get owner() {
      return qualified().owner;
    },
    get ownerKind() {
      return qualified().kind;
    },
    get ownerSource() {
      return qualified().source;
    },
    get ownerGuessed() {
      return ["unix-session", "parent-process"].includes(qualified().kind);
    },
    get agentId() {
      return agentId();
    },
    agentSource: agentVar ? "LOKT_AGENT_ID" : "derived from owner",
    get user() {
      return user();
    },
    get host() {
      return host();
    },
    get machineId() {
      return machine();
    },
    pid: Deno.pid,
    get pidStart() {
      return self()?.startTime ?? null;
    },
  };
}

/**
 * The owner `LOKT_OWNER` names, or `null` when it is unset or empty.
 *
 * @param env Reads one environment variable.
 * @returns The owner, or `null`.
 * @throws {UsageError} When `LOKT_OWNER` is malformed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { explicitOwner } from "./identity.ts";
 * assert.equal(explicitOwner((k) => (k === "LOKT_OWNER" ? "agent-1" : undefined)), "agent-1");
 * assert.equal(explicitOwner(() => ""), null);
 * ```
 */
export function explicitOwner(env: (key: string) => string | undefined): string | null {
  return checkedVar(env, "LOKT_OWNER");
}

/** `read`, called at most once. */
function lazy<T>(read: () => T): () => T {
  let value: { read: T } | undefined;
  return () => (value ??= { read: read() }).read;
}

function checkedVar(env: (key: string) => string | undefined, key: string): string | null {
  const value = env(key);
  if (value === undefined || value === "") return null;
  const problem = identityValueProblem(value, key);
  if (problem) throw new UsageError(problem);
  return value;
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
