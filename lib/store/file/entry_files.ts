/**
 * Finding a name's entry file and listing the names with one: names are lower
 * case, but an earlier lokt may have kept a name's case (`Build.json`), which
 * is honoured as the same lock, never beside it a second holder.
 *
 * @module
 */

import { toLoktError } from "../../model/errors.ts";
import { isValidName } from "../../model/name.ts";
import { listedAbsent } from "../../sys/absence.ts";
import { ENTRY_DIRS, ENTRY_MAX_BYTES, entryPath } from "../layout.ts";
import type { Entry, EntryKind } from "../lock_store.ts";
import { readEntry } from "./file_primitives.ts";

/**
 * Where an entry's absence shows in a listing, without the thrown NotFound of
 * reading it ({@linkcode listedAbsent}): a lock's directory exists once any
 * lock was taken, and a name is often free; freezes are rare, and so is their
 * directory; the reservations' directory exists once something was reserved,
 * and then holds the index.
 */
const LISTED_ABSENT: Record<EntryKind, (path: string) => boolean> = {
  lock: (path) => listedAbsent(path),
  freeze: (path) => listedAbsent(path, { levels: 2 }),
  reservations: (path) => listedAbsent(path.slice(0, path.lastIndexOf("/"))),
};

/**
 * The file of a name's entry and what it holds: `<name>.json`, or, when only
 * an earlier lokt's mixed-case file exists, that file.
 *
 * @param root The lokt root.
 * @param kind The kind of entry.
 * @param name The name (lower case).
 * @returns The path to write and the entry there, or `null` when none.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { resolveEntry } from "./entry_files.ts";
 * const root = Deno.makeTempDirSync();
 * Deno.mkdirSync(`${root}/locks`);
 * Deno.writeTextFileSync(`${root}/locks/Build.json`, "{}");
 * assert(resolveEntry(root, "lock", "build").path.endsWith("/Build.json"));
 * ```
 */
export function resolveEntry(
  root: string,
  kind: EntryKind,
  name: string,
): { path: string; current: Entry | null } {
  const path = entryPath(root, kind, name);
  // Listed absent under any case: no other spelling of it either.
  if (LISTED_ABSENT[kind](path)) return { path, current: null };
  const current = readEntry(path, ENTRY_MAX_BYTES[kind]);
  if (current !== null || kind === "reservations") return { path, current };
  const wanted = `${name}.json`;
  try {
    for (const item of Deno.readDirSync(`${root}/${ENTRY_DIRS[kind]}`)) {
      if (item.name !== wanted && item.name.toLowerCase() === wanted) {
        const legacy = `${root}/${ENTRY_DIRS[kind]}/${item.name}`;
        return { path: legacy, current: readEntry(legacy) };
      }
    }
  } catch {
    // No directory yet: nothing under any case.
  }
  return { path, current: null };
}

/**
 * The names with an entry in a directory, lower case, sorted, each once.
 *
 * @param dir The entries' directory.
 * @returns The names; none when the directory does not exist.
 * @throws {LoktError} When the directory cannot be read.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { listEntryNames } from "./entry_files.ts";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/Build.json`, "{}");
 * Deno.writeTextFileSync(`${dir}/build.json`, "{}");
 * assert.deepEqual(listEntryNames(dir), ["build"]);
 * ```
 */
export function listEntryNames(dir: string): string[] {
  const names: string[] = [];
  try {
    for (const item of Deno.readDirSync(dir)) {
      if (!item.name.endsWith(".json")) continue;
      const name = item.name.slice(0, -5);
      if (isValidName(name) && !names.includes(name.toLowerCase())) {
        names.push(name.toLowerCase());
      }
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound) && !(err instanceof Deno.errors.NotADirectory)) {
      throw toLoktError(err, `Cannot list ${dir}`);
    }
  }
  return names.sort();
}
