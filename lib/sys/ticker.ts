/**
 * A repeating tick, in one of two ways. A process's first `setInterval` or
 * `setTimeout` costs about 5 ms under Deno 2.9 (it loads Deno's Node-compatible
 * timers; measured here, docs/performance.md), which is a large part of a
 * whole `lokt guard` run and of a library program's first `acquire()`. Neither
 * way below loads them:
 *
 * - a tick that may keep the process alive (guard, whose process lives
 *   exactly as long as its command and then exits) waits on
 *   `AbortSignal.timeout` (~0.4 ms to start); stopping it removes its
 *   listener, which lets the process end again;
 * - everything else (the library, which must never keep a program alive)
 *   waits on `Atomics.waitAsync` with a timeout (~0.1 ms): a wait that
 *   times out resolves its promise like a timer, while the process lives for
 *   other reasons, and it never keeps the process alive by itself — an
 *   unref'd timer.
 *
 * @module
 */

/** A running tick. */
export interface Ticker {
  /** Stops it; no tick runs afterwards. */
  stop(): void;
}

/** How to tick. */
export interface TickerOptions {
  /**
   * Whether the tick may keep the process alive (cheaper to start; for a
   * process that exits explicitly). @default {false}
   */
  keepsAlive?: boolean;
}

/**
 * Calls `tick` every `everyMs` until stopped.
 *
 * @param everyMs The period in ms.
 * @param tick What to do at each tick.
 * @param options Whether the tick may keep the process alive.
 * @returns The ticker.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { startTicker } from "./ticker.ts";
 * let ticks = 0;
 * const ticker = startTicker(5, () => ticks++, { keepsAlive: true });
 * // The default never keeps the process alive, and ticks while it lives.
 * let quiet = 0;
 * const unref = startTicker(5, () => quiet++);
 * await new Promise((done) => AbortSignal.timeout(40).addEventListener("abort", done));
 * ticker.stop();
 * unref.stop();
 * assert(ticks >= 2 && quiet >= 2);
 * ```
 */
export function startTicker(
  everyMs: number,
  tick: () => void,
  options: TickerOptions = {},
): Ticker {
  if (!options.keepsAlive) return unrefTicker(everyMs, tick);
  let stopped = false;
  let signal: AbortSignal | null = null;
  const fire = () => {
    if (stopped) return;
    tick();
    arm();
  };
  const arm = () => {
    if (stopped) return;
    signal = AbortSignal.timeout(everyMs);
    signal.addEventListener("abort", fire, { once: true });
  };
  arm();
  return {
    stop: () => {
      stopped = true;
      // A timeout signal without listeners no longer keeps the process alive.
      signal?.removeEventListener("abort", fire);
    },
  };
}

/** Ticks by timed-out waits on a cell no one else sees: they never keep the process alive. */
function unrefTicker(everyMs: number, tick: () => void): Ticker {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  let stopped = false;
  // A wait of 0 ms (or less) would answer at once, without a promise: at least
  // 1 ms, as timers are clamped (a NaN period too, which would never end).
  const timeout = Number.isNaN(everyMs) ? 1 : Math.max(1, everyMs);
  const arm = () => {
    const wait = Atomics.waitAsync(cell, 0, 0, timeout);
    // Asynchronous: the cell holds 0 and the timeout is at least 1 ms.
    void (wait.value as Promise<string>).then(() => {
      if (stopped) return;
      tick();
      arm();
    });
  };
  arm();
  return {
    stop: () => {
      stopped = true;
      // Ends the pending wait now, so that nothing of it outlives the ticker.
      Atomics.notify(cell, 0);
    },
  };
}

/**
 * Calls `fire` once after `ms`, the same two ways as {@linkcode startTicker}.
 *
 * @param ms The delay in ms.
 * @param fire What to do then.
 * @param options Whether the timer may keep the process alive.
 * @returns The timer; `stop()` cancels it.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { startTimer } from "./ticker.ts";
 * let fired = 0;
 * startTimer(5, () => fired++, { keepsAlive: true });
 * startTimer(5, () => fired++, { keepsAlive: true }).stop();
 * // A deadline already past fires at once (the unref'd way too).
 * startTimer(0, () => fired++);
 * startTimer(-5, () => fired++);
 * await new Promise((done) => AbortSignal.timeout(40).addEventListener("abort", done));
 * assert.equal(fired, 3);
 * ```
 */
export function startTimer(ms: number, fire: () => void, options: TickerOptions = {}): Ticker {
  let done = false;
  const ticker = startTicker(Math.max(0, ms), () => {
    if (done) return;
    done = true;
    ticker.stop();
    fire();
  }, options);
  return {
    stop: () => {
      done = true;
      ticker.stop();
    },
  };
}
