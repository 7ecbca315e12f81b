// A request's bounds, written once for every route: its timeout (--request-timeout, on the clock) and
// its abort signal, over connecting and waiting for the response's headers; after them, the signal
// still stops the body.
import type { Clock } from "../util/clock.ts";
import type { Body } from "./body.ts";
import { abortError, timeoutError } from "./errors.ts";

export interface Bounds {
  signal?: AbortSignal | undefined;
  /** In ms; 0 = none. */
  timeoutMs: number;
  /** The server's origin, for the timeout's message. */
  origin: string;
  clock: Clock;
  /** Called with the error when the bound is hit first: stops what is pending. */
  cancel: (err: Error) => void;
}

/** Settles as `pending` does, unless the timeout or the signal comes first: then it fails with that. */
export function bounded<T>(pending: Promise<T>, b: Bounds): Promise<T> {
  const { signal, timeoutMs } = b;
  if (!signal && timeoutMs <= 0) return pending;
  return new Promise<T>((resolve, reject) => {
    const stopTimer = new AbortController();
    let over = false;
    const finish = () => {
      over = true;
      stopTimer.abort();
      signal?.removeEventListener("abort", onAbort);
    };
    const expire = (err: Error) => {
      if (over) return;
      finish();
      b.cancel(err);
      reject(err);
    };
    const onAbort = () => expire(abortError());
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    if (timeoutMs > 0)
      void b.clock.sleep(timeoutMs, stopTimer.signal).then(() => {
        if (!stopTimer.signal.aborted) expire(timeoutError(b.origin, timeoutMs));
      });
    pending.then(
      (v) => {
        if (over) return;
        finish();
        resolve(v);
      },
      (err: unknown) => {
        if (over) return;
        finish();
        reject(err);
      },
    );
  });
}

/** After the headers: the signal destroys the body until it is over. */
export function abortsBody(
  body: Body & { readonly done: Promise<void> },
  signal: AbortSignal | undefined,
): void {
  if (!signal) return;
  const onAbort = () => body.destroy(abortError());
  if (signal.aborted) {
    onAbort();
    return;
  }
  signal.addEventListener("abort", onAbort, { once: true });
  void body.done.then(() => signal.removeEventListener("abort", onAbort));
}
