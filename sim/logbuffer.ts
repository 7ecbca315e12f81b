// One container instance's log, and the streams that read it (with kubelet-like follow and backpressure).
import type { ServerResponse } from "node:http";

export interface LogLine {
  /** Whole milliseconds since the epoch. */
  t: number;
  /** Nanoseconds within that millisecond (0..999999). */
  ns: number;
  text: string;
  /** Written to stderr (absent: stdout). */
  stderr?: true;
}

/** A time as ms since the epoch (the fraction is kept to the nanosecond as far as a double allows). */
export interface LogTime {
  t: number;
  ns: number;
}

/** Accepts ms since the epoch (fraction allowed) or an RFC 3339 time with up to 9 fractional digits. */
export function toLogTime(time: number | string): LogTime {
  if (typeof time === "number") {
    const t = Math.floor(time);
    return { t, ns: Math.min(999_999, Math.round((time - t) * 1e6)) };
  }
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!m) throw new Error(`not an RFC 3339 time: ${time}`);
  const frac = (m[2] ?? "").padEnd(9, "0");
  const t = Date.parse(`${m[1]}${m[3]}`) + Number(frac.slice(0, 3));
  return { t, ns: Number(frac.slice(3)) };
}

/** Lines generated on demand per reader, for benchmarks: nothing is kept in memory. */
export interface VirtualLog {
  count: number;
  t: number;
  make: (i: number) => string;
  /** The same lines written as bytes, when all have one length: the benchmarks' fast path. */
  fixed?: FixedLines;
  /** Called once, when the first reader has read every virtual line. */
  onRead?: () => void;
  /** Bytes per write (one DATA frame or chunk each) at most; a line is never split (default 64 KB). */
  frameBytes?: number;
}

/** Lines of `length` bytes (newline excluded) that write(buf, at, i) puts at buf[at…]. */
export interface FixedLines {
  length: number;
  write(buf: Buffer, at: number, i: number): void;
}

export interface LogStats {
  bytesWritten: number;
  linesWritten: number;
  virtualLinesGenerated: number;
  openStreams: number;
}

/** RFC3339Nano with exactly 9 fractional digits, as the kubelet prints with timestamps=true. */
export function formatTimestamp(time: number | LogTime): string {
  const { t, ns } = typeof time === "number" ? toLogTime(time) : time;
  // Consecutive lines usually share the millisecond; skip the Date work for them.
  if (t !== lastMs) {
    lastMs = t;
    lastPrefix = new Date(t).toISOString().slice(0, 23);
  }
  return `${lastPrefix}${String(ns).padStart(6, "0")}Z`;
}

let lastMs = Number.NaN;
let lastPrefix = "";

export class LogInstance {
  readonly containerId: string;
  readonly startedAt: number;
  private lines: LogLine[] = [];
  /** Absolute index of lines[0]; older lines were dropped from memory. */
  private base = 0;
  /** Absolute index of the current log file's first line: the kubelet serves nothing older. */
  private fileStart = 0;
  /** Rotations so far (each ends the file that was current). */
  rotations = 0;
  private alive = true;
  /**
   * The kubelet's own error text, appended to every open stream's body when the instance ends (K3:
   * a followed pod deleted, its container no longer found): no timestamp, no newline.
   */
  private endText: string | undefined;
  virtual: VirtualLog | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly maxLines: number;

  constructor(containerId: string, startedAt: number, maxLines = 100_000) {
    this.containerId = containerId;
    this.startedAt = startedAt;
    this.maxLines = maxLines;
  }

  get running(): boolean {
    return this.alive;
  }

  get length(): number {
    return this.base + this.lines.length;
  }

  get firstIndex(): number {
    return this.base;
  }

  /** The first line a new reader gets: the current file's first line still in memory. */
  get servedFrom(): number {
    return Math.max(this.base, this.fileStart);
  }

  /**
   * The kubelet rotates the log at containerLogMaxSize: what was written so far moves to a rotated
   * file that no request serves again. Returns the index where the new file starts.
   */
  rotate(): number {
    this.fileStart = this.length;
    this.rotations++;
    this.wake();
    return this.fileStart;
  }

  /** The text the kubelet appends to a stream's body when this instance ends (see endText). */
  get errorAtEnd(): string | undefined {
    return this.endText;
  }

  line(i: number): LogLine | undefined {
    return this.lines[i - this.base];
  }

  append(time: LogTime, text: string, stream: "stdout" | "stderr" = "stdout"): void {
    for (const part of text.split("\n")) {
      this.lines.push(
        stream === "stderr"
          ? { t: time.t, ns: time.ns, text: part, stderr: true }
          : { t: time.t, ns: time.ns, text: part },
      );
    }
    if (this.lines.length > this.maxLines) {
      const drop = this.lines.length - this.maxLines;
      this.lines.splice(0, drop);
      this.base += drop;
    }
    this.wake();
  }

  /** The instance stopped running: followers drain and end (with the kubelet's text, if given). */
  stop(endText?: string): void {
    this.alive = false;
    if (endText !== undefined) this.endText = endText;
    this.wake();
  }

