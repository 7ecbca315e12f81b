// Timestamp-ordered output for --sort: a k-way merge of ordered streams (--no-follow) and a short
// reordering window (follow). Keys are the kubelet's fixed-width UTC timestamps
// (2006-01-02T15:04:05.000000000Z), compared as strings: nanoseconds since the epoch exceed 2^53.

/** A binary min-heap; `less` must be a strict weak order. */
class Heap<T> {
  private readonly items: T[] = [];
  private readonly less: (a: T, b: T) => boolean;

  constructor(less: (a: T, b: T) => boolean) {
    this.less = less;
  }

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(x: T): void {
    this.items.push(x);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      this.down(0);
    }
    return top;
  }

  /** The top's key grew (it stays in the heap): one sift instead of a pop and a push. */
  topChanged(): void {
    this.down(0);
  }

  private up(i: number): void {
    const items = this.items;
    const x = items[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const px = items[p]!;
      if (!this.less(x, px)) break;
      items[i] = px;
      i = p;
    }
    items[i] = x;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const x = items[i]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let cx = items[c]!;
      const r = c + 1;
      if (r < n) {
        const rx = items[r]!;
        if (this.less(rx, cx)) {
          c = r;
          cx = rx;
        }
      }
      if (!this.less(cx, x)) break;
      items[i] = cx;
      i = c;
    }
    items[i] = x;
  }
}

const EMPTY = Buffer.alloc(0);

// ---------------------------------------------------------------------------------------------------------
// KWayMerge

/** One ordered input stream of a KWayMerge. */
export interface Lane {
  /**
   * Queues a line; its key must not be smaller than the lane's previous key. Returns false when the lane
   * is full: the producer must await whenWritable() before pushing more (the line is kept either way).
   */
  push(key: string, line: Buffer): boolean;
  /** Resolves at once if the lane has room, else once the merge has drained it to half its capacity. */
  whenWritable(): Promise<void>;
  /** No more lines on this lane (idempotent). */
  end(): void;
}

class LaneState {
  readonly id: number;
  readonly keys: string[] = [];
  readonly lines: Buffer[] = [];
  head = 0;
  /** keys[head], cached for the heap's comparisons. */
  headKey = "";
  ended = false;
  writable: Promise<void> | null = null;
  wake: (() => void) | null = null;

  constructor(id: number) {
    this.id = id;
  }

  get size(): number {
    return this.keys.length - this.head;
  }

  shift(): Buffer {
    const line = this.lines[this.head]!;
    this.lines[this.head] = EMPTY; // let the buffer go
    this.head++;
    if (this.head === this.keys.length) {
      this.keys.length = 0;
      this.lines.length = 0;
      this.head = 0;
    } else {
      if (this.head >= 1024 && this.head * 2 >= this.keys.length) {
        this.keys.splice(0, this.head);
        this.lines.splice(0, this.head);
        this.head = 0;
      }
      this.headKey = this.keys[this.head]!;
    }
    return line;
  }

  release(): void {
    const wake = this.wake;
    this.wake = null;
    this.writable = null;
    wake?.();
  }
}

// Smallest head first; equal keys by lane creation order.
const laneLess = (a: LaneState, b: LaneState): boolean =>
  a.headKey < b.headKey || (a.headKey === b.headKey && a.id < b.id);

/**
 * Merges ordered streams into one ordered output with bounded memory (at most laneCapacity lines per lane
 * if producers honour push() returning false). A line goes out only when every open lane has a queued line
 * or has ended: an empty open lane's next line may be the smallest. Emission is synchronous, inside the
 * push()/end()/close() call that makes it possible.
 */
export class KWayMerge {
  /** Resolves once close() was called, every lane ended and everything was emitted. */
  readonly done: Promise<void>;
  private resolveDone: () => void = () => {};
  private readonly emit: (line: Buffer) => void;
  private readonly capacity: number;
  private readonly lowWater: number;
  /** Lanes with queued lines. */
  private readonly heap = new Heap<LaneState>(laneLess);
  private nextId = 0;
  /** Lanes not ended yet. */
  private open = 0;
  /** Open lanes with nothing queued: while there is one, nothing can be emitted. */
  private starved = 0;
  private closed = false;
  private draining = false;
  private finished = false;

