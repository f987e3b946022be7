/**
 * `lokt check <path>…`: may I write these paths now (docs/contract.md §15)? Read-only.
 * Paths are literal — `app/[slug]/page.tsx` is a file name — and each covers
 * its subtree (an existing file has none). Exit 0 when no other owner's reservation overlaps any of them
 * (with `--shared`: no exclusive one), 2 when one does, listing each.
 *
 * @module
 */

import { openContext } from "../../core/context.ts";
import { checkWithLinkedNames } from "../../core/reservations/linked_names.ts";
import { ExitCode } from "../../model/errors.ts";
import { describeConflict, UnsearchedLinksError } from "../../model/reservation_errors.ts";
import { realTop } from "../../core/reservations/target_paths.ts";
import type { CommandSpec, ParsedArgs } from "../args.ts";
import { patternArgs } from "../flags.ts";
import type { CommandResult, Io } from "../output.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "check",
  summary: "exit 0 if you may write these paths now, 2 if another owner reserved one",
  usage: ["check <path>… [--shared] [--json]"],
  flags: [{
    name: "shared",
    type: "boolean",
    help: "check read intent: only exclusive reservations of others are in the way",
  }],
  positionals: ["path..."],
  examples: ["lokt check src/auth/login.ts", "lokt check src/auth && vim src/auth/login.ts"],
};

/**
 * Runs `lokt check`.
 *
 * @param args The parsed arguments.
 * @param io The IO.
 * @returns The result.
 */
export async function run(args: ParsedArgs, io: Io): Promise<CommandResult> {
  const ctx = openContext();
  const base = realTop(ctx.rootInfo);
  const paths = patternArgs(args, "check", ctx, "path");
  const { conflicts, state, linked } = await checkWithLinkedNames(
    ctx,
    base,
    paths,
    args.flags.shared === true,
  );
  if (linked.unsearched !== null) throw new UnsearchedLinksError(linked.unsearched);
  // A corrupt index cannot say no: the answer is given from nothing, and said so.
  const warning = state.corruption === null
    ? null
    : `the reservations index is corrupt (${state.corruption}) and was ignored; run 'lokt doctor'`;
  if (warning) io.err(`warning: ${warning}`);
  const allowed = conflicts.length === 0;
  return {
    exitCode: allowed ? ExitCode.Ok : ExitCode.Held,
    json: {
      ok: true,
      command: "check",
      paths,
      shared: args.flags.shared === true,
      allowed,
      conflicts: conflicts.map((c) => ({
        path: c.pattern,
        ...(c.sameFileAs === undefined ? {} : { same_file_as: c.sameFileAs }),
        reservation: c.reservation,
        expires_in_ms: c.expiresInMs,
      })),
      warning,
    },
    text: allowed
      ? `ok: no other owner's reservation covers ${
        paths.length === 1 ? `"${paths[0]}"` : `these ${paths.length} paths`
      }`
      : conflicts.map(describeConflict).map((line) => `reserved: ${line}`).join("\n"),
  };
}
