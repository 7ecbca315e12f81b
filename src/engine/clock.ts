// Time, as the engine sees it: grace periods, back-off and resume delays wait on a clock, so engine
// tests can run them on a fake one instead of waiting.
import { sleep } from "../util/retry.ts";

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves after ms, or at once when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep,
};
