/**
 * Opening a Redis connection (`redis_client.ts`), and what to tell a person
 * when it fails: a `rediss://` URL aimed at a plain server, a server that
 * wants a password.
 *
 * @module
 */

import { LoktError } from "../../model/errors.ts";

/** Where and how to connect. */
export interface RedisTarget {
  /** Host name or address. */
  host: string;
  /** Port. */
  port: number;
  /** Use TLS (`rediss://`). */
  tls: boolean;
  /** A CA certificate file for TLS (`LOKT_REDIS_CA`). */
  caFile?: string | null;
  /** ACL user, or `null`. */
  username?: string | null;
  /** Password, or `null`. Never shown anywhere. */
  password?: string | null;
  /** Database number. */
  db?: number;
  /** Give up connecting after this long. @default {2000} */
  connectTimeoutMs?: number;
  /** Give up on a command after this long. @default {5000} */
  commandTimeoutMs?: number;
}

/**
 * Opens the connection: TCP, then TLS for `rediss://` (the server verified
 * now, so an untrusted one is a connection error, not a later read's).
 *
 * @param target Where and how.
 * @param phase Set `tcp` once the TCP connection is up (a handshake that never
 * comes then means a server that does not speak TLS).
 * @returns The connection.
 * @throws {LoktError} When the TLS handshake fails.
 */
export async function openConnection(
  target: RedisTarget,
  phase: { tcp: boolean },
): Promise<Deno.Conn> {
  const tcp = await Deno.connect({ hostname: target.host, port: target.port });
  phase.tcp = true;
  if (!target.tls) return tcp;
  const caCerts = target.caFile ? [await Deno.readTextFile(target.caFile)] : undefined;
  const conn = await Deno.startTls(tcp, { hostname: target.host, caCerts });
  // Verify the server now, so an untrusted one is a connection error, not a later read's.
  try {
    await conn.handshake();
  } catch (err) {
    conn.close();
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new LoktError(
      `cannot reach Redis at ${target.host}:${target.port} over TLS: ${why} (a plain Redis does not speak TLS: use redis:// for it)`,
    );
  }
  return conn;
}

/**
 * How to give credentials, after a refusal that asks for them (never the
 * credentials themselves).
 *
 * @param text The server's error text.
 * @returns The hint to append, or "".
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { credentialHint } from "./redis_connect.ts";
 * assert.match(credentialHint("NOAUTH Authentication required."), /LOKT_REDIS_PASSWORD/);
 * assert.equal(credentialHint("ERR unknown command"), "");
 * ```
 */
export function credentialHint(text: string): string {
  if (/^NOAUTH/.test(text)) {
    return " — it needs a password: set LOKT_REDIS_PASSWORD, or give it in the URL (redis://:PASSWORD@host:port, or redis://USER:PASSWORD@host:port)";
  }
  if (/^WRONGPASS|invalid password/i.test(text)) {
    return " — check LOKT_REDIS_PASSWORD or the password in the URL (and the user, for an ACL user)";
  }
  return "";
}
