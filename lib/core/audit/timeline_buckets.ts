/**
 * A timeline row's bars merged into time buckets once the row passes its
 * bound (`timeline.ts`): each bucket keeps its span, how many bars it stands
 * for, and each owner's time in it, and is drawn as one bar by the owner who
 * held (or waited) longest in it. Memory stays bounded whatever the trail.
 *
 * @module
 */

import type { TimelineBar } from "../../model/timeline.ts";

/** Bars merged: their span and count, and each owner's time in them. */
export interface Bucket {
  /** The merged bar. */
  bar: TimelineBar;
  /** Each owner's time in it (ms × count). */
  time: Map<string, number>;
}

/**
 * Merges a bar into its bucket: at most `cap / 2` buckets per kind over the window.
 *
 * @param buckets The row's buckets, by key.
 * @param bar The bar.
 * @param from The window's start (ms).
 * @param to The window's end (ms).
 * @param cap The row's bound of bars.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { bucketBars, mergeBar } from "./timeline_buckets.ts";
 * import type { Bucket } from "./timeline_buckets.ts";
 * const buckets = new Map<number, Bucket>();
 * mergeBar(buckets, { start: 0, end: 10, owner: "a", kind: "hold", count: 1 }, 0, 1000, 4);
 * mergeBar(buckets, { start: 20, end: 90, owner: "b", kind: "hold", count: 1 }, 0, 1000, 4);
 * const [bar] = bucketBars(buckets);
 * assert.deepEqual([bar?.start, bar?.end, bar?.count, bar?.owner], [0, 90, 2, "b"]);
 * ```
 */
export function mergeBar(
  buckets: Map<number, Bucket>,
  bar: TimelineBar,
  from: number,
  to: number,
  cap: number,
): void {
  const width = (to - from) / Math.max(1, Math.floor(cap / 2));
  const key = Math.floor((bar.start - from) / width) * 2 + (bar.kind === "wait" ? 1 : 0);
  const time = (bar.end - bar.start) * bar.count;
  const bucket = buckets.get(key);
  if (!bucket) {
    buckets.set(key, { bar: { ...bar }, time: new Map([[bar.owner, time]]) });
    return;
  }
  bucket.bar.start = Math.min(bucket.bar.start, bar.start);
  bucket.bar.end = Math.max(bucket.bar.end, bar.end);
  bucket.bar.count += bar.count;
  bucket.time.set(bar.owner, (bucket.time.get(bar.owner) ?? 0) + time);
}

/**
 * The buckets as bars, each by the owner longest in it.
 *
 * @param buckets The row's buckets.
 * @returns One bar per bucket.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { bucketBars } from "./timeline_buckets.ts";
 * assert.deepEqual(bucketBars(new Map()), []);
 * ```
 */
export function bucketBars(buckets: Map<number, Bucket>): TimelineBar[] {
  return [...buckets.values()].map(({ bar, time }) => {
    let most = -1;
    for (const [owner, ms] of time) if (ms > most) [most, bar.owner] = [ms, owner];
    return bar;
  });
}