  constructor(emit: (line: Buffer) => void, opts: { laneCapacity?: number } = {}) {
    this.emit = emit;
    this.capacity = Math.max(1, Math.floor(opts.laneCapacity ?? 1000));
    // Wake a blocked producer for a batch of lines, not for every line the merge takes.
    this.lowWater = this.capacity >> 1;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** A new open lane; it holds back the merge until it has a line or ends. */
  lane(): Lane {
    if (this.closed) throw new Error("KWayMerge: lane() after close()");
    const s = new LaneState(this.nextId++);
    this.open++;
    this.starved++;
    return {
      push: (key, line) => this.push(s, key, line),
      whenWritable: () => {
        if (s.ended || s.size < this.capacity) return Promise.resolve();
        s.writable ??= new Promise<void>((resolve) => {
          s.wake = resolve;
        });
        return s.writable;
      },
      end: () => this.end(s),
    };
  }

  /** No more lanes will be added. */
  close(): void {
    this.closed = true;
    this.checkDone();
  }

  private push(s: LaneState, key: string, line: Buffer): boolean {
    if (s.ended) throw new Error("KWayMerge: push() after end()");
    s.keys.push(key);
    s.lines.push(line);
    if (s.size === 1) {
      s.headKey = key;
      this.heap.push(s);
      this.starved--;
      this.drain();
    }
    return s.size < this.capacity;
  }

  private end(s: LaneState): void {
    if (s.ended) return;
    s.ended = true;
    this.open--;
    s.release();
    if (s.size === 0) {
      this.starved--;
      this.drain();
    }
    this.checkDone();
  }

  private drain(): void {
    if (this.draining) return; // re-entered from emit: the loop below carries on
    this.draining = true;
    try {
      const heap = this.heap;
      while (this.starved === 0) {
        const s = heap.peek();
        if (s === undefined) break;
        const line = s.shift();
        if (s.size > 0) {
          heap.topChanged();
        } else {
          heap.pop();
          if (!s.ended) this.starved++;
        }
        if (s.wake !== null && s.size <= this.lowWater) s.release();
        this.emit(line);
      }
    } finally {
      this.draining = false;
    }
    this.checkDone();
  }

  private checkDone(): void {
    if (this.finished || !this.closed || this.open > 0 || this.heap.size > 0) return;
    this.finished = true;
    this.resolveDone();
  }
}

// ---------------------------------------------------------------------------------------------------------
// WindowSorter

interface Held {
  key: string;
  line: Buffer;
  /** now() at which the line's window has passed. */
  due: number;
  /** Arrival order: equal keys keep it. */
  seq: number;
  released: boolean;
}

const heldLess = (a: Held, b: Held): boolean => a.key < b.key || (a.key === b.key && a.seq < b.seq);

export interface Timer {
  cancel(): void;
}

export interface WindowSorterOptions {
  /** How long a line is held, in ms (default 250). */
  windowMs?: number;
  /** The clock, in ms (default performance.now). */
  now?: () => number;
  /** Runs fn after ms (default an unref'd setTimeout). */
  schedule?: (fn: () => void, ms: number) => Timer;
}

const defaultSchedule = (fn: () => void, ms: number): Timer => {
  const t = setTimeout(fn, ms);
  t.unref();
  return { cancel: () => clearTimeout(t) };
};

/**
 * Holds each line for windowMs and releases lines in key order.
 *
 * Rule: once a line's window has passed (now - arrival >= windowMs) it is released, together with every
 * held line whose key is <= its key, all in key order (equal keys in arrival order). So the output is in
 * key order whenever the lines involved arrived within windowMs of each other. A line whose key is smaller
 * than the last released key can no longer be placed: it is emitted at once and counted in `late`.
 *
 * Memory: the lines received in the last windowMs (due lines are also released on push(), so a busy event
 * loop delaying the timer does not let them pile up). Cost: O(log n) per line; one timer at a time, for the
 * next line to fall due.
 */
export class WindowSorter {
  private readonly emit: (line: Buffer) => void;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly schedule: (fn: () => void, ms: number) => Timer;
  private readonly heap = new Heap<Held>(heldLess);
  /** Held lines in arrival order, i.e. in due order (some may have gone out early already). */
  private fifo: Held[] = [];
  private fifoHead = 0;
  private seq = 0;
  /** The largest key released so far. */
  private last = "";
  private timer: Timer | null = null;
  private lateCount = 0;

  constructor(emit: (line: Buffer) => void, opts: WindowSorterOptions = {}) {
    this.emit = emit;
    this.windowMs = Math.max(0, opts.windowMs ?? 250);
    this.now = opts.now ?? (() => performance.now());
    this.schedule = opts.schedule ?? defaultSchedule;
  }

  /** Lines emitted out of order because they came after a line with a larger key was released. */
  get late(): number {
    return this.lateCount;
  }

  /** Lines held now. */
  get held(): number {
    return this.heap.size;
  }

  push(key: string, line: Buffer): void {
    const now = this.now();
    this.releaseDue(now); // judge lateness against what should be out by now
    if (key < this.last) {
      this.lateCount++;
      this.emit(line);
      return;
    }
    const h: Held = { key, line, due: now + this.windowMs, seq: this.seq++, released: false };
    this.heap.push(h);
    this.fifo.push(h);
    if (h.due <= now) this.releaseDue(now);
    this.arm();
  }

  /** Releases everything held, in key order (at exit). */
  flush(): void {
    this.timer?.cancel();
    this.timer = null;
    this.fifo = [];
    this.fifoHead = 0;
    for (let h = this.heap.pop(); h !== undefined; h = this.heap.pop()) {
      h.released = true;
      this.last = h.key;
      this.emit(h.line);
    }
  }

  private releaseDue(now: number): void {
    // The largest key among due lines: everything held up to it goes out.
    let upTo: string | null = null;
    const fifo = this.fifo;
    while (this.fifoHead < fifo.length) {
      const h = fifo[this.fifoHead]!;
      if (!h.released) {
        if (h.due > now) break;
        if (upTo === null || h.key > upTo) upTo = h.key;
      }
      this.fifoHead++;
    }
    if (this.fifoHead === fifo.length) {
      this.fifo = [];
      this.fifoHead = 0;
    } else if (this.fifoHead >= 1024 && this.fifoHead * 2 >= fifo.length) {
      this.fifo = fifo.slice(this.fifoHead);
      this.fifoHead = 0;
    }
    if (upTo === null) return;
    for (let h = this.heap.peek(); h !== undefined && h.key <= upTo; h = this.heap.peek()) {
      this.heap.pop();
      h.released = true;
      this.last = h.key;
      this.emit(h.line);
    }
  }

  private arm(): void {
    if (this.timer !== null) return;
    // The front may have gone out early (a larger key fell due): skip to the first line still held.
    while (this.fifoHead < this.fifo.length && this.fifo[this.fifoHead]!.released) this.fifoHead++;
    const next = this.fifo[this.fifoHead];
    if (next === undefined) return;
    this.timer = this.schedule(
      () => {
        this.timer = null;
        this.releaseDue(this.now());
        this.arm();
      },
      Math.max(0, Math.ceil(next.due - this.now())),
    );
  }
}
