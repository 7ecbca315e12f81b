// Where a broken or ended log stream resumes, and which lines of the replay were read already.
//
// The API takes `sinceTime` in whole seconds, so a resume re-reads the second of the last line. What it
// sends back need not be what the first reading sent: after a log rotation the kubelet serves only the
// current file, so lines of that second that were in the rotated file are missing from the replay.
// A replayed line is skipped only when it is one already read: same second, same nanoseconds, and
// (for lines that share their exact timestamp) the same message. Lines of the second are kept as
// numbers: their nanoseconds, and a hash of the message where a tie is possible (lines with the
// timestamp of the line before; the last line's message is kept in a reused buffer until the next
// line shows whether it ties). Nothing is allocated per line.
// A second with more than MAX_TRACKED lines (a container writing over 4,096 lines a second, or a
// server with coarse timestamps) is tracked for its first MAX_TRACKED lines and counted beyond.

/** "2006-01-02T15:04:05": the part of a timestamp that sinceTime carries. */
export const SECOND_LEN = 19;
const DOT = 46;
const ZERO = 48;
/** Lines of one second remembered one by one; beyond, only how many. */
const MAX_TRACKED = 4096;
/** No hash kept. */
const NONE = -1;

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

/**
 * Compares two timestamps as the server writes them (one zone, so the second's bytes are in time
 * order): negative when buf a's is earlier, 0 when they are equal, positive when it is later.
 */
export function compareStamps(
  a: Buffer,
  aStart: number,
  aEnd: number,
  b: Buffer,
  bStart: number,
  bEnd: number,
): number {
  for (let i = 0; i < SECOND_LEN; i++) {
    const d = (a[aStart + i] as number) - (b[bStart + i] as number);
    if (d !== 0) return d;
  }
  return nanosOf(a, aStart, aEnd) - nanosOf(b, bStart, bEnd);
}

/** FNV-1a, 32 bits, over buf[start, end): tells two messages with one timestamp apart. */
function hashOf(buf: Buffer, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
  return h >>> 0;
}

interface Replay {
  nanos: Int32Array;
  hashes: Float64Array;
  used: Uint8Array;
  /** The first line not seen again yet: a replay comes in the order first read. */
  from: number;
  /** Lines of the second read beyond MAX_TRACKED: that many unmatched replayed lines are skipped. */
  uncounted: number;
}

export class ResumePoint {
  /** The second of the newest lines read, and its zone ("Z", "+01:00"), as sent by the server. */
  private readonly second = new Uint8Array(SECOND_LEN);
  private zone = "Z";
  private hasSecond = false;
  /**
   * Nanoseconds of the lines read in that second, in the order read (the first MAX_TRACKED), and the
   * message's hash of the line at the same index (NONE where no tie is possible): `count` of them.
   * Typed arrays, kept from second to second, so that busy streams make no garbage here.
   */
  private nanos = new Int32Array(16);
  private hashes = new Float64Array(16);
  private count = 0;
  /** Lines of the second read beyond MAX_TRACKED. */
  private untracked = 0;
  /** The line just read, whose hash is taken if a tie with the next line becomes possible. */
  private lastBuf: Buffer | undefined;
  private lastStart = 0;
  private lastEnd = 0;
  /** Where the last line's message is kept once its chunk is released (reused, grown as needed). */
  private lastCopy = Buffer.allocUnsafe(256);
  private replay: Replay | undefined;

  /** Whether any timestamped line was read: a resume can then start at its second. */
  get positioned(): boolean {
    return this.hasSecond;
  }

  /** The timestamp of the newest line read, to the nanosecond (RFC 3339), or undefined before any. */
  lastRead(): string | undefined {
    if (!this.hasSecond) return undefined;
    const ns = this.count > 0 ? (this.nanos[this.count - 1] as number) : 0;
    return `${Buffer.from(this.second).toString("latin1")}.${String(ns).padStart(9, "0")}${this.zone}`;
  }

