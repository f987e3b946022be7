/**
 * `doctor`: checks that the setup is sound, each check OK, WARN or FAIL with
 * a one-line fix (SPEC §6). It never creates the root; probe files it writes
 * inside an existing root are removed again.
 *
 * @module
 */

import { readAuditFiles } from "../store/audit_reader.ts";
import { ENTRY_DIRS, INCOMING_DIR } from "../store/layout.ts";
import { loadConfig } from "../sys/config.ts";
import type { OpenedContext } from "./context.ts";
import { SKEW_MS } from "../model/defaults.ts";
import { listLocks } from "./engine.ts";
import { listFreezes } from "./freeze_ops.ts";
import { dirname, join } from "../sys/path.ts";
import { granted } from "../sys/permissions.ts";

/** The verdict of one check. */
export type CheckStatus = "OK" | "WARN" | "FAIL";

/** One check's result. */
export interface Check {
  /** Short id, e.g. `root`, `writable`. */
  id: string;
  /** The verdict. */
  status: CheckStatus;
  /** What was found. */
  message: string;
  /** How to fix it, or `null` when OK. */
  fix: string | null;
}

const NETWORK_FS =
  /^(nfs4?|cifs|smb[23]?|smbfs|9p|ceph|glusterfs|lustre|afs|fuse\.(sshfs|s3fs|gcsfuse|rclone|glusterfs)|gpfs|beegfs)$/;
const FUTURE_TOLERANCE_MS = SKEW_MS * 5;

