/**
 * The live status line shown while waiting, on a terminal only.
 *
 * @module
 */

import { formatDuration } from "../model/duration_format.ts";
import type { Io } from "./output.ts";
import type { WaitProgress } from "../core/wait.ts";

/**
 * A progress callback that redraws one stderr line on a TTY (holder and
 * elapsed time), and prints nothing otherwise.
 *
 * @param io The IO.
 * @param name The lock name.
 * @returns The callback, or `undefined` when stderr is not a terminal.
 *
 * @example Usage
 * ```ts ignore
 * import { waitProgressPrinter } from "./wait_progress.ts";
 * ```
 */
export function waitProgressPrinter(
  io: Io,
  name: string,
): ((progress: WaitProgress) => void) | undefined {
  if (io.json || !Deno.stderr.isTerminal()) return undefined;
  const encoder = new TextEncoder();
  return (progress) => {
    const where = progress.position > 0 ? ` (#${progress.position + 1} in queue)` : "";
    const line = `waiting for "${name}" ${formatDuration(progress.elapsedMs)}${where}: ${
      progress.message.replace(/; run 'lokt why .*$/, "")
    }`;
    const width = Deno.consoleSize?.().columns ?? 100;
    Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${line.slice(0, width - 1)}`));
  };
}
