/**
 * One session, one owner, with no setting (SPEC §4, §16): a lokt call without
 * `LOKT_OWNER` whose process ancestry reaches a live harness process
 * registered by a session's hook acts as that session's owner — the nearest
 * registered ancestor wins.
 *
 * @module
 */

import { lookupSession } from "../store/file/session_registry.ts";
import type { Identity } from "../sys/identity.ts";
import { ancestors } from "../sys/procfs.ts";

/**
 * The identity to act as: `identity` itself when its owner was set
 * explicitly (`LOKT_OWNER`), else the owner of the registered session above
 * this process, if any.
 *
 * @param identity The identity resolved from the environment.
 * @param root The lokt root (the registry lives under it).
 * @returns The identity to act as.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { withSession } from "./session_identity.ts";
 * import { currentIdentity } from "../sys/identity.ts";
 * const id = withSession(currentIdentity(), Deno.makeTempDirSync());
 * assert(id.owner === currentIdentity().owner);
 * ```
 */
export function withSession(identity: Identity, root: string): Identity {
  if (identity.ownerSource === "LOKT_OWNER") return identity;
  const session = lookupSession(root, () => ancestors());
  if (!session) return identity;
  const agentSet = identity.agentSource === "LOKT_AGENT_ID";
  return {
    ...identity,
    owner: session.owner,
    ownerSource:
      `${session.harness} session ${session.session_id} (registered for pid ${session.pid})`,
    ownerGuessed: false,
    agentId: agentSet ? identity.agentId : session.agent_id,
    agentSource: agentSet ? identity.agentSource : "the registered session",
  };
}
