/**
 * Applies patches with Codex's own `apply_patch` (the pinned Codex binary,
 * run under that name, as Codex runs it), inside the offline namespace
 * (`_offline.ts` starts it there), and prints which files each one changed:
 * `deno run -A patch_apply_run.ts <harness bin dir> <patches.json>`.
 *
 * Each patch is applied in a fresh directory holding `src/auth/login.ts` and
 * `src/free.ts` (both `x`). The report is one list per patch, in order: the
 * paths (relative, normalised) it created, changed or removed.
 *
 * @module
 */

import { assertOffline } from "./_offline.ts";

assertOffline();

const [harnessBin, patchesFile] = Deno.args as [string, string];
const patches: string[] = JSON.parse(await Deno.readTextFile(patchesFile));

/** The native Codex binary the npm package runs (its layout moves between versions). */
function codexBinary(bin: string): string {
  const stack = [`${bin}/../@openai`];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    for (const entry of Deno.readDirSync(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) stack.push(path);
      else if (entry.name === "codex" && /\/vendor\/[^/]+\/(?:bin|codex)$/.test(dir)) return path;
    }
  }
  throw new Error(`no native codex binary below ${bin}/../@openai`);
}

/** Every file below `dir` with its content. */
function snapshot(dir: string, under = ""): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of Deno.readDirSync(`${dir}${under}`)) {
    const path = `${under}/${entry.name}`;
    if (entry.isDirectory) { for (const [k, v] of snapshot(dir, path)) files.set(k, v); }
    else files.set(path.slice(1), Deno.readTextFileSync(`${dir}${path}`));
  }
  return files;
}

const scratch = await Deno.makeTempDir({ prefix: "lokt-e2e-patches-" });
try {
  // Codex's binary applies a patch when it runs under the name `apply_patch`.
  await Deno.mkdir(`${scratch}/bin`);
  await Deno.symlink(codexBinary(harnessBin), `${scratch}/bin/apply_patch`);
  const report: string[][] = [];
  for (const [i, patch] of patches.entries()) {
    const dir = `${scratch}/${i}`;
    await Deno.mkdir(`${dir}/src/auth`, { recursive: true });
    await Deno.writeTextFile(`${dir}/src/auth/login.ts`, "x\n");
    await Deno.writeTextFile(`${dir}/src/free.ts`, "x\n");
    const before = snapshot(dir);
    await new Deno.Command(`${scratch}/bin/apply_patch`, {
      args: [patch],
      cwd: dir,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    const after = snapshot(dir);
    const changed = [...after].filter(([k, v]) => before.get(k) !== v).map(([k]) => k);
    report.push([...changed, ...[...before.keys()].filter((k) => !after.has(k))]);
    await Deno.remove(dir, { recursive: true });
  }
  console.log(JSON.stringify(report));
} finally {
  await Deno.remove(scratch, { recursive: true });
}
