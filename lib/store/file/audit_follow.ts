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
  options: { pollMs?: number; start?: FollowStart | null } = {},
): AsyncGenerator<AuditEvent> {
  const pollMs = options.pollMs ?? 200;
  const match = eventMatcher({ ...query, limit: null });
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
