// --multiline (stern#329): one record per stack trace instead of one per line.
//
// Rule: a line continues the previous record of the same container when it starts with a space or a
// tab, with "at ", with "Caused by:" or with "...". Any other line (an empty one too) starts a new
// record. A record is its first line followed by its continuation lines, joined with "\n", and carries
// the first line's timestamp. A continuation line with nothing before it starts a record of its own.
// A record holds at most 500 lines and 1 MiB (a longer one is cut into several records; a single line
// is never cut). Note that the last line of a Python traceback ("ValueError: bad") is not indented, so
// it starts a record of its own.

const SPACE = 0x20;
const TAB = 0x09;
const NL = 0x0a;
const AT = Buffer.from("at ");
const CAUSED_BY = Buffer.from("Caused by:");
const ELLIPSIS = Buffer.from("...");

function startsWith(buf: Buffer, start: number, end: number, prefix: Buffer): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[start + i] !== prefix[i]) return false;
  return true;
}

/** Whether the line buf[start, end) continues the previous one (see the rule above). */
export function isContinuation(buf: Buffer, start: number, end: number): boolean {
  if (end <= start) return false;
  const c = buf[start];
  return (
    c === SPACE ||
    c === TAB ||
    startsWith(buf, start, end, AT) ||
    startsWith(buf, start, end, CAUSED_BY) ||
    startsWith(buf, start, end, ELLIPSIS)
  );
}

export interface MultilineOptions {
  /** Lines per record at most (default 500). */
  maxLines?: number;
  /** Bytes per record at most, the joining newlines included (default 1 MiB). */
  maxBytes?: number;
}

/** Groups one container's lines into records; use one per container so their records never mix. */
export class MultilineGrouper {
  private readonly emit: (record: Buffer, firstTime: string) => void;
  private readonly maxLines: number;
  private readonly maxBytes: number;
  // The pending record, copied: the caller's buffer is reused for its next chunk.
  private buf: Buffer | undefined;
  private len = 0;
  private lines = 0;
  private firstTime = "";

  constructor(emit: (record: Buffer, firstTime: string) => void, opts: MultilineOptions = {}) {
    this.emit = emit;
    this.maxLines = Math.max(1, opts.maxLines ?? 500);
    this.maxBytes = Math.max(1, opts.maxBytes ?? 1024 * 1024);
  }

  get pending(): boolean {
    return this.lines > 0;
  }

  /** One log line: its message buf[start, end) and its raw timestamp. */
  push(time: string, buf: Buffer, start: number, end: number): void {
    const n = end - start;
    if (this.lines > 0 && isContinuation(buf, start, end) && this.len + 1 + n <= this.maxBytes) {
      this.append(buf, start, end);
      if (this.isFull()) this.flush();
      return;
    }
    // The line starts a record. It is stored before the previous record is emitted, so an emit that
    // throws loses nothing but that one record.
    const previous = this.buf?.subarray(0, this.len);
    const previousTime = this.firstTime;
    // A few bytes spare so that a short continuation does not reallocate at once.
    this.buf = Buffer.allocUnsafe(n + 64);
    buf.copy(this.buf, 0, start, end);
    this.len = n;
    this.lines = 1;
    this.firstTime = time;
    if (previous) this.emit(previous, previousTime);
    if (this.isFull()) this.flush();
  }

  /** Emits the pending record, if any: at the end of the stream, or after a quiet period. */
  flush(): void {
    if (!this.buf) return;
    const record = this.buf.subarray(0, this.len);
    const time = this.firstTime;
    // Reset before emitting, so a throwing emit leaves a consistent grouper behind. The record's
    // memory is the receiver's from here on: the next record gets a new buffer.
    this.buf = undefined;
    this.len = 0;
    this.lines = 0;
    this.firstTime = "";
    this.emit(record, time);
  }

  /** Full records go out at once rather than waiting for the next line. */
  private isFull(): boolean {
    return this.lines >= this.maxLines || this.len >= this.maxBytes;
  }

  private append(src: Buffer, start: number, end: number): void {
    const need = this.len + 1 + (end - start);
    let b = this.buf as Buffer;
    if (need > b.length) {
      const next = Buffer.allocUnsafe(Math.min(Math.max(b.length * 2, need), this.maxBytes));
      b.copy(next, 0, 0, this.len);
      b = next;
      this.buf = b;
    }
    b[this.len] = NL;
    src.copy(b, this.len + 1, start, end);
    this.len = need;
    this.lines++;
  }
}
