/**
 * Opening the store of a call: the one place that knows which backends exist
 * (docs/contract.md §17) — the files under the lokt root, or a Redis server whose code is
 * loaded only when it is used. Everything above talks to the `LockStore` it
 * returns, whatever it is.
 *
 * @module
 */

import type { Backend } from "../../sys/backend.ts";
import { namespaceOf } from "../../sys/backend.ts";
import type { RootInfo } from "../../sys/root.ts";
import { FileStore } from "../file/file_store.ts";
import { auditMaxBytes } from "../layout.ts";
import type { LockStore } from "../lock_store.ts";
import { REDIS_TRAITS } from "../redis/redis_traits.ts";
import { type ClosableStore, DeferredStore } from "./deferred_store.ts";

/** How to open a store. */
export interface OpenStoreOptions {
  /** Called once if the file store creates the root directory itself. */
  onCreateRoot?: (root: string) => void;
}

/**
 * The store of a backend.
 *
 * @param backend The backend of the call.
 * @param info The resolved root (the file store's place; Redis's namespace from its repository).
 * @param options What to say when the root is created.
 * @returns The store; nothing is connected or created yet.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { openStore } from "./open_store.ts";
 * const root = Deno.makeTempDirSync();
 * const info = { root, source: "env", repo: null, gitCommonDir: null } as const;
 * const store = openStore({ kind: "file" }, info);
 * assert.equal(store.location, root);
 * assert.equal(store.traits.judgesProcesses, true);
 * ```
 */
export function openStore(
  backend: Backend,
  info: RootInfo,
  options: OpenStoreOptions = {},
): LockStore {
  if (backend.kind === "file") {
    return new FileStore(info.root, {
      auditMaxBytes: auditMaxBytes(),
      onCreateRoot: options.onCreateRoot,
    });
  }
  const namespace = namespaceOf(info);
  // The stream keeps about this many events (LOKT_AUDIT_MAX_EVENTS).
  const max = Number(Deno.env.get("LOKT_AUDIT_MAX_EVENTS"));
  const auditMaxLength = Number.isSafeInteger(max) && max > 0 ? max : undefined;
  // One connection per server and namespace for the whole process: a library
  // that acquires and releases in a loop would otherwise pay a connection (and
  // its clock reading) on every call. The store reconnects when it is closed.
  const key = JSON.stringify([backend, namespace, auditMaxLength ?? null]);
  let shared = redisStores.get(key);
  if (!shared) {
    shared = import("../redis/redis_store.ts").then(({ RedisStore }) => {
      const store = new RedisStore(backend, { namespace, auditMaxLength });
      madeStores.set(key, store);
      return store;
    });
    // A failed import is tried again by the next call.
    shared.catch(() => redisStores.delete(key));
    redisStores.set(key, shared);
  }
  const opened = shared;
  const where = `${backend.display} namespace ${namespace}`;
  // Made already: what it knows of its entries serves this context from its first call.
  return new DeferredStore(where, REDIS_TRAITS, () => opened, madeStores.get(key));
}

/** The Redis stores of this process, by server, namespace and audit bound. */
const redisStores = new Map<string, Promise<ClosableStore>>();
/** The same, once made. */
const madeStores = new Map<string, ClosableStore>();
