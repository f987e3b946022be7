/**
 * Running one command: parse its arguments, answer `--help`, check the base
 * permissions, run it, print its result, and map any error to its message
 * and exit code — the one place where errors become output. The dispatcher
 * and the entries of the guard and hook bundles all run commands through it.
 *
 * @module
 */

import { LoktError, toLoktError } from "../model/errors.ts";
import { requirePermissions } from "../sys/permissions.ts";
import { helpText, parseArgs } from "./args.ts";
import type { CommandSpec, ParsedArgs } from "./args.ts";
import type { CommandResult, Io } from "./output.ts";
import { jsonRequested, printError, printResult, processIo } from "./output.ts";

/** What every command module exports. */
export interface CommandModule {
  /** The command's flags and help. */
  spec: CommandSpec;
  /** Runs the command. */
  run(args: ParsedArgs, io: Io): Promise<CommandResult>;
}

/**
 * Runs a command module on its arguments and returns the exit code. Never
 * throws: an unexpected failure still gets one `error:` line, never a trace.
 *
 * @param load Loads the command's module.
 * @param name The command's name (for help and error pointers), or `null` before it is known.
 * @param argv The arguments after the command name.
 * @param io Where to print. @default {the process's stdout/stderr, JSON when `--json` was given}
 * @returns The exit code.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { runCommand } from "./run_command.ts";
 * const code = await runCommand(() => import("./commands/version.ts"), "version", ["--json"]);
 * assert(code === 0);
 * ```
 */
export async function runCommand(
  load: () => CommandModule | Promise<CommandModule>,
  name: string | null,
  argv: string[],
  io: Io = processIo(jsonRequested(argv)),
): Promise<number> {
  try {
    const mod = await load();
    const args = parseArgs(mod.spec, argv);
    if (args.flags.help) {
      io.out(helpText(mod.spec));
      return 0;
    }
    // A harness's hook reads its event from a pipe, where Deno never prompts:
    // there a missing permission fails the first call that needs it, and the
    // hook reports it (exit 1, never a block) without paying for Deno's
    // permission query, whose first call costs ~0.3 ms (docs/performance.md).
    if (name !== "version" && name !== "hook") requirePermissions({ writeRoot: null, run: null });
    const result = await mod.run(args, io);
    printResult(io, result);
    return result.exitCode;
  } catch (err) {
    return reportError(io, name, err);
  }
}

/**
 * Prints any thrown value as lokt's one-line error (and the JSON error
 * document with `--json`) and returns its exit code.
 *
 * @param io Where to print.
 * @param name The command, or `null`.
 * @param err What was thrown.
 * @returns The exit code.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { reportError } from "./run_command.ts";
 * import { UsageError } from "../model/errors.ts";
 * const lines: string[] = [];
 * const io = { json: false, color: false, out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
 * assert(reportError(io, null, new UsageError("missing command")) === 64);
 * assert(lines[0] === "error: missing command; see 'lokt --help'");
 * ```
 */
export function reportError(io: Io, name: string | null, err: unknown): number {
  const error = toLoktError(err);
  if (!(err instanceof LoktError) && !(err instanceof Deno.errors.NotCapable)) {
    // An unexpected failure still gets one line, never a stack trace.
    error.message = `internal error: ${error.message}`;
  }
  printError(io, name, error);
  return error.exitCode;
}

/**
 * Runs a command in this process with `--json` semantics and collects what
 * it prints on stdout, line by line (for servers that answer with the CLI's
 * own documents: `lokt mcp`, `lokt dashboard`).
 *
 * @param load Loads the command's module.
 * @param name The command's name.
 * @param argv Its arguments (after the name).
 * @returns The exit code and the non-empty lines printed.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { captureCommand } from "./run_command.ts";
 * const { code, lines } = await captureCommand(() => import("./commands/version.ts"), "version", []);
 * assert(code === 0 && lines.length === 1);
 * ```
 */
export async function captureCommand(
  load: () => CommandModule | Promise<CommandModule>,
  name: string,
  argv: string[],
): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const io: Io = {
    json: true,
    color: false,
    out: (t) => lines.push(...t.split("\n")),
    err: () => {},
  };
  const code = await runCommand(load, name, argv, io);
  return { code, lines: lines.filter((l) => l.trim() !== "") };
}
