// Time, as the engine and the transport see it: grace periods, back-off, resume delays, health checks
// and request deadlines wait on a clock, so tests can run them on a fake one instead of waiting.
import { sleep } from "./retry.ts";

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /**
   * now() to within COARSE_MS, for what is read per chunk on the hot path: a field read, where now()
   * costs a call into the runtime (~50 ns, 7 % of a line's cost at one line per frame).
   */
  coarseNow(): number;
  /** Resolves after ms, or at once when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** A timer on the clock: fn after ms, unless cancelled first. */
export interface Timer {
  cancel(): void;
}

export function after(clock: Clock, ms: number, fn: () => void): Timer {
  const stop = new AbortController();
  void clock.sleep(ms, stop.signal).then(() => {
    if (!stop.signal.aborted) fn();
  });
  return { cancel: () => stop.abort() };
}

/** How stale coarseNow() may be. */
export const COARSE_MS = 100;
let coarse = 0;
let ticking: NodeJS.Timeout | undefined;

export const systemClock: Clock = {
  now: () => performance.now(),
  coarseNow() {
    if (!ticking) {
      coarse = performance.now();
      ticking = setInterval(() => {
        coarse = performance.now();
      }, COARSE_MS);
      ticking.unref();
    }
    return coarse;
  },
  sleep,
};
