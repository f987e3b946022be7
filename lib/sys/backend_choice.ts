/**
 * The backend a call uses: `LOKT_BACKEND`, else `backend` in `lokt.jsonc`,
 * else the file store (SPEC §17). One decision for the engine's context and
 * the CLI's fast path alike.
 *
 * @module
 */

import type { Backend } from "./backend.ts";
import { parseBackend } from "./backend.ts";
import { loadConfig } from "./config.ts";
import type { RootInfo } from "./root.ts";

/**
 * The backend of a call.
 *
 * @param info The resolved root.
 * @param cwd The directory `lokt.jsonc` is looked for from.
 * @param lenient A broken `lokt.jsonc` means the file store instead of an error (`doctor` reports it).
 * @returns The backend.
 * @throws {LoktError} When `lokt.jsonc` is broken (and not `lenient`), or a backend is malformed.
 *
 * @example Usage
 * ```ts
 * import { backendOf } from "./backend_choice.ts";
 * import { findRoot } from "./root.ts";
 * console.log(backendOf(findRoot(), Deno.cwd(), true).kind);
 * ```
 */
export function backendOf(info: RootInfo, cwd: string, lenient: boolean): Backend {
  const set = Deno.env.get("LOKT_BACKEND");
  if (set) return parseBackend(set);
  try {
    return parseBackend(loadConfig(info, cwd).backend ?? undefined);
  } catch (err) {
    if (lenient) return { kind: "file" };
    throw err;
  }
}
