// Every line of a session, in the order it arrived: unbounded history in bounded memory. Each line's
// facts are columns of typed arrays (source, time, kind, level, where its bytes are); the bytes are one
// append-only stream cut in segments, the newest kept in memory and the older ones written to a
// spill file (removed when the store is closed) and read back on demand. Nothing is allocated per line.

/**
 * What a line is: a container's log line, or news the view shows among them, marked apart — a
 * Kubernetes event (--events), or a stream's start, end or wait ("+", "-", "!"), lines lost, the
 * kubelet's words.
 */
export const LineKind = { Log: 0, Event: 1, Lifecycle: 2 } as const;
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

/** Level not looked at yet; lines without a known level get NO_LEVEL once looked at. */
export const LEVEL_UNKNOWN = 0;
export const NO_LEVEL = 255;

/** Where spilled segments go: a file the store appends to and reads from (absolute offsets). */
export interface SpillFile {
  write(data: Buffer): void;
  read(into: Buffer, length: number, position: number): void;
  close(): void;
}

export interface StoreOptions {
  /** Bytes per segment (default 4 MiB). */
  segmentBytes?: number;
  /** Bytes of line text kept in memory before older segments spill (default 64 MiB). */
  memoryBytes?: number;
  /** Where segments spill; absent: never (everything stays in memory). */
  spill?: () => SpillFile;
}

