/**
 * The Redis wire protocol, RESP2: commands encoded as arrays of bulk strings,
 * and an incremental parser of replies (docs/contract.md §17). `redis_client.ts` speaks it.
 *
 * @module
 */

import { LoktError } from "../../model/errors.ts";

/** A reply: simple or bulk string, integer, nil, array, or a server error. */
export type Reply = string | number | null | Reply[] | RedisReplyError;

/** An error reply from the server (`-ERR …`), returned as a value inside pipelines. */
export class RedisReplyError extends LoktError {
  /**
   * Creates the error.
   *
   * @param message The server's error text.
   */
  constructor(message: string) {
    super(`Redis: ${message}`);
    this.name = "RedisReplyError";
  }
}

const CRLF = "\r\n";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Encodes a command as a RESP array of bulk strings.
 *
 * @param args The command and its arguments.
 * @returns The bytes to send.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { encodeCommand } from "./redis_protocol.ts";
 * assert(new TextDecoder().decode(encodeCommand(["PING"])) === "*1\r\n$4\r\nPING\r\n");
 * ```
 */
export function encodeCommand(args: (string | number)[]): Uint8Array {
  // One string, encoded once: a command is built on every call, and each
  // encode is a call into the runtime.
  let text = `*${args.length}${CRLF}`;
  for (const arg of args) {
    const value = String(arg);
    text += `$${utf8Length(value)}${CRLF}${value}${CRLF}`;
  }
  return encoder.encode(text);
}

/**
 * The length of a string's UTF-8 encoding, as `TextEncoder` encodes it (a
 * lone surrogate becomes U+FFFD, three bytes).
 *
 * @param text The string.
 * @returns Its length in bytes.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { utf8Length } from "./redis_protocol.ts";
 * for (const text of ["abc", "é", "€", "🔒", "\ud800x", "x\udc00"]) {
 *   assert(utf8Length(text) === new TextEncoder().encode(text).length, text);
 * }
 * ```
 */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a pair: four bytes for two units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/**
 * Joins byte arrays.
 *
 * @param parts The arrays.
 * @returns One array.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { concat } from "./redis_protocol.ts";
 * assert(concat([new Uint8Array([1]), new Uint8Array([2])]).length === 2);
 * ```
 */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * An incremental RESP2 parser: feed it bytes, take whole replies.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { ReplyParser } from "./redis_protocol.ts";
 * const parser = new ReplyParser();
 * parser.feed(new TextEncoder().encode("+OK\r\n:5\r\n$-1\r\n"));
 * assert(parser.next() === "OK" && parser.next() === 5 && parser.next() === null);
 * ```
 */
export class ReplyParser {
  #buffer: Uint8Array = new Uint8Array(0);
  #at = 0;
  #pending: { value: Reply }[] = [];

  /**
   * Adds received bytes.
   *
   * @param bytes The bytes.
   */
  feed(bytes: Uint8Array): void {
    // Parsed where they lie when nothing is left over; only an incomplete
    // reply's bytes are copied (the caller reuses its buffer).
    this.#buffer = this.#at < this.#buffer.length
      ? concat([this.#buffer.subarray(this.#at), bytes])
      : bytes;
    this.#at = 0;
    for (;;) {
      const start = this.#at;
      const value = this.#parse();
      if (value === undefined) {
        this.#at = start;
        break;
      }
      this.#pending.push({ value });
    }
    this.#buffer = this.#buffer.slice(this.#at);
    this.#at = 0;
  }

  /**
   * The next whole reply, or `undefined` when none is complete yet.
   *
   * @returns The reply.
   */
  next(): Reply | undefined {
    return this.#pending.shift()?.value;
  }

  /** Parses one reply at the cursor, or returns `undefined` (cursor unchanged by the caller). */
  #parse(): Reply | undefined {
    const line = this.#line();
    if (line === undefined) return undefined;
    const type = line[0];
    const body = line.slice(1);
    if (type === "+") return body;
    if (type === "-") return new RedisReplyError(body);
    if (type === ":") return Number(body);
    if (type === "$") {
      const length = Number(body);
      if (length < 0) return null;
      if (this.#buffer.length - this.#at < length + 2) return undefined;
      const text = decoder.decode(this.#buffer.subarray(this.#at, this.#at + length));
      this.#at += length + 2;
      return text;
    }
    if (type === "*") {
      const count = Number(body);
      if (count < 0) return null;
      const items: Reply[] = [];
      for (let i = 0; i < count; i++) {
        const item = this.#parse();
        if (item === undefined) return undefined;
        items.push(item);
      }
      return items;
    }
    throw new LoktError(`Redis: unexpected reply ${JSON.stringify(line.slice(0, 40))}`);
  }

  #line(): string | undefined {
    for (let i = this.#at; i + 1 < this.#buffer.length; i++) {
      if (this.#buffer[i] === 13 && this.#buffer[i + 1] === 10) {
        const text = decoder.decode(this.#buffer.subarray(this.#at, i));
        this.#at = i + 2;
        return text;
      }
    }
    return undefined;
  }
}
