/**
 * Builds the engine context for a command or a library call: root, store,
 * identity and clock.
 *
 * @module
 */

import type { EngineContext } from "./engine.ts";
import { auditMaxBytes } from "../store/file_primitives.ts";
import { FileStore } from "../store/file_store.ts";
import { currentIdentity, identityValueProblem } from "../sys/identity.ts";
import type { Identity } from "../sys/identity.ts";
import { findRoot } from "../sys/root.ts";
import type { RootInfo } from "../sys/root.ts";
import { UsageError } from "../model/errors.ts";

/** Where and as whom to operate; everything defaults to the current process. */
export interface ContextOptions {
  /** The lokt root directory. @default {found by `findRoot()`} */
  root?: string;
  /** The owner to act as. @default {the resolved identity's owner} */
  owner?: string;
  /** The directory to discover the root from. @default {Deno.cwd()} */
  cwd?: string;
}

/** An engine context plus how its root was found. */
export interface OpenedContext extends EngineContext {
  /** The resolved root. */
  rootInfo: RootInfo;
  /** The file store. */
  store: FileStore;
}

/**
 * Resolves root and identity and opens the file store (creating nothing).
 *
 * @param options Overrides of root, owner and cwd.
 * @returns The context.
 *
 * @example Usage
 * ```ts ignore
 * import { openContext } from "./context.ts";
 * const ctx = openContext({ root: "/tmp/lokt" });
 * ```
 */
export function openContext(options: ContextOptions = {}): OpenedContext {
  const rootInfo = options.root !== undefined
    ? findRoot({ cwd: options.cwd, envRoot: options.root })
    : findRoot({ cwd: options.cwd });
  let identity: Identity = currentIdentity();
  if (options.owner !== undefined) {
    const problem = identityValueProblem(options.owner, "owner");
    if (problem) throw new UsageError(problem);
    identity = { ...identity, owner: options.owner, ownerSource: "option" };
  }
  return {
    rootInfo,
    store: new FileStore(rootInfo.root, { auditMaxBytes: auditMaxBytes() }),
    identity,
    now: Date.now,
  };
}
