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
 * import assert from "node:assert";
 * import { DEFAULT_LOCK_TTL_MS } from "./defaults.ts";
 * assert(DEFAULT_LOCK_TTL_MS === 1_800_000);
 * ```
 */
export const DEFAULT_LOCK_TTL_MS: number = 30 * 60_000;

/**
 * How long `--wait` waits without `--timeout` (10 minutes).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { DEFAULT_WAIT_TIMEOUT_MS } from "./defaults.ts";
 * assert(DEFAULT_WAIT_TIMEOUT_MS === 600_000);
 * ```
 */
export const DEFAULT_WAIT_TIMEOUT_MS: number = 10 * 60_000;

/**
 * Clock-skew tolerance when judging expiry (docs/contract.md §5, at most 10 s).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { SKEW_MS } from "./defaults.ts";
 * const expired = (expiresAt: number, now: number) => now > expiresAt + SKEW_MS;
 * assert(!expired(1_000, 1_500));
 * ```
 */
export const SKEW_MS = 1000;

/**
 * How old a corrupt record (or queue ticket) must be before it may be replaced
 * or ignored: it may be mid-write by a foreign tool (docs/contract.md §13, at most 10 s).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { CORRUPT_GRACE_MS } from "./defaults.ts";
 * const replaceable = (mtimeMs: number, now: number) => now >= mtimeMs + CORRUPT_GRACE_MS;
 * assert(replaceable(0, 5_000));
 * ```
 */
export const CORRUPT_GRACE_MS = 5000;

/**
 * How often a compare-and-swap is retried when the record changed under it,
 * before giving up with a `ContentionError`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { MAX_CAS_ROUNDS } from "./defaults.ts";
 * let attempts = 0;
 * const compareAndSwap = () => ++attempts === 3; // fails twice, as if raced
 * for (let round = 0; round < MAX_CAS_ROUNDS; round++) if (compareAndSwap()) break;
 * assert(attempts === 3);
 * ```
 */
export const MAX_CAS_ROUNDS = 100;
