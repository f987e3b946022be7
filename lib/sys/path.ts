/**
 * Minimal POSIX path helpers, kept in one module so that `@std/path` can
 * replace them without touching callers; importing `@std/path` (or `node:path`)
 * would cost start-up time on every invocation.
 *
 * @module
 */

/**
 * Whether a path is absolute.
 *
 * @param path The path.
 * @returns `true` when it starts with `/`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { isAbsolute } from "./path.ts";
 * assert(isAbsolute("/tmp"));
 * ```
 */
export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

/**
 * Normalizes a path: collapses `//`, resolves `.` and `..` segments.
 *
 * @param path The path.
 * @returns The normalized path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { normalize } from "./path.ts";
 * assert(normalize("/a/b/../c/./d") === "/a/c/d");
 * ```
 */
export function normalize(path: string): string {
  const absolute = isAbsolute(path);
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
      continue;
    }
    out.push(part);
  }
  const joined = out.join("/");
  return absolute ? `/${joined}` : joined || ".";
}

/**
 * Joins path segments and normalizes the result.
 *
 * @param parts The segments.
 * @returns The joined path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { join } from "./path.ts";
 * assert(join("/a", "b", "c.json") === "/a/b/c.json");
 * ```
 */
export function join(...parts: string[]): string {
  return normalize(parts.filter((p) => p !== "").join("/"));
}

/**
 * Resolves a path against a base directory (the cwd by default).
 *
 * @param base The absolute base directory.
 * @param path The path to resolve.
 * @returns The absolute, normalized path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { resolve } from "./path.ts";
 * assert(resolve("/repo", "../x") === "/x");
 * ```
 */
export function resolve(base: string, path: string): string {
  return isAbsolute(path) ? normalize(path) : join(base, path);
}

/**
 * The directory part of a path.
 *
 * @param path The path.
 * @returns Its parent directory (`/` for `/`).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { dirname } from "./path.ts";
 * assert(dirname("/a/b/c") === "/a/b");
 * ```
 */
export function dirname(path: string): string {
  const normal = normalize(path);
  const index = normal.lastIndexOf("/");
  if (index < 0) return ".";
  if (index === 0) return "/";
  return normal.slice(0, index);
}

/**
 * Whether a path is an existing regular file (following symbolic links).
 *
 * @param path The path.
 * @returns `true` for a file; `false` for a directory, anything else, or nothing there.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { isFile } from "./path.ts";
 * assert(!isFile(Deno.cwd()));
 * ```
 */
export function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * Whether a path is an existing directory (following symbolic links).
 *
 * @param path The path.
 * @returns `true` for a directory; `false` for anything else, or nothing there.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { isDirectory } from "./path.ts";
 * assert(isDirectory(Deno.cwd()) && !isDirectory(`${Deno.cwd()}/no such entry`));
 * ```
 */
export function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Whether anything has that name: a file, a directory, or a link (followed
 * or not: a dangling link is there too).
 *
 * @param path The path.
 * @returns `true` when an entry of that name exists.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { isPresent } from "./path.ts";
 * assert(isPresent(Deno.cwd()) && !isPresent(`${Deno.cwd()}/no such entry`));
 * ```
 */
export function isPresent(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The nearest existing directory at or above a path: the path itself when it
 * is one, else its parent, and so on (a file about to be created, a root not
 * made yet).
 *
 * @param path An absolute path.
 * @returns The directory, or `null` when not even `/` can be read.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { nearestExistingDir } from "./path.ts";
 * const dir = Deno.realPathSync(Deno.makeTempDirSync());
 * assert.equal(nearestExistingDir(`${dir}/not/yet/there.ts`), dir);
 * ```
 */
export function nearestExistingDir(path: string): string | null {
  let dir = path;
  for (;;) {
    try {
      if (Deno.statSync(dir).isDirectory) return dir;
    } catch {
      // Not there (yet): look higher.
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
