/**
 * The entry of the CLI's hook bundle (`gen/hook.generated.js`): `lokt hook`,
 * which a harness runs before every edit of every agent, without loading the
 * dispatcher and the other commands.
 *
 * @module
 */

import * as hookCommand from "../commands/hook.ts";
import { runCommand } from "../run_command.ts";
import { installShellReader, type ShellReading } from "../../agents/shell_reader.ts";
import { installSessionHandlers, type SessionHandlers } from "../../agents/session_loader.ts";

/** Loaders of the hook's parts that are bundles of their own (`cli.ts` passes them). */
export interface HookBundles {
  /** The shell reading (`gen/shell.generated.js`): only a shell call needs it. */
  shell: () => Promise<ShellReading>;
  /** The session handlers (`gen/sessions.generated.js`): only a session's start and end. */
  sessions: () => Promise<SessionHandlers>;
}

/**
 * Runs `lokt hook …` exactly as the dispatcher would.
 *
 * @param argv The arguments, `hook` first.
 * @param bundles Loaders of the hook's own parts; without them a shell
 * command that needs reading is refused and a session's start or end fails
 * (non-blocking).
 * @returns The exit code.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { runHook } from "./hook_entry.ts";
 * // A hook with no harness named is a usage error (64), answered without a trace.
 * assert.equal(await runHook(["hook"]), 64);
 * ```
 */
export function runHook(argv: string[], bundles?: HookBundles): Promise<number> {
  if (bundles) {
    installShellReader(bundles.shell);
    installSessionHandlers(bundles.sessions);
  }
  return runCommand(() => hookCommand, "hook", argv.slice(1));
}
