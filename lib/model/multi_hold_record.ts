/**
 * The stored form of a name held by several holders at once (docs/contract.md §14): a
 * semaphore (`slots`) or readers (`shared`). It lives where an exclusive
 * record lives, `locks/<name>.json`, as one document listing every hold, so
 * each change of a hold is one compare-and-replace of the name's entry —
 * the same critical section as an exclusive lock, on any storage.
 *
 * Its `version` is 3: a lokt that knows only records of version 1 or 2 reads
 * it as "written by a newer lokt", which every earlier version treats as
 * held and never replaces automatically (docs/contract.md §3).
 *
 * @module
 */

import type { LockRecord } from "./lock_record.ts";
import { parseObject, recordOf } from "./record_codec.ts";

/** The version of the document of a multi-holder name. */
export const GROUP_VERSION = 3;

/** The highest stored version this lokt reads: records 1–2, multi-hold documents 3. */
export const KNOWN_VERSION = GROUP_VERSION;

/** The modes whose holds are kept together in a multi-hold document. */
export type MultiHoldMode = "shared" | "slots";

/** The holds of a shared or semaphore name, as stored. */
export interface MultiHoldRecord {
  /** Always {@linkcode GROUP_VERSION}. */
  version: 3;
  /** The name. */
  name: string;
  /** `shared` (readers) or `slots` (a counting semaphore). */
  mode: MultiHoldMode;
  /** The number of slots (`slots` mode), else `null`. */
  slots: number | null;
  /** The highest fence among the holds (the floor of the name's next fence). */
  fence: number;
  /** Every hold, each a full lock record with its own `lock_id`, fence and `slot`. */
  holders: LockRecord[];
}

/**
 * Builds a multi-hold document from its holds.
 *
 * @param name The name.
 * @param mode `shared` or `slots`.
 * @param slots The number of slots, or `null` for `shared`.
 * @param holders The holds (at least one).
 * @returns The document.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { makeMultiHold } from "./multi_hold_record.ts";
 * const group = makeMultiHold("db", "slots", 3, []);
 * assert(group.version === 3 && group.fence === 0);
 * ```
 */
export function makeMultiHold(
  name: string,
  mode: MultiHoldMode,
  slots: number | null,
  holders: LockRecord[],
): MultiHoldRecord {
  const fence = holders.reduce((top, h) => Math.max(top, h.fence), 0);
  return { version: GROUP_VERSION, name, mode, slots, fence, holders };
}

/**
 * Whether a parsed stored document claims to be a multi-hold document (whether or
 * not it is a valid one).
 *
 * @param value The parsed object.
 * @returns `true` for `version: 3`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { isMultiHoldDocument } from "./multi_hold_record.ts";
 * assert(isMultiHoldDocument({ version: 3 }) && !isMultiHoldDocument({ version: 2 }));
 * ```
 */
export function isMultiHoldDocument(value: Record<string, unknown>): boolean {
  return value.version === GROUP_VERSION;
}

/**
 * Validates a multi-hold document: its mode and slot count, and every holder a
 * valid record of the name in the same mode (a semaphore's slots distinct
 * and below the count).
 *
 * @param value The parsed object.
 * @returns The group, or `null` when it is not a valid one.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { multiHoldOf } from "./multi_hold_record.ts";
 * assert(multiHoldOf({ version: 3, name: "db", mode: "slots", slots: 3, fence: 0, holders: [] }) === null);
 * ```
 */
export function multiHoldOf(value: Record<string, unknown>): MultiHoldRecord | null {
  if (!isMultiHoldDocument(value) || typeof value.name !== "string") return null;
  const mode = value.mode;
  const slots = value.slots;
  if (mode === "shared" ? slots !== null : mode !== "slots" || !isSlotCount(slots)) return null;
  if (!Array.isArray(value.holders) || value.holders.length === 0) return null;
  const holders: LockRecord[] = [];
  const used = new Set<number>();
  for (const item of value.holders as unknown[]) {
    const record = item && typeof item === "object" && !Array.isArray(item)
      ? recordOf(item as Record<string, unknown>)
      : null;
    if (!record || record.version !== 2 || record.mode !== mode) return null;
    if (record.name.toLowerCase() !== value.name.toLowerCase()) return null;
    if (mode === "slots") {
      const slot = record.slot;
      if (slot === null || slot >= (slots as number) || used.has(slot)) return null;
      used.add(slot);
    } else if (record.slot !== null) return null;
    holders.push(record);
  }
  if (mode === "slots" && holders.length > (slots as number)) return null;
  return makeMultiHold(
    value.name,
    mode as MultiHoldMode,
    mode === "slots" ? slots as number : null,
    holders,
  );
}

/**
 * Parses a stored multi-hold document.
 *
 * @param raw The file content.
 * @returns The group, or `null` when it is not a valid multi-hold document.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { encodeMultiHold, makeMultiHold, parseMultiHoldRecord } from "./multi_hold_record.ts";
 * assert(parseMultiHoldRecord(encodeMultiHold(makeMultiHold("db", "shared", null, []))) === null);
 * ```
 */
export function parseMultiHoldRecord(raw: string): MultiHoldRecord | null {
  const value = parseObject(raw);
  return value ? multiHoldOf(value) : null;
}

/**
 * The stored text of a multi-hold document.
 *
 * @param group The group.
 * @returns Pretty-printed JSON with a final newline.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { encodeMultiHold, makeMultiHold } from "./multi_hold_record.ts";
 * assert(JSON.parse(encodeMultiHold(makeMultiHold("db", "shared", null, []))).version === 3);
 * ```
 */
export function encodeMultiHold(group: MultiHoldRecord): string {
  return `${JSON.stringify(group, null, 2)}\n`;
}

/** The fewest and most slots of a semaphore. */
export const SLOT_LIMITS = { min: 2, max: 64 } as const;

/**
 * Whether a value is a valid slot count (an integer from 2 to 64).
 *
 * @param value Anything.
 * @returns `true` for a valid count.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { isSlotCount } from "./multi_hold_record.ts";
 * assert(isSlotCount(3) && !isSlotCount(1) && !isSlotCount(2.5));
 * ```
 */
export function isSlotCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= SLOT_LIMITS.min &&
    value <= SLOT_LIMITS.max;
}

/**
 * The hold with `lockId` in a stored entry's text, whichever its mode: the
 * record of an exclusive lock, or one holder of a multi-hold document.
 *
 * @param raw The entry's text.
 * @param lockId The acquisition looked for.
 * @returns Its record, or `null` when it is not there.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { holdIn } from "./multi_hold_record.ts";
 * assert(holdIn("{}", "abc") === null);
 * ```
 */
export function holdIn(raw: string, lockId: string): LockRecord | null {
  const value = parseObject(raw);
  if (!value) return null;
  if (isMultiHoldDocument(value)) {
    return multiHoldOf(value)?.holders.find((h) => h.lock_id === lockId) ?? null;
  }
  const record = recordOf(value);
  return record?.lock_id === lockId ? record : null;
}
