// Splits a byte stream into lines without decoding it: the hot path works on Buffers.

const NL = 10;
/** A line longer than this is cut into pieces of this size: memory stays bounded on hostile input. */
export const MAX_LINE_BYTES = 8 << 20;

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly maxLine: number;

  constructor(maxLine = MAX_LINE_BYTES) {
    this.maxLine = maxLine;
  }

  /** Calls onLine(buf, start, end) for every complete line in chunk (end excludes the newline). */
  push(chunk: Buffer, onLine: (buf: Buffer, start: number, end: number) => void): void {
    let start = 0;
    let nl = chunk.indexOf(NL, 0);
    if (nl !== -1 && this.pendingBytes > 0) {
      this.pending.push(chunk.subarray(0, nl));
      const joined = Buffer.concat(this.pending, this.pendingBytes + nl);
      this.pending = [];
      this.pendingBytes = 0;
      onLine(joined, 0, joined.length);
      start = nl + 1;
      nl = chunk.indexOf(NL, start);
    }
    while (nl !== -1) {
      onLine(chunk, start, nl);
      start = nl + 1;
      nl = chunk.indexOf(NL, start);
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes >= this.maxLine) this.cut(onLine);
    }
  }

  private cut(onLine: (buf: Buffer, start: number, end: number) => void): void {
    const joined = Buffer.concat(this.pending, this.pendingBytes);
    let at = 0;
    while (joined.length - at >= this.maxLine) {
      onLine(joined, at, at + this.maxLine);
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
  flush(onLine: (buf: Buffer, start: number, end: number) => void): void {
    if (this.pendingBytes === 0) return;
    const joined = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    onLine(joined, 0, joined.length);
  }
}
