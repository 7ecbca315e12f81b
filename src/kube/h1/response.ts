// An HTTP/1.1 GET on a socket of its own, its response read straight off the socket. Node's HTTP
// client hands every chunk of a chunked body to JavaScript on its own (a parser callback, a push, a
// 'data' event): at one log line per chunk that is most of the cost of a line. Here a socket read is
// parsed in one pass and the body's bytes go to the reader as ranges of that read. Used for streams
// (logs, watches), which hold a connection each anyway; the connection is closed at the end.
import type { Socket } from "node:net";
import { type ChunkHandler, iterateChunks } from "../chunk-reader.ts";
import { PACE_BELOW, PACE_MS } from "../pace.ts";

const CR = 13;
const LF = 10;
const MAX_HEAD = 64 << 10;
const MAX_LINE = 4096;

/** Where the parse is: the head, a chunk's size line, its data, the CRLF after it, trailers... */
const Phase = {
  Head: 0,
  Size: 1,
  Data: 2,
  DataEnd: 3,
  Trailer: 4,
  Length: 5,
  UntilClose: 6,
  Done: 7,
} as const;
type Phase = (typeof Phase)[keyof typeof Phase];

export class H1ProtocolError extends Error {}

/** A chunk size line buf[start, end) ("1a2b", maybe ";ext", maybe CR): the size, or -1 if malformed. */
export function chunkSize(buf: Buffer, start: number, end: number): number {
  let size = 0;
  let digits = 0;
  let i = start;
  for (; i < end; i++) {
    const c = buf[i] as number;
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) break;
    size = size * 16 + d;
    if (++digits > 12) return -1;
  }
  if (digits === 0) return -1;
  // After the digits only whitespace, an extension (";name=value") or the CR.
  for (; i < end; i++) {
    const c = buf[i] as number;
    if (c === 59) return size;
    if (c !== 32 && c !== 9 && c !== CR) return -1;
  }
  return size;
}

export interface H1Head {
  status: number;
  headers: Map<string, string>;
}

/** Writes the request at once; `head` resolves with the response's status line and headers. */
export class H1Response {
  readonly socket: Socket;
  readonly head: Promise<H1Head>;
  /** The server ended the body as its framing says (not the connection breaking). */
  complete = false;
  private settleHead!: { resolve: (h: H1Head) => void; reject: (err: Error) => void };
  private gotHead = false;
  private phase: Phase = Phase.Head;
  private headParts: Buffer[] = [];
  private headBytes = 0;
  private line = "";
  private left = 0;
  private handler: ChunkHandler | undefined;
  private waiting = false;
  private pacing = false;
  /** The part of a socket read not parsed yet: the reader is waiting, or is not there yet. */
  private rest: { chunk: Buffer; at: number } | undefined;
  private error: Error | undefined;
  private over = false;
  private finish: { resolve: () => void; reject: (err: Error) => void } | undefined;

  constructor(socket: Socket, path: string, host: string, headers: Record<string, string | string[]>) {
    this.socket = socket;
    this.head = new Promise((resolve, reject) => {
      this.settleHead = { resolve, reject };
    });
    this.head.catch(() => {});
    let text = `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n`;
    for (const [k, v] of Object.entries(headers)) {
      for (const one of Array.isArray(v) ? v : [v]) {
        if (/[\r\n]/.test(k) || /[\r\n]/.test(one)) throw new H1ProtocolError(`header ${k} has a line break`);
        text += `${k}: ${one}\r\n`;
      }
    }
    socket.write(`${text}Connection: close\r\n\r\n`, "latin1");
    socket.on("data", (chunk: Buffer) => {
      this.feed(chunk, 0);
      if (PACE_MS > 0 && chunk.length < PACE_BELOW && !this.over && !this.pacing) this.pace();
    });
    socket.on("end", () => {
      if (this.phase === Phase.UntilClose) this.done();
    });
    socket.on("error", (err) => this.fail(err));
    socket.on("close", () => this.fail(new Error("the connection closed before the response ended")));
  }

  read(onChunk: ChunkHandler): Promise<void> {
    if (this.handler) return Promise.reject(new Error("the body is being read already"));
    this.handler = onChunk;
    return new Promise<void>((resolve, reject) => {
      this.finish = { resolve, reject };
      this.proceed();
    });
  }

  [Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    return iterateChunks((onChunk) => this.read(onChunk));
  }

  destroy(): void {
    this.fail(new Error("the stream was closed before the response ended"));
  }

