/**
 * The output layer: one result type per command, rendered as text or JSON by
 * the same function pair, so the two can never disagree.
 *
 * @module
 */

import { terminalSafe } from "../model/safe_text.ts";
import type { LoktError } from "../model/errors.ts";
import { UsageError } from "../model/errors.ts";
import { LockHeldError } from "../model/lock_errors.ts";
import { FrozenError } from "../model/freeze_errors.ts";
import { ReservationConflictError } from "../model/reservation_errors.ts";
import { granted } from "../sys/permissions.ts";

/** What a command produced. */
export interface CommandResult {
  /** The exit code. */
  exitCode: number;
  /** The JSON document (printed with `--json`); `null` when the command streamed its own output. */
  json: Record<string, unknown> | null;
  /** The human text (printed without `--json`); empty prints nothing. */
  text: string;
  /** Extra human text for stderr (warnings), printed in both modes. */
  warning?: string;
}

/** Where and how a command prints. */
export interface Io {
  /** `--json` was given. */
  json: boolean;
  /** Colour is allowed (stdout is a TTY and `NO_COLOR` is unset). */
  color: boolean;
  /** Writes a line to stdout. */
  out(text: string): void;
  /** Writes a line to stderr. */
  err(text: string): void;
}

const encoder = new TextEncoder();

/**
 * Whether `--json` was asked for: anywhere before a `--` (after it come a
 * guarded command's own arguments).
 *
 * @param argv The CLI arguments.
 * @returns `true` for JSON output.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { jsonRequested } from "./output.ts";
 * assert(!jsonRequested(["guard", "x", "--", "tool", "--json"]));
 * ```
 */
export function jsonRequested(argv: string[]): boolean {
  const dashDash = argv.indexOf("--");
  return (dashDash < 0 ? argv : argv.slice(0, dashDash)).includes("--json");
}

/**
 * The process's real stdout/stderr.
 *
 * @param json Whether `--json` was given.
 * @returns The IO.
 *
 * @example Usage
 * ```ts ignore
 * import { processIo } from "./output.ts";
 * processIo(false).out("hello");
 * ```
 */
export function processIo(json: boolean): Io {
  let color: boolean | undefined;
  return {
    json,
    // Decided when first needed (most output is never painted): colour needs a
    // terminal and NO_COLOR unset, which needs env access.
    get color() {
      return color ??= !json && Deno.stdout.isTerminal() && colorAllowed();
    },
    // Text that reaches a terminal carries no control sequence from data (§19); JSON escapes its own.
    out: (text) => writeLine(Deno.stdout, json ? text : terminalSafe(text)),
    err: (text) => writeLine(Deno.stderr, terminalSafe(text)),
  };
}

/** `NO_COLOR` unset; without env access (a missing --allow-env is reported later), no colour. */
function colorAllowed(): boolean {
  return granted({ name: "env", variable: "NO_COLOR" }) && (Deno.env.get("NO_COLOR") ?? "") === "";
}

/**
 * Writes one line to a stream, whole. A reader that has gone away (a closed
 * pipe, as after `| head -1`) is not a failure of the command: what it did
 * stands, and its exit code says so.
 *
 * @param stream The stream, e.g. `Deno.stdout`.
 * @param text The line, without its newline.
 *
 * @example Usage
 * ```ts
 * import { writeLine } from "./output.ts";
 * writeLine(Deno.stdout, "hello");
 * ```
 */
export function writeLine(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  const bytes = encoder.encode(`${text}\n`);
  let written = 0;
  try {
    while (written < bytes.length) written += stream.writeSync(bytes.subarray(written));
  } catch (err) {
    if (!(err instanceof Deno.errors.BrokenPipe)) throw err;
  }
}

/**
 * Wraps text in an ANSI style when colour is on.
 *
 * @param io The IO (decides colour).
 * @param style The style.
 * @param text The text.
 * @returns The styled text.
 *
 * @example Usage
 * ```ts
 * import { paint, processIo } from "./output.ts";
 * processIo(false).out(paint(processIo(false), "green", "ok"));
 * ```
 */
export function paint(
  io: Io,
  style: "red" | "green" | "yellow" | "bold" | "dim",
  text: string,
): string {
  if (!io.color) return text;
  const codes = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;
  return `\x1b[${codes[style]}m${text}\x1b[0m`;
}

/**
 * Prints a command's result in the chosen mode.
 *
 * @param io The IO.
 * @param result The result.
 *
 * @example Usage
 * ```ts
 * import { printResult, processIo } from "./output.ts";
 * printResult(processIo(false), { exitCode: 0, json: { ok: true }, text: "done" }); // prints "done"
 * ```
 */
export function printResult(io: Io, result: CommandResult): void {
  if (result.warning) io.err(`warning: ${result.warning}`);
  if (io.json) {
    if (result.json !== null) io.out(JSON.stringify(result.json));
  } else if (result.text) io.out(result.text);
}

/**
 * Prints an error: `error: …` on stderr, and with `--json` also one JSON
 * document on stdout, with the same exit code.
 *
 * @param io The IO.
 * @param command The command name, or `null`.
 * @param error The error.
 * @param exitCode The exit code the command ends with (guard's `--conflict-exit`). @default {error.exitCode}
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { printError } from "./output.ts";
 * import { UsageError } from "../model/errors.ts";
 * const lines: string[] = [];
 * const io = { json: false, color: false, out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
 * printError(io, "lock", new UsageError("missing <name>"));
 * assert(lines[0] === "error: missing <name>; see 'lokt lock --help'");
 * ```
 */
export function printError(
  io: Io,
  command: string | null,
  error: LoktError,
  exitCode: number = error.exitCode,
): void {
  let message = error.message;
  if (error instanceof UsageError && error.hint) {
    message += `; ${error.hint}`;
  } else if (error instanceof UsageError) {
    const cmd = error.command ?? command;
    message += `; see 'lokt ${cmd ? `${cmd} ` : ""}--help'`;
  }
  io.err(
    `${paint({ ...io, color: io.color && Deno.stderr.isTerminal() }, "red", "error:")} ${message}`,
  );
  if (io.json) {
    io.out(JSON.stringify({
      ok: false,
      command,
      exit_code: exitCode,
      error: { type: error.name, message: error.message },
      lock: error instanceof LockHeldError ? error.holder : null,
      freeze: error instanceof FrozenError ? error.freeze : null,
      conflicts: error instanceof ReservationConflictError
        ? error.conflicts.map((c) => ({
          pattern: c.pattern,
          reservation: c.reservation,
          expires_in_ms: c.expiresInMs,
        }))
        : null,
    }));
  }
}
