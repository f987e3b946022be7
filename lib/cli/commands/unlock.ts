/**
 * `lokt unlock`: release your lock, break a stale one (`--break-stale`), break
 * any (`--force`), or release everything you / an owner hold.
 *
 * @module
 */

import { shown } from "../../model/safe_text.ts";
import type { CommandSpec, ParsedArgs } from "../args.ts";
import { inspectLock, releaseLock } from "../../core/locks/engine.ts";
import { breakLock } from "../../core/locks/breaks.ts";
import { releaseAllOf } from "../../core/owners/release_owner.ts";
import type { BreakResult } from "../../core/locks/breaks.ts";
import type { EngineContext } from "../../core/context.ts";
import { identityValueProblem } from "../../model/identity_value.ts";
import { UsageError } from "../../model/errors.ts";
import type { CommandResult, Io } from "../output.ts";
import { releasedResult } from "../acquire_release_results.ts";
import { nameArg, stringFlag } from "../flags.ts";
import { openContext } from "../../core/context.ts";
import { inheritedHolds } from "../../sys/held_env.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "unlock",
  summary: "release your lock; --break-stale a stale one; --force any (break-glass)",
  usage: [
    "unlock <name> [--force | --break-stale] [--json]",
    "unlock --mine [--json]",
    "unlock --owner O --force [--json]",
  ],
  flags: [
    {
      name: "force",
      type: "boolean",
      help: "break the lock whoever holds it (audited as force-break)",
    },
    { name: "break-stale", type: "boolean", help: "break it only if expired, dead or corrupt" },
    { name: "mine", type: "boolean", help: "release every lock you hold" },
    {
      name: "owner",
      type: "string",
      value: "O",
      help: "with --force: break every lock owner O holds (break-glass, audited as force-break)",
    },
  ],
  positionals: ["name?"],
  examples: [
    "lokt unlock build",
    "lokt unlock build --break-stale",
    "lokt unlock --mine",
  ],
};

/**
 * Runs `lokt unlock`.
 *
 * @param args The parsed arguments.
 * @param _io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, _io: Io): Promise<CommandResult> {
  const force = args.flags.force === true;
  const breakStale = args.flags["break-stale"] === true;
  const mine = args.flags.mine === true;
  const owner = stringFlag(args, "owner");
  if (force && breakStale) throw new UsageError("use either --force or --break-stale", "unlock");
  if (mine || owner !== undefined) {
    if (args.positionals.length > 0) {
      throw new UsageError("--mine and --owner take no lock name", "unlock");
    }
    if (mine && owner !== undefined) throw new UsageError("use either --mine or --owner", "unlock");
    if (breakStale || (mine && force)) {
      throw new UsageError(
        `--${breakStale ? "break-stale" : "force"} goes with a lock name or --owner`,
        "unlock",
      );
    }
    if (owner !== undefined) {
      const problem = identityValueProblem(owner, "--owner");
      if (problem) throw new UsageError(problem, "unlock");
    }
    const ctx = openContext({ write: true });
    const target = owner ?? ctx.identity.owner;
    if (target !== ctx.identity.owner && !force) {
      // Breaking another owner's locks is a person's break-glass, never a plain release.
      throw new UsageError(
        `--owner ${target} breaks another owner's locks (audited as force-break): it needs --force`,
        "unlock",
      );
    }
    return await releaseAll(ctx, target);
  }
  const name = nameArg(args, "unlock");
  const ctx = openContext({ write: true });
  if (force || breakStale) {
    const state = await inspectLock(ctx, name);
    if (force && state.mine && state.status === "held" && state.record?.hold === "owner") {
      return releasedResult(await releaseLock(ctx, name));
    }
    return broken(name, await breakLock(ctx, name, force ? "force" : "stale"));
  }
  return releasedResult(
    await releaseLock(ctx, name, { inherited: inheritedHolds().get(name) ?? null }),
  );
}

function broken(name: string, result: BreakResult): CommandResult {
  const owners = [...new Set(result.holds.map((r) => r.owner))].join(", ");
  const who = result.previous
    ? `held by ${shown(result.previous.owner)}, pid ${result.previous.pid}`
    : result.holds.length > 0
    ? `${result.holds.length} hold(s) of ${owners}`
    : `corrupt: ${result.corruption}`;
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "unlock",
      action: result.event,
      released: [],
      broken: [{
        name,
        event: result.event,
        previous: result.previous,
        holds: result.holds,
        corruption: result.corruption,
      }],
    },
    text: `broke "${name}" (${who}) — audited as ${result.event}`,
  };
}

async function releaseAll(ctx: EngineContext, owner: string): Promise<CommandResult> {
  const { released: releasedRecords, broken: brokenEntries } = await releaseAllOf(ctx, owner);
  const names = [...releasedRecords.map((r) => r.name), ...brokenEntries.map((b) => b.name)];
  return {
    exitCode: 0,
    json: {
      ok: true,
      command: "unlock",
      action: owner === ctx.identity.owner ? "release" : "force-break",
      released: releasedRecords,
      broken: brokenEntries,
    },
    text: names.length === 0
      ? `${owner} holds no locks`
      : `${
        owner === ctx.identity.owner ? "released" : "force-broke"
      } ${names.length} lock(s) of ${owner}: ${names.join(", ")}${
        owner === ctx.identity.owner ? "" : " — audited as force-break"
      }`,
  };
}
