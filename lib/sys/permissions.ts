/**
 * Checking Deno permissions before acting, so that a missing permission gives
 * a clear one-line error instead of a prompt or a stack trace.
 *
 * @module
 */

import { LoktError } from "../model/errors.ts";

/** The documented minimal permission flags. */
export const MINIMAL_FLAGS =
  "--allow-read --allow-write --allow-env --allow-run --allow-sys=hostname,uid";

/** What a command needs. */
export interface Needs {
  /** Read files and environment variables (every command). @default {true} */
  base?: boolean;
  /** The lokt root it writes, or `null` for read-only commands. */
  writeRoot: string | null;
  /** The program guard runs, or `null`. */
  run: string | null;
}

/**
 * The first permission a command lacks, as the message to show, or `null`
 * when everything it needs is granted. Never prompts.
 *
 * @param needs What the command needs.
 * @returns The message naming the missing flag, or `null`.
 *
 * @example Usage
 * ```ts
 * import { missingPermission } from "./permissions.ts";
 * const problem = missingPermission({ writeRoot: "/repo/.git/lokt", run: null });
 * if (problem) console.error(`error: ${problem}`);
 * ```
 */
export function missingPermission(needs: Needs): string | null {
  if (needs.base !== false) {
    if (!granted({ name: "read" })) {
      return missing("--allow-read", "to find the repository and read lock files");
    }
    if (!granted({ name: "env" })) {
      return missing("--allow-env", "to read LOKT_* settings and the agent's identity");
    }
  }
  if (needs.writeRoot !== null && !granted({ name: "write", path: needs.writeRoot })) {
    return missing(
      `--allow-write (or --allow-write=${needs.writeRoot})`,
      `to write lock files under ${needs.writeRoot}`,
    );
  }
  if (needs.run !== null && !granted({ name: "run", command: needs.run })) {
    return missing(`--allow-run (or --allow-run=${needs.run})`, `to run ${needs.run}`);
  }
  return null;
}

/**
 * Throws a clear error unless the command's needs are granted (see
 * {@linkcode missingPermission}).
 *
 * @param needs What the command needs.
 * @throws {LoktError} Naming the missing flag.
 *
 * @example Usage
 * ```ts
 * import { requirePermissions } from "./permissions.ts";
 * requirePermissions({ writeRoot: null, run: null }); // read and env only
 * ```
 */
export function requirePermissions(needs: Needs): void {
  const problem = missingPermission(needs);
  if (problem) throw new LoktError(problem);
}

/**
 * Whether a permission is granted, asked without ever prompting: calling an
 * API that lacks its permission would prompt on a terminal.
 *
 * @param descriptor The permission.
 * @returns `true` when granted.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { granted } from "./permissions.ts";
 * assert(typeof granted({ name: "read" }) === "boolean");
 * ```
 */
export function granted(descriptor: Deno.PermissionDescriptor): boolean {
  try {
    return Deno.permissions.querySync(descriptor).state === "granted";
  } catch {
    return false;
  }
}

function missing(flag: string, why: string): string {
  return `Missing Deno permission ${flag} ${why}; run lokt with: deno run ${MINIMAL_FLAGS} …`;
}