  private feed(chunk: Buffer, from: number): void {
    let p = from;
    const n = chunk.length;
    while (p < n && !this.over) {
      switch (this.phase) {
        case Phase.Head: {
          p = this.readHead(chunk, p);
          if (this.phase !== Phase.Head && !this.handler) {
            // Body bytes wait, unparsed, until there is a reader.
            this.hold(chunk, p);
            return;
          }
          break;
        }
        case Phase.Size:
        case Phase.Trailer: {
          const nl = chunk.indexOf(LF, p);
          if (nl === -1) {
            this.line += chunk.toString("latin1", p, n);
            if (this.line.length > MAX_LINE)
              this.fail(this.protocol("a chunk size or trailer line too long"));
            return;
          }
          if (this.phase === Phase.Size && this.line === "") {
            // The common case, a whole size line in this read: read as bytes, no string made.
            const size = chunkSize(chunk, p, nl);
            p = nl + 1;
            if (size < 0) {
              this.fail(this.protocol("a bad chunk size line"));
              return;
            }
            this.sized(size);
            break;
          }
          const line = (this.line + chunk.toString("latin1", p, nl)).replace(/\r$/, "");
          this.line = "";
          p = nl + 1;
          if (this.phase === Phase.Trailer) {
            if (line === "") this.done();
            break;
          }
          const size = chunkSize(Buffer.from(line, "latin1"), 0, line.length);
          if (size < 0) {
            this.fail(this.protocol(`a bad chunk size line ${JSON.stringify(line.slice(0, 40))}`));
            return;
          }
          this.sized(size);
          break;
        }
        case Phase.Data:
        case Phase.Length:
        case Phase.UntilClose: {
          const take = this.phase === Phase.UntilClose ? n - p : Math.min(this.left, n - p);
          const end = p + take;
          this.left -= take;
          const phase = this.phase;
          if (this.left === 0 && phase === Phase.Data) this.phase = Phase.DataEnd;
          if (this.left === 0 && phase === Phase.Length) this.phase = Phase.Done;
          if (take > 0) this.deliver(chunk, p, end);
          p = end;
          if (this.phase === Phase.Done) {
            this.done();
            return;
          }
          if (this.waiting) {
            this.hold(chunk, p);
            return;
          }
          break;
        }
        case Phase.DataEnd: {
          // The CRLF after a chunk's data.
          const b = chunk[p] as number;
          p++;
          if (b === LF) this.phase = Phase.Size;
          else if (b !== CR) {
            this.fail(this.protocol("no CRLF after a chunk"));
            return;
          }
          break;
        }
        case Phase.Done:
          return;
      }
    }
  }

  private sized(size: number): void {
    if (size === 0) this.phase = Phase.Trailer;
    else {
      this.left = size;
      this.phase = Phase.Data;
    }
  }

  private readHead(chunk: Buffer, p: number): number {
    this.headParts.push(chunk.subarray(p));
    this.headBytes += chunk.length - p;
    const all = this.headParts.length === 1 ? (this.headParts[0] as Buffer) : Buffer.concat(this.headParts);
    const end = all.indexOf("\r\n\r\n", 0, "latin1");
    if (end === -1) {
      if (this.headBytes > MAX_HEAD) this.fail(this.protocol("response headers too large"));
      this.headParts = [all];
      return chunk.length;
    }
    const consumed = end + 4 - (this.headBytes - (chunk.length - p));
    this.headParts = [];
    this.headBytes = 0;
    const lines = all.toString("latin1", 0, end).split("\r\n");
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "");
    if (!status) {
      this.fail(this.protocol(`not an HTTP/1.1 response: ${JSON.stringify((lines[0] ?? "").slice(0, 80))}`));
      return chunk.length;
    }
    const code = Number(status[1]);
    if (code >= 100 && code < 200) return p + consumed; // informational: the real response follows
    const headers = new Map<string, string>();
    for (const l of lines.slice(1)) {
      const colon = l.indexOf(":");
      if (colon <= 0) continue;
      const name = l.slice(0, colon).trim().toLowerCase();
      const value = l.slice(colon + 1).trim();
      headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
    }
    const length = headers.get("content-length");
    if (/\bchunked\b/i.test(headers.get("transfer-encoding") ?? "")) this.phase = Phase.Size;
    else if (code === 204 || code === 304 || length === "0") this.phase = Phase.Done;
    else if (length !== undefined && /^\d+$/.test(length)) {
      this.phase = Phase.Length;
      this.left = Number(length);
    } else this.phase = Phase.UntilClose;
    this.gotHead = true;
    this.settleHead.resolve({ status: code, headers });
    if (this.phase === Phase.Done) this.done();
    return p + consumed;
  }

  private deliver(buf: Buffer, start: number, end: number): void {
    const handler = this.handler;
    if (!handler) return;
    let wait: Promise<void> | undefined;
    try {
      wait = handler(buf, start, end);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    if (!wait) return;
    this.waiting = true;
    wait.then(
      () => {
        this.waiting = false;
        this.proceed();
      },
      (err: Error) => {
        this.waiting = false;
        this.fail(err);
        this.settle();
      },
    );
  }

  /** Stops reading the socket, keeping what is left of this read. */
  private hold(chunk: Buffer, at: number): void {
    if (at < chunk.length) this.rest = { chunk, at };
    this.socket.pause();
  }

  /**
   * After a small read the socket rests for a moment, so that what the server sends meanwhile comes
   * in one read: at one log line per TCP segment, a read (and a wakeup) per line is most of the cost.
   */
  private pace(): void {
    this.pacing = true;
    this.socket.pause();
    setTimeout(() => {
      this.pacing = false;
      if (!this.waiting && !this.rest && !this.over) this.socket.resume();
    }, PACE_MS);
  }

  /** Goes on where the reader's wait (or its absence) stopped the parse. */
  private proceed(): void {
    const rest = this.rest;
    this.rest = undefined;
    if (rest) this.feed(rest.chunk, rest.at);
    if (this.waiting || this.rest) return;
    if (this.over) this.settle();
    else if (!this.pacing) this.socket.resume();
  }

  private protocol(what: string): H1ProtocolError {
    return new H1ProtocolError(`the API server's response is not valid HTTP/1.1 (${what})`);
  }

  private done(): void {
    if (this.over) return;
    this.complete = true;
    this.phase = Phase.Done;
    this.over = true;
    this.socket.destroy();
    this.settle();
  }

  private fail(err: Error): void {
    if (this.over) return;
    this.over = true;
    this.error = err;
    this.rest = undefined;
    this.socket.destroy();
    if (!this.gotHead) this.settleHead.reject(err);
    this.settle();
  }

  private settle(): void {
    if (this.waiting || this.rest) return;
    const f = this.finish;
    if (!f) return;
    this.finish = undefined;
    if (this.error && !this.complete) f.reject(this.error);
    else f.resolve();
  }
}
