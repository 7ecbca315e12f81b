// Telling a quiet stream from a dead one where the transport cannot (HTTP/1.1: no PING, and TCP
// keepalive is answered by whatever forgot the connection). When a follow stream has read nothing for
// a while, the log's last line is asked for on another request: if the container wrote something
// this stream never delivered, the stream is dead and is resumed. A container that logs nothing
// gives the same last line every time, so a quiet stream is never taken for a dead one.

export interface QuietCheckHooks {
  /** The log's last line's timestamp now (a short request), or undefined when it cannot be known. */
  lastTimestamp(): Promise<string | undefined>;
  /**
   * Whether a line with this timestamp is newer than everything the stream has read; undefined when
   * it has read nothing yet (then a last line that changed between two probes tells).
   */
  isUnread(timestamp: string): boolean | undefined;
  /** The stream is dead: end it so that it resumes. */
  onStale(why: string): void;
}

/** After a newer line is seen elsewhere, the stream has this long to deliver it before it counts as dead. */
const GRACE_MS = 2000;

export class QuietCheck {
  private readonly idleMs: number;
  private readonly hooks: QuietCheckHooks;
  private chunks = 0;
  private seen = 0;
  private idleSince = performance.now();
  private probing = false;
  /** The last line seen by the previous probe: a newer one since means the container wrote. */
  private previous: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(idleMs: number, hooks: QuietCheckHooks) {
    this.idleMs = idleMs;
    this.hooks = hooks;
    this.timer = setInterval(() => this.tick(), Math.max(10, Math.min(1000, idleMs / 4)));
    this.timer.unref();
  }

  /** A chunk arrived: the stream is alive. Called per chunk, so it only counts. */
  activity(): void {
    this.chunks++;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = performance.now();
    if (this.chunks !== this.seen) {
      this.seen = this.chunks;
      this.idleSince = now;
      return;
    }
    if (this.probing || now - this.idleSince < this.idleMs) return;
    this.probing = true;
    void this.probe().finally(() => {
      this.probing = false;
      this.idleSince = performance.now();
    });
  }

  private async probe(): Promise<void> {
    let last: string | undefined;
    try {
      last = await this.hooks.lastTimestamp();
    } catch {
      return; // the server cannot be asked now: nothing to conclude
    }
    if (last === undefined || this.timer === undefined) return;
    const previous = this.previous;
    this.previous = last;
    const unread = this.hooks.isUnread(last) ?? (previous !== undefined && previous !== last);
    if (!unread) return;
    const before = this.chunks;
    await new Promise((r) => setTimeout(r, GRACE_MS).unref());
    if (this.chunks === before && this.timer !== undefined)
      this.hooks.onStale(`nothing read for ${Math.round(this.idleMs / 1000)}s while the container wrote`);
  }
}
