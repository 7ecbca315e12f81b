// Where log lines go: one batched write per event-loop turn instead of one per line, and a signal to
// stop reading the API streams while the reader of our stdout is behind.
import type { Writable } from "node:stream";

const HIGH_WATER = 1 << 20;

export class Sink {
  private readonly out: Writable;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private scheduled = false;
  private blocked = false;
  private readonly waiters: (() => void)[] = [];
  private closed = false;

  constructor(out: Writable) {
    this.out = out;
    out.on("drain", () => this.release());
  }

  /** Queues bytes for output. Returns false when the caller should pause until whenWritable(). */
  write(chunks: Buffer[], bytes: number): boolean {
    if (this.closed) return true;
    for (const c of chunks) this.batch.push(c);
    this.batchBytes += bytes;
    if (this.batchBytes >= HIGH_WATER) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
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
    if (this.batchBytes === 0 || this.closed) return;
    const data =
      this.batch.length === 1 ? (this.batch[0] as Buffer) : Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    if (!this.out.write(data)) this.blocked = true;
  }

  /** Flushes and waits until the written bytes have been handed to the OS. */
  async end(): Promise<void> {
    this.flush();
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      if (this.out.writableLength === 0) resolve();
      else this.out.write("", () => resolve());
    });
  }

  /** Stops writing (the reader went away). */
  close(): void {
    this.closed = true;
    this.batch = [];
    this.batchBytes = 0;
    this.release();
  }

  private release(): void {
    this.blocked = false;
    for (const w of this.waiters.splice(0)) w();
  }
}