class Column<T extends Float64Array | Uint32Array | Uint8Array> {
  data: T;
  private readonly make: (n: number) => T;
  constructor(make: (n: number) => T) {
    this.make = make;
    this.data = make(1024);
  }
  grow(need: number): void {
    if (need <= this.data.length) return;
    const next = this.make(Math.max(need, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
}

interface Segment {
  /** Absolute offset of its first byte in the stream of all lines' bytes. */
  start: number;
  /** In memory, or undefined once spilled. */
  buf: Buffer | undefined;
  /** Bytes used. */
  used: number;
}

export class LineStore {
  private readonly segmentBytes: number;
  private readonly memoryBytes: number;
  private readonly openSpill: (() => SpillFile) | undefined;
  private spill: SpillFile | undefined;
  private n = 0;
  private readonly sources = new Column((k) => new Uint32Array(k));
  private readonly times = new Column((k) => new Float64Array(k));
  private readonly kinds = new Column((k) => new Uint8Array(k));
  private readonly levels = new Column((k) => new Uint8Array(k));
  private readonly offsets = new Column((k) => new Float64Array(k));
  private readonly lengths = new Column((k) => new Uint32Array(k));
  private readonly segments: Segment[] = [];
  private inMemory = 0;
  /** The oldest segment still in memory. */
  private firstInMemory = 0;
  /** The last spilled segment read back, kept for the next line of it (scans read in order). */
  private readBack: { index: number; buf: Buffer } | undefined;

  constructor(opts: StoreOptions = {}) {
    this.segmentBytes = opts.segmentBytes ?? 4 << 20;
    this.memoryBytes = Math.max(opts.memoryBytes ?? 64 << 20, this.segmentBytes * 2);
    this.openSpill = opts.spill;
  }

  get count(): number {
    return this.n;
  }

  /** Bytes of line text kept in memory now. */
  get memoryUsed(): number {
    return this.inMemory;
  }

  /** Appends a line (its text is buf[start, end)); returns its index. */
  append(source: number, timeMs: number, kind: LineKind, buf: Buffer, start: number, end: number): number {
    const i = this.n;
    const need = i + 1;
    this.sources.grow(need);
    this.times.grow(need);
    this.kinds.grow(need);
    this.levels.grow(need);
    this.offsets.grow(need);
    this.lengths.grow(need);
    const len = end - start;
    const seg = this.segmentFor(len);
    buf.copy(seg.buf as Buffer, seg.used, start, end);
    this.sources.data[i] = source;
    this.times.data[i] = timeMs;
    this.kinds.data[i] = kind;
    this.levels.data[i] = LEVEL_UNKNOWN;
    this.offsets.data[i] = seg.start + seg.used;
    this.lengths.data[i] = len;
    seg.used += len;
    this.n = need;
    return i;
  }

  source(i: number): number {
    return this.sources.data[i] as number;
  }
  time(i: number): number {
    return this.times.data[i] as number;
  }
  kind(i: number): LineKind {
    return this.kinds.data[i] as LineKind;
  }
  /** The cached level (LEVEL_UNKNOWN: not looked at yet). */
  level(i: number): number {
    return this.levels.data[i] as number;
  }
  setLevel(i: number, level: number): void {
    this.levels.data[i] = level;
  }
  length(i: number): number {
    return this.lengths.data[i] as number;
  }

  /**
   * The line's bytes as a view (of a segment in memory, or of a segment read back from the spill
   * file): valid until the next call that reads a spilled line.
   */
  bytes(i: number): Buffer {
    const at = this.locate(i);
    return this.located.subarray(at, at + (this.lengths.data[i] as number));
  }

  /** Whether a test of the line's bytes holds, with no view made (for scans over every line). */
  test(i: number, fn: (buf: Buffer, start: number, end: number) => boolean): boolean {
    const at = this.locate(i);
    return fn(this.located, at, at + (this.lengths.data[i] as number));
  }

  /** The buffer `locate` found the line in. */
  private located: Buffer = Buffer.alloc(0);
  /** The segment of the last line located: scans go line after line, mostly in one segment. */
  private lastSegment = 0;

  /** Makes the line's bytes readable in `located`; returns where they start in it. */
  private locate(i: number): number {
    const off = this.offsets.data[i] as number;
    let k = this.lastSegment;
    const near = this.segments[k];
    if (!near || off < near.start || off >= near.start + near.used) k = this.segmentIndex(off);
    this.lastSegment = k;
    const seg = this.segments[k] as Segment;
    const at = off - seg.start;
    if (seg.buf) {
      this.located = seg.buf;
      return at;
    }
    this.located = this.readBackSegment(k);
    return at;
  }

  /**
   * The next line from `from` (inclusive) going `direction` whose bytes contain `needle`, or -1: each
   * segment is searched whole, natively, and only where the needle is found is a line looked up. A
   * needle across two lines (a line's end and the next one's start) is a false candidate; the caller
   * tests the line it gets.
   */
  findBytes(needle: Buffer, from: number, direction: 1 | -1): number {
    if (this.n === 0 || from < 0 || from >= this.n) return -1;
    const start = this.offsets.data[from] as number;
    // Forward, a match starts at or after `pos`; backward, it ends at or before it.
    let pos = direction > 0 ? start : start + (this.lengths.data[from] as number);
    let k = this.segmentIndex(start);
    while (k >= 0 && k < this.segments.length) {
      const seg = this.segments[k] as Segment;
      const buf = this.segmentData(k);
      let hit = -1;
      if (direction > 0) {
        const at = Math.max(0, pos - seg.start);
        if (at <= seg.used) hit = buf.indexOf(needle, at);
      } else {
        const endAt = Math.min(seg.used, pos - seg.start);
        if (endAt >= needle.length) hit = buf.lastIndexOf(needle, endAt - needle.length);
      }
      if (hit === -1) {
        k += direction;
        pos = direction > 0 ? (this.segments[k]?.start ?? 0) : seg.start;
        continue;
      }
      const abs = seg.start + hit;
      const i = this.lineAt(abs);
      if (abs + needle.length <= (this.offsets.data[i] as number) + (this.lengths.data[i] as number))
        return i;
      // Across the end of a line into the next (lines lie end to end): look on past it.
      pos = direction > 0 ? abs + 1 : abs + needle.length - 1;
    }
    return -1;
  }

  /** The line whose bytes hold absolute offset off. */
  private lineAt(off: number): number {
    const offsets = this.offsets.data;
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((offsets[mid] as number) <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** A segment's bytes, read back from the spill file when it is there. */
  private segmentData(k: number): Buffer {
    const seg = this.segments[k] as Segment;
    if (seg.buf) return seg.buf.subarray(0, seg.used);
    return this.readBackSegment(k).subarray(0, seg.used);
  }

  /** A spilled segment's bytes, read into the one read-back buffer (grown for a long line's segment). */
  private readBackSegment(k: number): Buffer {
    if (this.readBack?.index === k) return this.readBack.buf;
    const seg = this.segments[k] as Segment;
    const size = Math.max(this.segmentBytes, seg.used);
    // Reused at the usual size; a long line's buffer is not kept past its segment.
    const buf = this.readBack?.buf.length === size ? this.readBack.buf : Buffer.allocUnsafe(size);
    (this.spill as SpillFile).read(buf, seg.used, seg.start);
    this.readBack = { index: k, buf };
    return buf;
  }

  /** Frees the spill file. */
  close(): void {
    this.spill?.close();
    this.spill = undefined;
  }

  private segmentFor(len: number): Segment {
    let seg = this.segments.at(-1);
    if (!seg?.buf || seg.used + len > seg.buf.length) {
      const start = seg ? seg.start + seg.used : 0;
      // A line longer than a segment gets a segment of its own size.
      seg = { start, buf: Buffer.allocUnsafe(Math.max(this.segmentBytes, len)), used: 0 };
      this.segments.push(seg);
      this.inMemory += seg.buf!.length;
      this.evict();
    }
    return seg;
  }

  /** Spills the oldest segments while memory is over budget (never the one being written). */
  private evict(): void {
    if (!this.openSpill) return;
    while (this.inMemory > this.memoryBytes && this.firstInMemory < this.segments.length - 1) {
      const seg = this.segments[this.firstInMemory] as Segment;
      this.spill ??= this.openSpill();
      this.spill.write((seg.buf as Buffer).subarray(0, seg.used));
      this.inMemory -= (seg.buf as Buffer).length;
      seg.buf = undefined;
      this.firstInMemory++;
    }
  }

  /** The segment holding absolute offset off (binary search: segments are in offset order). */
  private segmentIndex(off: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.segments[mid] as Segment).start <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
