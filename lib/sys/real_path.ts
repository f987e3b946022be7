/**
 * Where a path really leads: every symbolic link on the way followed, `..`
 * taken after the links before it (as the kernel does), also for a path
 * whose last parts do not exist yet (a file about to be written). A
 * reservation is judged on this path, so an edit through a link, a linked
 * directory or another spelling of the repository meets the reservation of
 * the file it really writes (docs/contract.md §15, §19).
 *
 * @module
 */

import { join, normalize } from "./path.ts";

/** How many links one resolution follows before it gives up (as the kernel's ELOOP). */
const MAX_LINKS = 40;

/** Why a path's real place could not be found. */
export class UnresolvablePathError extends Error {
  /**
   * Creates the error.
   *
   * @param path The path.
   * @param why Why it could not be resolved.
   * @param options The cause.
   */
  constructor(path: string, why: string, options?: ErrorOptions) {
    super(`cannot resolve ${JSON.stringify(path)}: ${why}`, options);
    this.name = "UnresolvablePathError";
  }
}

/**
 * The real absolute path an absolute path leads to. Parts that do not exist
 * yet are kept as written (with `.` and `..` among them taken lexically, as
 * creating them would).
 *
 * @param path An absolute path.
 * @returns The real path.
 * @throws {UnresolvablePathError} On a loop of links, or a part that cannot be read.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { realPathOf } from "./real_path.ts";
 * const dir = Deno.realPathSync(Deno.makeTempDirSync());
 * Deno.mkdirSync(`${dir}/src/auth`, { recursive: true });
 * Deno.symlinkSync(`${dir}/src/auth`, `${dir}/authlink`);
 * assert.equal(realPathOf(`${dir}/authlink/login.ts`), `${dir}/src/auth/login.ts`);
 * assert.equal(realPathOf(`${dir}/authlink/../x/new.ts`), `${dir}/src/x/new.ts`);
 * // A `..` after a link climbs from where the link leads, not from where it is.
 * Deno.mkdirSync(`${dir}/deep/a`, { recursive: true });
 * Deno.symlinkSync(`${dir}/deep/a`, `${dir}/src/b`);
 * assert.equal(realPathOf(`${dir}/src/b/../y.ts`), `${dir}/deep/y.ts`);
 * ```
 */
export function realPathOf(path: string): string {
  try {
    // The common case, one call: everything exists.
    return Deno.realPathSync(path);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) {
      throw new UnresolvablePathError(path, (err as Error).message, { cause: err });
    }
  }
  return walk(path, 0);
}

/** Resolves part by part from the root, following each link it meets. */
function walk(path: string, links: number): string {
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  let current = "/";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part === "..") {
      current = current === "/" ? "/" : current.slice(0, current.lastIndexOf("/")) || "/";
      continue;
    }
    const next = current === "/" ? `/${part}` : `${current}/${part}`;
    let info: Deno.FileInfo;
    try {
      info = Deno.lstatSync(next);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) {
        // Nothing below exists: the rest is where it will be created.
        return normalize(join(next, ...parts.slice(i + 1)));
      }
      throw new UnresolvablePathError(path, (err as Error).message, { cause: err });
    }
    if (info.isSymlink) {
      if (links >= MAX_LINKS) throw new UnresolvablePathError(path, "too many levels of links");
      let target: string;
      try {
        target = Deno.readLinkSync(next);
      } catch (err) {
        throw new UnresolvablePathError(path, (err as Error).message, { cause: err });
      }
      // Not joined lexically: a `..` after the link climbs from where the link leads.
      const base = target.startsWith("/") ? target : `${current}/${target}`;
      return walk([base, ...parts.slice(i + 1)].join("/"), links + 1);
    }
    current = next;
  }
  return current;
}