  /**
   * The sinceTime of a resume request, which then replays the second: call once per request.
   * Undefined before any line was read (the first request's own options apply then).
   */
  beginResume(): string | undefined {
    if (!this.hasSecond) return undefined;
    this.keepLast();
    this.replay = {
      nanos: this.nanos.slice(0, this.count),
      hashes: this.hashes.slice(0, this.count),
      used: new Uint8Array(this.count),
      from: 0,
      uncounted: this.untracked,
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
    if (!same) {
      for (let i = 0; i < SECOND_LEN; i++) this.second[i] = buf[ts + i] as number;
      this.zone = zoneOf(buf, ts, tsEnd);
      this.hasSecond = true;
      this.count = 0;
      this.untracked = 0;
      this.lastBuf = undefined;
    }
    const n = this.count;
    if (n >= MAX_TRACKED) {
      this.untracked++;
      return false;
    }
    let hash = NONE;
    if (n > 0 && this.nanos[n - 1] === ns) {
      // A tie: both messages' hashes are needed to tell the two lines apart in a replay.
      this.keepLast();
      hash = hashOf(buf, msg, msgEnd);
      this.lastBuf = undefined;
    } else {
      this.lastBuf = buf;
      this.lastStart = msg;
      this.lastEnd = msgEnd;
    }
    if (n === this.nanos.length) this.grow();
    this.nanos[n] = ns;
    this.hashes[n] = hash;
    this.count = n + 1;
    return false;
  }

  /** Whether a line with the timestamp buf[ts, tsEnd) would be newer than every line read. */
  isAfterRead(buf: Buffer, ts: number, tsEnd: number): boolean {
    if (!this.hasSecond) return true;
    if (this.before(buf, ts)) return false;
    if (!this.sameSecond(buf, ts)) return true;
    if (this.untracked > 0) return false;
    const ns = nanosOf(buf, ts, tsEnd);
    for (let i = 0; i < this.count; i++) if ((this.nanos[i] as number) >= ns) return false;
    return true;
  }

  /**
   * The chunk the last line points into is about to be released: its message is copied into a buffer
   * kept for it (a copy costs less than a hash; the hash is taken only if a tie follows).
   */
  endChunk(): void {
    const last = this.lastBuf;
    if (!last || last === this.lastCopy) return;
    const n = this.lastEnd - this.lastStart;
    if (this.lastCopy.length < n) this.lastCopy = Buffer.allocUnsafe(Math.max(n, this.lastCopy.length * 2));
    last.copy(this.lastCopy, 0, this.lastStart, this.lastEnd);
    this.lastBuf = this.lastCopy;
    this.lastStart = 0;
    this.lastEnd = n;
  }

  private grow(): void {
    const nanos = new Int32Array(Math.min(MAX_TRACKED, this.nanos.length * 2));
    const hashes = new Float64Array(nanos.length);
    nanos.set(this.nanos);
    hashes.set(this.hashes);
    this.nanos = nanos;
    this.hashes = hashes;
  }

  private keepLast(): void {
    if (!this.lastBuf) return;
    const i = this.count - 1;
    if (this.hashes[i] === NONE) this.hashes[i] = hashOf(this.lastBuf, this.lastStart, this.lastEnd);
    this.lastBuf = undefined;
  }

  /** Whether this line of the resume second was read before; marks it seen again if so. */
  private replayed(buf: Buffer, ts: number, tsEnd: number, msg: number, msgEnd: number): boolean {
    const r = this.replay!;
    const ns = nanosOf(buf, ts, tsEnd);
    let hash = NONE;
    for (let i = r.from; i < r.nanos.length; i++) {
      if (r.used[i] === 1 || r.nanos[i] !== ns) continue;
      const kept = r.hashes[i] as number;
      if (kept !== NONE) {
        if (hash === NONE) hash = hashOf(buf, msg, msgEnd);
        if (kept !== hash) continue;
      }
      r.used[i] = 1;
      while (r.from < r.nanos.length && r.used[r.from] === 1) r.from++;
      return true;
    }
    if (r.uncounted > 0) {
      // Beyond what was tracked one by one: skip as many lines as were read.
      r.uncounted--;
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
