/**
 * Where the hook finds the shell reading (`shell_targets.ts`: what a shell
 * command writes, and its words expanded where it runs). It is a bundle of
 * its own, which the CLI loads only for a shell call (`cli.ts` installs its
 * loader), so a file tool's hook does not load it; the dispatcher installs
 * it built in. Without one installed, or when it fails, a shell command is
 * refused as one lokt cannot judge: never let through.
 *
 * @module
 */

import type { ReadTargets } from "./hook_event.ts";

/** The shell reading: the shell bundle's exports. */
export interface ShellReading {
  /** What a shell tool's command writes. */
  shellTargets(command: unknown): ReadTargets;
  /** A command's written words, expanded where it runs. */
  expandWords(
    words: string[],
    cwd: string,
    top: string | null,
  ): { names: string[]; broad: Set<string> };
}

// One process answers one hook event: the entry installs the loader once.
let loader: (() => ShellReading | Promise<ShellReading>) | null = null;
let loaded: Promise<ShellReading> | null = null;

/**
 * Installs how this process gets the shell reading (loaded when first used).
 *
 * @param load Returns the reading (the shell bundle, imported).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { installShellReader, readShellCommand } from "./shell_reader.ts";
 * import * as reading from "./shell_targets.ts";
 * installShellReader(() => reading);
 * assert.deepEqual(await readShellCommand("touch a.ts"), { paths: [], words: ["a.ts"] });
 * ```
 */
export function installShellReader(load: () => ShellReading | Promise<ShellReading>): void {
  loader = load;
  loaded = null;
}

/**
 * Reads a shell tool's command; refused as unjudgeable when no reading is
 * installed or it fails (its bundle missing, an input that defeats it).
 *
 * @param command The tool input's `command`.
 * @returns What it writes, or why lokt cannot tell.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { installShellReader, readShellCommand } from "./shell_reader.ts";
 * installShellReader(() => Promise.reject(new Error("no bundle")));
 * assert("unjudged" in await readShellCommand("rm a.ts"));
 * ```
 */
export async function readShellCommand(command: unknown): Promise<ReadTargets> {
  try {
    const reading = await shellReading();
    if (reading === null) return { unjudged: "lokt's shell reader is not installed", shell: false };
    return reading.shellTargets(command);
  } catch {
    // An input that defeats the reading (one exhausting the stack) is refused as
    // unjudgeable, never passed as lokt's own failure would be.
    return { unjudged: "lokt could not read it", shell: false };
  }
}

/**
 * A shell command's written words expanded where it runs, or `null` when
 * they defeat the expansion (or no reading is installed): denied, never passed.
 *
 * @param words The written words.
 * @param cwd Where the command runs.
 * @param top The real top of its worktree, or `null`.
 * @returns The names, and those that stand for more than the word named; or `null`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { expandShellWords, installShellReader } from "./shell_reader.ts";
 * import * as reading from "./shell_targets.ts";
 * installShellReader(() => reading);
 * assert.deepEqual((await expandShellWords(["/tmp/a.ts"], "/", null))?.names, ["/tmp/a.ts"]);
 * ```
 */
export async function expandShellWords(
  words: string[],
  cwd: string,
  top: string | null,
): Promise<{ names: string[]; broad: Set<string> } | null> {
  try {
    return (await shellReading())?.expandWords(words, cwd, top) ?? null;
  } catch {
    return null;
  }
}

function shellReading(): Promise<ShellReading | null> {
  if (loader === null) return Promise.resolve(null);
  loaded ??= Promise.resolve(loader());
  return loaded;
}
