/**
 * The CLI dispatcher: the table of commands, top-level help and `--version`,
 * and the hand-over of a call to its command (loading only that command's
 * module) through `runCommand`, which prints results and errors.
 *
 * @module
 */

import { ExitCode, UsageError } from "../../model/errors.ts";
import { VERSION } from "../../model/package_version.ts";
import { helpText } from "../args.ts";
import type { Io } from "../output.ts";
import { jsonRequested, printError, processIo } from "../output.ts";
import { reportError, runCommand } from "../run_command.ts";
import type { CommandModule } from "../run_command.ts";
import { installShellReader } from "../../agents/shell_reader.ts";
import { installSessionHandlers } from "../../agents/session_loader.ts";

/** Commands, with their summaries for `lokt --help`, loaded lazily. */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  guard: {
    summary: "run a command while holding a lock, release on every exit",
    load: () => import("../commands/guard.ts"),
  },
  lock: {
    summary: "acquire a lock and exit, leaving it held",
    load: () => import("../commands/lock.ts"),
  },
  unlock: {
    summary: "release your lock, break a stale one, or force-break",
    load: () => import("../commands/unlock.ts"),
  },
  reserve: {
    summary: "claim paths you are about to edit, all patterns or none",
    load: () => import("../commands/reserve.ts"),
  },
  release: {
    summary: "drop your path reservations",
    load: () => import("../commands/release.ts"),
  },
  check: {
    summary: "exit 0 if you may write these paths now, 2 if another owner reserved one",
    load: () => import("../commands/check.ts"),
  },
  dashboard: {
    summary: "serve a read-only, live web page of locks, reservations, freezes and the timeline",
    load: () => import("../dashboard/dashboard_command.ts"),
  },
  mcp: {
    summary: "serve lokt's tools to an agent harness over MCP (stdio)",
    load: () => import("../commands/mcp.ts"),
  },
  init: {
    summary: "set up hooks for Claude Code, Codex and git, and the primer in AGENTS.md",
    load: () => import("../commands/init.ts"),
  },
  hook: {
    summary: "answer an agent harness's hook event, or guard a git commit",
    // cli.ts runs `hook` from its own bundle; here (mod.ts's hand-over) its
    // shell reading and session handlers are built in.
    load: async () => {
      installShellReader(() => import("../../agents/shell_targets.ts"));
      installSessionHandlers(() => import("../../agents/hook_sessions.ts"));
      return await import("../commands/hook.ts");
    },
  },
  prime: {
    summary: "what an agent needs to know now: identity, locks, reservations, conventions",
    load: () => import("../commands/prime.ts"),
  },
  status: {
    summary: "show held locks, reservations and freezes",
    load: () => import("../commands/status.ts"),
  },
  why: {
    summary: "explain whether a lock can be acquired now, and how to clear it",
    load: () => import("../commands/why.ts"),
  },
  exists: {
    summary: "exit 0 if a lock is held, 3 if not",
    load: () => import("../commands/exists.ts"),
  },
  freeze: {
    summary: "block every new acquisition of a name for a while",
    load: () => import("../commands/freeze.ts"),
  },
  unfreeze: {
    summary: "lift a freeze",
    load: () => import("../commands/unfreeze.ts"),
  },
  audit: {
    summary: "query or follow the audit trail",
    load: () => import("../commands/audit.ts"),
  },
  doctor: {
    summary: "check that the setup is sound",
    load: () => import("../commands/doctor.ts"),
  },
  whoami: {
    summary: "show the identity lokt acts as",
    load: () => import("../commands/whoami.ts"),
  },
  version: {
    summary: "print the version",
    load: () => import("../commands/version.ts"),
  },
};

/**
 * Runs the CLI and returns the exit code. Never throws.
 *
 * @param argv The arguments.
 * @returns The exit code.
 *
 * @example Usage
 * ```ts ignore
 * import { run } from "./dispatcher.ts";
 * Deno.exit(await run(["status", "--json"]));
 * ```
 */
export async function run(argv: string[]): Promise<number> {
  const io = processIo(jsonRequested(argv));
  const first = argv[0];
  if (first === "--help" || first === "-h") {
    io.out(topHelp());
    return ExitCode.Ok;
  }
  if (first === "help") return await help(io, argv[1]);
  if (first === undefined) {
    io.err(topHelp());
    return reportError(io, null, new UsageError("missing command"));
  }
  const version = first === "--version" || first === "-V";
  const name = version ? "version" : first;
  const entry = COMMANDS[name];
  if (!entry) {
    return reportError(
      io,
      null,
      new UsageError(`unknown command ${JSON.stringify(name)}${suggest(name)}`),
    );
  }
  return await runCommand(entry.load, name, version ? [] : argv.slice(1), io);
}

async function help(io: Io, name: string | undefined): Promise<number> {
  if (name === undefined) {
    io.out(topHelp());
    return ExitCode.Ok;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    printError(io, null, new UsageError(`unknown command ${JSON.stringify(name)}${suggest(name)}`));
    return ExitCode.Usage;
  }
  io.out(helpText((await entry.load()).spec));
  return ExitCode.Ok;
}

function suggest(name: string): string {
  const close = Object.keys(COMMANDS).find((c) =>
    c.startsWith(name.slice(0, 2)) && name.length > 1
  );
  return close ? ` (did you mean '${close}'?)` : "";
}

/**
 * The top-level help text.
 *
 * @returns The help text.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { topHelp } from "./dispatcher.ts";
 * assert(topHelp().includes("guard"));
 * ```
 */
export function topHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    `lokt ${VERSION} — file-based locks for agents and people sharing one repository`,
    "",
    "Usage: lokt <command> [flags]     (flags may come before or after the lock name)",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Exit codes: 0 ok · 1 error · 2 held/frozen/timed out · 3 not found · 4 not owner · 64 usage",
    "",
    "Examples:",
    "  lokt guard build --ttl 5m -- make build",
    "  lokt lock deploy --ttl 30m --reason 'release 1.2'",
    "  lokt why build",
    "",
    "Run 'lokt <command> --help' for a command's flags.",
  ].join("\n");
}
