// Waiting between retries: exponential backoff with jitter, and a sleep that an abort cuts short.

const MAX_BACKOFF_MS = 30_000;

/** Delay before retry number `failures` (1-based): 0.5 s doubling to 30 s, each with up to 50 % jitter. */
export function backoff(failures: number): number {
  const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(Math.max(failures, 1) - 1, 10));
  return base / 2 + Math.random() * (base / 2);
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
