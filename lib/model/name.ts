/**
 * Validation of lock names, so no name can ever reach the filesystem as a path.
 *
 * @module
 */

import { UsageError } from "./errors.ts";

/** The longest lock name accepted. */
export const MAX_NAME_LENGTH = 128;

const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** The rule in words, quoted by every name error. */
export const NAME_RULE =
  "names are 1-128 characters of A-Z a-z 0-9 . _ -, not starting with '-' or '.', without '..' (case-insensitive)";

/**
 * Checks a lock name against the rule and returns it in lower case (names are
 * case-insensitive: `Build` and `build` are one lock everywhere, so that a
 * case-insensitive filesystem can never map two names onto one file), or
 * throws a usage error that names the rule.
 *
 * @param name The candidate lock name.
 * @returns The name, in lower case.
 * @throws {UsageError} When the name breaks the rule.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { validateName } from "./name.ts";
 * assert(validateName("Build") === "build");
 * ```
 */
export function validateName(name: string): string {
  if (!isValidName(name)) {
    // From JavaScript a name may be anything: shown as what it is.
    const text = typeof name === "string"
      ? name
      : typeof name === "object" && name !== null
      ? "[object]"
      : String(name);
    const shown = text.length > 40 ? `${JSON.stringify(text.slice(0, 40))}…` : JSON.stringify(text);
    throw new UsageError(`Invalid lock name ${shown}: ${NAME_RULE}`);
  }
  return name.toLowerCase();
}

/**
 * Whether a string is a valid lock name.
 *
 * @param name The candidate.
 * @returns `true` when the name is valid.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { isValidName } from "./name.ts";
 * assert(!isValidName("../etc"));
 * ```
 */
export function isValidName(name: string): boolean {
  return typeof name === "string" && name.length >= 1 && name.length <= MAX_NAME_LENGTH &&
    NAME.test(name) &&
    !name.includes("..");
}
