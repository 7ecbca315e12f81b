// Reading a response body chunk by chunk. Node streams are read with 'data' events (pausing while the
// consumer waits), which costs no promise and no iterator step per chunk: at one log line per frame
// that is most of the per-line cost. Bodies without a Node stream beneath are iterated.
import type { ChunkHandler } from "./chunk-reader.ts";
import type { ResponseBody } from "./transport.ts";

/** Calls onChunk for every chunk, as buf[start, end); a promise it returns pauses the body until it settles. */
export function readBody(body: ResponseBody, onChunk: ChunkHandler): Promise<void> {
  if (body.read) return body.read(onChunk);
  const source = body.source;
  if (!source) {
    return (async () => {
      for await (const chunk of body) {
        const wait = onChunk(chunk, 0, chunk.length);
        if (wait) await wait;
      }
    })();
  }
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      source.off("data", onData);
      source.off("end", onEnd);
      source.off("error", finish);
      source.off("close", onClose);
      if (err) reject(err);
      else resolve();
    };
    const onData = (chunk: Buffer) => {
      let wait: Promise<void> | undefined;
      try {
        wait = onChunk(chunk, 0, chunk.length);
      } catch (err) {
        finish(err);
        source.destroy();
        return;
      }
      if (wait) {
        source.pause();
        wait.then(
          () => {
            if (!settled) source.resume();
          },
          (err: unknown) => {
            finish(err);
            source.destroy();
          },
        );
      }
    };
    const onEnd = () => finish();
    // Closed without an end: the connection broke (or the body was destroyed).
    const onClose = () =>
      finish(body.complete ? undefined : new Error("the connection closed before the response ended"));
    source.on("data", onData);
    source.once("end", onEnd);
    source.once("error", finish);
    source.once("close", onClose);
    if (source.readableEnded) finish();
  });
}
