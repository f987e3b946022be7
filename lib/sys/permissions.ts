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

/** What a command needs beyond read and env. */
export interface Needs {
  /** The lokt root it writes, or `null` for read-only commands. */
  writeRoot: string | null;
  /** The program guard runs, or `null`. */
  run: string | null;
}

/**
 * Throws a clear error unless read and env access are granted. Call before
 * anything reads a file or an environment variable.
 *
 * @throws {LoktError} Naming the missing flag.
 *
 * @example Usage
 * ```ts ignore
 * import { requireBasePermissions } from "./permissions.ts";
 * requireBasePermissions();
 * ```
 */
export function requireBasePermissions(): void {
  if (!granted({ name: "read" })) {
    missing("--allow-read", "to find the repository and read lock files");
  }
  if (!granted({ name: "env" })) {
    missing("--allow-env", "to read LOKT_* settings and the agent's identity");
  }
}

/**
 * Throws a clear error unless the command's write and run needs are granted.
 *
 * @param needs The root to write and the program to run.
 * @throws {LoktError} Naming the missing flag.
 *
 * @example Usage
 * ```ts ignore
 * import { requirePermissions } from "./permissions.ts";
 * requirePermissions({ writeRoot: "/repo/.git/lokt", run: null });
 * ```
 */
export function requirePermissions(needs: Needs): void {
  if (needs.writeRoot !== null && !granted({ name: "write", path: needs.writeRoot })) {
    missing(
      `--allow-write (or --allow-write=${needs.writeRoot})`,
      `to write lock files under ${needs.writeRoot}`,
    );
  }
  if (needs.run !== null && !granted({ name: "run", command: needs.run })) {
    missing(`--allow-run (or --allow-run=${needs.run})`, `to run ${needs.run}`);
  }
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
 * import { granted } from "./permissions.ts";
 * console.assert(typeof granted({ name: "read" }) === "boolean");
 * ```
 */
export function granted(descriptor: Deno.PermissionDescriptor): boolean {
  try {
    return Deno.permissions.querySync(descriptor).state === "granted";
  } catch {
    return false;
  }
}

function missing(flag: string, why: string): never {
  throw new LoktError(
    `Missing Deno permission ${flag} ${why}; run lokt with: deno run ${MINIMAL_FLAGS} …`,
  );
}
