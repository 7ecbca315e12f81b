// A response body read by handing chunks to one reader, as the HTTP/2 and HTTP/1.1 clients of this
// project do: buf[start, end) per chunk (no view made per chunk), a promise from the reader pausing the
// body. Iteration, for the few callers that want it, is built on top.

/**
 * A body's reader, given each chunk as buf[start, end); a promise it returns pauses the body until it
 * settles. The bytes stay valid after the call.
 */
export type ChunkHandler = (buf: Buffer, start: number, end: number) => undefined | Promise<void>;

/** Iterates a body that is read with read(onChunk): each chunk is handed out as its own Buffer. */
export async function* iterateChunks(read: (onChunk: ChunkHandler) => Promise<void>): AsyncGenerator<Buffer> {
  const chunks: Buffer[] = [];
  let wake: (() => void) | undefined;
  let release: (() => void) | undefined;
  let over = false;
  let failure: Error | undefined;
  read((buf, start, end) => {
    chunks.push(buf.subarray(start, end));
    wake?.();
    return new Promise<void>((r) => {
      release = r;
    });
  }).then(
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
}
