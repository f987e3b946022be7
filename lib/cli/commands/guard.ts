/**
 * `lokt guard <name> [flags] -- <cmd…>`: acquire, run the command without a
 * shell, release on every exit path. Exit code: the command's (128+N when it
 * died of signal N), 127/126 when it cannot be run, 2 when the lock could not
 * be acquired, 1 for lokt's own errors.
 *
 * @module
 */

import { shown } from "../../model/safe_text.ts";
import { openContext } from "../../core/context.ts";
import { recordCommandGroup } from "../../core/guard/process_group.ts";
import { resolveCommand, runGuarded } from "../../core/guard/guard_runner.ts";
import { Lock } from "../../core/locks/lock_handle.ts";
import { acquireForRequest } from "../../core/locks/lock_request.ts";
import { parseDuration } from "../../model/duration.ts";
import { ExitCode, LoktError, UsageError } from "../../model/errors.ts";
import { HELD_VARIABLE, passHold } from "../../sys/held_env.ts";
import { requirePermissions } from "../../sys/permissions.ts";
import type { CommandSpec, ParsedArgs } from "../args.ts";
import { ACQUIRE_FLAGS, acquireRequest, nameArg, stringFlag } from "../flags.ts";
import type { CommandResult, Io } from "../output.ts";
import { printError } from "../output.ts";
import { waitProgressPrinter } from "../wait_progress.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "guard",
  summary: "run a command while holding a lock; release on every exit path",
  usage: [
    "guard <name> [--ttl D] [--wait] [--timeout D] [--reason TEXT] [--slots N | --shared | --exclusive] [--on-lost kill|warn] [--grace D] [--conflict-exit N] -- <cmd> [args…]",
  ],
  flags: [
    ...ACQUIRE_FLAGS.map((f) =>
      f.name === "ttl"
        ? {
          ...f,
          help:
            "renew every TTL/2 while the command runs; without it the lock lasts while guard lives",
        }
        : f
    ),
    {
      name: "on-lost",
      type: "string",
      value: "kill|warn",
      help: "if the lock is lost: stop the command (SIGTERM, then SIGKILL) or only warn",
      default: "kill",
    },
    {
      name: "grace",
      type: "string",
      value: "D",
      help: "time between SIGTERM and SIGKILL when stopping the command",
      default: "5s",
    },
    {
      name: "conflict-exit",
      type: "string",
      value: "N",
      help:
        "exit N (0-255) instead of 2 when the lock is held, frozen or the wait timed out, like flock -E",
      default: "2",
    },
  ],
  positionals: ["name"],
  takesCommand: true,
  examples: [
    "lokt guard build --ttl 5m -- make build",
    "lokt guard push --wait --timeout 10m -- git push",
    "lokt guard migrate --reason 'schema v42' -- ./migrate.sh up",
    "lokt guard test-db --slots 3 --wait -- sh -c 'DB=test_$LOKT_SLOT npm test'",
    "lokt guard node_modules --shared --wait -- npm test   # beside other readers",
  ],
};

