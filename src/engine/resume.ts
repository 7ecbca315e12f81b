// Where a broken or ended log stream resumes, and which lines of the replay were read already.
//
// The API takes `sinceTime` in whole seconds, so a resume re-reads the second of the last line. What it
// sends back need not be what the first reading sent: after a log rotation the kubelet serves only the
// current file, so lines of that second that were in the rotated file are missing from the replay.
// A replayed line is skipped only when it is one already read: same second, same nanoseconds, and
// (for lines that share their exact timestamp) the same message. Lines of the second are kept as
// their nanoseconds, so nothing is copied per line; a message is copied only where a tie is possible
// (the last line of a chunk, lines with the timestamp of the line before).

/** "2006-01-02T15:04:05": the part of a timestamp that sinceTime carries. */
export const SECOND_LEN = 19;
const DOT = 46;
const ZERO = 48;

/** Nanoseconds in the fraction "…05.123456789Z" (up to 9 digits after the second; none is 0). */
function nanosOf(buf: Buffer, start: number, end: number): number {
  let i = start + SECOND_LEN;
  if (buf[i] !== DOT) return 0;
  i++;
  let ns = 0;
  let digits = 0;
  for (; i < end && digits < 9; i++, digits++) {
    const d = (buf[i] as number) - ZERO;
    if (d < 0 || d > 9) break;
    ns = ns * 10 + d;
  }
  for (; digits < 9; digits++) ns *= 10;
  return ns;
}

export class ResumePoint {
  /** The second of the newest lines read, and its zone ("Z", "+01:00"), as sent by the server. */
  private readonly second = new Uint8Array(SECOND_LEN);
  private zone = "Z";
  private hasSecond = false;
  /** Nanoseconds of every line read in that second, in the order read. */
  private nanos: number[] = [];
  /** Messages of the lines at the same index in `nanos`, where kept (possible ties). */
  private messages: (Buffer | undefined)[] = [];
  /** The line just read, whose message is copied if a tie with the next line becomes possible. */
  private lastBuf: Buffer | undefined;
  private lastStart = 0;
  private lastEnd = 0;
  /** While a resumed response replays the second: the lines read before it, not yet seen again. */
  private replay:
    | { nanos: number[]; messages: (Buffer | undefined)[]; used: Uint8Array; from: number }
    | undefined;

  /** Whether any timestamped line was read: a resume can then start at its second. */
  get positioned(): boolean {
    return this.hasSecond;
  }

  /**
   * The sinceTime of a resume request, which then replays the second: call once per request.
   * Undefined before any line was read (the first request's own options apply then).
   */
  beginResume(): string | undefined {
    if (!this.hasSecond) return undefined;
    this.replay = {
      nanos: this.nanos.slice(),
      messages: this.messages.slice(),
      used: new Uint8Array(this.nanos.length),
      from: 0,
    };
    return `${Buffer.from(this.second).toString("latin1")}${this.zone}`;
  }

  /**
   * Records the line whose timestamp is buf[ts, tsEnd) and message buf[msg, msgEnd); returns true when
   * it was read before (a replayed line to skip). The timestamp is at least SECOND_LEN bytes.
   */
  observe(buf: Buffer, ts: number, tsEnd: number, msg: number, msgEnd: number): boolean {
    const same = this.hasSecond && this.sameSecond(buf, ts);
    if (this.replay) {
      if (same) {
        if (this.replayed(buf, ts, tsEnd, msg, msgEnd)) return true;
      } else if (this.hasSecond && this.before(buf, ts)) {
        // Older than the resume point: the server was asked not to send it; it was printed before.
        return true;
      } else {
        this.replay = undefined;
      }
    }
    const ns = nanosOf(buf, ts, tsEnd);
    if (same) {
      const n = this.nanos.length;
      if (n > 0 && this.nanos[n - 1] === ns) {
        // A tie: both messages are needed to tell the two lines apart in a replay.
        this.keepLast();
        this.nanos.push(ns);
        this.messages.push(Buffer.from(buf.subarray(msg, msgEnd)));
        this.lastBuf = undefined;
        return false;
      }
    } else {
      for (let i = 0; i < SECOND_LEN; i++) this.second[i] = buf[ts + i] as number;
      this.zone = zoneOf(buf, ts, tsEnd);
      this.hasSecond = true;
      this.nanos = [];
      this.messages = [];
    }
    this.nanos.push(ns);
    this.messages.push(undefined);
    this.lastBuf = buf;
    this.lastStart = msg;
    this.lastEnd = msgEnd;
    return false;
  }

  /** Whether a line with the timestamp buf[ts, tsEnd) would be newer than every line read. */
  isAfterRead(buf: Buffer, ts: number, tsEnd: number): boolean {
    if (!this.hasSecond) return true;
    if (this.before(buf, ts)) return false;
    if (!this.sameSecond(buf, ts)) return true;
    const ns = nanosOf(buf, ts, tsEnd);
    for (const n of this.nanos) if (n >= ns) return false;
    return true;
  }

  /** The chunk the last line points into is about to be released: keep that line's message. */
  endChunk(): void {
    this.keepLast();
  }

  private keepLast(): void {
    if (!this.lastBuf) return;
    const i = this.messages.length - 1;
    if (this.messages[i] === undefined)
      this.messages[i] = Buffer.from(this.lastBuf.subarray(this.lastStart, this.lastEnd));
    this.lastBuf = undefined;
  }

  /** Whether this line of the resume second was read before; marks it seen again if so. */
  private replayed(buf: Buffer, ts: number, tsEnd: number, msg: number, msgEnd: number): boolean {
    const r = this.replay!;
    const ns = nanosOf(buf, ts, tsEnd);
    // A replay comes in the order first read, so the search starts at the first line not seen again.
    for (let i = r.from; i < r.nanos.length; i++) {
      if (r.used[i] === 1 || r.nanos[i] !== ns) continue;
      const kept = r.messages[i];
      if (kept !== undefined && !equalBytes(kept, buf, msg, msgEnd)) continue;
      r.used[i] = 1;
      while (r.from < r.nanos.length && r.used[r.from] === 1) r.from++;
      return true;
    }
    return false;
  }

  private sameSecond(buf: Buffer, ts: number): boolean {
    const s = this.second;
    for (let i = SECOND_LEN - 1; i >= 0; i--) if (s[i] !== buf[ts + i]) return false;
    return true;
  }

  /** Whether the line's second is before the resume second (same zone: byte order is time order). */
  private before(buf: Buffer, ts: number): boolean {
    const s = this.second;
    for (let i = 0; i < SECOND_LEN; i++) {
      const a = buf[ts + i] as number;
      const b = s[i] as number;
      if (a !== b) return a < b;
    }
    return false;
  }
}

function zoneOf(buf: Buffer, ts: number, tsEnd: number): string {
  let i = ts + SECOND_LEN;
  if (buf[i] === DOT) {
    i++;
    while (i < tsEnd && (buf[i] as number) >= ZERO && (buf[i] as number) <= ZERO + 9) i++;
  }
  return i < tsEnd ? buf.toString("latin1", i, tsEnd) : "Z";
}

function equalBytes(kept: Buffer, buf: Buffer, start: number, end: number): boolean {
  if (kept.length !== end - start) return false;
  for (let i = 0; i < kept.length; i++) if (kept[i] !== buf[start + i]) return false;
  return true;
}
