/**
 * The lokt version (kept equal to `deno.json` by a test).
 *
 * @module
 */

/** The lokt version. */
export const VERSION = "0.1.0";
