// Splits a byte stream into lines without decoding it: the hot path works on Buffers.

const NL = 10;
/** A line longer than this is cut into pieces of this size: memory stays bounded on hostile input. */
export const MAX_LINE_BYTES = 8 << 20;

/** One line is buf[start, end) (without its newline); `continued` marks the later pieces of a cut line. */
export type OnLine = (buf: Buffer, start: number, end: number, continued: boolean) => void;

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The line being read was cut already: what follows continues it. */
  private continuing = false;
  private readonly maxLine: number;

  constructor(maxLine = MAX_LINE_BYTES) {
    this.maxLine = maxLine;
  }

  /** Calls onLine for every complete line in chunk[from, to). */
  push(chunk: Buffer, onLine: OnLine, from = 0, to = chunk.length): void {
    let start = from;
    let nl = chunk.indexOf(NL, start);
    if (nl >= to) nl = -1;
    if (nl !== -1 && (this.pendingBytes > 0 || this.continuing)) {
      this.pending.push(chunk.subarray(start, nl));
      const joined = Buffer.concat(this.pending, this.pendingBytes + nl - start);
      this.pending = [];
      this.pendingBytes = 0;
      if (joined.length > 0 || !this.continuing) onLine(joined, 0, joined.length, this.continuing);
      this.continuing = false;
      start = nl + 1;
      nl = chunk.indexOf(NL, start);
      if (nl >= to) nl = -1;
    }
    while (nl !== -1) {
      onLine(chunk, start, nl, false);
      start = nl + 1;
      nl = chunk.indexOf(NL, start);
      if (nl >= to) nl = -1;
    }
    if (start < to) {
      this.pending.push(chunk.subarray(start, to));
      this.pendingBytes += to - start;
      if (this.pendingBytes >= this.maxLine) this.cut(onLine);
    }
  }

  private cut(onLine: OnLine): void {
    const joined = Buffer.concat(this.pending, this.pendingBytes);
    let at = 0;
    while (joined.length - at >= this.maxLine) {
      onLine(joined, at, at + this.maxLine, this.continuing);
      this.continuing = true;
      at += this.maxLine;
    }
    this.pending = at < joined.length ? [joined.subarray(at)] : [];
    this.pendingBytes = joined.length - at;
  }

  /** Bytes held for a line whose newline has not arrived yet. */
  get heldBytes(): number {
    return this.pendingBytes;
  }

  /** Hands over a last line that had no newline at the end of the stream. */
  flush(onLine: OnLine): void {
    if (this.pendingBytes > 0) {
      const joined = Buffer.concat(this.pending, this.pendingBytes);
      onLine(joined, 0, joined.length, this.continuing);
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.continuing = false;
  }
}
