/**
 * Finding where a time window starts in an audit trail file without reading
 * it from the beginning (`audit --since 1h` on a 246 MB trail): a binary
 * search over byte offsets, reading one line's time at each probe.
 *
 * The trail is in time order only roughly: many processes append, each with
 * its own clock, and a line is written after its time was taken. So the
 * search looks for the first line older than the window's start by a margin
 * ({@link SEEK_MARGIN_MS}), and reading begins there; every line read is
 * still filtered by its exact time. A writer whose clock is off by more than
 * the margin may have lines that a search skips — the one thing a full scan
 * would have given.
 *
 * @module
 */

/** How far behind the window's start reading begins: writers' clocks and write delays differ. */
export const SEEK_MARGIN_MS = 60_000;

/** Files smaller than this are read whole: a search would save nothing. */
const SEEK_MIN_BYTES = 1 << 20;

/** How much is read at each probe: enough for a few whole lines. */
const PROBE_BYTES = 4096;

/**
 * The byte offset of a line at or before which every line is older than
 * `sinceMs - SEEK_MARGIN_MS`, found by bisection (0 for small files, or when
 * no time can be read).
 *
 * @param path The trail file.
 * @param sinceMs The window's start (ms).
 * @returns Where to start reading (a line's first byte).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { windowStart } from "./audit_seek.ts";
 * const path = `${Deno.makeTempDirSync()}/audit.jsonl`;
 * const line = (ms: number) => JSON.stringify({ ts: new Date(ms).toISOString(), event: "acquire" }) + "\n";
 * let text = "";
 * for (let i = 0; i < 40_000; i++) text += line(i * 60_000);
 * Deno.writeTextFileSync(path, text);
 * const start = await windowStart(path, 30_000 * 60_000);
 * const first = text.slice(start, text.indexOf("\n", start));
 * assert(Date.parse(JSON.parse(first).ts) < 30_000 * 60_000 - 60_000);
 * assert(start > text.length / 2);
 * ```
 */
export async function windowStart(path: string, sinceMs: number): Promise<number> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch {
    return 0;
  }
  try {
    const size = (await file.stat()).size;
    if (size < SEEK_MIN_BYTES) return 0;
    const target = sinceMs - SEEK_MARGIN_MS;
    // Invariant: the line starting at `low` is older than the target (or low is 0).
    let low = 0;
    let high = size;
    while (high - low > PROBE_BYTES) {
      const mid = Math.floor((low + high) / 2);
      const probe = await lineTimeAfter(file, mid);
      if (probe === null) {
        high = mid;
      } else if (probe.ms < target) {
        low = probe.offset;
      } else {
        high = mid;
      }
    }
    return low;
  } finally {
    file.close();
  }
}

/** The first whole line after `offset` whose time can be read: its start and time. */
async function lineTimeAfter(
  file: Deno.FsFile,
  offset: number,
): Promise<{ offset: number; ms: number } | null> {
  await file.seek(offset, Deno.SeekMode.Start);
  const buffer = new Uint8Array(PROBE_BYTES);
  const n = await file.read(buffer);
  if (n === null) return null;
  const bytes = buffer.subarray(0, n);
  // Whole lines only: from just after the first newline (bytes, so offsets stay exact).
  let at = offset === 0 ? 0 : bytes.indexOf(0x0a) + 1;
  if (at === 0 && offset !== 0) return null;
  const decoder = new TextDecoder();
  while (at < bytes.length) {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) return null;
    const ts = /^\{"ts":"([^"]+)"/.exec(decoder.decode(bytes.subarray(at, end)))?.[1];
    const ms = ts ? Date.parse(ts) : NaN;
    if (!Number.isNaN(ms)) return { offset: offset + at, ms };
    at = end + 1;
  }
  return null;
}