/**
 * Runs every check.
 *
 * @param ctx The opened context (root, identity, store).
 * @returns The checks, in order.
 *
 * @example Usage
 * ```ts ignore
 * import { runDoctor } from "./doctor_checks.ts";
 * import { openContext } from "./context.ts";
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
    cwd: "the current directory (not inside a git repository)",
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
        `cannot inspect ${root}: ${message(err)}`,
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

  if (usable) {
    checkWritableAndAtomic(root, add);
  } else if (!info) {
    const parent = existingAncestor(root);
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

  const fs = filesystemOf(usable ? root : existingAncestor(root) ?? "/");
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

  await checkClock(ctx, usable, add);
  if (usable) {
    await checkState(ctx, add);
    await checkAudit(ctx, add);
  }

  try {
    const config = loadConfig(ctx.rootInfo, ctx.cwd);
    add(
      "config",
      "OK",
      config.path ? `${config.path} is valid` : "no lokt.jsonc (defaults in use)",
    );
  } catch (err) {
    add("config", "FAIL", message(err), "fix the file at the line and key named");
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
  add: (id: string, status: CheckStatus, message: string, fix?: string | null) => void,
): void {
  const probe = join(root, `.doctor-${Deno.pid}.tmp`);
  const target = join(root, `.doctor-${Deno.pid}.link`);
  try {
    Deno.writeTextFileSync(probe, "probe\n", { createNew: true });
  } catch (err) {
    add(
      "writable",
      "FAIL",
      `cannot create a file in ${root}: ${message(err)}`,
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
      `exclusive create or rename failed: ${message(err)}`,
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

async function checkClock(
  ctx: OpenedContext,
  usable: boolean,
  add: (id: string, status: CheckStatus, message: string, fix?: string | null) => void,
): Promise<void> {
  const now = ctx.now();
  const problems: string[] = [];
  if (now < Date.parse("2024-01-01T00:00:00Z")) {
    problems.push(`the clock says ${new Date(now).toISOString()}, which is in the past`);
  }
  let newest: string | null = null;
  for await (const event of readAuditFiles([ctx.store.auditPath], { limit: 1 })) newest = event.ts;
  if (newest && Date.parse(newest) > now + FUTURE_TOLERANCE_MS) {
    problems.push(
      `the clock is behind the newest audit event (${newest}): it was set back, or another writer's clock is ahead`,
    );
  }
  if (usable) {
    const probe = join(ctx.rootInfo.root, `.doctor-clock-${Deno.pid}.tmp`);
    try {
      Deno.writeTextFileSync(probe, "");
      const mtime = Deno.statSync(probe).mtime?.getTime();
      if (mtime !== undefined && Math.abs(mtime - now) > FUTURE_TOLERANCE_MS) {
        problems.push(
          `the filesystem clock differs from this process's by ${
            Math.round((mtime - now) / 1000)
          }s`,
        );
      }
    } catch {
      // Writability is reported by its own check.
    } finally {
      try {
        Deno.removeSync(probe);
      } catch {
        // Never created.
      }
    }
  }
  if (problems.length) {
    add(
      "clock",
      "WARN",
      problems.join("; "),
      "fix the system clock (NTP); expiry judgements rely on it",
    );
  } else add("clock", "OK", `the clock looks sane (${new Date(now).toISOString()})`);
}

async function checkState(
  ctx: OpenedContext,
  add: (id: string, status: CheckStatus, message: string, fix?: string | null) => void,
): Promise<void> {
  const locks = await listLocks(ctx);
  const corrupt = locks.filter((l) => l.status === "corrupt");
  const stale = locks.filter((l) => l.status === "expired" || l.status === "dead");
  if (corrupt.length) {
    add(
      "records",
      "WARN",
      `corrupt lock records: ${corrupt.map((l) => `${l.name} (${l.corruption})`).join(", ")}`,
      `lokt unlock ${corrupt[0]?.name} --force`,
    );
  } else if (stale.length) {
    add(
      "records",
      "WARN",
      `stale locks not yet broken: ${stale.map((l) => `${l.name} (${l.status})`).join(", ")}`,
      `lokt unlock ${stale[0]?.name} --break-stale`,
    );
  } else {
    add("records", "OK", `${locks.length} lock(s) held, none corrupt or stale`);
  }
  const corruptFreezes = (await listFreezes(ctx)).filter((f) => f.corruption);
  if (corruptFreezes.length) {
    add(
      "freezes",
      "WARN",
      `corrupt freeze files: ${corruptFreezes.map((f) => f.name).join(", ")}`,
      `lokt unfreeze ${corruptFreezes[0]?.name} --force`,
    );
  }
  const orphans: string[] = [];
  for (const dir of [ENTRY_DIRS.lock, ENTRY_DIRS.freeze, INCOMING_DIR]) {
    try {
      for (const entry of Deno.readDirSync(join(ctx.rootInfo.root, dir))) {
        if (!entry.name.endsWith(".tmp")) continue;
        const path = join(ctx.rootInfo.root, dir, entry.name);
        const age = ctx.now() - (Deno.lstatSync(path).mtime?.getTime() ?? 0);
        if (age > 60_000) orphans.push(`${dir}/${entry.name}`);
      }
    } catch {
      // No such directory.
    }
  }
  if (orphans.length) {
    add(
      "orphans",
      "WARN",
      `${orphans.length} temporary file(s) left by crashed writers: ${
        orphans.slice(0, 3).join(", ")
      }`,
      `remove them: rm ${join(ctx.rootInfo.root, orphans[0] as string)}`,
    );
  } else {
    add("orphans", "OK", "no leftover temporary files");
  }
}

async function checkAudit(
  ctx: OpenedContext,
  add: (id: string, status: CheckStatus, message: string, fix?: string | null) => void,
): Promise<void> {
  const path = ctx.store.auditPath;
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) add("audit", "OK", "no audit trail yet");
    else add("audit", "FAIL", `cannot read ${path}: ${message(err)}`, "fix its permissions");
    return;
  }
  if (!info.isFile) {
    add("audit", "FAIL", `${path} is not a regular file`, `remove ${path}; lokt recreates it`);
    return;
  }
  const stats = { lines: 0, malformed: 0 };
  try {
    for await (const _ of readAuditFiles([path], {}, stats)) {
      // Counting only.
    }
  } catch (err) {
    add("audit", "FAIL", `cannot read ${path}: ${message(err)}`, "fix its permissions");
    return;
  }
  const size = `${(info.size / 1024 / 1024).toFixed(1)} MiB`;
  if (stats.malformed > 0) {
    add(
      "audit",
      "WARN",
      `${stats.malformed} of ${stats.lines} lines are malformed (${size}); readers skip them`,
      "nothing to do unless the number grows; check for foreign writers",
    );
  } else {
    add("audit", "OK", `${stats.lines} events, ${size}`);
  }
}

function existingAncestor(path: string): string | null {
  let dir = path;
  for (;;) {
    try {
      if (Deno.statSync(dir).isDirectory) return dir;
    } catch {
      // Keep walking up.
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
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

function message(err: unknown): string {
  return err instanceof Error ? err.message.split("\n")[0] ?? "" : String(err);
}
