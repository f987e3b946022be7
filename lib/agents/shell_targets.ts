/**
 * What a shell tool's command writes, as the hook judges it: the files a
 * patch given to `apply_patch` names, those it writes by name or as
 * directories (`shell_writes.ts`), a write of lokt's records, a lokt command
 * run with its break-glass flag and the owner it claims (docs/agents.md).
 * The entry of its own bundle (`gen/shell.generated.js`): only a shell call
 * loads this reading, so an edit's hook does not pay for it (`shell_reader.ts`).
 *
 * @module
 */

import type { ReadTargets } from "./hook_event.ts";
import { patchPaths } from "./apply_patch.ts";
import { isPatchProgram, shellPatch } from "./shell_patch.ts";
import { breakGlassIn, uninstallIn } from "./shell_breakglass.ts";
import { ownerSetIn } from "./shell_identity.ts";
import { recordsWritten } from "./shell_records.ts";
import { shellWrites } from "./shell_writes.ts";
import { scriptOf } from "./shell_first_look.ts";

export { expandWords } from "./shell_globs.ts";

/**
 * Reads a shell tool's command (a script, or a program and its arguments).
 *
 * @param command The tool input's `command`.
 * @returns What it writes (paths, words to expand, the owner it claims), or
 * why lokt cannot tell, or the records or break-glass it uses.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { shellTargets } from "./shell_targets.ts";
 * assert.deepEqual(shellTargets("touch src/a.ts"), { paths: [], words: ["src/a.ts"] });
 * assert("unjudged" in shellTargets("apply_patch < p.diff"));
 * assert("records" in shellTargets("rm .git/lokt/locks/a.json"));
 * assert.deepEqual(shellTargets(["bash", "-lc", "git status"]), { paths: [] });
 * ```
 */
export function shellTargets(command: unknown): ReadTargets {
  const argv = Array.isArray(command) ? command : [command];
  if (!argv.every((a) => typeof a === "string")) {
    return { unjudged: "its input names no file path lokt can read", shell: false };
  }
  const words = argv as string[];
  // No program gets a NUL (an argument ends there), and lokt's readers use it as a mark.
  if (words.some((w) => w.includes("\u0000"))) {
    return { unjudged: "its command holds a NUL character", shell: false };
  }
  // `[apply_patch, patch]`: the program itself, no shell between.
  if (words.length === 2 && isPatchProgram(words[0] as string)) {
    return { paths: patchPaths(words[1] as string) };
  }
  const script = scriptOf(words);
  // lokt's records change only through lokt, from a shell as from a file tool.
  const records = recordsWritten(script);
  if (records) return { records };
  // Breaking another owner's hold is a person's step, never an agent's.
  const breakGlass = breakGlassIn(script);
  if (breakGlass) return { breakGlass };
  // So is taking lokt's hooks out.
  const uninstall = uninstallIn(script);
  if (uninstall) return { uninstall };
  const judged = shellPatch(script);
  if (judged.kind === "unseen") return { unjudged: judged.why, shell: true };
  // Who it acts as: judged against the session once the hook knows it.
  const owner = ownerSetIn(script);
  const paths = judged.kind === "patch" ? judged.paths : [];
  // What it writes by name (`> f`, `rm f`, `sed -i … f`), expanded where it runs.
  const written = shellWrites(script);
  return {
    paths,
    ...(written.length ? { words: written } : {}),
    ...(owner === null ? {} : { owner }),
  };
}
