/**
 * Reading the audit trail: streamed line by line (memory does not grow with
 * the file), malformed lines skipped, filters applied on the raw text before
 * parsing where possible, so a million-line trail reads in a few seconds.
 *
 * @module
 */

import type { AuditEvent } from "../model/audit_event.ts";
import { AUDIT_EVENTS } from "../model/audit_event.ts";
import { parseDuration } from "../model/duration.ts";
import { UsageError } from "../model/errors.ts";

/** What to read from the trail. */
export interface AuditQuery {
  /** Only events at or after this time (ms since epoch). */
  sinceMs?: number | null;
  /** Only events at or before this time (ms since epoch). */
  untilMs?: number | null;
  /** Only this lock name. */
  name?: string | null;
  /** Only this owner (the actor). */
  owner?: string | null;
  /** Only these event kinds. */
  events?: readonly string[] | null;
  /** Keep only the newest N (still yielded oldest first). */
  limit?: number | null;
}

/** Statistics of a read. */
export interface AuditReadStats {
  /** Lines read. */
  lines: number;
  /** Lines skipped because they were not valid events. */
  malformed: number;
}

const CHUNK = 1 << 16;

/**
 * Parses a `--since`/`--until` value: a duration ago (`1h`) or a timestamp.
 *
 * @param text The value.
 * @param now The current time in ms.
 * @param flag The flag, for messages.
 * @returns The time in ms since the epoch.
 * @throws {UsageError} When neither a duration nor a timestamp.
 *
 * @example Usage
 * ```ts
 * import { parseTimeBound } from "./audit_reader.ts";
 * console.assert(parseTimeBound("1h", 3_600_000, "--since") === 0);
 * ```
 */
export function parseTimeBound(text: string, now: number, flag: string): number {
  if (/^\d+(\.\d+)?(ms|s|m|h|d)/.test(text)) return now - parseDuration(text, flag);
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new UsageError(
    `Invalid ${flag} ${
      JSON.stringify(text)
    }: use a duration (30m, 2h) or a timestamp (2026-01-31T12:00:00Z)`,
  );
}

/**
 * Validates `--event` values.
 *
 * @param text A comma-separated list of event kinds.
 * @returns The kinds.
 * @throws {UsageError} On an unknown kind.
 *
 * @example Usage
 * ```ts
 * import { parseEventList } from "./audit_reader.ts";
 * console.assert(parseEventList("acquire,release").length === 2);
 * ```
 */
