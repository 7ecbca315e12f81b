// Telling a stalled follow stream from a quiet one, on every transport. A kubelet's log reader can be
// left on a rotated file nobody writes any more (docs/reliability.md K2): the response stays open and
// healthy, HTTP/2 PINGs are answered, and nothing more comes while the container writes on. Only the
// log itself can tell: when a stream has read nothing for a while, the log's last line is asked for
// on a short request of its own (tailLines=1). A line this stream never delivered means the stream is
// stalled, and it is resumed; a container that logs nothing gives the same last line every time, so a
// quiet stream is never taken for a stalled one.
//
// What "a while" is depends on the stream. One that was busy and went abruptly silent is asked after
// BUSY_IDLE_MS, so that a stalled stream resumes well within the kubelet's 10 s rotation period,
// while its lines are still in the current file. One that is quiet anyway is asked after the
// configured quiet time (30 s by default), and each answer that finds nothing new doubles the wait, to
// QUIET_MAX_MS. Probes of quiet streams also share one budget per run (ProbeBudget), so that however
// many quiet streams are open, they cost the API server at most about one request a second; every
// probe also goes through the client's --qps limiter.
import type { Clock } from "./clock.ts";

/** Silence after which a busy stream is checked. */
export const BUSY_IDLE_MS = 1000;
/** A busy stream that keeps pausing (bursts) is checked less often, but at least this often. */
export const BUSY_MAX_MS = 8000;
/** A quiet stream is checked at least this often. */
export const QUIET_MAX_MS = 10 * 60_000;
/** After a probe found a line the stream has not delivered, the stream has this long to deliver it. */
export const GRACE_MS = 500;
/** Activity is counted in windows of this length: a stream is busy if a recent window had BUSY_CHUNKS. */
const WINDOW_MS = 10_000;
const BUSY_CHUNKS = 3;

/** Quiet-stream probes per second, and at once, across one run. */
const BUDGET_PER_S = 1;
const BUDGET_BURST = 10;

/** How long a stream may be silent before it is checked (pure). */
export function probeDelay(busy: boolean, level: number, quietMs: number): number {
  return busy
    ? Math.min(BUSY_MAX_MS, BUSY_IDLE_MS * 2 ** level)
    : Math.min(QUIET_MAX_MS, Math.max(quietMs, BUSY_IDLE_MS) * 2 ** level);
}

/**
 * Probes of quiet streams, shared across every stream of a run: a token bucket on the clock, whose
 * waiters are given their turns in order (no polling however many wait).
 */
export class ProbeBudget {
  private readonly clock: Clock;
  private tokens = BUDGET_BURST;
  private last: number;

  constructor(clock: Clock) {
    this.clock = clock;
    this.last = clock.now();
  }

  /** Takes the next turn: how long to wait for it (0: now). */
  reserve(): number {
    const now = this.clock.now();
    this.tokens = Math.min(BUDGET_BURST, this.tokens + ((now - this.last) / 1000) * BUDGET_PER_S);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / BUDGET_PER_S) * 1000;
  }
}

export interface StallWatchHooks {
  /** The timestamp of the log's last line now (a short request), or undefined when none is known. */
  lastTimestamp(signal: AbortSignal): Promise<string | undefined>;
  /** Whether a line with this timestamp is newer than everything read; undefined before any line. */
  isUnread(timestamp: string): boolean | undefined;
  /** The container wrote a line (this timestamp) the stream has not delivered yet. */
  onUnread(timestamp: string): void;
  /** The stream is stalled: end it, so that it resumes. */
  onStalled(why: string): void;
}

/**
 * One tail's watch. Its schedule (how busy the stream is, how often probes found nothing) lives as
 * long as the tail; run() watches one response of it, until the signal aborts.
 */
export class StallWatch {
  private readonly clock: Clock;
  private readonly quietMs: number;
  private readonly budget: ProbeBudget | undefined;
  private chunks = 0;
  private lastChunkAt: number;
  private windowStart: number;
  private windowChunks = 0;
  private lastWindowChunks = 0;
  private level = 0;
  private wasBusy = false;
  /** The last line a probe saw: a newer one at the next probe means the container wrote. */
  private previous: string | undefined;
  /** Cuts run()'s wait short when the stream turns busy (it is then checked much sooner). */
  private waiting: AbortController | undefined;

