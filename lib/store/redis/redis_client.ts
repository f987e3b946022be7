/**
 * A small Redis client of lokt's own (docs/contract.md §17): RESP2 over `Deno.connect`
 * (or `Deno.connectTls`), commands and pipelines, Lua scripts by `EVALSHA`
 * with a `NOSCRIPT` fallback, server errors as values, bounded connect and
 * command timeouts, and a subscriber connection for wake-ups. The npm
 * clients cost a CLI run 5–10x an empty `deno run` to import
 * (docs/performance.md); this module is a few kilobytes and is loaded only
 * when the Redis backend is selected.
 *
 * Credentials are sent, never shown: errors name host and port only.
 *
 * @module
 */

import type { RedisTarget } from "./redis_connect.ts";
import { credentialHint, openConnection } from "./redis_connect.ts";
import { LoktError } from "../../model/errors.ts";
import { startTimer } from "../../sys/ticker.ts";
import type { Reply } from "./redis_protocol.ts";
import { concat, encodeCommand, RedisReplyError, ReplyParser } from "./redis_protocol.ts";

export type { Reply } from "./redis_protocol.ts";
export { RedisReplyError } from "./redis_protocol.ts";

export type { RedisTarget } from "./redis_connect.ts";

/** A Lua script, run by its SHA1 (loaded on first `NOSCRIPT`). */
export class Script {
  /** The script's source. */
  readonly source: string;
  #sha: string | null = null;

  /**
   * Wraps a script.
   *
   * @param source Its Lua source.
   */
  constructor(source: string) {
    this.source = source;
  }

  /** Its SHA1 (hex), computed once. */
  async sha(): Promise<string> {
    if (this.#sha) return this.#sha;
    const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(this.source));
    this.#sha = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    return this.#sha;
  }
}

/**
 * One connection to a Redis server. Replies come back in order; a command
 * that takes longer than the command timeout fails and closes the connection.
 *
 * @example Usage
 * ```ts ignore
 * import { RedisClient } from "./redis_client.ts";
 * const client = await RedisClient.connect({ host: "127.0.0.1", port: 6379, tls: false });
 * console.log(await client.command("PING"));
 * client.close();
 * ```
 */
export class RedisClient {
  #conn: Deno.Conn;
  #parser = new ReplyParser();
  #waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];
  #closed = false;
  #target: RedisTarget;
  #onMessage: ((channel: string, message: string) => void) | null = null;
  #offsetMs = 0;
  #writes: Promise<void> = Promise.resolve();
  #pending: Uint8Array[] = [];
  #sends = 0;

  private constructor(conn: Deno.Conn, target: RedisTarget) {
    this.#conn = conn;
    this.#target = target;
    // An idle connection must not keep a program alive (the library's users
    // end without closing it); it holds the program only while it awaits replies.
    conn.unref();
    void this.#readLoop();
  }

  /** The server's clock minus this process's, measured at connect (ms). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** How many times requests were sent: each is one round trip (for tests and benchmarks). */
  get sends(): number {
    return this.#sends;
  }

  /** Whether the connection is closed (after `close()` or a failure). */
  get closed(): boolean {
    return this.#closed;
  }

  /** `host:port`, for messages (never credentials). */
  get address(): string {
    return `${this.#target.host}:${this.#target.port}`;
  }

  /**
   * Connects, authenticates and selects the database, within the connect timeout.
   *
   * @param target Where and how.
   * @returns The connection.
   * @throws {LoktError} When the server cannot be reached or refuses the credentials (exit 1).
   */
  static async connect(target: RedisTarget): Promise<RedisClient> {
    const where = `${target.host}:${target.port}`;
    const timeoutMs = target.connectTimeoutMs ?? 2000;
    let cancel = () => {};
    const phase = { tcp: false };
    const timeout = new Promise<never>((_, reject) => {
      // Not setTimeout: a process's first one loads Node's timers (docs/performance.md).
      cancel = startTimer(
        timeoutMs,
        () =>
          reject(
            new LoktError(
              phase.tcp && target.tls
                ? `cannot reach Redis at ${where} over TLS: it accepted the connection but no TLS handshake came within ${timeoutMs} ms — a plain Redis does not speak TLS: use redis:// for it, rediss:// only for a TLS port`
                : `cannot reach Redis at ${where}: no answer within ${timeoutMs} ms`,
            ),
          ),
        { keepsAlive: true },
      ).stop;
    });
    try {
      const conn = await Promise.race([openConnection(target, phase), timeout]);
      const client = new RedisClient(conn, target);
      const hello: (string | number)[][] = [];
      const asked = Date.now();
      if (target.password) {
        hello.push(
          target.username ? ["AUTH", target.username, target.password] : ["AUTH", target.password],
        );
      }
      if (target.db) hello.push(["SELECT", target.db]);
      hello.push(["TIME"]);
      const replies = await Promise.race([client.pipeline(hello), timeout]);
      // The server's clock judges expiry (docs/contract.md §17): how far ours is from it.
      const time = replies.at(-1);
      if (Array.isArray(time)) {
        const server = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
        client.#offsetMs = server - Math.round((asked + Date.now()) / 2);
      }
      const failed = replies.find((r) => r instanceof RedisReplyError);
      if (failed) {
        client.close();
        // The server's text names neither password nor user; say which step failed.
        const text = (failed as Error).message.replace(/^Redis: /, "");
        throw new LoktError(
          `Redis at ${where} refused the connection: ${text}${credentialHint(text)}`,
        );
      }
      return client;
    } catch (err) {
      if (err instanceof LoktError) throw err;
      const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
      throw new LoktError(`cannot reach Redis at ${where}: ${why}`);
    } finally {
      cancel();
    }
  }

