// A response body, as every route hands it over (our HTTP/2 and HTTP/1.1 clients, node:http,
// node:http2): its bytes go to one reader as buf[start, end), no view made per chunk; a promise from
// the reader pauses the body until it settles. This is the one place that keeps that state: what is
// held while the reader waits, when the producer is told to stop and go on, how the read settles.
import type { Readable } from "node:stream";

/**
 * A body's reader, given each chunk as buf[start, end); a promise it returns pauses the body until it
 * settles. The bytes stay valid after the call.
 */
export type ChunkHandler = (buf: Buffer, start: number, end: number) => undefined | Promise<void>;

/** A response body: read once, chunk by chunk; iteration is built on that, for the few that want it. */
export interface Body extends AsyncIterable<Buffer> {
  /** The server ended the body as its framing says (not the connection breaking). */
  readonly complete: boolean;
  /** Calls onChunk for every chunk; settles at the end, rejects if the body breaks. */
  read(onChunk: ChunkHandler): Promise<void>;
  /** Stops the body: nothing more reaches the reader, and its read (if any) fails. */
  destroy(err?: Error): void;
}

/** What produces a body's bytes, as the reader tells it to. */
export interface BodySource {
  /** The reader waits: hold what follows (stop reading, or stop granting window). */
  pause(): void;
  /** The reader caught up. */
  resume(): void;
  /** The reader gave up (destroy, or its handler threw): stop the response. */
  cancel(err: Error): void;
}

export class BodyReader implements Body {
  complete = false;
  private readonly source: BodySource;
  private handler: ChunkHandler | undefined;
  private waiting = false;
  /** Chunks held while the reader waits (or is not there yet): copies, so a read is not kept whole. */
  private readonly queue: Buffer[] = [];
  private over = false;
  private cancelled = false;
  private paused = false;
  private error: Error | undefined;
  private finish: { resolve: () => void; reject: (err: Error) => void } | undefined;
  /** Resolves once the body is over (ended, broken or destroyed), whether or not all of it was read. */
  readonly done: Promise<void>;
  private markDone!: () => void;

  constructor(source: BodySource) {
    this.source = source;
    this.done = new Promise((resolve) => {
      this.markDone = resolve;
    });
  }

  /** Whether the reader takes bytes as they come (else the producer should hold them). */
  get flowing(): boolean {
    return this.handler !== undefined && !this.waiting && this.queue.length === 0 && !this.over;
  }

  // The producer's side.

  push(buf: Buffer, start: number, end: number): void {
    if (this.over || end <= start) return;
    if (this.flowing) {
      this.call(buf, start, end);
      return;
    }
    this.queue.push(Buffer.from(buf.subarray(start, end)));
    this.pause();
  }

  /** The server ended the body. */
  end(): void {
    if (this.over) return;
    this.complete = true;
    this.over = true;
    this.markDone();
    this.drain();
  }

  /** The body broke: what is held is still read, then the read fails. */
  fail(err: Error): void {
    if (this.over) return;
    this.over = true;
    this.error = err;
    this.markDone();
    this.drain();
  }

  // The reader's side.

  read(onChunk: ChunkHandler): Promise<void> {
    if (this.handler) return Promise.reject(new Error("the body is being read already"));
    this.handler = onChunk;
    return new Promise<void>((resolve, reject) => {
      this.finish = { resolve, reject };
      this.drain();
    });
  }

  destroy(err: Error = new Error("the stream was closed before the response ended")): void {
    this.queue.length = 0;
    if (this.cancelled) return;
    this.cancelled = true;
    const wasOver = this.over;
    this.fail(err);
    if (!wasOver) this.source.cancel(err);
    this.drain();
  }

  [Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    return iterate(this);
  }

  private call(buf: Buffer, start: number, end: number): void {
    const handler = this.handler as ChunkHandler;
    let wait: Promise<void> | undefined;
    try {
      wait = handler(buf, start, end);
    } catch (err) {
      this.destroy(err as Error);
      return;
    }
    if (!wait) return;
    this.waiting = true;
    this.pause();
    wait.then(
      () => {
        this.waiting = false;
        this.drain();
      },
      (err: Error) => {
        this.waiting = false;
        this.destroy(err);
      },
    );
  }

  /** Hands held chunks to the reader while it keeps up; then lets the producer go on, or settles. */
  private drain(): void {
    if (!this.handler) return;
    while (!this.waiting && this.queue.length > 0) {
      const b = this.queue.shift() as Buffer;
      this.call(b, 0, b.length);
    }
    if (this.waiting || this.queue.length > 0) return;
    if (!this.over) {
      if (this.paused) {
        this.paused = false;
        this.source.resume();
      }
      return;
    }
    const f = this.finish;
    if (!f) return;
    this.finish = undefined;
    if (this.error && !this.complete) f.reject(this.error);
    else f.resolve();
  }

  private pause(): void {
    if (this.paused || this.over) return;
    this.paused = true;
    this.source.pause();
  }
}

/** Iterates a body: each chunk handed out as its own Buffer, the next one read once it is taken. */
async function* iterate(body: Body): AsyncGenerator<Buffer> {
  const chunks: Buffer[] = [];
  let wake: (() => void) | undefined;
  let release: (() => void) | undefined;
  let over = false;
  let failure: Error | undefined;
  body
    .read((buf, start, end) => {
      chunks.push(buf.subarray(start, end));
      wake?.();
      return new Promise<void>((r) => {
        release = r;
      });
    })
    .then(
      () => {
        over = true;
        wake?.();
      },
      (err: Error) => {
        over = true;
        failure = err;
        wake?.();
      },
    );
  try {
    for (;;) {
      const chunk = chunks.shift();
      if (chunk) {
        const r = release;
        release = undefined;
        yield chunk;
        r?.();
        continue;
      }
      if (over) {
        if (failure) throw failure;
        return;
      }
      await new Promise<void>((r) => {
        wake = r;
      });
      wake = undefined;
    }
  } finally {
    // Left early (break, return): the body is not wanted any more.
    if (!over) body.destroy();
  }
}

/** Reads a whole body into one Buffer; `check` sees the size so far and may throw to stop it. */
export async function readWhole(body: Body, check?: (size: number) => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  await body.read((buf, start, end) => {
    size += end - start;
    check?.(size);
    chunks.push(buf.subarray(start, end));
    return undefined;
  });
  return Buffer.concat(chunks, size);
}

/** A body read from a Node stream (node:http's response, a node:http2 stream): 'data' events, paused while the reader waits. */
export function readableBody(
  stream: Readable,
  complete: () => boolean,
  o: {
    /** How the reader giving up stops the stream (else it is destroyed). */
    cancel?: (err: Error) => void;
    /** What a stream that broke (with this error, or none) fails with. */
    failure?: (err: Error | undefined) => Error;
  } = {},
): BodyReader {
  const body = new BodyReader({
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    cancel: o.cancel ?? ((err) => stream.destroy(err)),
  });
  const broke = (err?: Error) =>
    body.fail(o.failure?.(err) ?? err ?? new Error("the connection closed before the response ended"));
  stream.on("data", (chunk: Buffer) => body.push(chunk, 0, chunk.length));
  stream.once("end", () => (complete() ? body.end() : broke()));
  stream.once("error", (err) => broke(err));
  stream.once("close", () => (complete() ? body.end() : broke()));
  return body;
}
