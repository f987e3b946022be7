/**
 * A subscription of the Redis store to one channel, on its own connection:
 * how a waiter is woken by the server (docs/contract.md §17).
 *
 * @module
 */

import { startTimer } from "../../sys/ticker.ts";
import type { RedisTarget } from "./redis_client.ts";
import { RedisClient } from "./redis_client.ts";
import type { Watcher } from "../lock_store.ts";

/**
 * A subscription to one channel, on its own connection.
 *
 * @example Usage
 * ```ts ignore
 * import { RedisWatcher } from "./redis_watcher.ts";
 * const w = new RedisWatcher({ host: "127.0.0.1", port: 6379, tls: false }, "lokt:{ns}:ch:lock:x", () => {});
 * console.log(await w.changed(1_000));
 * w.close();
 * ```
 */
export class RedisWatcher implements Watcher {
  #ready: Promise<RedisClient | null>;
  #fired = false;
  #wake: (() => void) | null = null;
  #onClose: () => void;

  /**
   * Subscribes; messages that arrive before `changed()` is asked count.
   *
   * @param target The server.
   * @param channel The channel.
   * @param onClose Called when the watcher is closed.
   */
  constructor(target: RedisTarget, channel: string, onClose: () => void) {
    this.#onClose = onClose;
    this.#ready = RedisClient.connect(target).then(async (client) => {
      await client.subscribe([channel], () => {
        this.#fired = true;
        this.#wake?.();
      });
      return client;
    }).catch(() => null);
  }

  /**
   * Resolves `true` on a message, `false` after `timeoutMs` or an abort.
   *
   * @param timeoutMs The longest wait.
   * @param signal Aborts the wait.
   * @returns Whether something changed.
   */
  async changed(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    await this.#ready;
    if (this.#fired) {
      this.#fired = false;
      return true;
    }
    return await new Promise<boolean>((resolve) => {
      const done = (value: boolean) => {
        cancel();
        signal?.removeEventListener("abort", abort);
        this.#wake = null;
        this.#fired = false;
        resolve(value);
      };
      const abort = () => done(false);
      const cancel = startTimer(timeoutMs, () => done(false), { keepsAlive: true }).stop;
      signal?.addEventListener("abort", abort, { once: true });
      this.#wake = () => done(true);
    });
  }

  /** Stops watching. */
  close(): void {
    this.#ready.then((c) => c?.close());
    this.#onClose();
  }
}
