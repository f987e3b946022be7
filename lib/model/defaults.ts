/**
 * The built-in defaults that hold while `lokt.jsonc` says nothing else.
 *
 * @module
 */

/**
 * TTL of `lokt lock` without `--ttl` (30 minutes).
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_LOCK_TTL_MS } from "./defaults.ts";
 * console.assert(DEFAULT_LOCK_TTL_MS === 1_800_000);
 * ```
 */
export const DEFAULT_LOCK_TTL_MS: number = 30 * 60_000;

/**
 * How long `--wait` waits without `--timeout` (10 minutes).
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_WAIT_TIMEOUT_MS } from "./defaults.ts";
 * console.assert(DEFAULT_WAIT_TIMEOUT_MS === 600_000);
 * ```
 */
export const DEFAULT_WAIT_TIMEOUT_MS: number = 10 * 60_000;
