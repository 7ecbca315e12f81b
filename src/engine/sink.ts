// Where log lines go: every stream appends its lines to one shared buffer (whole lines at a time, so
// lines never mix), written once per event-loop turn and reused when the write is done; and a signal
// to stop reading the API streams while the reader of our stdout is behind.
import type { Writable } from "node:stream";
import { OutBuffer } from "../util/out-buffer.ts";
import { after, type Clock, systemClock } from "./clock.ts";

const FLUSH_AT = 1 << 20;
/**
 * Writes closer together than this wait for it: a loop turn that read a single small frame (one log
 * line per TCP segment, say) would otherwise cost a write of its own. A line that comes alone is
 * written on the next turn, as before.
 */
const MIN_GAP_MS = 1;

export class Sink {
  /** Streams append formatted lines here, then call commit(). */
  readonly out = new OutBuffer(FLUSH_AT + (64 << 10));
  private readonly stream: Writable;
  private scheduled = false;
  private blocked = false;
  private readonly waiters: (() => void)[] = [];
  private closed = false;
  private lastFlush = 0;
  /** What becomes of the bytes on their way out (a terminal's sanitizing); whole lines at a time. */
  private readonly transform: ((lines: Buffer) => Buffer) | undefined;
  private readonly clock: Clock;

  constructor(stream: Writable, opts: { transform?: (lines: Buffer) => Buffer; clock?: Clock } = {}) {
    this.stream = stream;
    this.transform = opts.transform;
    this.clock = opts.clock ?? systemClock;
    stream.on("drain", () => this.release());
  }

  /** Lines were appended to `out`. Returns false when the caller should pause until whenWritable(). */
  commit(): boolean {
    if (this.closed) {
      this.out.clear();
      return true;
    }
    if (this.out.len >= FLUSH_AT) this.flush();
    else if (!this.scheduled && this.out.len > 0) {
      this.scheduled = true;
      if (this.clock.now() - this.lastFlush < MIN_GAP_MS) after(this.clock, MIN_GAP_MS, () => this.flush());
      else setImmediate(() => this.flush());
    }
    return !this.blocked;
  }

  /** Resolves when output may continue. */
  whenWritable(): Promise<void> {
    if (!this.blocked) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  flush(): void {
    this.scheduled = false;
    // While the reader is behind, what streams still append waits here and goes out in one write
    // after 'drain': one pending write at a time, so memory stays bounded.
    if (this.out.len === 0 || this.closed || this.blocked) return;
    this.lastFlush = this.clock.now();
    const lines = this.out.buf.subarray(0, this.out.len);
    const data = this.transform ? this.transform(lines) : lines;
    const ok = this.stream.write(data);
    // Written at once (files, and pipes and terminals on Linux), or as a copy: the buffer is free
    // again. Otherwise the stream holds on to it, and lines go on in a new one.
    if (data !== lines || this.stream.writableLength === 0) this.out.clear();
    else this.out.detach();
    if (!ok) this.blocked = true;
  }

  /** Flushes and waits until the written bytes have been handed to the OS. */
  async end(): Promise<void> {
    while (this.blocked && !this.closed) await this.whenWritable();
    this.flush();
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      if (this.stream.writableLength === 0) resolve();
      else this.stream.write("", () => resolve());
    });
  }

  /** Stops writing (the reader went away). */
  close(): void {
    this.closed = true;
    this.out.clear();
    this.release();
  }

  private release(): void {
    this.blocked = false;
    this.flush();
    if (this.blocked) return;
    for (const w of this.waiters.splice(0)) w();
  }
}
