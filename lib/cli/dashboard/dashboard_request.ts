/**
 * What the dashboard accepts of a request (docs/contract.md §18): the `Host`
 * it serves (anything else is 421, never an error of the server), the token
 * compared in constant time, and query values checked before any command
 * runs — a bad value is 400, and no value is ever read as a flag (values are
 * passed as single `--flag=value` tokens, names after `--`).
 *
 * @module
 */

import { parseTimeBound } from "../../model/audit_query.ts";
import { UsageError } from "../../model/errors.ts";
import { validateName } from "../../model/name.ts";

/** The most events `/api/audit` returns. */
export const MAX_AUDIT_LIMIT = 10_000;

/**
 * Whether a request's `Host` is one the dashboard serves, compared whole
 * (so `127.0.0.1:PORT.evil.com` and `127.0.0.1:PORT0` are not).
 *
 * @param host The `Host` header, or `null` when absent.
 * @param served The hosts served (`servedHosts()`), lower case.
 * @returns `true` when it may be answered.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { hostServed } from "./dashboard_request.ts";
 * const served = new Set(["127.0.0.1:7337"]);
 * assert(hostServed("127.0.0.1:7337", served));
 * assert(!hostServed("127.0.0.1:7337.evil.com", served));
 * assert(!hostServed(null, served));
 * ```
 */
export function hostServed(host: string | null, served: ReadonlySet<string>): boolean {
  return host !== null && served.has(host.toLowerCase());
}

/**
 * Compares a given token with the expected one in time that does not depend
 * on where they first differ (a timing attack learns nothing of it).
 *
 * @param given The token the request carried, or `null`.
 * @param expected The token.
 * @returns `true` when they are equal.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { sameToken } from "./dashboard_request.ts";
 * assert(sameToken("s3cret-token", "s3cret-token"));
 * assert(!sameToken("s3cret-tokeX", "s3cret-token"));
 * assert(!sameToken(null, "s3cret-token"));
 * ```
 */
export function sameToken(given: string | null, expected: string): boolean {
  const a = new TextEncoder().encode(given ?? "");
  const b = new TextEncoder().encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i] ?? 0) ^ (b[i] as number);
  return given !== null && diff === 0;
}

/**
 * The `audit` arguments of `/api/audit` or `/timeline.svg`: `since` a
 * duration or a timestamp, `limit` an integer from 1 to
 * {@linkcode MAX_AUDIT_LIMIT}; each as one `--flag=value` token.
 *
 * @param query The request's query.
 * @param defaults The values when absent (`since`, and `limit` or `null` for none).
 * @returns The flags.
 * @throws {UsageError} On a bad value (answered 400).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { auditFlags } from "./dashboard_request.ts";
 * const q = (text: string) => new URLSearchParams(text);
 * assert.deepEqual(auditFlags(q("since=5m"), { since: "1h", limit: "200" }), ["--since=5m", "--limit=200"]);
 * assert.throws(() => auditFlags(q("limit=-1"), { since: "1h", limit: "200" }));
 * assert.throws(() => auditFlags(q("since=-5m"), { since: null, limit: null }));
 * ```
 */
export function auditFlags(
  query: URLSearchParams,
  defaults: { since: string | null; limit: string | null },
): string[] {
  const since = query.get("since") ?? defaults.since;
  const limit = query.get("limit") ?? defaults.limit;
  if (since !== null) parseTimeBound(since, Date.now(), "since");
  if (limit !== null && (!/^\d{1,5}$/.test(limit) || +limit < 1 || +limit > MAX_AUDIT_LIMIT)) {
    throw new UsageError(`Invalid limit ${JSON.stringify(limit)}: 1 to ${MAX_AUDIT_LIMIT}`);
  }
  return [
    ...(since === null ? [] : [`--since=${since}`]),
    ...(limit === null ? [] : [`--limit=${limit}`]),
  ];
}

/**
 * The lock name of `/api/why`, checked like every name.
 *
 * @param query The request's query.
 * @returns The name.
 * @throws {UsageError} When missing or not a valid name (answered 400).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { whyName } from "./dashboard_request.ts";
 * assert.equal(whyName(new URLSearchParams("name=Build")), "build");
 * assert.throws(() => whyName(new URLSearchParams("name=-h")));
 * ```
 */
export function whyName(query: URLSearchParams): string {
  return validateName(query.get("name") ?? "");
}
