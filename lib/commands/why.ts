/**
 * `lokt why <name>`: would acquiring succeed now? Every reason it would not,
 * each with the exact commands that clear it. Exit 0 when it would, 2 when not.
 *
 * @module
 */

import type { CommandSpec, ParsedArgs } from "../args.ts";
import { openContext } from "../context.ts";
import { formatDuration } from "../duration.ts";
import { inspectLock } from "../engine.ts";
import { ExitCode } from "../errors.ts";
import { inspectFreeze } from "../freeze.ts";
import type { CommandResult, Io } from "../output.ts";
import { waitersAhead } from "../wait.ts";
import { nameArg, stateJson } from "./_shared.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "why",
  summary: "explain whether a lock can be acquired now, and how to clear each obstacle",
  usage: ["why <name> [--json]"],
  flags: [],
  positionals: ["name"],
  examples: ["lokt why build", "lokt why build --json"],
};

/** One reason, with whether it blocks and how to clear it. */
interface Reason {
  code: string;
  blocking: boolean;
  message: string;
  fix: string[];
}

/**
 * Runs `lokt why`.
 *
 * @param args The parsed arguments.
 * @param _io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, _io: Io): Promise<CommandResult> {
  const name = nameArg(args, "why");
  const ctx = openContext();
  const state = await inspectLock(ctx, name);
  const freeze = await inspectFreeze(ctx, name);
  const reasons: Reason[] = [];
  const r = state.record;
  if (freeze?.active && freeze.record) {
    const f = freeze.record;
    const mine = f.owner === ctx.identity.owner;
    reasons.push({
      code: "frozen",
      blocking: true,
      message: `frozen by ${f.owner}${mine ? " (you)" : ""}${
        f.reason ? ` (${f.reason})` : ""
      } for ${formatDuration(freeze.expiresInMs ?? 0)} more`,
      fix: [
        mine ? `lokt unfreeze ${name}` : `lokt unfreeze ${name} --force`,
        `lokt lock ${name} --wait`,
      ],
    });
  } else if (freeze?.corruption) {
    reasons.push({
      code: "corrupt-freeze",
      blocking: false,
      message: `the freeze file is corrupt (${freeze.corruption}) and is ignored`,
      fix: [`lokt unfreeze ${name} --force`],
    });
  }
  if (state.status === "corrupt") {
    const young = state.graceLeftMs !== 0;
    reasons.push({
      code: "corrupt",
      blocking: young,
      message: `the lock record is corrupt (${state.corruption})${
        young
          ? `; it may be mid-write, so it is replaced only after ${
            formatDuration(state.graceLeftMs ?? 0)
          }`
          : "; acquiring will replace it (corrupt-break)"
      }`,
      fix: [`lokt unlock ${name} --force`],
    });
  } else if (r && state.status === "held" && state.mine) {
    reasons.push({
      code: "mine",
      blocking: false,
      message: `you hold it (fence ${r.fence}); acquiring again renews it`,
      fix: [`lokt unlock ${name}`],
    });
  } else if (r && state.status === "held") {
    const left = state.expiresInMs === null
      ? `no expiry while pid ${r.pid} lives (${state.liveness})`
      : `expires in ${formatDuration(state.expiresInMs)} (${state.liveness})`;
    reasons.push({
      code: "held",
      blocking: true,
      message: `held by ${r.owner} (agent ${r.agent_id}, host ${r.host}, pid ${r.pid}) for ${
        formatDuration(state.ageMs ?? 0)
      }; ${left}${r.reason ? `; reason: ${r.reason}` : ""}${
        r.command ? `; running: ${r.command.join(" ")}` : ""
      }`,
      fix: [
        `lokt lock ${name} --wait`,
        `lokt unlock ${name} --force   # break-glass: tell ${r.owner}`,
      ],
    });
  } else if (r && state.status === "expired") {
    reasons.push({
      code: "expired",
      blocking: false,
      message: `held by ${r.owner} but expired ${
        formatDuration(-(state.expiresInMs ?? 0))
      } ago and not yet broken; acquiring will take it over (expire-break)`,
      fix: [`lokt unlock ${name} --break-stale`],
    });
  } else if (r && state.status === "dead") {
    reasons.push({
      code: "dead",
      blocking: false,
      message:
        `held by ${r.owner} but its process (pid ${r.pid}) is gone; acquiring will take it over (dead-break)`,
      fix: [`lokt unlock ${name} --break-stale`],
    });
  }
  if (state.clockSkew) {
    reasons.push({ code: "clock-skew", blocking: false, message: state.clockSkew, fix: [] });
  }
  const queued = await waitersAhead(ctx, name, null);
  if (queued > 0 && !(state.mine && state.status === "held")) {
    reasons.push({
      code: "queued",
      blocking: true,
      message: `${queued} waiter(s) are queued and will be served first`,
      fix: [`lokt lock ${name} --wait`],
    });
  }
  const canAcquire = !reasons.some((x) => x.blocking);
  const head = canAcquire
    ? state.status === "free" && reasons.length === 0
      ? `"${name}" is free: acquiring would succeed now`
      : `"${name}" can be acquired now`
    : `"${name}" cannot be acquired now`;
  const lines = [head];
  for (const reason of reasons) {
    lines.push(`- ${reason.code}: ${reason.message}`);
    for (const fix of reason.fix) lines.push(`    ${fix}`);
  }
  return {
    exitCode: canAcquire ? ExitCode.Ok : ExitCode.Held,
    json: {
      ok: true,
      command: "why",
      name,
      can_acquire: canAcquire,
      reasons,
      lock: stateJson(state),
      freeze: freeze?.record ?? null,
      queued,
    },
    text: lines.join("\n"),
  };
}
