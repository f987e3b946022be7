/**
 * Holds passed down the process tree (docs/contract.md §4a rule 4): guard gives its
 * command `LOKT_HELD=name:lock_id,…`, so that a lokt call below it on the same
 * name runs nested instead of waiting for its own ancestor.
 *
 * @module
 */

/** The environment variable that carries inherited holds. */
export const HELD_VARIABLE = "LOKT_HELD";

/**
 * The holds this process inherited: lock name → `lock_id`.
 *
 * @param value The variable's value. @default {Deno.env.get("LOKT_HELD")}
 * @returns The inherited holds (malformed entries are ignored).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { inheritedHolds } from "./held_env.ts";
 * const held = inheritedHolds("build:0123456789abcdef0123456789abcdef");
 * assert(held.get("build") === "0123456789abcdef0123456789abcdef");
 * ```
 */
export function inheritedHolds(
  value: string | undefined = Deno.env.get(HELD_VARIABLE),
): Map<string, string> {
  const held = new Map<string, string>();
  for (const part of (value ?? "").split(",")) {
    const at = part.lastIndexOf(":");
    const name = part.slice(0, at).toLowerCase();
    const id = part.slice(at + 1);
    if (at > 0 && /^[0-9a-f]{32}$/.test(id)) held.set(name, id);
  }
  return held;
}

/**
 * The `LOKT_HELD` value for a child: what this process inherited, plus one hold.
 *
 * @param name The lock name.
 * @param lockId The hold's `lock_id`.
 * @param current This process's own value. @default {Deno.env.get("LOKT_HELD")}
 * @returns The value to give the child.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { passHold } from "./held_env.ts";
 * assert(passHold("b", "1".repeat(32), "") === `b:${"1".repeat(32)}`);
 * ```
 */
export function passHold(
  name: string,
  lockId: string,
  current: string | undefined = Deno.env.get(HELD_VARIABLE),
): string {
  const held = inheritedHolds(current);
  held.set(name, lockId);
  return [...held].map(([n, id]) => `${n}:${id}`).join(",");
}