  onChange(w: () => void): () => void {
    this.waiters.add(w);
    return () => this.waiters.delete(w);
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

export interface StreamOptions {
  follow: boolean;
  timestamps: boolean;
  sinceMs?: number;
  tailLines?: number;
  limitBytes?: number;
  /** stream=Stdout|Stderr (PodLogsQuerySplitStreams): only that stream's lines; absent = both. */
  stream?: "Stdout" | "Stderr";
}

/**
 * What one write carries at most. A kube-apiserver copies the kubelet's stream through a 32 KB buffer and
 * flushes every write, so at moderate rates a frame holds one or a few lines; virtual logs choose theirs.
 */
const chunkBytes = 64 * 1024;

/** Streams one instance's log into a response, writing in batches and waiting for 'drain'. */
export class LogStream {
  readonly instance: LogInstance;
  private readonly res: ServerResponse;
  private readonly opts: StreamOptions;
  private readonly stats: LogStats;
  /** Position over virtual lines [0, V) followed by real lines [V, V + length). */
  private pos: number;
  private sent = 0;
  private done = false;
  private waiting = false;
  private unwatch: (() => void) | undefined;
  private readonly onFinish: () => void;
  private held: boolean;
  private virtPrefix: Buffer | undefined;
  /** A framed write waits for its flush. */
  private inFlight = false;
  /** Kubelets before 1.29: the stream reads the rotated file to its end, then ends (absolute index). */
  private endIndex = Number.POSITIVE_INFINITY;
  /**
   * A reader left on a rotated file nobody writes (K2): the stream delivers nothing from this absolute
   * index on, stays open and healthy, and ends only when the instance stops.
   */
  private stallIndex = Number.POSITIVE_INFINITY;
  /** A stalled reader that wakes at the next rotation, in the newest file: the file between is skipped. */
  private skipAtRotation: number | undefined;

  constructor(
    instance: LogInstance,
    res: ServerResponse,
    opts: StreamOptions,
    stats: LogStats,
    onFinish: () => void,
    held = false,
  ) {
    this.instance = instance;
    this.res = res;
    this.opts = opts;
    this.stats = stats;
    this.onFinish = onFinish;
    this.held = held;
    const v = instance.virtual?.count ?? 0;
    const total = v + instance.length;
    const first = v > 0 ? 0 : instance.servedFrom;
    this.pos = opts.tailLines === undefined ? first : Math.max(first, total - opts.tailLines);
    stats.openStreams++;
    res.on("close", () => this.finish());
    res.on("drain", () => this.pump());
  }

  get finished(): boolean {
    return this.done;
  }

  start(): void {
    if (!this.held) this.pump();
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    this.pump();
  }

  /** The file this stream reads was rotated at `index`: it ends there, as kubelets before 1.29 do. */
  endAt(index: number): void {
    this.endIndex = Math.min(this.endIndex, index);
    this.schedule();
  }

  /**
   * The file this stream reads was rotated at `index` and the reader stayed on it (K2): nothing more is
   * delivered. `then`: "never" (silent for good), "skip" (at the next rotation it goes on from the start
   * of the file current then, skipping the file between), or a number of ms after which it goes on
   * where it stopped, with no gap.
   */
  stallAt(index: number, then: "never" | "skip" | number): void {
    this.stallIndex = Math.min(this.stallIndex, index);
    if (then === "skip") this.skipAtRotation = this.instance.rotations;
    else if (typeof then === "number") {
      const t = setTimeout(() => {
        this.stallIndex = Number.POSITIVE_INFINITY;
        this.schedule();
      }, then);
      this.res.on("close", () => clearTimeout(t));
    }
    this.schedule();
  }

  /** Whether the stream stalled (K2) and delivers nothing now. */
  get stalled(): boolean {
    return this.stallIndex !== Number.POSITIVE_INFINITY;
  }

  /** The kubelet's reader failed: its error text goes into the body (no timestamp, no newline), which ends. */
  failWith(text: string): void {
    if (this.done) return;
    this.res.write(text);
    this.end();
  }

  /** Abrupt: the connection is reset mid-stream. */
  cut(): void {
    this.finish();
    this.res.destroy();
  }

  /** Clean: the terminating chunk is sent although the container still runs. */
  end(): void {
    if (this.done) return;
    this.finish();
    this.res.end();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.unwatch?.();
    this.stats.openStreams--;
    this.onFinish();
  }

  private pump = (): void => {
    if (this.done || this.held || this.waiting) return;
    const inst = this.instance;
    if (this.skipAtRotation !== undefined && inst.rotations > this.skipAtRotation) {
      // The reader reopens the log path at a later rotation: the newest file, from its start.
      this.skipAtRotation = undefined;
      this.stallIndex = Number.POSITIVE_INFINITY;
      this.pos = (inst.virtual?.count ?? 0) + inst.servedFrom;
    }
    const virt = inst.virtual;
    const v = virt?.count ?? 0;
    const { sinceMs, timestamps, limitBytes, stream } = this.opts;
    // Virtual lines are stdout's.
    if (stream === "Stderr" && this.pos < v) this.pos = v;
    if (virt?.fixed && limitBytes === undefined && (sinceMs === undefined || virt.t >= sinceMs)) {
      if (virt.frameBytes !== undefined) {
        // As the API server does: every write flushed before the next, so each is a frame of its own
        // (queued writes would be packed into full frames).
        if (this.inFlight) return;
        if (this.pos < v) {
          this.inFlight = true;
          this.writeFixed(virt, virt.fixed, timestamps, () => {
            this.inFlight = false;
            this.pump();
          });
          return;
        }
      } else {
        while (this.pos < v) if (!this.writeFixed(virt, virt.fixed, timestamps)) return;
      }
    }
    for (;;) {
      let chunk = "";
      let lines = 0;
      while (chunk.length < chunkBytes) {
        let line: LogLine | undefined;
        if (this.pos < v && virt) {
          // Each line its own timestamp, as the kubelet stamps them: the line's number as nanoseconds.
          line = { t: virt.t, ns: this.pos % 1_000_000, text: virt.make(this.pos) };
          this.stats.virtualLinesGenerated++;
          if (this.pos === v - 1 && virt.onRead) {
            const cb = virt.onRead;
            virt.onRead = undefined;
            queueMicrotask(cb);
          }
        } else {
          const abs = Math.max(this.pos - v, inst.firstIndex);
          this.pos = abs + v;
          if (abs >= this.endIndex || abs >= this.stallIndex) break;
          line = inst.line(abs);
          if (!line) break;
        }
        this.pos++;
        if (sinceMs !== undefined && line.t < sinceMs) continue;
        if (stream !== undefined && (line.stderr === true) !== (stream === "Stderr")) continue;
        chunk += timestamps ? `${formatTimestamp(line)} ${line.text}\n` : `${line.text}\n`;
        lines++;
      }
      if (chunk.length > 0) {
        let buf = Buffer.from(chunk);
        let last = false;
        if (limitBytes !== undefined && this.sent + buf.length >= limitBytes) {
          buf = buf.subarray(0, limitBytes - this.sent);
          last = true;
        }
        this.sent += buf.length;
        this.stats.bytesWritten += buf.length;
        this.stats.linesWritten += lines;
        const ok = this.res.write(buf);
        if (last) {
          this.end();
          return;
        }
        if (!ok) return; // resumes on 'drain'
        continue;
      }
      // Caught up: like the kubelet, end once the instance no longer runs (or at once without follow),
      // or at the end of a rotated file it was reading. A stalled reader ends only with the instance.
      if (!this.opts.follow || !inst.running || this.pos - v >= this.endIndex) {
        const text = inst.running ? undefined : inst.errorAtEnd;
        if (text !== undefined && this.opts.follow) this.failWith(text);
        else this.end();
        return;
      }
      if (!this.unwatch) this.unwatch = inst.onChange(() => this.schedule());
      return;
    }
  };

  /** One chunk of virtual lines built as bytes; false when the response wants 'drain' first. */
  private writeFixed(
    virt: VirtualLog,
    fixed: FixedLines,
    timestamps: boolean,
    flushed?: (err?: Error | null) => void,
  ): boolean {
    this.virtPrefix ??= Buffer.from(timestamps ? `${formatTimestamp({ t: virt.t, ns: 0 })} ` : "");
    const prefix = this.virtPrefix;
    const step = prefix.length + fixed.length + 1;
    const frame = virt.frameBytes ?? chunkBytes;
    const n = Math.min(virt.count - this.pos, Math.max(1, Math.floor(frame / step)));
    const buf = Buffer.allocUnsafe(n * step);
    for (let k = 0, at = 0; k < n; k++, at += step) {
      prefix.copy(buf, at);
      if (timestamps) {
        // Each line its own timestamp, as the kubelet stamps them: the line's number as nanoseconds
        // within the millisecond ("…05.123nnnnnnZ ").
        for (let d = at + 28, i = (this.pos + k) % 1_000_000; d >= at + 23; d--, i = Math.floor(i / 10))
          buf[d] = 48 + (i % 10);
      }
      fixed.write(buf, at + prefix.length, this.pos + k);
      buf[at + step - 1] = 10;
    }
    this.pos += n;
    this.stats.virtualLinesGenerated += n;
    this.stats.linesWritten += n;
    this.stats.bytesWritten += buf.length;
    this.sent += buf.length;
    if (this.pos === virt.count && virt.onRead) {
      const cb = virt.onRead;
      virt.onRead = undefined;
      queueMicrotask(cb);
    }
    return flushed ? this.res.write(buf, flushed) : this.res.write(buf);
  }

  private schedule(): void {
    if (this.waiting || this.done) return;
    // Batch lines appended in the same tick into one write.
    this.waiting = true;
    setImmediate(() => {
      this.waiting = false;
      this.pump();
    });
  }
}
