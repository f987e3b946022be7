/**
 * Where the hook finds its session handlers (`hook_sessions.ts`): a bundle
 * of its own, which the CLI loads only for a session's start or end
 * (`cli.ts` installs its loader); the dispatcher installs them built in.
 *
 * @module
 */

import type * as Sessions from "./hook_sessions.ts";
import { LoktError } from "../model/errors.ts";

/** The session handlers: the session bundle's exports. */
export type SessionHandlers = Pick<typeof Sessions, "startSession" | "endSession">;

// One process answers one hook event: the entry installs the loader once.
let loader: (() => SessionHandlers | Promise<SessionHandlers>) | null = null;

/**
 * Installs how this process gets the session handlers.
 *
 * @param load Returns them (the session bundle, imported).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { installSessionHandlers, sessionHandlers } from "./session_loader.ts";
 * import * as sessions from "./hook_sessions.ts";
 * installSessionHandlers(() => sessions);
 * assert.equal((await sessionHandlers()).startSession, sessions.startSession);
 * ```
 */
export function installSessionHandlers(
  load: () => SessionHandlers | Promise<SessionHandlers>,
): void {
  loader = load;
}

/**
 * The installed session handlers.
 *
 * @returns Them.
 * @throws {LoktError} When none are installed: lokt's own failure, which a
 * harness does not block on.
 *
 * @example Usage
 * ```ts
 * import { installSessionHandlers, sessionHandlers } from "./session_loader.ts";
 * import * as sessions from "./hook_sessions.ts";
 * installSessionHandlers(() => sessions);
 * await sessionHandlers();
 * ```
 */
export async function sessionHandlers(): Promise<SessionHandlers> {
  if (loader === null) throw new LoktError("lokt's session handlers are not installed");
  return await loader();
}