/**
 * Runs `lokt guard`.
 *
 * @param args The parsed arguments.
 * @param io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, io: Io): Promise<CommandResult> {
  const name = nameArg(args, "guard");
  const argv = args.command;
  if (!argv || argv.length === 0) {
    throw new UsageError(
      "missing command: put it after --, e.g. lokt guard build -- make",
      "guard",
    );
  }
  const onLost = stringFlag(args, "on-lost") ?? "kill";
  if (onLost !== "kill" && onLost !== "warn") {
    throw new UsageError(`Invalid --on-lost ${JSON.stringify(onLost)}: use kill or warn`, "guard");
  }
  const conflictExit = conflictExitFlag(args);
  const graceText = stringFlag(args, "grace");
  const graceMs = graceText === undefined ? 5000 : parseDuration(graceText, "--grace");
  const ctx = openContext({ write: true, takes: true });
  const progress = waitProgressPrinter(io, name);
  let executable = "";
  let result;
  try {
    ({ result } = await acquireForRequest(ctx, name, {
      ...acquireRequest(args),
      hold: "instance",
      command: argv,
    }, {
      onProgress: progress,
      // Before taking the lock: a command that cannot run must not block anyone.
      beforeAcquire: () => {
        executable = resolveCommand(argv[0] as string);
        requirePermissions({ base: false, writeRoot: null, run: executable });
      },
    }));
  } catch (err) {
    if (conflictExit === null || !(err instanceof LoktError) || err.exitCode !== ExitCode.Held) {
      throw err;
    }
    // The refusal as always, under the caller's own exit code (a command may exit 2 itself).
    printError(io, "guard", err, conflictExit);
    return { exitCode: conflictExit, json: null, text: "" };
  }
  if (progress) Deno.stderr.writeSync(new TextEncoder().encode("\r\x1b[2K"));
  // Under its owner's own hold, or one inherited from a guard up the process
  // tree, the command runs nested: in the caller's process group, under that
  // hold, which guard neither renews nor releases (§4a).
  const nested = result.outcome === "nested";
  if (nested) {
    io.err(
      `note: running nested under the hold of "${name}" that ${
        result.record.hold === "owner"
          ? `${shown(result.record.owner)} holds`
          : "an ancestor guard holds"
      } (fence ${result.record.fence}); it stays held when the command ends`,
    );
  }
  // guard exits once its command has ended, so its heartbeat may keep the process alive.
  const lock = new Lock(ctx, result.record, {
    heartbeat: false,
    nested,
    stopMarginMs: graceMs,
    heartbeatKeepsAlive: true,
  });
  let outcome;
  // How the command ended, for the release event: its exit code, its signal, or why it never ran.
  let ended: Record<string, unknown> = { error: "guard stopped before the command ended" };
  try {
    outcome = await runGuarded(lock, executable, argv, {
      onLost,
      graceMs,
      env: {
        LOKT_LOCK: name,
        LOKT_LOCK_ID: lock.lockId,
        LOKT_FENCE: String(lock.fence),
        LOKT_OWNER: ctx.identity.owner,
        // A semaphore hold's slot (0 … N−1); empty for other modes, so an
        // inherited value never leaks into a command that has no slot.
        LOKT_SLOT: lock.slot === null ? "" : String(lock.slot),
        [HELD_VARIABLE]: passHold(name, lock.lockId),
      },
      warn: (message) => io.err(`warning: ${message}`),
      ownGroup: !nested,
      onGroup: (pgid) => recordCommandGroup(ctx, name, lock.lockId, pgid),
    });
    ended = outcome.signal ? { signal: outcome.signal } : { exit_code: outcome.exitCode };
  } catch (err) {
    ended = { error: err instanceof Error ? err.message : String(err) };
    throw err;
  } finally {
    // The heartbeat is stopped and awaited inside release(), after the child is gone.
    try {
      await lock.release(ended);
    } catch (err) {
      // The command's own exit code stands; the hold expires by its TTL (or
      // its process is gone, so the next acquirer finds it dead).
      io.err(`warning: cannot release "${name}": ${(err as Error).message}`);
    }
  }
  return {
    exitCode: outcome.exitCode,
    json: {
      ok: outcome.exitCode === 0,
      command: "guard",
      exit_code: outcome.exitCode,
      signal: outcome.signal,
      lost: outcome.lost,
      nested,
      forwarded: outcome.forwarded,
      lock: lock.record,
    },
    text: "",
  };
}

function conflictExitFlag(args: ParsedArgs): number | null {
  const text = stringFlag(args, "conflict-exit");
  if (text === undefined) return null;
  if (!/^\d{1,3}$/.test(text) || Number(text) > 255) {
    throw new UsageError(
      `Invalid --conflict-exit ${JSON.stringify(text)}: an exit code from 0 to 255`,
      "guard",
    );
  }
  return Number(text);
}
