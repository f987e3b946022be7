/**
 * The library's operator functions: `freeze` and `unfreeze`.
 *
 * @module
 */

import { openContext } from "../core/context.ts";
import type { ContextOptions } from "../core/context.ts";
import { liftFreeze, setFreeze } from "../core/freezes/freezes.ts";
import { parseTtl } from "../model/duration.ts";
import { UsageError } from "../model/errors.ts";
import type { FreezeRecord } from "../model/freeze_record.ts";
import { checkReason } from "../model/lock_record.ts";
import { validateName } from "../model/name.ts";
import { optionsOf } from "./options.ts";

/**
 * Freezes a name: every new acquisition is refused until the TTL ends or
 * `unfreeze`. The owner may freeze again to extend.
 *
 * @param name The name.
 * @param ttl How long (`"30m"` or ms, at least 1 s).
 * @param options `reason`, root/owner/cwd overrides.
 * @returns The freeze record.
 * @throws {FrozenError} When another owner's freeze is active.
 *
 * @example Usage
 * ```ts ignore
 * import { freeze } from "jsr:@lokt/cli";
 * await freeze("deploy", "1h", { reason: "incident 42" });
 * ```
 *
 * @example Nobody acquires a frozen name
 * ```ts
 * import assert from "node:assert";
 * import { freeze } from "./freeze.ts";
 * import { acquire } from "./acquire.ts";
 * import { FrozenError } from "../model/freeze_errors.ts";
 * const root = Deno.makeTempDirSync();
 * await freeze("deploy", "1h", { root, owner: "ops", reason: "incident 42" });
 * await assert.rejects(acquire("deploy", { root, owner: "agent-1" }), FrozenError);
 * ```
 */
export async function freeze(
  name: string,
  ttl: string | number,
  options: ContextOptions & { reason?: string } = {},
): Promise<FreezeRecord> {
  name = validateName(name);
  if (typeof ttl !== "string" && typeof ttl !== "number") {
    throw new UsageError('freeze(): give the TTL as a duration ("1h") or milliseconds');
  }
  const ttlMs = typeof ttl === "number" ? ttl : parseTtl(ttl, { flag: "ttl" });
  if (!Number.isFinite(ttlMs) || ttlMs < 1000) {
    throw new UsageError("A freeze needs a TTL of at least 1s");
  }
  options = optionsOf(options, "freeze");
  checkReason(options.reason, "reason");
  return (await setFreeze(
    openContext({ ...options, takes: true }),
    name,
    ttlMs,
    options.reason ?? null,
  )).record;
}

/**
 * Lifts a freeze: your own, or anyone's with `force`.
 *
 * @param name The name.
 * @param options `force`, root/owner/cwd overrides.
 * @returns The lifted freeze (`null` when its file was corrupt).
 * @throws {NotFoundError} When the name is not frozen.
 * @throws {NotOwnerError} When someone else froze it and `force` is not set.
 *
 * @example Usage
 * ```ts ignore
 * import { unfreeze } from "jsr:@lokt/cli";
 * await unfreeze("deploy");
 * ```
 *
 * @example Lifted by its owner
 * ```ts
 * import assert from "node:assert";
 * import { freeze, unfreeze } from "./freeze.ts";
 * import { acquire } from "./acquire.ts";
 * const root = Deno.makeTempDirSync();
 * await freeze("deploy", "1h", { root, owner: "ops" });
 * await unfreeze("deploy", { root, owner: "ops" });
 * await using lock = await acquire("deploy", { root, owner: "agent-1" });
 * assert.equal(lock.name, "deploy");
 * ```
 */
export async function unfreeze(
  name: string,
  options: ContextOptions & { force?: boolean } = {},
): Promise<FreezeRecord | null> {
  name = validateName(name);
  options = optionsOf(options, "unfreeze");
  return (await liftFreeze(openContext(options), name, options.force === true)).record;
}
