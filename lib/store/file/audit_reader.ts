/**
 * Reading the audit trail files: streamed line by line (memory does not grow
 * with the file), malformed lines skipped, filters applied on the raw text
 * before parsing where possible, so a million-line trail reads in a few seconds.
 *
 * @module
 */

import type { AuditEvent } from "../../model/audit_event.ts";
import type { AuditQuery } from "../../model/audit_query.ts";
import { eventMatcher } from "../../model/audit_query.ts";
import type { AuditReadStats } from "../lock_store.ts";
import { windowStart } from "./audit_seek.ts";

/** The size of one read: large, since each read is a round trip to a worker thread. */
export const CHUNK: number = 1 << 16;

/**
 * Reads the events matching a query from the given files (oldest file first),
 * streaming each file.
 *
 * @param paths The trail files, oldest first (missing files are skipped).
 * @param query Filters and limit.
 * @param stats Filled with line counts, when given.
 * @param endOffsets Per path, stop reading at this byte offset (where a follow starts).
 * @returns The matching events, oldest first.
 *
 * @example Usage
 * ```ts ignore
 * import { readAuditFiles } from "./audit_reader.ts";
 * for await (const event of readAuditFiles(["/repo/.git/lokt/audit.jsonl"], { name: "build" })) {
 *   console.log(event.ts, event.event);
 * }
 * ```
 */
export async function* readAuditFiles(
  paths: string[],
  query: AuditQuery = {},
  stats: AuditReadStats = { lines: 0, malformed: 0 },
  endOffsets: Record<string, number> = {},
): AsyncGenerator<AuditEvent> {
  const match = eventMatcher(query);
  const limit = query.limit ?? null;
  // With a limit, only the newest N are kept: a ring buffer, never the whole file.
  const ring: AuditEvent[] = [];
  let start = 0;
  for (const path of paths) {
    // A window's start is found by bisection, not by reading from the start.
    const from = query.sinceMs == null ? 0 : await windowStart(path, query.sinceMs);
    for await (const line of lines(path, endOffsets[path] ?? Infinity, from)) {
      stats.lines++;
      const event = match(line);
      if (event === "malformed") stats.malformed++;
      if (event === null || event === "malformed") continue;
      if (limit === null) {
        yield event;
      } else if (limit > 0) {
        if (ring.length < limit) ring.push(event);
        else {
          ring[start] = event;
          start = (start + 1) % limit;
        }
      }
    }
  }
  for (let i = 0; i < ring.length; i++) yield ring[(start + i) % ring.length] as AuditEvent;
}

/**
 * Streams the lines of a file (a missing file has none). Invalid UTF-8 is
 * replaced, so one bad line cannot stop the reader.
 *
 * @param path The file.
 * @param endOffset Stop at this byte offset.
 * @param startOffset Start at this byte offset (a line's first byte).
 * @returns The lines, without their newlines.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { lines } from "./audit_reader.ts";
 * const path = `${Deno.makeTempDirSync()}/t.jsonl`;
 * Deno.writeTextFileSync(path, "a\nb\n");
 * const seen: string[] = [];
 * for await (const line of lines(path)) seen.push(line);
 * assert(seen.join() === "a,b");
 * ```
 */
export async function* lines(
  path: string,
  endOffset = Infinity,
  startOffset = 0,
): AsyncGenerator<string> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) return;
    throw err;
  }
  const decoder = new TextDecoder("utf-8", { fatal: false });
  const buffer = new Uint8Array(CHUNK);
  let rest = "";
  let offset = startOffset;
  try {
    if (startOffset > 0) await file.seek(startOffset, Deno.SeekMode.Start);
    while (offset < endOffset) {
      const want = Math.min(CHUNK, endOffset - offset);
      const n = await file.read(buffer.subarray(0, want));
      if (n === null) break;
      offset += n;
      const text = rest + decoder.decode(buffer.subarray(0, n), { stream: true });
      const parts = text.split("\n");
      rest = parts.pop() ?? "";
      for (const part of parts) yield part;
    }
    rest += decoder.decode();
    if (rest !== "") yield rest;
  } finally {
    file.close();
  }
}