export function parseEventList(text: string): string[] {
  const kinds = text.split(",").map((k) => k.trim()).filter((k) => k !== "");
  for (const kind of kinds) {
    if (!(AUDIT_EVENTS as readonly string[]).includes(kind)) {
      throw new UsageError(
        `Unknown event ${JSON.stringify(kind)}: one of ${AUDIT_EVENTS.join(", ")}`,
      );
    }
  }
  if (kinds.length === 0) throw new UsageError("--event needs at least one event kind");
  return kinds;
}

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
  const match = matcher(query);
  const limit = query.limit ?? null;
  // With a limit, only the newest N are kept: a ring buffer, never the whole file.
  const ring: AuditEvent[] = [];
  let start = 0;
  for (const path of paths) {
    for await (const line of lines(path, endOffsets[path] ?? Infinity)) {
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
 * A line matcher: cheap text checks first (the `ts` prefix, the quoted name),
 * then a full parse and validation of the candidates.
 */
function matcher(query: AuditQuery): (line: string) => AuditEvent | null | "malformed" {
  const since = query.sinceMs != null ? new Date(query.sinceMs).toISOString() : null;
  const until = query.untilMs != null ? new Date(query.untilMs).toISOString() : null;
  const nameText = query.name ? `"name":${JSON.stringify(query.name)}` : null;
  const ownerText = query.owner ? `"owner":${JSON.stringify(query.owner)}` : null;
  const events = query.events && query.events.length ? new Set(query.events) : null;
  return (line) => {
    if (line.trim() === "") return null;
    // Lines written by lokt start with {"ts":"<ISO time>"; ISO times compare as strings.
    if (line.startsWith('{"ts":"') && (since || until)) {
      const ts = line.slice(7, 31);
      if (since && ts < since) return null;
      if (until && ts > until) return null;
    }
    if (nameText && !line.includes(nameText)) return null;
    if (ownerText && !line.includes(ownerText)) return null;
    const event = parseEvent(line);
    if (!event) return "malformed";
    if (query.name && event.name !== query.name) return null;
    if (query.owner && event.owner !== query.owner) return null;
    if (events && !events.has(event.event)) return null;
    const at = Date.parse(event.ts);
    if (query.sinceMs != null && at < query.sinceMs) return null;
    if (query.untilMs != null && at > query.untilMs) return null;
    return event;
  };
}

/**
 * Parses one line into an event, or `null` when it is not one.
 *
 * @param line The line.
 * @returns The event, or `null`.
 *
 * @example Usage
 * ```ts
 * import { parseEvent } from "./audit_reader.ts";
 * console.assert(parseEvent("not json") === null);
 * ```
 */
export function parseEvent(line: string): AuditEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object") return null;
  const e = value as Record<string, unknown>;
  if (
    typeof e.ts !== "string" || Number.isNaN(Date.parse(e.ts)) || typeof e.event !== "string" ||
    typeof e.name !== "string" || typeof e.owner !== "string"
  ) {
    return null;
  }
  return e as unknown as AuditEvent;
}

/**
 * Streams the lines of a file (a missing file has none). Invalid UTF-8 is
 * replaced, so one bad line cannot stop the reader.
 */
async function* lines(path: string, endOffset = Infinity): AsyncGenerator<string> {
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
  let offset = 0;
  try {
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

/**
 * Follows a trail file: yields events appended after the call, reopening the
 * file when it is rotated (renamed) or truncated, until `signal` aborts.
 *
 * @param path The trail file.
 * @param query Filters (limit is ignored).
 * @param signal Stops following.
 * @param options `pollMs`: how often to look for new data; `start`: the file
 *   and offset to continue from (from {@linkcode followStart}), so that nothing
 *   between a history read and the follow is lost or repeated.
 * @returns The new events as they arrive.
 *
 * @example Usage
 * ```ts ignore
 * import { followAudit } from "./audit_reader.ts";
 * const stop = new AbortController();
 * for await (const e of followAudit("/repo/.git/lokt/audit.jsonl", {}, stop.signal)) console.log(e);
 * ```
 */
export async function* followAudit(
  path: string,
  query: AuditQuery,
  signal: AbortSignal,
  options: { pollMs?: number; start?: FollowStart | null } = {},
): AsyncGenerator<AuditEvent> {
  const pollMs = options.pollMs ?? 200;
  const match = matcher({ ...query, limit: null });
  let file: Deno.FsFile | null = null;
  let ino: number | null = null;
  let offset = 0;
  let rest = "";
  const decoder = new TextDecoder("utf-8", { fatal: false });
  const open = async (from: number | "end") => {
    try {
      file = await Deno.open(path, { read: true });
      const info = await file.stat();
      ino = info.ino;
      offset = from === "end" ? info.size : from;
      await file.seek(offset, Deno.SeekMode.Start);
      rest = "";
    } catch {
      file = null;
    }
  };
  // Reads what the open file has beyond `offset`: the held handle still reads a
  // file that was renamed away, so nothing written before a rotation is missed.
  async function* drain(): AsyncGenerator<AuditEvent> {
    if (!file) return;
    const buffer = new Uint8Array(CHUNK);
    for (;;) {
      const n = await file.read(buffer);
      if (n === null || n === 0) break;
      offset += n;
      const parts = (rest + decoder.decode(buffer.subarray(0, n), { stream: true })).split("\n");
      rest = parts.pop() ?? "";
      for (const part of parts) {
        const event = match(part);
        if (event && event !== "malformed") yield event;
      }
    }
  }
  const start = options.start;
  if (start) {
    await open(start.offset);
    // Rotated between the history read and now: the remembered file is gone.
    if (ino !== start.ino) await open(0);
  } else {
    await open("end");
  }
  try {
    while (!signal.aborted) {
      yield* drain();
      let current: Deno.FileInfo | null = null;
      try {
        current = await Deno.stat(path);
      } catch {
        current = null;
      }
      if (current && (file === null || current.ino !== ino)) {
        // Rotated: the old file is drained; the new one is read from its start.
        (file as Deno.FsFile | null)?.close();
        await open(0);
        continue;
      }
      if (current && current.size < offset) {
        // Truncated in place: start over.
        offset = 0;
        rest = "";
        await (file as Deno.FsFile | null)?.seek(0, Deno.SeekMode.Start);
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  } finally {
    (file as Deno.FsFile | null)?.close();
  }
}

/** Where a follow continues: a file (by inode) and a byte offset in it. */
export interface FollowStart {
  /** The inode of the trail file when the history was read. */
  ino: number | null;
  /** The size it had then: history ends here, following starts here. */
  offset: number;
}

/**
 * Notes where the trail ends now, before reading its history, so that a
 * follow can continue exactly there.
 *
 * @param path The trail file.
 * @returns The start position (offset 0 when the file does not exist).
 *
 * @example Usage
 * ```ts ignore
 * import { followStart } from "./audit_reader.ts";
 * const start = await followStart("/repo/.git/lokt/audit.jsonl");
 * ```
 */
export async function followStart(path: string): Promise<FollowStart> {
  try {
    const info = await Deno.stat(path);
    return { ino: info.ino, offset: info.size };
  } catch {
    return { ino: null, offset: 0 };
  }
}
