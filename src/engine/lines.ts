// Splits a byte stream into lines without decoding it: the hot path works on Buffers.

const NL = 10;
/** A line longer than this is cut into pieces of this size: memory stays bounded on hostile input. */
export const MAX_LINE_BYTES = 8 << 20;

/** The first capacity of the buffer of an unfinished line, and the most it keeps once the line ends. */
const MIN_HELD = 256;
const KEEP_HELD = 64 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * One line is buf[start, end) (without its newline); `continued` marks the later pieces of a cut line.
 * buf stays as it is until push() returns, not after: a line kept longer is copied.
 */
export type OnLine = (buf: Buffer, start: number, end: number, continued: boolean) => void;

/**
 * Every line is handed over whole, or cut into pieces of maxLine bytes: the same lines and pieces
 * however the stream is cut into chunks. A line inside one chunk is handed over as a view of the chunk
 * (no copy); the start of a line that a chunk does not finish is copied into a buffer of the
 * splitter's own, so what it holds is those bytes, never the chunks they came in.
 */
export class LineSplitter {
  /** The start of the unfinished line: held[0, heldLen). */
  private held: Buffer = EMPTY;
  private heldLen = 0;
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
    const max = this.maxLine;
    if (this.heldLen > 0 || this.continuing) {
      // The unfinished line goes on up to the first newline (or the end of the chunk); it is handed
      // over as a copy of its own, as the held buffer is written again before push returns.
      if (nl !== -1 && this.heldLen + nl - start <= max) {
        const n = this.heldLen + nl - start;
        if (n > 0 || !this.continuing) {
          const line = Buffer.allocUnsafe(n);
          this.held.copy(line, 0, 0, this.heldLen);
          chunk.copy(line, this.heldLen, start, nl);
          onLine(line, 0, n, this.continuing);
        }
      } else {
        this.append(chunk, start, nl === -1 ? to : nl, onLine);
        if (nl === -1) return;
        if (this.heldLen > 0) onLine(Buffer.from(this.held.subarray(0, this.heldLen)), 0, this.heldLen, true);
      }
      this.endHeld();
      start = nl + 1;
      nl = chunk.indexOf(NL, start);
      if (nl >= to) nl = -1;
    }
    while (nl !== -1) {
      if (nl - start <= max) onLine(chunk, start, nl, false);
      else for (let at = start; at < nl; at += max) onLine(chunk, at, Math.min(at + max, nl), at > start);
      start = nl + 1;
      nl = chunk.indexOf(NL, start);
      if (nl >= to) nl = -1;
    }
    if (start < to) this.append(chunk, start, to, onLine);
  }

  /** Adds chunk[start, end) to the unfinished line, handing over each piece of maxLine it fills. */
  private append(chunk: Buffer, start: number, end: number, onLine: OnLine): void {
    const max = this.maxLine;
    while (start < end) {
      if (this.heldLen === 0 && end - start >= max) {
        // A whole piece in the chunk: handed over from it.
        onLine(chunk, start, start + max, this.continuing);
        this.continuing = true;
        start += max;
        continue;
      }
      const n = Math.min(end - start, max - this.heldLen);
      const need = this.heldLen + n;
      if (need > this.held.length) {
        // Doubled, so a line that comes a byte at a time costs amortized O(1) per byte.
        const grown = Buffer.allocUnsafeSlow(Math.min(max, Math.max(need, 2 * this.held.length, MIN_HELD)));
        this.held.copy(grown, 0, 0, this.heldLen);
        this.held = grown;
      }
      chunk.copy(this.held, this.heldLen, start, start + n);
      this.heldLen = need;
      start += n;
      if (this.heldLen === max) {
        // Full: handed over as it is, and a new one is started for what follows.
        onLine(this.held, 0, max, this.continuing);
        this.continuing = true;
        this.held = EMPTY;
        this.heldLen = 0;
      }
    }
  }

  /** The unfinished line has been handed over: its buffer is kept for the next, unless it grew big. */
  private endHeld(): void {
    this.heldLen = 0;
    this.continuing = false;
    if (this.held.length > KEEP_HELD) this.held = EMPTY;
  }

  /** Bytes held for a line whose newline has not arrived yet. */
  get heldBytes(): number {
    return this.heldLen;
  }

  /** The size of the buffer holding them: at most twice what the line reached, and maxLine. */
  get heldCapacity(): number {
    return this.held.length;
  }

  /** Hands over a last line that had no newline at the end of the stream. */
  flush(onLine: OnLine): void {
    if (this.heldLen > 0) {
      const line = Buffer.allocUnsafe(this.heldLen);
      this.held.copy(line, 0, 0, this.heldLen);
      onLine(line, 0, line.length, this.continuing);
    }
    this.endHeld();
  }
}
