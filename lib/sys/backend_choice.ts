/**
 * The backend a call uses: `LOKT_BACKEND`, else `backend` in `lokt.jsonc`,
 * else the file store (docs/contract.md §17). One decision for the engine's context and
 * the CLI's fast path alike.
 *
 * @module
 */

import type { Backend } from "./backend.ts";
import { parseBackend } from "./backend.ts";
import type { Config } from "./config.ts";

/**
 * The backend of a call.
 *
 * @param config Reads `lokt.jsonc` (the caller reads it once and keeps it).
 * @param lenient A broken `lokt.jsonc` means the file store instead of an error (`doctor` reports it).
 * @returns The backend.
 * @throws {LoktError} When `lokt.jsonc` is broken (and not `lenient`), or a backend is malformed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { backendOf } from "./backend_choice.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * const broken = () => {
 *   throw new Error("Invalid config");
 * };
 * if (!Deno.env.get("LOKT_BACKEND")) {
 *   assert.equal(backendOf(() => DEFAULT_CONFIG, false).kind, "file");
 *   assert.equal(backendOf(broken, true).kind, "file");
 *   assert.throws(() => backendOf(broken, false));
 * }
 * ```
 */
export function backendOf(config: () => Config, lenient: boolean): Backend {
  const set = Deno.env.get("LOKT_BACKEND");
  if (set) return parseBackend(set);
  try {
    return parseBackend(config().backend ?? undefined);
  } catch (err) {
    if (lenient) return { kind: "file" };
    throw err;
  }
}
