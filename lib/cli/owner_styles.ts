/**
 * Owners' colours in pictures (the `audit --timeline` SVG, which the dashboard
 * shows too): one owner, one style in every view — picked by the owner's
 * name, not by its rank in one window — and owners beyond the palette told
 * apart by stripes and dots.
 *
 * @module
 */

/** Colours told apart by most eyes (Okabe–Ito, then a few more). */
export const OWNER_COLOURS: readonly string[] = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
  "#000000",
  "#999999",
  "#882255",
  "#44AA99",
  "#117733",
];

/** Each colour plain, striped or dotted: the owner styles a picture tells apart. */
const FILLS = ["solid", "stripes", "dots"] as const;

/** How one owner's holds are filled. */
export interface OwnerStyle {
  /** The colour. */
  colour: string;
  /** Plain, striped or dotted. */
  fill: (typeof FILLS)[number];
  /** The SVG `fill` value. */
  paint: string;
}

/**
 * One style per owner, the same in every view: the owner's name picks it (a
 * hash), so an owner keeps its colour whichever window or name is drawn. Two
 * owners of one picture whose names pick the same style are told apart: the
 * later by name takes the next free one (stripes and dots go beyond the 12
 * colours, to 36 styles; past that, styles repeat and the legend and each
 * bar's title name the owner).
 *
 * @param owners The owners of one picture.
 * @returns Each owner's style.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ownerStyles } from "./owner_styles.ts";
 * const alone = ownerStyles(["claude-3"]).get("claude-3");
 * const among = ownerStyles(["a1", "agent-2", "claude-3", "zed"]).get("claude-3");
 * assert.deepEqual(alone, among);
 * ```
 */
export function ownerStyles(owners: readonly string[]): Map<string, OwnerStyle> {
  const count = OWNER_COLOURS.length * FILLS.length;
  const taken = new Set<number>();
  const styles = new Map<string, OwnerStyle>();
  for (const owner of [...owners].sort()) {
    let index = styleHash(owner) % count;
    for (let probe = 0; probe < count && taken.has(index); probe++) index = (index + 1) % count;
    taken.add(index);
    const colour = OWNER_COLOURS[index % OWNER_COLOURS.length]!;
    const fill = FILLS[Math.floor(index / OWNER_COLOURS.length)]!;
    styles.set(owner, { colour, fill, paint: fill === "solid" ? colour : `url(#owner-${index})` });
  }
  return styles;
}

/** 32-bit FNV-1a of a name: a stable pick, the same in every process. */
function styleHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The SVG pattern of a striped or dotted style (put in the picture's `<defs>`).
 *
 * @param style A striped or dotted style.
 * @returns The `<pattern>` element.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ownerStyles, stylePattern } from "./owner_styles.ts";
 * const styles = [...ownerStyles(Array.from({ length: 40 }, (_, i) => `o${i}`)).values()];
 * const striped = styles.find((s) => s.fill === "stripes")!;
 * assert(stylePattern(striped).startsWith(`<pattern id="${striped.paint.slice(5, -1)}"`));
 * ```
 */
export function stylePattern(style: OwnerStyle): string {
  const id = style.paint.slice(5, -1);
  const mark = style.fill === "stripes"
    ? `<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/>`
    : `<circle cx="3" cy="3" r="1.3" fill="#ffffff"/>`;
  const turn = style.fill === "stripes" ? ` patternTransform="rotate(45)"` : "";
  return `<pattern id="${id}" width="6" height="6" patternUnits="userSpaceOnUse"${turn}><rect width="6" height="6" fill="${style.colour}"/>${mark}</pattern>`;
}
