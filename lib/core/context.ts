/**
 * What the engine needs to act — where state lives, who acts, the clock —
 * and how a command or a library call opens it.
 *
 * @module
 */

import { openStore } from "../store/open/open_store.ts";
import { backendOf } from "../sys/backend_choice.ts";
import type { Config } from "../sys/config.ts";
import { loadConfig } from "../sys/config.ts";
import { lenientConfig } from "../sys/config_lenient.ts";
import type { LockStore } from "../store/lock_store.ts";
import type { ActingRequest, Identity } from "./identity.ts";
import { actingIdentity } from "./identity.ts";
import { requirePermissions } from "../sys/permissions.ts";
import { findRoot } from "../sys/root.ts";
import type { RootInfo } from "../sys/root.ts";

/** What the engine needs: where state lives, who acts, and the clock. */
export interface EngineContext {
  /** The storage backend. */
  store: LockStore;
  /** The acting identity. */
  identity: Identity;
  /** The clock (ms since epoch). */
  now: () => number;
}

/** Where and as whom to operate; everything defaults to the current process. */
export interface ContextOptions {
  /** The lokt root directory. @default {found by `findRoot()`} */
  root?: string;
  /** The owner to act as. @default {the resolved identity's owner} */
  owner?: string;
  /** The directory to discover the root (and `lokt.jsonc`) from. @default {Deno.cwd()} */
  cwd?: string;
}

/** An engine context plus how its root was found. */
export interface OpenedContext extends EngineContext {
  /** The resolved root. */
  rootInfo: RootInfo;
  /** The directory the root was discovered from. */
  cwd: string;
  /** The store: the file store under the root, or a Redis server (docs/contract.md §17). */
  store: LockStore;
  /**
   * `lokt.jsonc` (or the built-in defaults), read once, on first use, for the
   * whole call. Throws `LoktError` when the file is broken and the call
   * takes something (or the file may name the backend).
   */
  readonly config: Config;
}

/**
 * Resolves root and identity and opens the file store (creating nothing).
 * With `write`, first checks that Deno lets it write the root, so a missing
 * permission is a clear error instead of a prompt.
 *
 * @param options Overrides of root, owner and cwd; `write` for commands that write.
 * @returns The context.
 * @throws {UsageError} When `owner` or an identity variable is malformed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { openContext } from "./context.ts";
 * const ctx = openContext({ root: "/tmp/lokt-context-example", owner: "agent-1" });
 * assert(ctx.identity.owner === "agent-1" && ctx.store.location.endsWith("example"));
 * ```
 */
export function openContext(
  options: ContextOptions & {
    write?: boolean;
    /**
     * The call takes something (`lock`, `guard`, `reserve`, `freeze`): a
     * broken `lokt.jsonc` refuses it. Other calls give back or look, and go
     * on with the defaults and a warning (`lenientConfig`). @default {false}
     */
    takes?: boolean;
    /** What an entry point knows of who acts (a hook's session, a `lokt mcp` server). */
    acting?: Omit<ActingRequest, "root" | "owner">;
  } = {},
): OpenedContext {
  const cwd = options.cwd ?? Deno.cwd();
  const rootInfo = options.root !== undefined
    ? findRoot({ cwd, envRoot: options.root })
    : findRoot({ cwd });
  // Read and env were needed (and checked) to get this far.
  if (options.write) requirePermissions({ base: false, writeRoot: rootInfo.root, run: null });
  const identity: Identity = actingIdentity({
    ...options.acting,
    root: rootInfo.root,
    owner: options.owner,
  });
  // Read at most once per call: the backend may need it, then the policies.
  let config: Config | undefined;
  const readConfig = () =>
    config ??= options.takes
      ? loadConfig(rootInfo, cwd)
      : lenientConfig(rootInfo, cwd, (warning) => console.error(`warning: ${warning}`));
  const backend = backendOf(readConfig, false);
  const store = openStore(backend, rootInfo, {
    // Outside any repository and below no .lokt, a new namespace starts here: say so.
    onCreateRoot: rootInfo.source === "cwd"
      ? (root) =>
        console.error(
          `note: created ${root} (not in a git repository, no .lokt above): lokt calls from ${cwd} and below share it`,
        )
      : undefined,
  });
  return {
    rootInfo,
    cwd,
    store,
    identity,
    get config() {
      return readConfig();
    },
    // On a shared server its clock judges expiry, not this machine's.
    now: () => store.now(),
  };
}
