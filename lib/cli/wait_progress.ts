/**
 * The live status line shown while waiting, on a terminal only.
 *
 * @module
 */

import { terminalSafe } from "../model/safe_text.ts";
import { formatDuration } from "../model/duration_format.ts";
import type { Io } from "./output.ts";
import type { WaitProgress } from "../core/locks/acquisition.ts";

/**
 * A progress callback that redraws one stderr line on a TTY (holder and
 * elapsed time), and prints nothing otherwise.
 *
 * @param io The IO.
 * @param name The lock name.
 * @returns The callback, or `undefined` when stderr is not a terminal.
 *
 * @example Usage
 * ```ts
 * import { waitProgressPrinter } from "./wait_progress.ts";
 * import { processIo } from "./output.ts";
 * const onProgress = waitProgressPrinter(processIo(false), "build"); // undefined unless stderr is a TTY
 * onProgress?.({ message: "held by agent-1", elapsedMs: 1_200, position: 0 });
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
    Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${terminalSafe(line.slice(0, width - 1))}`));
  };
}
