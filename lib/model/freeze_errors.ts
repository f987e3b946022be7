/**
 * The error of a frozen name: no new acquisition, and no other owner's
 * freeze, while a freeze lasts.
 *
 * @module
 */

import { formatDuration } from "./duration_format.ts";
import { ExitCode, LoktError } from "./errors.ts";
import type { FreezeRecord } from "./freeze_record.ts";
import { shown } from "./safe_text.ts";

/**
 * The name is frozen, so no new acquisition (or another owner's freeze) is allowed (exit 2).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { FrozenError } from "./freeze_errors.ts";
 * const freeze = {
 *   version: 1, name: "deploy", owner: "ops", agent_id: "a", host: "h", pid: 1,
 *   frozen_at: "2026-01-01T00:00:00.000Z", ttl_ms: 60_000,
 *   expires_at: "2026-01-01T00:01:00.000Z", reason: "incident",
 * } as const;
 * const err = new FrozenError("deploy", freeze, 30_000);
 * assert(err.message.startsWith('"deploy" is frozen by ops (incident) for 30s'));
 * ```
 */
export class FrozenError extends LoktError {
  /** The frozen name. */
  readonly lockName: string;
  /** The freeze record. */
  readonly freeze: FreezeRecord;

  /**
   * Creates a frozen error.
   *
   * @param lockName The frozen name.
   * @param freeze The active freeze.
   * @param leftMs How long the freeze lasts from now, in ms.
   * @param refused `acquire` for a refused acquisition, `freeze` for a refused freeze.
   */
  constructor(
    lockName: string,
    freeze: FreezeRecord,
    leftMs: number,
    refused: "acquire" | "freeze" = "acquire",
  ) {
    const why = freeze.reason ? ` (${shown(freeze.reason)})` : "";
    const left = formatDuration(leftMs);
    super(
      refused === "freeze"
        ? `"${lockName}" is already frozen by ${
          shown(freeze.owner)
        }${why} for ${left} more; ask them, or wait until it ends; run 'lokt why ${lockName}'`
        : `"${lockName}" is frozen by ${
          shown(freeze.owner)
        }${why} for ${left} more; run 'lokt why ${lockName}'`,
      ExitCode.Held,
    );
    this.name = "FrozenError";
    this.lockName = lockName;
    this.freeze = freeze;
  }
}
