/**
 * A repeating tick, in one of two ways. A process's first `setInterval` or
 * `setTimeout` costs about 5 ms under Deno 2.9 (it loads Deno's Node-compatible
 * timers; measured here, docs/performance.md), which is a large part of a
 * whole `lokt guard` run. `AbortSignal.timeout` does not load them (~0.4 ms),
 * but its timer cannot be unref'd: it keeps the process alive until it fires.
 * So a process that ends explicitly when its work is done (guard, whose
 * process lives exactly as long as its command) ticks with
 * `AbortSignal.timeout` (stopping it removes its listener, which lets the
 * process end again); everything else (the library, which must never keep a
 * program alive) with an unref'd `setInterval`.
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
 * await new Promise((done) => AbortSignal.timeout(40).addEventListener("abort", done));
 * ticker.stop();
 * assert(ticks >= 2);
 * ```
 */
export function startTicker(
  everyMs: number,
  tick: () => void,
  options: TickerOptions = {},
): Ticker {
  if (!options.keepsAlive) {
    const timer = setInterval(tick, everyMs);
    Deno.unrefTimer(timer);
    return { stop: () => clearInterval(timer) };
  }
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
 * await new Promise((done) => AbortSignal.timeout(40).addEventListener("abort", done));
 * assert.equal(fired, 1);
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
