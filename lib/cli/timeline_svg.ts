/**
 * The timeline as a standalone SVG (docs/contract.md §18, `lokt audit --timeline`): one
 * row per lock name and reserved pattern, holds as bars coloured by owner,
 * waits hatched, marks for breaks (✕), losses (▲), freezes (◆) and refusals
 * (|), a time axis with readable labels, and a legend. Every shape has a
 * `<title>`, so nothing is told by colour alone; no external asset.
 *
 * @module
 */

import { shown } from "../model/safe_text.ts";
import type { Timeline, TimelineBar, TimelineMark } from "../model/timeline.ts";
import { formatDuration } from "../model/duration_format.ts";
import { ownerStyles, stylePattern } from "./owner_styles.ts";

const LABEL_WIDTH = 200;
const WIDTH = 1200;
const ROW = 22;
/** The summary's lines ("what needs me now") sit between the title and the rows. */
const SUMMARY_LINES = 3;
const TOP = 54 + SUMMARY_LINES * 16;

/**
 * Renders a timeline line by line, so that a large one is written as it is
 * drawn rather than held whole in memory.
 *
 * @param t The timeline.
 * @param title The heading.
 * @returns The SVG document's lines.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { timelineSvgLines } from "./timeline_svg.ts";
 * const summary = { stuck: [], waits: [], contended: [] };
 * const lines = [...timelineSvgLines({ from: 0, to: 60_000, rows: [], owners: [], events: 0, summary }, "lokt")];
 * assert(lines.at(-1) === "</svg>");
 * ```
 */
export function* timelineSvgLines(t: Timeline, title: string): Generator<string> {
  const plot = WIDTH - LABEL_WIDTH - 20;
  const x = (ms: number) => LABEL_WIDTH + ((ms - t.from) / (t.to - t.from)) * plot;
  const styles = ownerStyles(t.owners);
  const colour = new Map([...styles].map(([o, style]) => [o, style.paint]));
  const patterns = [...styles.values()].filter((st) => st.fill !== "solid").map(stylePattern);
  const legendOwners = t.owners.slice(0, 24);
  const legendRows = Math.ceil((legendOwners.length + 4) / 4);
  const height = TOP + Math.max(1, t.rows.length) * ROW + 30 + legendRows * 20 + 10;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12" role="img" aria-labelledby="lokt-title">`,
    `<title id="lokt-title">${esc(title)}</title>`,
    // One rule for every bar's outline rather than the same attributes on each.
    `<style>rect.hold,rect.wait{stroke:#333333;stroke-width:0.5}</style>`,
    `<defs><pattern id="wait" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#555555" stroke-width="2"/></pattern>${
      patterns.join("")
    }</defs>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`,
  );
  out.push(...summaryLines(t));
  out.push(...axis(t, x, height - legendRows * 20 - 40));
  if (t.rows.length === 0) {
    out.push(`<text x="${LABEL_WIDTH}" y="${TOP + 15}">no events in this window</text>`);
  }
  yield* out;
  for (const [i, row] of t.rows.entries()) {
    const y = TOP + i * ROW;
    const label = row.kind === "reservation" ? `${row.name} (reserved)` : row.name;
    yield (`<g class="row" data-name="${esc(row.name)}" data-kind="${row.kind}">`);
    if (i % 2 === 1) {
      yield (`<rect x="0" y="${y}" width="${WIDTH}" height="${ROW}" fill="#f4f4f4"/>`);
    }
    yield (`<text x="10" y="${y + 15}">${esc(clip(label, 30))}<title>${esc(label)}</title></text>`);
    const lanes = holdLanes(row.bars);
    for (const [k, bar] of row.bars.entries()) {
      yield barSvg(bar, x, y, colour, lanes.of[k]!, lanes.count);
    }
    for (const mark of row.marks) yield markSvg(mark, x(mark.at), y);
    yield `</g>`;
  }
  yield* legend(legendOwners, colour, height - legendRows * 20 - 10);
  yield `</svg>`;
}

