/**
 * The other names of a file being edited (docs/contract.md §19). A hard link
 * is the same file under another path: an edit through it changes a reserved
 * file as surely as an edit of its reserved name, and no path resolution can
 * see it. So for a file that has other names (a link count above one), lokt
 * looks for them where the live reservations of other owners can match —
 * below each pattern's leading literal segments, nowhere else — and judges
 * them with the edited path. A search that would look at too many entries is
 * reported instead, so that the caller refuses the edit rather than let it
 * through unseen.
 *
 * @module
 */

import type { Conflict } from "../../model/reservation_errors.ts";
import type { EngineContext } from "../context.ts";
import type { ReservationsState } from "./reservation_index.ts";
import { checkLiteralPaths, compileReservation, inspectReservations } from "./reservation_index.ts";

/** At most this many directory entries are looked at for one edit's other names. */
export const LINK_SEARCH_BUDGET = 20_000;

/** What a search for other names found. */
export interface LinkedNames {
  /** Each other name found (relative to the top), with the edited path it is the same file as. */
  names: Map<string, string>;
  /** The paths asked about and the names found that are existing regular files (stat'ed once). */
  files: Set<string>;
  /** The pattern of a reservation whose files were too many to search, or `null`. */
  unsearched: string | null;
}

/** A file that has other names, by its identity on disk. */
interface LinkedFile {
  path: string;
  dev: number;
  ino: number;
}

/**
 * Finds the other names, inside the trees that other owners' live
 * reservations can match, of the files among `paths` that have any.
 *
 * @param ctx The engine context (its reservations and who acts).
 * @param top The real top directory the paths are relative to.
 * @param paths Paths in normal form, relative to `top`.
 * @param budget How many directory entries the search may look at.
 * @returns The names found; `unsearched` when the budget ran out.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { linkedNames } from "./linked_names.ts";
 * import { openContext } from "../context.ts";
 * const top = Deno.realPathSync(Deno.makeTempDirSync());
 * Deno.writeTextFileSync(`${top}/a.ts`, "x");
 * const found = await linkedNames(openContext({ root: `${top}/.lokt` }), top, ["a.ts"]);
 * assert.equal(found.names.size, 0); // one name only: nothing is searched
 * ```
 */
export async function linkedNames(
  ctx: EngineContext,
  top: string,
  paths: string[],
  budget: number = LINK_SEARCH_BUDGET,
): Promise<LinkedNames> {
  const found: LinkedNames = { names: new Map(), files: new Set(), unsearched: null };
  const linked = linkedFiles(top, paths, found.files);
  if (linked.length === 0) return found;
  const { reservations } = await inspectReservations(ctx);
  const left = { entries: budget };
  const searched = new Set<string>();
  for (const judged of reservations) {
    if (judged.mine || judged.status !== "live") continue;
    const prefix = compileReservation(judged.reservation).prefix.join("/");
    if (searched.has(prefix)) continue;
    searched.add(prefix);
    const start = prefix === "" ? top : `${top}/${prefix}`;
    if (!search(start, prefix, linked, found.names, left)) {
      found.unsearched = judged.reservation.patterns[0] as string;
      break;
    }
  }
  for (const name of found.names.keys()) found.files.add(name);
  return found;
}

/**
 * {@linkcode checkLiteralPaths} of `paths` and of their other names
 * ({@linkcode linkedNames}): what `check`, the hooks and the git pre-commit
 * hook ask.
 *
 * @param ctx The engine context.
 * @param top The real top directory the paths are relative to.
 * @param paths Paths in normal form, relative to `top`.
 * @param shared Whether the caller means to read (only exclusive reservations are in the way).
 * @param searched The other names, when the caller has looked for them already.
 * @returns The conflicts (those found through another name say so), the judged index, and the other names found.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { checkWithLinkedNames } from "./linked_names.ts";
 * import { openContext } from "../context.ts";
 * const top = Deno.realPathSync(Deno.makeTempDirSync());
 * const checked = await checkWithLinkedNames(openContext({ root: `${top}/.lokt` }), top, ["src"], false);
 * assert.equal(checked.conflicts.length, 0);
 * ```
 */
