/**
 * The library's read-only inspection: `status` and `why`. Neither creates,
 * removes nor rewrites anything.
 *
 * @module
 */

import { openContext } from "../core/context.ts";
import type { ContextOptions } from "../core/context.ts";
import { collectStatus } from "../core/report/status_report.ts";
import type { StatusReport } from "../core/report/status_report.ts";
import { explain } from "../core/report/why_report.ts";
import type { WhyReport } from "../core/report/why_report.ts";
import { validateName } from "../model/name.ts";
import { optionsOf } from "./options.ts";

/**
 * Reads the state of every lock and freeze, or of one name. Read-only.
 *
 * @param options `name` to look at one lock; root/owner/cwd overrides.
 * @returns Locks and freezes with liveness verdicts.
 *
 * @example Usage
 * ```ts ignore
 * import { status } from "jsr:@lokt/cli";
 * for (const lock of (await status()).locks) console.log(lock.name, lock.status, lock.record?.owner);
 * ```
 *
 * @example What is held
 * ```ts
 * import assert from "node:assert";
 * import { status } from "./inspect.ts";
 * import { acquire } from "./acquire.ts";
 * const root = Deno.makeTempDirSync();
 * await using _lock = await acquire("build", { root, owner: "agent-1" });
 * const report = await status({ root });
 * assert.deepEqual(report.locks.map((l) => [l.name, l.status, l.record?.owner]), [["build", "held", "agent-1"]]);
 * ```
 */
export async function status(
  options: ContextOptions & { name?: string } = {},
): Promise<StatusReport> {
  options = optionsOf(options, "status");
  const name = options.name === undefined ? null : validateName(options.name);
  return await collectStatus(openContext(options), name);
}

/**
 * Explains whether `name` could be acquired now, every reason it could not,
 * and the commands that clear each. Read-only.
 *
 * @param name The lock name.
 * @param options Root/owner/cwd overrides.
 * @returns The report (`canAcquire`, `reasons`).
 *
 * @example Usage
 * ```ts ignore
 * import { why } from "jsr:@lokt/cli";
 * const report = await why("build");
 * if (!report.canAcquire) console.log(report.reasons.map((r) => r.message).join("\n"));
 * ```
 *
 * @example Why another owner cannot have it
 * ```ts
 * import assert from "node:assert";
 * import { why } from "./inspect.ts";
 * import { acquire } from "./acquire.ts";
 * const root = Deno.makeTempDirSync();
 * await using _lock = await acquire("build", { root, owner: "agent-1" });
 * const report = await why("build", { root, owner: "agent-2" });
 * assert.equal(report.canAcquire, false);
 * ```
 */
export async function why(name: string, options: ContextOptions = {}): Promise<WhyReport> {
  return await explain(openContext(optionsOf(options, "why")), validateName(name));
}
