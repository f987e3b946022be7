/**
 * Telling that a file is absent without a thrown error.
 *
 * A `stat` or `open` of a missing file throws `Deno.errors.NotFound`, and
 * building that error costs a short-lived process far more than the call
 * itself: the first one ~0.3 ms, and the hook's edit of an unreserved file
 * spent ~0.8 ms on three of them (docs/performance.md). The listing of the
 * directory says the same without throwing. Where a file is often absent — a
 * lock nobody holds, no reservations yet, no `lokt.jsonc`, no `.git` in a
 * subdirectory — callers ask here first and only open what is listed.
 *
 * The answer is one-sided: `true` only when a listing showed the name
 * missing; `false` ("maybe there") when it is listed, when a directory cannot
 * be listed or is too large to list cheaply, or when a name could be spelled
 * otherwise on a case-insensitive file system. The caller then looks as it always did, so every decision
 * stays with its own `stat` or `open`.
 *
 * @module
 */

/** Options of {@linkcode listedAbsent}. */
export interface AbsenceOptions {
  /**
   * How many directories up may themselves be missing: 1 lists only the
   * file's directory; 2 lists its parent first, and a directory missing
   * there makes the file absent without listing more. @default {1}
   */
  levels?: number;
}

/**
 * The largest directory listed, by its size (`stat`): a few hundred entries
 * at most on ext4, tmpfs, btrfs or xfs. A larger one (a lock for every name
 * of a big swarm, a shared `LOKT_ROOT`, a big source directory) would cost
 * more to list than the thrown error saves: it is not listed.
 */
export const SMALL_DIRECTORY_BYTES = 8192;

/**
 * Whether a listing of its directory shows that `path` does not exist,
 * without a thrown `NotFound` (see the module documentation).
 *
 * @param path An absolute path.
 * @param options How far up to look.
 * @returns `true` when known to be absent; `false` when present or not known.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { listedAbsent } from "./absence.ts";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/here.json`, "{}");
 * assert.equal(listedAbsent(`${dir}/here.json`), false);
 * assert.equal(listedAbsent(`${dir}/gone.json`), true);
 * assert.equal(listedAbsent(`${dir}/HERE.JSON`), false); // another spelling may be the same file
 * assert.equal(listedAbsent(`${dir}/sub/x.json`, { levels: 2 }), true);
 * assert.equal(listedAbsent(`${dir}/sub/x.json`), false); // its directory cannot be listed
 * ```
 */
export function listedAbsent(path: string, options: AbsenceOptions = {}): boolean {
  const cut = path.lastIndexOf("/");
  if (cut < 0) return false;
  const dir = cut === 0 ? "/" : path.slice(0, cut);
  const name = path.slice(cut + 1);
  // Names lokt probes are ASCII; any other may be stored in another normal form.
  if (name === "" || name === "." || name === ".." || !/^[\x20-\x7e]+$/.test(name)) return false;
  const levels = options.levels ?? 1;
  if (levels > 1 && listedAbsent(dir, { levels: levels - 1 })) return true;
  try {
    if (Deno.statSync(dir).size > SMALL_DIRECTORY_BYTES) return false;
    const wanted = name.toLowerCase();
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.name.toLowerCase() === wanted) return false;
    }
    return true;
  } catch {
    return false;
  }
}