/** "What needs me now": stuck holds, the longest waits, the most contended names. */
function summaryLines(t: Timeline): string[] {
  const s = t.summary;
  const stuck = s.stuck.length
    ? s.stuck.map((h) =>
      `${h.name}${h.kind === "reservation" ? " (reserved)" : ""} by ${h.owner} since ${
        iso(h.since)
      }: ${h.why}`
    ).join("; ")
    : "nothing";
  const waits = s.waits.length
    ? s.waits.map((w) => `${w.name}: ${w.owner} ${formatDuration(w.ms)}`).join("; ")
    : "none";
  const contended = s.contended.length
    ? s.contended.map((c) => `${c.name} (${c.refusals} refused, ${c.waits} waited)`).join("; ")
    : "none";
  const lines: [string, string, string][] = [
    ["stuck", "Needs attention", stuck],
    ["waits", "Longest waits", waits],
    ["contended", "Most contended", contended],
  ];
  return [
    `<g class="summary">`,
    ...lines.map(([id, label, text], i) =>
      `<text class="summary-${id}" x="10" y="${40 + i * 16}"${
        id === "stuck" && s.stuck.length ? ` fill="#B00000" font-weight="bold"` : ""
      }>${esc(clip(`${label}: ${text}`, 190))}<title>${esc(`${label}: ${text}`)}</title></text>`
    ),
    `</g>`,
  ];
}

/** Most lanes a row splits into: holds at the same time (slots, readers) drawn one above another. */
const MAX_LANES = 4;

/**
 * Lanes for a row's holds (by start): each hold takes the first lane free at
 * its start, so overlapping holds — a semaphore's slots, shared readers — are
 * drawn one above another rather than on top of each other. Waits: lane 0.
 */
function holdLanes(bars: TimelineBar[]): { of: number[]; count: number } {
  const ends: number[] = [];
  const of = bars.map((bar) => {
    if (bar.kind !== "hold") return 0;
    let lane = ends.findIndex((end) => end <= bar.start);
    if (lane < 0) lane = ends.length;
    ends[lane] = bar.end;
    return lane;
  });
  return { of: of.map((lane) => lane % MAX_LANES), count: Math.min(ends.length, MAX_LANES) || 1 };
}

function barSvg(
  bar: TimelineBar,
  x: (ms: number) => number,
  y: number,
  colour: Map<string, string>,
  lane: number,
  lanes: number,
) {
  const left = x(bar.start);
  const width = Math.max(1.5, x(bar.end) - left);
  const what = bar.kind === "wait" ? "waited" : "held";
  const many = bar.count > 1
    ? ` (${bar.count} ${bar.kind === "wait" ? "waits" : "holds"}, mostly ${bar.owner})`
    : "";
  const from = bar.since === undefined
    ? `from ${iso(bar.start)}`
    : `since ${iso(bar.since)} (before this window)`;
  const end = bar.state === "held"
    ? ", still held"
    : bar.state === "expired"
    ? `, expired at ${iso(bar.end)} and nothing released it`
    : "";
  const tip = `${bar.owner} ${what} ${formatDuration(bar.end - bar.start)} ${from}${many}${end}${
    bar.stuck ? ` — needs attention: ${bar.stuck}` : ""
  }`;
  const fill = bar.kind === "wait" ? "url(#wait)" : colour.get(bar.owner) ?? "#666666";
  // Holds fill the row (3 px inset), split into lanes when they overlap; a wait is a thinner bar across.
  const inset = bar.kind === "wait" ? 7 : 3;
  const band = (ROW - 2 * inset) / (bar.kind === "wait" ? 1 : lanes);
  const top = y + inset + (bar.kind === "wait" ? 0 : lane * band);
  const state = bar.state ? ` data-state="${bar.state}"` : "";
  const since = bar.since === undefined ? "" : ` data-since="${iso(bar.since)}"`;
  return `<rect class="${bar.kind}" data-owner="${
    esc(bar.owner)
  }" data-count="${bar.count}"${state}${since} x="${left.toFixed(1)}" y="${
    top.toFixed(1)
  }" width="${width.toFixed(1)}" height="${
    Math.max(2, band - (lanes > 1 && bar.kind === "hold" ? 1 : 0)).toFixed(1)
  }" fill="${fill}"><title>${esc(tip)}</title></rect>`;
}

/** Marks in the plural, for an aggregated mark's title. */
const MARK_WORDS: Record<TimelineMark["kind"], string> = {
  break: "breaks",
  lost: "losses",
  freeze: "freezes",
  deny: "refusals",
  expired: "expiries",
};

