/**
 * `lokt doctor`: validate the setup; exit 1 when any check FAILs.
 *
 * @module
 */

import type { CommandSpec, ParsedArgs } from "../args.ts";
import { openContext } from "../../core/context.ts";
import { runDoctor } from "../../core/doctor/doctor_checks.ts";
import type { AddCheck } from "../../core/doctor/state_checks.ts";
import { checkIntegration } from "../../agents/integration_checks.ts";
import { patternBase } from "../../sys/root.ts";
import type { CommandResult, Io } from "../output.ts";
import { paint } from "../output.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "doctor",
  summary: "check root, permissions, filesystem, clock, records, audit trail and config",
  usage: ["doctor [--json]"],
  flags: [],
  positionals: [],
  examples: ["lokt doctor", "lokt doctor --json"],
};

/**
 * Runs `lokt doctor`.
 *
 * @param _args The parsed arguments.
 * @param io The IO.
 * @returns The result.
 */
export async function run(_args: ParsedArgs, io: Io): Promise<CommandResult> {
  // A broken lokt.jsonc is one of doctor's findings, not a reason to stop.
  const ctx = openContext();
  const checks = await runDoctor(ctx);
  const add: AddCheck = (id, status, message, fix = null) =>
    checks.push({ id, status, message, fix: status === "OK" ? null : fix });
  checkIntegration({
    top: patternBase(ctx.rootInfo),
    root: ctx.rootInfo.root,
    env: (key) => Deno.env.get(key),
  }, add);
  const count = (s: string) => checks.filter((c) => c.status === s).length;
  const failed = count("FAIL") > 0;
  // The widest id sets the column (redis-persistence, codex-sandbox…).
  const width = Math.max(...checks.map((c) => c.id.length)) + 1;
  const lines = checks.map((c) => {
    const tag = paint(
      io,
      c.status === "OK" ? "green" : c.status === "WARN" ? "yellow" : "red",
      c.status.padEnd(4),
    );
    return `${tag}  ${c.id.padEnd(width)}${c.message}${
      c.fix ? `\n      ${"".padEnd(width)}fix: ${c.fix}` : ""
    }`;
  });
  lines.push("", `${count("OK")} ok, ${count("WARN")} warning(s), ${count("FAIL")} failure(s)`);
  return {
    exitCode: failed ? 1 : 0,
    json: {
      ok: !failed,
      command: "doctor",
      checks,
      summary: { ok: count("OK"), warn: count("WARN"), fail: count("FAIL") },
    },
    text: lines.join("\n"),
  };
}
