/**
 * The directories of a lokt root: created on first write (never by readers),
 * and never followed when a symlink stands where one of them belongs.
 *
 * @module
 */

import { LoktError, toLoktError } from "../../model/errors.ts";
import { listedAbsent } from "../../sys/absence.ts";
import { isDirectory } from "../../sys/path.ts";
import { refuseSymlink } from "./file_primitives.ts";

/**
 * Creates and checks a root's subdirectories, once per process each.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { RootDirs } from "./root_dirs.ts";
 * const root = `${Deno.makeTempDirSync()}/lokt`;
 * const dirs = new RootDirs(root);
 * dirs.ensure("locks");
 * assert(Deno.statSync(`${root}/locks`).isDirectory);
 * ```
 */
export class RootDirs {
  #root: string;
  #ready = new Set<string>();
  #checked = new Set<string>();

  #onCreate: ((root: string) => void) | null;

  /**
   * Manages the directories under `root` (nothing is created yet).
   *
   * @param root Absolute path of the lokt root.
   * @param onCreate Called once if this process creates the root itself.
   */
  constructor(root: string, onCreate: ((root: string) => void) | null = null) {
    this.#root = root;
    this.#onCreate = onCreate;
  }

  /**
   * Throws if a subdirectory is a symlink: readers too must not follow one out of the root.
   *
   * @param sub The subdirectory, relative to the root.
   * @throws {LoktError} When it is a symbolic link.
   */
  refuseLinked(sub: string): void {
    this.#refuseLinked(sub, true);
  }

  /**
   * The check of {@linkcode RootDirs.refuseLinked}. A reader's directory is
   * often not made yet (no freezes, no queue, no reservations): its absence is
   * first looked for in the listing, without a thrown NotFound. A writer's
   * usually exists (it is made once), and is looked at directly.
   */
  #refuseLinked(sub: string, listFirst: boolean): void {
    if (this.#checked.has(sub)) return;
    const path = `${this.#root}/${sub}`;
    if (!listFirst || !listedAbsent(path, { levels: sub.split("/").length })) refuseSymlink(path);
    this.#checked.add(sub);
  }

  /**
   * Creates a subdirectory (and the root) when missing.
   *
   * @param sub The subdirectory, relative to the root; `""` for the root itself.
   * @throws {LoktError} When a file stands in the way, or it cannot be created.
   */
  ensure(sub: string): void {
    if (this.#ready.has(sub)) return;
    if (sub) {
      this.ensure("");
      this.#refuseLinked(sub, false);
    }
    const path = sub ? `${this.#root}/${sub}` : this.#root;
    // Only a caller that wants to say so pays for looking first.
    const announce = !sub && this.#onCreate !== null && !isDirectory(path);
    try {
      // Idempotent: one op whether or not the directory exists.
      Deno.mkdirSync(path, { recursive: true, mode: 0o755 });
    } catch (err) {
      let isFile = false;
      try {
        isFile = !Deno.statSync(path).isDirectory;
      } catch {
        // Not there at all: report the mkdir error.
      }
      if (isFile) {
        throw new LoktError(
          sub
            ? `Cannot use ${path}: it exists and is not a directory`
            : `The lokt root ${path} exists and is not a directory: remove it or set LOKT_ROOT`,
          1,
          { cause: err },
        );
      }
      throw toLoktError(err, `Cannot create directory ${path}`);
    }
    if (announce) this.#onCreate?.(path);
    this.#ready.add(sub);
  }
}