  constructor(clock: Clock, quietMs: number, budget?: ProbeBudget) {
    this.clock = clock;
    this.quietMs = quietMs;
    this.budget = budget;
    this.lastChunkAt = clock.now();
    this.windowStart = this.lastChunkAt;
  }

  /** A chunk arrived. Per chunk, so it only notes the (coarse) time. */
  activity(): void {
    const now = this.clock.coarseNow();
    this.chunks++;
    this.lastChunkAt = now;
    if (now - this.windowStart >= WINDOW_MS) {
      this.lastWindowChunks = now - this.windowStart < 2 * WINDOW_MS ? this.windowChunks : 0;
      this.windowStart = now;
      this.windowChunks = 0;
    }
    if (++this.windowChunks === BUSY_CHUNKS) this.waiting?.abort();
  }

  /** Whether the stream delivered in bursts lately (this window or the one before). */
  get busy(): boolean {
    const stale = this.clock.now() - this.windowStart >= 2 * WINDOW_MS;
    return !stale && (this.windowChunks >= BUSY_CHUNKS || this.lastWindowChunks >= BUSY_CHUNKS);
  }

  /** The silence after which this stream is checked now. */
  get delayMs(): number {
    return probeDelay(this.busy, this.level, this.quietMs);
  }

  /** Watches a response until the signal aborts (the response ended, or the tail was cancelled). */
  async run(hooks: StallWatchHooks, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    this.lastChunkAt = this.clock.now();
    // A busy stream's new response starts afresh: the back-off of checks that failed while the
    // connection or the server was down is not this response's.
    if (this.busy) this.level = 0;
    const stop = () => this.waiting?.abort();
    signal.addEventListener("abort", stop, { once: true });
    try {
      while (!signal.aborted) {
        const busy = this.busy;
        if (busy && !this.wasBusy) this.level = 0; // a stream busy again is checked soon again
        this.wasBusy = busy;
        const due = this.lastChunkAt + probeDelay(busy, this.level, this.quietMs);
        const now = this.clock.now();
        if (now < due) {
          await this.rest(due - now);
          continue;
        }
        if (!busy && this.budget) {
          // A quiet stream waits its turn; a chunk meanwhile makes the check needless.
          const chunks = this.chunks;
          await this.rest(this.budget.reserve());
          if (this.chunks !== chunks) continue;
        }
        if (signal.aborted) return;
        await this.probe(hooks, signal);
        this.lastChunkAt = Math.max(this.lastChunkAt, this.clock.now());
      }
    } finally {
      signal.removeEventListener("abort", stop);
    }
  }

  /** Sleeps on the clock; cut short when the run stops or the stream turns busy. */
  private async rest(ms: number): Promise<void> {
    if (ms <= 0) return;
    const waiting = new AbortController();
    this.waiting = waiting;
    await this.clock.sleep(ms, waiting.signal);
    this.waiting = undefined;
  }

  private async probe(hooks: StallWatchHooks, signal: AbortSignal): Promise<void> {
    let last: string | undefined;
    try {
      last = await hooks.lastTimestamp(signal);
    } catch {
      // The server cannot be asked now: nothing to conclude; ask again after the next delay.
      this.level++;
      return;
    }
    if (signal.aborted) return;
    const previous = this.previous;
    this.previous = last;
    const unread =
      last !== undefined && (hooks.isUnread(last) ?? (previous !== undefined && previous !== last));
    if (!unread || last === undefined) {
      this.level++;
      return;
    }
    hooks.onUnread(last);
    const before = this.chunks;
    await this.clock.sleep(GRACE_MS, signal);
    if (signal.aborted || this.chunks !== before) return;
    this.level = 0;
    hooks.onStalled(
      `nothing read for ${seconds(this.clock.now() - this.lastChunkAt)} while the container wrote`,
    );
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