  /**
   * Sends one command.
   *
   * @param args The command and its arguments.
   * @returns The reply.
   * @throws {RedisReplyError} On an error reply.
   * @throws {LoktError} When the connection fails or the command times out.
   */
  async command(...args: (string | number)[]): Promise<Reply> {
    const [reply] = await this.pipeline([args]);
    if (reply instanceof RedisReplyError) throw reply;
    return reply as Reply;
  }

  /**
   * Sends several commands at once; their replies, in order (error replies as values).
   *
   * @param commands The commands.
   * @returns The replies.
   */
  pipeline(commands: (string | number)[][]): Promise<Reply[]> {
    if (commands.length === 0) return Promise.resolve([]);
    if (this.#closed) {
      return Promise.reject(new LoktError(`the connection to Redis at ${this.address} is closed`));
    }
    if (this.#waiting.length === 0 && !this.#onMessage) this.#conn.ref();
    const replies = commands.map(() =>
      new Promise<Reply>((resolve, reject) => this.#waiting.push({ resolve, reject }))
    );
    this.#queue(concat(commands.map(encodeCommand)));
    const timeoutMs = this.#target.commandTimeoutMs ?? 5000;
    let cancel = () => {};
    const timeout = new Promise<never>((_, reject) => {
      cancel = startTimer(timeoutMs, () => {
        const err = new LoktError(`Redis at ${this.address} did not answer within ${timeoutMs} ms`);
        this.#fail(err);
        reject(err);
      }, { keepsAlive: true }).stop;
    });
    return Promise.race([Promise.all(replies), timeout]).finally(cancel);
  }

  /**
   * Runs a Lua script by its SHA1, loading it when the server does not know it.
   *
   * @param script The script.
   * @param keys Its keys.
   * @param args Its arguments.
   * @returns The script's reply.
   */
  async evalScript(script: Script, keys: string[], args: (string | number)[]): Promise<Reply> {
    const sha = await script.sha();
    const [reply] = await this.pipeline([["EVALSHA", sha, keys.length, ...keys, ...args]]);
    if (reply instanceof RedisReplyError && reply.message.includes("NOSCRIPT")) {
      return await this.command("EVAL", script.source, keys.length, ...keys, ...args);
    }
    if (reply instanceof RedisReplyError) throw reply;
    return reply as Reply;
  }

  /**
   * Turns this connection into a subscriber: `onMessage` gets every message
   * of the channels (the connection is then used for nothing else).
   *
   * @param channels The channels.
   * @param onMessage Called with channel and message.
   */
  async subscribe(channels: string[], onMessage: (channel: string, message: string) => void) {
    this.#onMessage = onMessage;
    await this.#write(encodeCommand(["SUBSCRIBE", ...channels]));
  }

  /** Closes the connection. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
    for (const w of this.#waiting.splice(0)) {
      w.reject(new LoktError(`the connection to Redis at ${this.address} was closed`));
    }
  }

  /**
   * Sends with everything else asked for in this turn of the event loop: reads
   * made side by side (`Promise.all`) leave in one write and come back in one
   * round trip.
   */
  #queue(bytes: Uint8Array): void {
    this.#pending.push(bytes);
    if (this.#pending.length > 1) return;
    queueMicrotask(() => {
      const all = this.#pending.length === 1 ? this.#pending[0]! : concat(this.#pending);
      this.#pending = [];
      this.#sends++;
      this.#write(all).catch((err) => this.#fail(err));
    });
  }

  /**
   * Writes after every earlier write: a short write of one pipeline must not
   * let another's bytes in between (callers share a connection concurrently).
   */
  #write(bytes: Uint8Array): Promise<void> {
    const next = this.#writes.then(async () => {
      let done = 0;
      while (done < bytes.length) done += await this.#conn.write(bytes.subarray(done));
    });
    this.#writes = next.catch(() => {});
    return next;
  }

  #fail(err: unknown): void {
    const error = err instanceof LoktError ? err : new LoktError(
      `Redis at ${this.address}: ${err instanceof Error ? err.message : String(err)}`,
    );
    for (const w of this.#waiting.splice(0)) w.reject(error);
    this.close();
  }

  async #readLoop(): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await this.#conn.read(buffer);
        if (n === null) break;
        this.#parser.feed(buffer.subarray(0, n));
        for (let reply = this.#parser.next(); reply !== undefined; reply = this.#parser.next()) {
          this.#deliver(reply);
        }
      }
    } catch (err) {
      if (!this.#closed) this.#fail(err);
      return;
    }
    if (!this.#closed) this.#fail(new LoktError(`Redis at ${this.address} closed the connection`));
  }

  #deliver(reply: Reply): void {
    if (this.#onMessage && Array.isArray(reply) && reply[0] === "message") {
      this.#onMessage(String(reply[1]), String(reply[2]));
      return;
    }
    if (this.#onMessage && Array.isArray(reply) && reply[0] === "subscribe") return;
    this.#waiting.shift()?.resolve(reply);
    if (this.#waiting.length === 0 && !this.#closed) this.#conn.unref();
  }
}