export async function checkWithLinkedNames(
  ctx: EngineContext,
  top: string,
  paths: string[],
  shared: boolean,
  searched?: LinkedNames,
): Promise<{ conflicts: Conflict[]; state: ReservationsState; linked: LinkedNames }> {
  const linked = searched ?? await linkedNames(ctx, top, paths);
  const { conflicts, state } = await checkLiteralPaths(
    ctx,
    [...paths, ...linked.names.keys()],
    shared,
    (path) => linked.files.has(path),
  );
  return { conflicts: sameFileNoted(conflicts, linked), state, linked };
}

/**
 * `conflicts`, each found through another name of an edited file saying
 * which (`sameFileAs`).
 *
 * @param conflicts Conflicts of a check or a reserve that included the other names.
 * @param linked What {@linkcode linkedNames} found.
 * @returns The conflicts, noted.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { sameFileNoted } from "./linked_names.ts";
 * import { newReservation } from "../../model/reservation.ts";
 * const holder = { owner: "a", agentId: "a", host: "h", machineId: "m", pid: 1, pidStart: null };
 * const reservation = newReservation("src/**", holder, { mode: "exclusive", ttlMs: 1_000, reason: null, liveness: "ttl" }, 0);
 * const linked = { names: new Map([["src/a.ts", "b.ts"]]), files: new Set<string>(), unsearched: null };
 * const [noted] = sameFileNoted([{ pattern: "src/a.ts", reservation, expiresInMs: 1_000 }], linked);
 * assert.equal(noted?.sameFileAs, "b.ts");
 * ```
 */
export function sameFileNoted(conflicts: Conflict[], linked: LinkedNames): Conflict[] {
  return conflicts.map((c) => {
    const edited = linked.names.get(c.pattern);
    return edited === undefined ? c : { ...c, sameFileAs: edited };
  });
}

/** The files among `paths` that have more than one name; `files` gets those that are files. */
function linkedFiles(top: string, paths: string[], files: Set<string>): LinkedFile[] {
  const linked: LinkedFile[] = [];
  for (const path of paths) {
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(`${top}/${path}`);
    } catch {
      continue; // Not there yet: a new file has no other name.
    }
    if (info.isFile) files.add(path);
    if (info.isFile && (info.nlink ?? 1) > 1 && info.ino !== null) {
      linked.push({ path, dev: info.dev, ino: info.ino });
    }
  }
  return linked;
}

/**
 * Looks below `dir` (named `rel` from the top) for other names of the linked
 * files; `false` when the budget ran out. Links are not followed (a linked
 * directory is judged by its own real path), nor is `.git` entered.
 */
function search(
  dir: string,
  rel: string,
  linked: LinkedFile[],
  names: Map<string, string>,
  left: { entries: number },
): boolean {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch {
    // A file (an exact reservation, or a prefix that names one), or nothing there.
    compare(dir, rel, linked, names);
    return true;
  }
  for (const entry of entries) {
    if (--left.entries < 0) return false;
    if (entry.isSymlink || entry.name === ".git") continue;
    const path = `${dir}/${entry.name}`;
    const name = rel === "" ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory && !search(path, name, linked, names, left)) return false;
    if (entry.isFile) compare(path, name, linked, names);
  }
  return true;
}

/** Records `name` when the file at `path` is one of the linked files under another name. */
function compare(path: string, name: string, linked: LinkedFile[], names: Map<string, string>) {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch {
    return;
  }
  if (!info.isFile || (info.nlink ?? 1) < 2) return;
  const same = linked.find((f) => f.ino === info.ino && f.dev === info.dev && f.path !== name);
  if (same) names.set(name, same.path);
}
