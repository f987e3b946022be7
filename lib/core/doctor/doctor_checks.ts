/**
 * `doctor`: checks that the setup is sound, each check OK, WARN or FAIL with
 * a one-line fix (docs/contract.md §6). It never creates the root; probe files it writes
 * inside an existing root are removed again.
 *
 * @module
 */

import { loadConfig } from "../../sys/config.ts";
import { toLoktError } from "../../model/errors.ts";
import type { OpenedContext } from "../context.ts";
import { checkAudit, checkClock, checkState } from "./state_checks.ts";

import type { AddCheck, Check, CheckStatus } from "./state_checks.ts";
import { join, nearestExistingDir } from "../../sys/path.ts";
import { granted } from "../../sys/permissions.ts";

const NETWORK_FS =
  /^(nfs4?|cifs|smb[23]?|smbfs|9p|ceph|glusterfs|lustre|afs|fuse\.(sshfs|s3fs|gcsfuse|rclone|glusterfs)|gpfs|beegfs)$/;

/**
 * Runs every check.
 *
 * @param ctx The opened context (root, identity, store).
 * @returns The checks, in order.
 *
 * @example Usage
 * ```ts ignore
 * import { runDoctor } from "./doctor_checks.ts";
 * import { openContext } from "../context.ts";
 * for (const c of await runDoctor(openContext())) console.log(c.status, c.id, c.message);
 * ```
 */
export async function runDoctor(ctx: OpenedContext): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (id: string, status: CheckStatus, message: string, fix: string | null = null) =>
    checks.push({ id, status, message, fix: status === "OK" ? null : fix });
  const root = ctx.rootInfo.root;
  const sourceText = {
    env: "LOKT_ROOT",
    git: `the git repository ${ctx.rootInfo.repo}`,
    dotlokt: "the nearest .lokt directory (not inside a git repository)",
    cwd: "the current directory (not inside a git repository; no .lokt above)",
  }[ctx.rootInfo.source];
  add("root", "OK", `${root} (found from ${sourceText})`);

  let info: Deno.FileInfo | null = null;
  try {
    info = Deno.statSync(root);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) {
      add(
        "root-type",
        "FAIL",
        `cannot inspect ${root}: ${toLoktError(err).message}`,
        "check the path and its permissions",
      );
    }
  }
  const usable = info?.isDirectory === true;
  if (info && !info.isDirectory) {
    add(
      "root-type",
      "FAIL",
      `${root} exists but is not a directory`,
      `remove it, or set LOKT_ROOT to a directory`,
    );
  } else if (!info) {
    add("root-type", "OK", "the root does not exist yet; it is created on the first lock");
  } else {
    add("root-type", "OK", "the root is a directory");
  }
  rootLink(root, add);

  if (usable) {
    checkWritableAndAtomic(root, add);
  } else if (!info) {
    const parent = nearestExistingDir(root);
    const mode = parent ? Deno.statSync(parent).mode : null;
    if (parent && mode !== null && (mode & 0o222) === 0) {
      add(
        "writable",
        "FAIL",
        `${parent} is read-only; the root cannot be created`,
        "make it writable or set LOKT_ROOT",
      );
    } else {
      add("writable", "OK", `the root will be created under ${parent ?? "/"}`);
    }
  }

  const fs = filesystemOf(usable ? root : nearestExistingDir(root) ?? "/");
  if (fs && NETWORK_FS.test(fs.type)) {
    add(
      "filesystem",
      "WARN",
      `${fs.mount} is a network filesystem (${fs.type}): flock and rename may not be atomic across machines`,
      "set LOKT_ROOT to a local directory shared by the agents of one machine",
    );
  } else {
    add(
      "filesystem",
      "OK",
      fs ? `${fs.type} mounted at ${fs.mount}` : "filesystem type unknown (no /proc/mounts)",
    );
  }

  await ctx.store.checkHealth(add);
  await checkClock(ctx, usable, add);
  if (usable) {
    await checkState(ctx, add);
    await checkAudit(ctx, add);
  }

  try {
    // Read strictly here (the context's copy is lenient: a broken file is ignored with a warning).
    const config = loadConfig(ctx.rootInfo, ctx.cwd);
    add(
      "config",
      "OK",
      config.path ? `${config.path} is valid` : "no lokt.jsonc (defaults in use)",
    );
  } catch (err) {
    add("config", "FAIL", toLoktError(err).message, "fix the file at the line and key named");
  }

  const missing: string[] = [];
  for (const name of ["read", "write", "env", "sys", "run"] as const) {
    if (!granted({ name })) missing.push(name);
  }
  if (missing.length === 0) add("permissions", "OK", "read, write, env, sys and run are granted");
  else {
    add(
      "permissions",
      missing.includes("read") || missing.includes("write") ? "FAIL" : "WARN",
      `not granted: ${missing.map((m) => `--allow-${m}`).join(" ")}`,
      "run lokt with the permissions listed in the README",
    );
  }
  return checks;
}

function checkWritableAndAtomic(
  root: string,
  add: AddCheck,
): void {
  const probe = join(root, `.doctor-${Deno.pid}.tmp`);
  const target = join(root, `.doctor-${Deno.pid}.link`);
  try {
    Deno.writeTextFileSync(probe, "probe\n", { createNew: true });
  } catch (err) {
    add(
      "writable",
      "FAIL",
      `cannot create a file in ${root}: ${toLoktError(err).message}`,
      "fix the permissions of the root",
    );
    return;
  }
  add("writable", "OK", "files can be created in the root");
  try {
    Deno.linkSync(probe, target);
    let refused = false;
    try {
      Deno.linkSync(probe, target);
    } catch (err) {
      refused = err instanceof Deno.errors.AlreadyExists;
    }
    Deno.renameSync(probe, target);
    if (!refused) throw new Error("a second exclusive create was not refused");
    add("atomic-create", "OK", "exclusive create and atomic rename work");
  } catch (err) {
    add(
      "atomic-create",
      "FAIL",
      `exclusive create or rename failed: ${toLoktError(err).message}`,
      "use a local filesystem for the root",
    );
  } finally {
    for (const p of [probe, target]) {
      try {
        Deno.removeSync(p);
      } catch {
        // Already gone.
      }
    }
  }
}

function filesystemOf(path: string): { mount: string; type: string } | null {
  let text: string;
  try {
    text = Deno.readTextFileSync("/proc/mounts");
  } catch {
    return null;
  }
  let best: { mount: string; type: string } | null = null;
  for (const line of text.split("\n")) {
    const [, mount, type] = line.split(" ");
    if (!mount || !type) continue;
    const decoded = mount.replace(/\\040/g, " ");
    const inside = decoded === "/" || path === decoded || path.startsWith(`${decoded}/`);
    if (inside && (!best || decoded.length >= best.mount.length)) best = { mount: decoded, type };
  }
  return best;
}

/**
 * A root that is itself a symbolic link is followed (a team may keep its
 * state elsewhere on purpose), but said: every lock lives where the link
 * points, and whoever can change the link can move them.
 */
function rootLink(root: string, add: AddCheck): void {
  try {
    if (!Deno.lstatSync(root).isSymlink) return;
    add(
      "root-link",
      "WARN",
      `${root} is a symbolic link to ${
        Deno.realPathSync(root)
      }: every lock lives there, and whoever can change the link moves them`,
      "make the root a directory, or set LOKT_ROOT to the target if that is meant",
    );
  } catch {
    // No root yet, or a dangling link (reported by root-type).
  }
}
