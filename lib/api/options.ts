/**
 * The options object of a library call, checked once at the door: from
 * JavaScript anything may come, and a wrong type must be a clear
 * `UsageError`, never a `TypeError` from deep inside.
 *
 * @module
 */

import { UsageError } from "../model/errors.ts";

/** The options that name a place or a person: strings when given. */
const TEXT_OPTIONS = ["root", "owner", "cwd", "reason", "name", "since", "until"] as const;

/** Options that are yes or no. */
const FLAG_OPTIONS = ["wait", "shared", "heartbeat", "force"] as const;

/** Options given as text (`"5m"`, `"3"`) or as a number (ms, a count). */
const AMOUNT_OPTIONS = ["ttl", "timeout", "slots"] as const;

/**
 * The options of a library call: `{}` when left out, else the object itself
 * once its common fields have the right types.
 *
 * @param options What the caller passed.
 * @param call The function's name, for the message.
 * @returns The options.
 * @throws {UsageError} When it is not an object (`null`, an array, a
 * string), or an option has the wrong type: text not a string, yes-or-no
 * not a boolean, a duration or count neither a string nor a number, `signal`
 * not an `AbortSignal`, `onLost` not a function.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { optionsOf } from "./options.ts";
 * import { UsageError } from "../model/errors.ts";
 * assert.deepEqual(optionsOf(undefined, "acquire"), {});
 * assert.throws(() => optionsOf(null as never, "acquire"), UsageError);
 * assert.throws(() => optionsOf({ cwd: 5 } as never, "acquire"), UsageError);
 * ```
 */
export function optionsOf<T extends object>(options: T | undefined, call: string): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new UsageError(`${call}(): give the options as an object (got ${kindOf(options)})`);
  }
  const fields = options as Record<string, unknown>;
  for (const key of TEXT_OPTIONS) {
    const value = fields[key];
    if (value !== undefined && typeof value !== "string") {
      throw new UsageError(`${call}(): option ${key} must be a string (got ${kindOf(value)})`);
    }
  }
  for (const key of FLAG_OPTIONS) {
    const value = fields[key];
    if (value !== undefined && typeof value !== "boolean") {
      throw new UsageError(`${call}(): option ${key} must be true or false (got ${kindOf(value)})`);
    }
  }
  for (const key of AMOUNT_OPTIONS) {
    const value = fields[key];
    if (value !== undefined && typeof value !== "string" && typeof value !== "number") {
      throw new UsageError(
        `${call}(): option ${key} must be a string or a number (got ${kindOf(value)})`,
      );
    }
  }
  if (fields.signal !== undefined && !(fields.signal instanceof AbortSignal)) {
    throw new UsageError(`${call}(): option signal must be an AbortSignal`);
  }
  if (fields.onLost !== undefined && typeof fields.onLost !== "function") {
    throw new UsageError(`${call}(): option onLost must be a function`);
  }
  return options;
}

function kindOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}
