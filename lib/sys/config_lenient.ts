/**
 * `lokt.jsonc` for calls that give back or look: a broken file is ignored
 * with a warning, unless it may name the backend (docs/contract.md §11).
 *
 * @module
 */

import { ExitCode, LoktError } from "../model/errors.ts";
import type { Config } from "./config.ts";
import { DEFAULT_CONFIG, loadConfig } from "./config.ts";
import type { RootInfo } from "./root.ts";
import { configPath } from "./root.ts";

/**
 * `lokt.jsonc` for a call that gives back or looks (`unlock`, `release`,
 * `status`, `why`, the hooks, …): a broken file must not stop them, so it is
 * ignored with a warning and the defaults apply — unless its text may name
 * the backend and `LOKT_BACKEND` does not, because then lokt cannot tell
 * which store holds the locks, and guessing the file store could split a
 * team across two stores. Calls that take (`lock`, `guard`, `reserve`,
 * `freeze`) use {@linkcode loadConfig}, which refuses a broken file.
 *
 * @param info The resolved root.
 * @param cwd The current directory.
 * @param warn Told once when a broken file is ignored.
 * @returns The configuration.
 * @throws {LoktError} When the file is broken and may name the backend (and `LOKT_BACKEND` is unset), or cannot be read.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { lenientConfig } from "./config_lenient.ts";
 * import { DEFAULT_CONFIG } from "./config.ts";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/lokt.jsonc`, "{ broken");
 * const info = { root: `${dir}/.lokt`, source: "dotlokt", repo: null, gitCommonDir: null } as const;
 * const warnings: string[] = [];
 * assert.equal(lenientConfig(info, dir, (w) => warnings.push(w)), DEFAULT_CONFIG);
 * assert.match(warnings[0] ?? "", /lokt.jsonc:1/);
 * Deno.writeTextFileSync(`${dir}/lokt.jsonc`, '{ "backend": "redis://x" ');
 * if (!Deno.env.get("LOKT_BACKEND")) assert.throws(() => lenientConfig(info, dir, () => {}), /LOKT_BACKEND/);
 * ```
 */
export function lenientConfig(
  info: RootInfo,
  cwd: string,
  warn: (message: string) => void,
): Config {
  try {
    return loadConfig(info, cwd);
  } catch (err) {
    if (!(err instanceof LoktError) || !err.message.startsWith("Invalid config")) throw err;
    let text = "";
    try {
      text = Deno.readTextFileSync(configPath(info, cwd));
    } catch {
      // Unreadable now: judged by what loadConfig said.
    }
    if (!Deno.env.get("LOKT_BACKEND") && /backend|redis/i.test(text)) {
      throw new LoktError(
        `${err.message}; it may name the backend, so lokt cannot tell which store holds the locks: fix it, or set LOKT_BACKEND for this call`,
        ExitCode.Error,
        { cause: err },
      );
    }
    warn(`${err.message} — ignored here (defaults apply); fix it, 'lokt doctor' shows it`);
    return DEFAULT_CONFIG;
  }
}
