// A token bucket: `burst` requests at once, then `qps` per second. Waiters are served in order.

export class RateLimiter {
  private readonly qps: number;
  private readonly burst: number;
  private tokens: number;
  private last: number;
  private tail: Promise<void> = Promise.resolve();

  constructor(qps: number, burst: number) {
    this.qps = qps;
    this.burst = Math.max(1, burst);
    this.tokens = this.burst;
    this.last = performance.now();
  }

  /** Resolves when a request may go out. */
  acquire(): Promise<void> {
    const turn = this.tail.then(() => this.take());
    this.tail = turn;
    return turn;
  }

  private take(): Promise<void> | undefined {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    const waitMs = ((1 - this.tokens) / this.qps) * 1000;
    this.tokens -= 1;
    return new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
