/**
 * Following the audit trail as it grows (`lokt audit --follow`), across
 * rotation and truncation, continuing exactly where a history read stopped.
 *
 * @module
 */

import type { AuditEvent } from "../../model/audit_event.ts";
import type { AuditQuery } from "../../model/audit_query.ts";
import { eventMatcher } from "../../model/audit_query.ts";
import { CHUNK } from "./audit_reader.ts";

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
 * import { followAudit } from "./audit_follow.ts";
 * const stop = new AbortController();
 * for await (const e of followAudit("/repo/.git/lokt/audit.jsonl", {}, stop.signal)) console.log(e);
 * ```
 */
export async function* followAudit(
  path: string,
  query: AuditQuery,
  signal: AbortSignal,
  options: {
    pollMs?: number;
    start?: FollowStart | null;
    /** The rotated generations of the trail, oldest first. @default {none} */
    generations?: () => string[];
  } = {},
): AsyncGenerator<AuditEvent> {
  const pollMs = options.pollMs ?? 200;
  const match = eventMatcher({ ...query, limit: null });
  const generations = options.generations ?? (() => []);
  // Generations read whole already (as history, or here), by file identity.
  const seen = new Set<string>();
  for (const p of generations()) {
    const i = await keyOf(p);
    if (i !== null) seen.add(i);
  }
  let tail = await Tail.open(path, options.start ?? null, match);
  // Files rotated away but still read for a while: a writer that opened one just
  // before the rename appends its line to it a moment later.
  let retired: { tail: Tail; until: number }[] = [];
  try {
    while (!signal.aborted) {
      if (tail) yield* tail.drain();
      for (const r of retired) yield* r.tail.drain();
      retired = retired.filter((r) => r.until > Date.now() || (r.tail.close(), false));
      const current = await Deno.stat(path).catch(() => null);
      if (current && (tail === null || fileKey(current) !== tail.key)) {
        // Rotated: the file held moves to the retired ones; the generations rotated
        // after it, never opened here (several rotations between two looks), are read
        // whole, oldest first; then the new trail from its start.
        if (tail) {
          seen.add(tail.key);
          retired.push({ tail, until: Date.now() + RETIRED_MS });
        }
        yield* unseenGenerations(generations(), seen, fileKey(current), match);
        tail = await Tail.open(path, null, match, 0);
        // A rotation between that look and the open: what it moved away is read too.
        yield* unseenGenerations(generations(), seen, tail?.key ?? null, match);
        continue;
      }
      if (tail && current && current.size < tail.offset) {
        tail.rewind();
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
    tail?.close();
    for (const r of retired) r.tail.close();
  }
}

/** How long a rotated-away file is still read after its rotation. */
const RETIRED_MS = 2_000;

/**
 * Reads the generations not read yet (other than `current`) whole, oldest
 * first, and marks them read. Each is opened first and known by its open
 * handle: a rotation may move another file under a name between a look at
 * it and its reading (which would read that one twice and this one never).
 */
async function* unseenGenerations(
  paths: string[],
  seen: Set<string>,
  current: string | null,
  match: (line: string) => AuditEvent | null | "malformed",
): AsyncGenerator<AuditEvent> {
  for (const p of paths) {
    const generation = await Tail.open(p, null, match, 0);
    if (generation === null) continue;
    try {
      if (seen.has(generation.key) || generation.key === current) continue;
      seen.add(generation.key);
      yield* generation.drain();
    } finally {
      generation.close();
    }
  }
  // Bounded: the newest few times as many as are kept.
  for (const i of [...seen].slice(0, Math.max(0, seen.size - (2 * paths.length + 4)))) {
    seen.delete(i);
  }
}

/**
 * A file's identity: its inode and birth time. A file system reuses the
 * inode of a dropped generation for a new trail within moments; the birth
 * time tells them apart.
 */
function fileKey(info: Deno.FileInfo): string {
  return `${info.ino}:${info.birthtime?.getTime() ?? 0}`;
}

async function keyOf(path: string): Promise<string | null> {
  try {
    return fileKey(await Deno.stat(path));
  } catch {
    return null;
  }
}

/** One open trail file, read line by line from an offset (its handle reads it renamed or not). */
class Tail {
  #file: Deno.FsFile;
  #match: (line: string) => AuditEvent | null | "malformed";
  #rest = "";
  #decoder = new TextDecoder("utf-8", { fatal: false });
  /** The file's identity ({@linkcode fileKey}). */
  readonly key: string;
  offset: number;

  private constructor(
    file: Deno.FsFile,
    key: string,
    offset: number,
    match: (line: string) => AuditEvent | null | "malformed",
  ) {
    this.#file = file;
    this.key = key;
    this.offset = offset;
    this.#match = match;
  }

  /** Opens `path` at the start's offset (when it is still that file), else at `from` or its end. */
  static async open(
    path: string,
    start: FollowStart | null,
    match: (line: string) => AuditEvent | null | "malformed",
    from: number | "end" = "end",
  ): Promise<Tail | null> {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { read: true });
    } catch {
      return null;
    }
    const info = await file.stat();
    // Rotated between the history read and now: the remembered file is gone; read the new one whole.
    const offset = start
      ? (start.ino === info.ino ? start.offset : 0)
      : from === "end"
      ? info.size
      : from;
    await file.seek(offset, Deno.SeekMode.Start);
    return new Tail(file, fileKey(info), offset, match);
  }

  /** The events of the lines completed since the last drain. */
  async *drain(): AsyncGenerator<AuditEvent> {
    const buffer = new Uint8Array(CHUNK);
    for (;;) {
      const n = await this.#file.read(buffer);
      if (n === null || n === 0) return;
      this.offset += n;
      const parts = (this.#rest + this.#decoder.decode(buffer.subarray(0, n), { stream: true }))
        .split("\n");
      this.#rest = parts.pop() ?? "";
      for (const part of parts) {
        const event = this.#match(part);
        if (event && event !== "malformed") yield event;
      }
    }
  }

  /** Truncated in place: start over from its beginning. */
  rewind(): void {
    this.offset = 0;
    this.#rest = "";
    this.#file.seekSync(0, Deno.SeekMode.Start);
  }

  close(): void {
    try {
      this.#file.close();
    } catch {
      // Already closed.
    }
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
 * import { followStart } from "./audit_follow.ts";
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
