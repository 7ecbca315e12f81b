// --head, --until/--until-time and --limit-bytes: where a container's lines stop. Pure: the tail asks,
// per line read, whether it is still inside the window (and how much of it); the first line outside
// closes the window and ends the stream.

export interface WindowOptions {
  /** --head: the first N lines of each container. */
  head?: number;
  /** --until: lines stamped after this (the kubelet's fixed-width UTC form) are outside. */
  untilKey?: string;
  /** --limit-bytes: at most this many bytes of messages (newlines counted, as kubectl); may cut a line. */
  limitBytes?: number;
}

export class LineWindow {
  private lines: number;
  private bytes: number;
  private readonly untilKey: string | undefined;

  constructor(o: WindowOptions) {
    this.lines = o.head ?? Number.POSITIVE_INFINITY;
    this.bytes = o.limitBytes ?? Number.POSITIVE_INFINITY;
    this.untilKey = o.untilKey;
  }

  /** Whether every line from now on is outside (the stream can end). */
  get closed(): boolean {
    return this.lines <= 0 || this.bytes <= 0;
  }

  /**
   * The line's timestamp is buf[ts, tsEnd) (empty: none), its message buf[msg, end): where the part
   * to print ends (end, or less when --limit-bytes cuts it), or -1 when the line is outside.
   */
  take(buf: Buffer, ts: number, tsEnd: number, msg: number, end: number): number {
    if (this.closed) return -1;
    if (this.untilKey !== undefined && tsEnd > ts && buf.toString("latin1", ts, tsEnd) > this.untilKey) {
      this.lines = 0;
      return -1;
    }
    this.lines--;
    const size = end - msg + 1;
    if (size <= this.bytes) {
      this.bytes -= size;
      return end;
    }
    const cut = msg + this.bytes;
    this.bytes = 0;
    return cut;
  }
}

/** A time as the kubelet stamps lines (2006-01-02T15:04:05.000000000Z), the whole millisecond included. */
export function untilKey(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}999999Z`;
}