function markSvg(mark: TimelineMark, cx: number, y: number): string {
  const c = y + ROW / 2;
  const text = mark.count > 1
    ? `${mark.count} ${MARK_WORDS[mark.kind]} from ${iso(mark.at)}, the first: ${mark.label}`
    : `${mark.label} at ${iso(mark.at)}`;
  const tip = `<title>${esc(text)}</title>`;
  const at = cx.toFixed(1);
  switch (mark.kind) {
    case "break":
      return `<path class="mark break" data-count="${mark.count}" d="M${cx - 5} ${c - 5}L${
        cx + 5
      } ${c + 5}M${cx + 5} ${c - 5}L${cx - 5} ${
        c + 5
      }" stroke="#C00000" stroke-width="2.5">${tip}</path>`;
    case "lost":
      return `<path class="mark lost" data-count="${mark.count}" d="M${at} ${c - 6}L${cx + 6} ${
        c + 5
      }L${cx - 6} ${c + 5}Z" fill="#D55E00" stroke="#000000" stroke-width="0.5">${tip}</path>`;
    case "freeze":
      return `<path class="mark freeze" data-count="${mark.count}" d="M${at} ${c - 6}L${
        cx + 6
      } ${c}L${at} ${c + 6}L${
        cx - 6
      } ${c}Z" fill="#56B4E9" stroke="#000000" stroke-width="0.5">${tip}</path>`;
    case "expired":
      // An hourglass: the hold ran out of time with nothing to release it.
      return `<path class="mark expired" data-count="${mark.count}" d="M${cx - 5} ${c - 6}L${
        cx + 5
      } ${c - 6}L${cx - 5} ${c + 6}L${cx + 5} ${
        c + 6
      }Z" fill="#ffffff" stroke="#000000" stroke-width="1.5">${tip}</path>`;
    default:
      return `<line class="mark deny" data-count="${mark.count}" x1="${at}" y1="${
        c - 7
      }" x2="${at}" y2="${c + 7}" stroke="#555555" stroke-width="1.5">${tip}</line>`;
  }
}

/** Ticks at a round step giving at most ten labels. */
function axis(t: Timeline, x: (ms: number) => number, bottom: number): string[] {
  const steps = [
    1e3,
    5e3,
    10e3,
    15e3,
    30e3,
    60e3,
    300e3,
    900e3,
    1800e3,
    3600e3,
    10800e3,
    21600e3,
    43200e3,
    86400e3,
    604800e3,
  ];
  const span = t.to - t.from;
  const step = steps.find((s) => span / s <= 10) ?? steps[steps.length - 1]!;
  const out = [
    `<line x1="${LABEL_WIDTH}" y1="${TOP - 6}" x2="${WIDTH - 20}" y2="${
      TOP - 6
    }" stroke="#333333"/>`,
  ];
  const multiDay = span > 86_400_000 ||
    new Date(t.from).getUTCDate() !== new Date(t.to).getUTCDate();
  for (let tick = Math.ceil(t.from / step) * step; tick <= t.to; tick += step) {
    const at = x(tick).toFixed(1);
    const d = new Date(tick).toISOString();
    const time = d.slice(11, step < 60e3 ? 19 : 16);
    const label = multiDay ? `${d.slice(5, 10)} ${time}` : time;
    out.push(
      `<line x1="${at}" y1="${TOP - 10}" x2="${at}" y2="${bottom}" stroke="#dddddd"/>`,
      `<text class="tick" x="${at}" y="${TOP - 14}" text-anchor="middle">${label}</text>`,
    );
  }
  out.push(
    `<text x="${WIDTH - 20}" y="18" text-anchor="end" fill="#555555">UTC, ${
      formatDuration(span)
    } shown</text>`,
  );
  return out;
}

function legend(owners: string[], colour: Map<string, string>, top: number): string[] {
  const items: [string, string][] = [
    ...owners.map((
      o,
    ): [string, string] => [
      o,
      `<rect width="14" height="10" fill="${colour.get(o)}" stroke="#333333" stroke-width="0.5"/>`,
    ]),
    [
      "waiting",
      `<rect width="14" height="10" fill="url(#wait)" stroke="#333333" stroke-width="0.5"/>`,
    ],
    ["✕ broken", ""],
    ["▲ lost", ""],
    ["◆ frozen, | refused, ⧗ expired", ""],
  ];
  return [
    `<g class="legend">`,
    ...items.map(([label, swatch], i) => {
      const lx = 10 + (i % 4) * 290;
      const ly = top + Math.floor(i / 4) * 20;
      return `<g transform="translate(${lx} ${ly})">${swatch}<text x="${swatch ? 20 : 0}" y="10">${
        esc(clip(label, 40))
      }</text></g>`;
    }),
    `</g>`,
  ];
}

function clip(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

function esc(text: string): string {
  // Control characters are not allowed in XML, nor wanted in a label: escaped as text first.
  return shown(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}
