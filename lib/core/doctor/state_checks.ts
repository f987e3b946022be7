/**
 * `doctor`'s checks of the state under a root: the clock against the audit
 * trail, corrupt, stale and orphaned records, and the audit trail's health.
 *
 * @module
 */

import { SKEW_MS } from "../../model/defaults.ts";
import { readAuditFiles } from "../../store/file/audit_reader.ts";
import { auditPath, ENTRY_DIRS, INCOMING_DIR } from "../../store/layout.ts";
import { join } from "../../sys/path.ts";
import { toLoktError } from "../../model/errors.ts";
import type { OpenedContext } from "../context.ts";
import { listLocks } from "../locks/lock_list.ts";
import { inspectReservations } from "../reservations/reservation_index.ts";
import { listFreezes } from "../freezes/freezes.ts";
import { isoTime } from "../../model/iso_time.ts";

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

/** Records one check's result. */
export type AddCheck = (
  id: string,
  status: CheckStatus,
  message: string,
  fix?: string | null,
) => void;

const FUTURE_TOLERANCE_MS = SKEW_MS * 5;

export async function checkClock(
  ctx: OpenedContext,
  usable: boolean,
  add: AddCheck,
): Promise<void> {
  const now = ctx.now();
  const problems: string[] = [];
  if (now < Date.parse("2024-01-01T00:00:00Z")) {
    problems.push(`the clock says ${isoTime(now)}, which is in the past`);
  }
  let newest: string | null = null;
  for await (const event of readAuditFiles([auditPath(ctx.rootInfo.root)], { limit: 1 })) {
    newest = event.ts;
  }
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
  } else add("clock", "OK", `the clock looks sane (${isoTime(now)})`);
}

export async function checkState(
  ctx: OpenedContext,
  add: AddCheck,
): Promise<void> {
  const locks = await listLocks(ctx);
  const corrupt = locks.filter((l) => l.status === "corrupt");
  // A shared or semaphore name may keep stale holds beside valid ones.
  const stale = locks.filter((l) =>
    l.status === "expired" || l.status === "dead" || l.holds.some((h) => h.status !== "held")
  );
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
      `stale locks not yet broken: ${
        stale.map((l) => `${l.name} (${l.status === "held" ? "stale holds" : l.status})`).join(", ")
      }`,
      `lokt unlock ${stale[0]?.name} --break-stale`,
    );
  } else {
    add("records", "OK", `${locks.length} lock(s) held, none corrupt or stale`);
  }
  const reserved = await inspectReservations(ctx);
  if (reserved.corruption !== null) {
    add(
      "reservations",
      "WARN",
      `the reservations index is corrupt (${reserved.corruption}): check ignores it, and the next reserve replaces it (audited as reserve-break)`,
      "lokt status   # see what is reserved once it is replaced",
    );
  } else if (reserved.reservations.length > 0) {
    const stale = reserved.reservations.filter((j) => j.status !== "live").length;
    add(
      "reservations",
      "OK",
      `${reserved.reservations.length - stale} reservation(s) live${
        stale ? `, ${stale} stale (removed by the next reservation)` : ""
      }`,
    );
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
  for (const dir of [ENTRY_DIRS.lock, ENTRY_DIRS.freeze, ENTRY_DIRS.reservations, INCOMING_DIR]) {
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

export async function checkAudit(
  ctx: OpenedContext,
  add: AddCheck,
): Promise<void> {
  const path = auditPath(ctx.rootInfo.root);
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) add("audit", "OK", "no audit trail yet");
    else {add(
        "audit",
        "FAIL",
        `cannot read ${path}: ${toLoktError(err).message}`,
        "fix its permissions",
      );}
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
    add("audit", "FAIL", `cannot read ${path}: ${toLoktError(err).message}`, "fix its permissions");
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
