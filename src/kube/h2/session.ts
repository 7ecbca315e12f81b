// An HTTP/2 client connection (RFC 9113) read straight off its TLS socket. node:http2 hands every DATA
// frame to JavaScript on its own, through a Readable per stream: at one log line per frame that is
// most of the cost of a line. Here one socket read is parsed in one pass, however many frames it holds,
// and each stream's bytes go to its reader as views of that read: no copy, no event per frame.
// What a log tailer needs and no more: GET requests with END_STREAM, responses read with flow control
// (a stream whose reader waits stops being granted window), PING both ways, SETTINGS, GOAWAY, RST_STREAM.
import type { Socket } from "node:net";
import { BodyReader, type ChunkHandler } from "../body.ts";
import { ConnectionLostError } from "../errors.ts";
import { Hold, SocketFlow } from "../pace.ts";
import type { H2Connection, H2Request } from "./connection.ts";
import { encodeHeaders, type HeaderList, HeaderListSizeError, HpackDecoder, HpackError } from "./hpack.ts";

const DATA = 0x0;
const HEADERS = 0x1;
const RST_STREAM = 0x3;
const SETTINGS = 0x4;
const PUSH_PROMISE = 0x5;
const PING = 0x6;
const GOAWAY = 0x7;
const CONTINUATION = 0x9;

const END_STREAM = 0x1;
const ACK = 0x1;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY_FLAG = 0x20;

const SETTINGS_ENABLE_PUSH = 0x2;
const SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
const SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
const SETTINGS_MAX_FRAME_SIZE = 0x5;
const SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

const NO_ERROR = 0x0;
const PROTOCOL_ERROR = 0x1;
const INTERNAL_ERROR = 0x2;
const FLOW_CONTROL_ERROR = 0x3;
const FRAME_SIZE_ERROR = 0x6;
const CANCEL = 0x8;
const COMPRESSION_ERROR = 0x9;

/** Errors that say one end does not follow the protocol as the other reads it (see onProtocolError). */
export const PROTOCOL_ERRORS: ReadonlySet<number> = new Set([
  PROTOCOL_ERROR,
  COMPRESSION_ERROR,
  FLOW_CONTROL_ERROR,
]);

const EMPTY = Buffer.alloc(0);
const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
/** The window every stream and the connection start with, before SETTINGS and WINDOW_UPDATE. */
const DEFAULT_WINDOW = 65535;
/** A frame's payload before we look at the server's SETTINGS_MAX_FRAME_SIZE, and its least value. */
const MIN_MAX_FRAME = 16384;
/**
 * A response's header list at most (SETTINGS_MAX_HEADER_LIST_SIZE, name + value + 32 per field): the
 * API server's are a few hundred bytes; Go's client allows 10 MB, a log tailer needs far less.
 */
export const MAX_HEADER_LIST = 256 << 10;
/**
 * A header block (HEADERS and its CONTINUATIONs, compressed) at most: HPACK never makes a field's
 * encoding longer than the 32 bytes of overhead it counts for it, so a block over the list's limit
 * cannot decode to a list within it. Empty CONTINUATIONs add no bytes: their number is bounded too.
 */
const MAX_HEADER_BLOCK = MAX_HEADER_LIST;
const MAX_CONTINUATIONS = 256;
/**
 * Our frames not yet taken by the kernel beyond this (the server does not read: PING or SETTINGS
 * floods, whose answers would pile up), we stop reading until they are.
 */
const MAX_UNSENT = 64 << 10;

function frame(type: number, flags: number, id: number, payload?: Uint8Array): Buffer {
  const len = payload?.length ?? 0;
  const b = Buffer.allocUnsafe(9 + len);
  b[0] = (len >>> 16) & 255;
  b[1] = (len >>> 8) & 255;
  b[2] = len & 255;
  b[3] = type;
  b[4] = flags;
  b.writeUInt32BE(id & 0x7fffffff, 5);
  if (payload) b.set(payload, 9);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

function settingsPayload(pairs: [number, number][]): Buffer {
  const b = Buffer.allocUnsafe(6 * pairs.length);
  pairs.forEach(([id, v], i) => {
    b.writeUInt16BE(id, 6 * i);
    b.writeUInt32BE(v >>> 0, 6 * i + 2);
  });
  return b;
}

export class H2StreamError extends Error {
  /** The HTTP/2 error code a connection error is sent with (not `code`: that is Node's errno's name). */
  readonly errorCode: number;
  constructor(message: string, errorCode = PROTOCOL_ERROR) {
    super(message);
    this.errorCode = errorCode;
  }
}

/** One request and its response; the body (read once) is this project's one BodyReader. */
export class H2Stream implements H2Request {
  readonly id: number;
  private readonly session: H2Session;
  readonly body: BodyReader;
  /** Response headers arrived: resolves with the status; rejects if the stream fails first. */
  readonly response: Promise<{ status: number; headers: HeaderList }>;
  private onResponse!: (r: { status: number; headers: HeaderList }) => void;
  private onFailure!: (err: Error) => void;
  private gotHeaders = false;
  /** Over for the connection: ended, reset, or the connection closed (its body may still be read). */
  private closed = false;
  /** Bytes received and not yet granted back to the server. */
  unacked = 0;
  /** What the server may still send on this stream: its window as we granted it. */
  credit = 0;

  constructor(id: number, session: H2Session) {
    this.id = id;
    this.session = session;
    this.response = new Promise((resolve, reject) => {
      this.onResponse = resolve;
      this.onFailure = reject;
    });
    this.response.catch(() => {});
    // Flow control is by window: a reader that waits is granted none, so there is nothing to pause.
    this.body = new BodyReader({
      pause: () => {},
      resume: () => session.granted(this),
      cancel: (err) => {
        if (this.closed) return;
        session.reset(this, CANCEL);
        this.close(err);
      },
    });
  }

  /** Whether the reader keeps up: only then is the window it used given back. */
  get flowing(): boolean {
    return this.body.flowing;
  }

  get complete(): boolean {
    return this.body.complete;
  }

  /** Resolves once the stream is over, however it ended. */
  get done(): Promise<void> {
    return this.body.done;
  }

  /** Calls onChunk for every chunk of the body; resolves at its end, rejects if it breaks. */
  read(onChunk: ChunkHandler): Promise<void> {
    return this.body.read(onChunk);
  }

  /** Stops the stream (RST_STREAM CANCEL); a reader still reading sees it end without completing. */
  cancel(err: Error = new Error("the stream was closed before the response ended")): void {
    this.body.destroy(err);
  }

  // The session's side.

  headers(list: HeaderList, endStream: boolean): void {
    if (!this.gotHeaders) {
      const status = Number(list.find(([n]) => n === ":status")?.[1] ?? Number.NaN);
      if (status >= 100 && status < 200) return; // informational: the real response follows
      this.gotHeaders = true;
      this.onResponse({ status: Number.isFinite(status) ? status : 0, headers: list });
    }
    if (endStream) this.end();
  }

  data(buf: Buffer, start: number, end: number): void {
    this.body.push(buf, start, end);
  }

  end(): void {
    if (this.closed) return;
    this.close();
    this.body.end();
  }

  fail(err: Error): void {
    if (this.closed) return;
    this.close(err);
    this.body.fail(err);
  }

  private close(err?: Error): void {
    this.closed = true;
    this.session.forget(this);
    if (err && !this.gotHeaders) this.onFailure(err);
  }
}

export interface H2SessionOptions {
  /** Each stream's receive window, and the connection's. */
  streamWindow: number;
  connectionWindow: number;
}

/**
 * One connection. `ready` resolves once the server's SETTINGS arrived (TLS and ALPN done), rejects if
 * the connection fails first. `onClose` is called once, with the reason when it did not close cleanly.
 */
export class H2Session implements H2Connection {
  readonly socket: Socket;
  readonly ready: Promise<void>;
  /** Until the server's first SETTINGS. */
  connecting = true;
  closed = false;
  /** GOAWAY received: no new streams here. */
  goingAway = false;
  /** The server's SETTINGS_MAX_CONCURRENT_STREAMS (unlimited until said). */
  maxConcurrentStreams = Number.POSITIVE_INFINITY;
  onGoaway: () => void = () => {};
  onClose: (err: Error | undefined) => void = () => {};
  /**
   * A PROTOCOL_ERROR, COMPRESSION_ERROR or FLOW_CONTROL_ERROR, found by us or sent by the server (in a
   * GOAWAY or a RST_STREAM): the two ends read HTTP/2 differently (a front end this client mishandles).
   */
  onProtocolError: (why: string) => void = () => {};

  private readonly streams = new Map<number, H2Stream>();
  private nextId = 1;
  private readonly decoder = new HpackDecoder(4096, MAX_HEADER_LIST);
  private streamWindow: number;
  private readonly connectionWindow: number;
  private connUnacked = 0;
  /** What the server may still send on the connection (all streams together). */
  private connCredit: number;
  /**
   * A new stream's credit: the stream window the server may be using, the largest of the one it last
   * acknowledged and those still on their way (a smaller window holds once acknowledged).
   */
  private initialCredit: number;
  private maxFrame = MIN_MAX_FRAME;
  /** Our SETTINGS not yet acknowledged, in order: the stream window each asks for. */
  private readonly settingsAcks: { window: number; done: () => void }[] = [];
  private pingWaiter: ((err?: Error) => void) | undefined;
  private settled!: { resolve: () => void; reject: (err: Error) => void };

  // The frame being read.
  private readonly head = Buffer.allocUnsafe(9);
  private headHave = 0;
  /** Payload bytes of the current frame still to come; -1 while reading a frame header. */
  private left = -1;
  private type = 0;
  private flags = 0;
  private id = 0;
  /** DATA: its stream, whether the pad length is still to come, data bytes left before the padding. */
  private dataStream: H2Stream | undefined;
  private needPadLength = false;
  private dataLeft = 0;
  /** Other frames: the payload gathered whole. */
  private payload: Buffer | undefined;
  private payloadHave = 0;
  /** A header block that goes on in CONTINUATION frames. */
  private block:
    | { id: number; parts: Buffer[]; bytes: number; frames: number; endStream: boolean }
    | undefined;

  /** When the socket is read: it rests after a small turn, and waits while our frames are not taken. */
  private readonly flow: SocketFlow;

  /** Control frames made while a read is handled, written together at its end. */
  private readonly pending: Buffer[] = [];
  private reading = false;

  constructor(socket: Socket, opts: H2SessionOptions) {
    this.socket = socket;
    this.streamWindow = opts.streamWindow;
    this.connectionWindow = opts.connectionWindow;
    this.connCredit = Math.max(DEFAULT_WINDOW, opts.connectionWindow);
    this.initialCredit = Math.max(DEFAULT_WINDOW, opts.streamWindow);
    this.settingsAcks.push({ window: opts.streamWindow, done: () => {} });
    this.ready = new Promise((resolve, reject) => {
      this.settled = { resolve, reject };
    });
    this.ready.catch(() => {});
    socket.setNoDelay(true);
    socket.write(
      Buffer.concat([
        PREFACE,
        frame(
          SETTINGS,
          0,
          0,
          settingsPayload([
            [SETTINGS_ENABLE_PUSH, 0],
            [SETTINGS_INITIAL_WINDOW_SIZE, this.streamWindow],
            [SETTINGS_MAX_HEADER_LIST_SIZE, MAX_HEADER_LIST],
          ]),
        ),
        ...(this.connectionWindow > DEFAULT_WINDOW
          ? [frame(0x8, 0, 0, u32(this.connectionWindow - DEFAULT_WINDOW))]
          : []),
      ]),
    );
    this.flow = new SocketFlow(socket);
    socket.on("data", (chunk: Buffer) => {
      this.onData(chunk);
      // Flow control is by window: a rest holds nothing back but a few milliseconds.
      this.flow.read(chunk.length);
    });
    socket.on("error", (err) => this.destroy(err));
    socket.on("close", () => this.destroy());
  }

  get bytesRead(): number {
    return this.socket.bytesRead;
  }

  /** Our frames were written: reading goes on. */
  private readonly written = (): void => this.flow.release(Hold.Writes);

  /** Sends a GET; the stream's `response` resolves with the headers. */
  request(headers: HeaderList): H2Stream {
    if (this.closed || this.goingAway) throw new H2StreamError("the HTTP/2 connection is closing");
    const id = this.nextId;
    this.nextId += 2;
    const stream = new H2Stream(id, this);
    stream.credit = this.initialCredit;
    this.streams.set(id, stream);
    const block = encodeHeaders(headers);
    if (block.length <= this.maxFrame) {
      this.send(frame(HEADERS, END_STREAM | END_HEADERS, id, block));
    } else {
      const parts: Buffer[] = [frame(HEADERS, END_STREAM, id, block.subarray(0, this.maxFrame))];
      for (let at = this.maxFrame; at < block.length; at += this.maxFrame) {
        const last = at + this.maxFrame >= block.length;
        parts.push(frame(CONTINUATION, last ? END_HEADERS : 0, id, block.subarray(at, at + this.maxFrame)));
      }
      this.send(Buffer.concat(parts));
    }
    return stream;
  }

  /** A new receive window for every stream, now and from now on (SETTINGS_INITIAL_WINDOW_SIZE). */
  setStreamWindow(size: number, acknowledged?: () => void): void {
    if (this.closed) return;
    this.streamWindow = size;
    this.settingsAcks.push({ window: size, done: acknowledged ?? (() => {}) });
    // A larger window may be used as soon as the server reads it; a smaller one holds once acknowledged.
    if (size > this.initialCredit) this.adjustCredit(size);
    this.send(frame(SETTINGS, 0, 0, settingsPayload([[SETTINGS_INITIAL_WINDOW_SIZE, size]])));
    // A smaller window may leave a stream's window spent with less than half of it unacknowledged.
    for (const s of this.streams.values()) this.granted(s, true);
  }

  /** Sends a PING; done() is called with its ACK, or with an error if the connection closes first. */
  ping(done: (err?: Error) => void): boolean {
    if (this.closed || this.pingWaiter) return false;
    this.pingWaiter = done;
    this.send(frame(PING, 0, 0, Buffer.alloc(8)));
    return true;
  }

  /** Closes a connection that carries no stream (GOAWAY, NO_ERROR). */
  close(): void {
    this.goaway(NO_ERROR);
    this.destroy();
  }

  /** Closes the connection at once; its streams fail with err (or a plain "closed" error). */
  destroy(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    const reason = err ?? new Error("the connection closed before the response ended");
    if (this.connecting) this.settled.reject(reason);
    for (const s of [...this.streams.values()]) s.fail(reason);
    this.streams.clear();
    this.pingWaiter?.(reason);
    this.pingWaiter = undefined;
    this.socket.destroy();
    this.onClose(err);
  }

  // The streams' side.

  /** A stream is over: it holds no slot and no window any more. */
  forget(stream: H2Stream): void {
    this.streams.delete(stream.id);
    if (this.goingAway && this.streams.size === 0) this.destroy();
  }

  reset(stream: H2Stream, code: number): void {
    if (!this.closed) this.send(frame(RST_STREAM, 0, stream.id, u32(code)));
  }

  /** The stream's reader keeps up: the window it used is given back once half of it is used. */
  granted(stream: H2Stream, all = false): void {
    if (this.closed || stream.unacked === 0 || !stream.flowing) return;
    if (!all && stream.unacked < this.streamWindow / 2) return;
    this.send(frame(0x8, 0, stream.id, u32(stream.unacked)));
    stream.credit += stream.unacked;
    stream.unacked = 0;
  }

  // Reading.

  private send(b: Buffer): void {
    if (this.reading) this.pending.push(b);
    else if (!this.closed) this.socket.write(b);
  }

  private onData(chunk: Buffer): void {
    this.reading = true;
    try {
      this.parse(chunk);
    } catch (err) {
      this.reading = false;
      this.pending.length = 0;
      const code =
        err instanceof H2StreamError
          ? err.errorCode
          : err instanceof HpackError
            ? COMPRESSION_ERROR
            : INTERNAL_ERROR;
      const why = err instanceof HpackError ? `header compression: ${err.message}` : (err as Error).message;
      if (PROTOCOL_ERRORS.has(code)) this.onProtocolError(why);
      this.goaway(code);
      this.destroy(new H2StreamError(`http2: protocol error from the server (${why})`, code));
      return;
    }
    this.reading = false;
    if (this.connUnacked >= this.connectionWindow / 2 && !this.closed) {
      this.pending.push(frame(0x8, 0, 0, u32(this.connUnacked)));
      this.connCredit += this.connUnacked;
      this.connUnacked = 0;
    }
    if (this.pending.length > 0 && !this.closed) {
      this.socket.write(
        this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending),
      );
      if (
        this.socket.writableNeedDrain &&
        this.socket.writableLength > MAX_UNSENT &&
        !this.flow.held(Hold.Writes)
      ) {
        this.flow.hold(Hold.Writes);
        this.socket.once("drain", this.written);
      }
    }
    this.pending.length = 0;
  }

  private parse(chunk: Buffer): void {
    const n = chunk.length;
    let p = 0;
    while (p < n && !this.closed) {
      if (this.left < 0) {
        let h: Buffer;
        let at: number;
        if (this.headHave === 0 && n - p >= 9) {
          h = chunk;
          at = p;
          p += 9;
        } else {
          const take = Math.min(9 - this.headHave, n - p);
          chunk.copy(this.head, this.headHave, p, p + take);
          this.headHave += take;
          p += take;
          if (this.headHave < 9) return;
          this.headHave = 0;
          h = this.head;
          at = 0;
        }
        this.begin(
          ((h[at] as number) << 16) | ((h[at + 1] as number) << 8) | (h[at + 2] as number),
          h[at + 3] as number,
          h[at + 4] as number,
          h.readUInt32BE(at + 5) & 0x7fffffff,
        );
        if (this.left === 0) this.complete();
        continue;
      }
      const take = Math.min(this.left, n - p);
      if (this.type === DATA) this.dataBytes(chunk, p, p + take);
      else if (this.payload) chunk.copy(this.payload, this.payloadHave, p, p + take);
      this.payloadHave += take;
      p += take;
      this.left -= take;
      if (this.left === 0) this.complete();
    }
  }

  private begin(len: number, type: number, flags: number, id: number): void {
    // We never raise SETTINGS_MAX_FRAME_SIZE from its 16 KB.
    if (len > MIN_MAX_FRAME)
      throw new H2StreamError(`a frame of ${len} bytes, over the 16 KB allowed`, FRAME_SIZE_ERROR);
    const block = this.block;
    if (block) {
      if (type !== CONTINUATION) throw new H2StreamError("header block interrupted");
      if (++block.frames > MAX_CONTINUATIONS)
        throw new H2StreamError(`a header block in over ${MAX_CONTINUATIONS} CONTINUATION frames`);
      if (block.bytes + len > MAX_HEADER_BLOCK)
        throw new H2StreamError(`a header block over ${MAX_HEADER_BLOCK >> 10} KB`);
    }
    this.left = len;
    this.type = type;
    this.flags = flags;
    this.id = id;
    this.payloadHave = 0;
    if (type === DATA) {
      // Flow control (RFC 9113 6.9.1): what a server sends beyond the window it was given is refused,
      // or a reader that waits would hold whatever the server cares to send.
      if (len > this.connCredit)
        throw new H2StreamError("DATA beyond the connection's flow-control window", FLOW_CONTROL_ERROR);
      this.connCredit -= len;
      this.connUnacked += len;
      const s = this.streams.get(id);
      this.dataStream = s;
      if (s) {
        if (len > s.credit)
          throw new H2StreamError("DATA beyond the stream's flow-control window", FLOW_CONTROL_ERROR);
        s.credit -= len;
        s.unacked += len;
      }
      this.needPadLength = (flags & PADDED) !== 0;
      this.dataLeft = this.needPadLength ? 0 : len;
      this.payload = undefined;
      return;
    }
    this.payload = len > 0 ? Buffer.allocUnsafe(len) : undefined;
  }

  private dataBytes(chunk: Buffer, start: number, end: number): void {
    let p = start;
    if (this.needPadLength) {
      this.needPadLength = false;
      const pad = chunk[p++] as number;
      this.dataLeft = this.left - 1 - pad;
      if (this.dataLeft < 0) throw new H2StreamError("padding beyond the frame");
    }
    const take = Math.min(this.dataLeft, end - p);
    if (take > 0) {
      this.dataStream?.data(chunk, p, p + take);
      this.dataLeft -= take;
    }
  }

  /** The current frame has been read whole. */
  private complete(): void {
    this.left = -1;
    const { type, flags, id } = this;
    const payload = this.payload ?? EMPTY;
    this.payload = undefined;
    switch (type) {
      case DATA: {
        const s = this.dataStream;
        this.dataStream = undefined;
        if (s && flags & END_STREAM) s.end();
        else if (s) this.granted(s);
        return;
      }
      case HEADERS: {
        if (id === 0) throw new H2StreamError("HEADERS on stream 0");
        let from = 0;
        let to = payload.length;
        if (flags & PADDED) {
          to -= payload[0] as number;
          from = 1;
        }
        if (flags & PRIORITY_FLAG) from += 5;
        if (from > to) throw new H2StreamError("padding beyond the frame");
        const part = payload.subarray(from, to);
        if (flags & END_HEADERS) this.headerBlock(id, part, (flags & END_STREAM) !== 0);
        else
          this.block = {
            id,
            parts: [part],
            bytes: part.length,
            frames: 0,
            endStream: (flags & END_STREAM) !== 0,
          };
        return;
      }
      case CONTINUATION: {
        const b = this.block;
        if (!b || b.id !== id) throw new H2StreamError("CONTINUATION without HEADERS");
        if (payload.length > 0) b.parts.push(payload);
        b.bytes += payload.length;
        if (flags & END_HEADERS) {
          this.block = undefined;
          this.headerBlock(id, Buffer.concat(b.parts, b.bytes), b.endStream);
        }
        return;
      }
      case RST_STREAM: {
        const code = payload.length >= 4 ? payload.readUInt32BE(0) : 0;
        if (PROTOCOL_ERRORS.has(code)) this.onProtocolError(`the server reset a stream (error code ${code})`);
        this.streams
          .get(id)
          ?.fail(new H2StreamError(`http2: the server reset the stream (error code ${code})`));
        return;
      }
      case SETTINGS:
        this.settings(flags, payload);
        return;
      case PING:
        if (flags & ACK) {
          const w = this.pingWaiter;
          this.pingWaiter = undefined;
          w?.();
        } else this.send(frame(PING, ACK, 0, payload.subarray(0, 8)));
        return;
      case GOAWAY: {
        const code = payload.length >= 8 ? payload.readUInt32BE(4) : NO_ERROR;
        if (PROTOCOL_ERRORS.has(code)) this.onProtocolError(`the server sent GOAWAY (error code ${code})`);
        this.goneAway(payload.length >= 4 ? payload.readUInt32BE(0) & 0x7fffffff : 0);
        return;
      }
      case PUSH_PROMISE:
        throw new H2StreamError("PUSH_PROMISE after push was disabled");
      default:
        // WINDOW_UPDATE (nothing is sent beyond headers), PRIORITY, extensions: nothing to do.
        return;
    }
  }

  private headerBlock(id: number, block: Buffer, endStream: boolean): void {
    // Decoded even for a stream no longer wanted: the table must stay in step with the server's.
    let list: HeaderList;
    try {
      list = this.decoder.decode(block);
    } catch (err) {
      if (!(err instanceof HeaderListSizeError)) throw err;
      // Decoded whole, the table in step: only this stream fails (as in Go's client).
      const s = this.streams.get(id);
      if (s) {
        this.reset(s, PROTOCOL_ERROR);
        s.fail(new H2StreamError(`http2: response headers ${err.message} (SETTINGS_MAX_HEADER_LIST_SIZE)`));
      }
      return;
    }
    this.streams.get(id)?.headers(list, endStream);
  }

  private settings(flags: number, payload: Buffer): void {
    if (flags & ACK) {
      const acked = this.settingsAcks.shift();
      if (!acked) return;
      // The server now uses this window, or a larger one still on its way.
      let window = acked.window;
      for (const a of this.settingsAcks) window = Math.max(window, a.window);
      if (window < this.initialCredit) this.adjustCredit(window);
      acked.done();
      return;
    }
    for (let i = 0; i + 6 <= payload.length; i += 6) {
      const key = payload.readUInt16BE(i);
      const value = payload.readUInt32BE(i + 2);
      if (key === SETTINGS_MAX_CONCURRENT_STREAMS) this.maxConcurrentStreams = value;
      else if (key === SETTINGS_MAX_FRAME_SIZE) this.maxFrame = Math.max(MIN_MAX_FRAME, value);
    }
    this.send(frame(SETTINGS, ACK, 0));
    if (this.connecting) {
      this.connecting = false;
      this.settled.resolve();
    }
  }

  /** SETTINGS_INITIAL_WINDOW_SIZE changes every open stream's window by the difference (RFC 9113 6.9.2). */
  private adjustCredit(initial: number): void {
    const by = initial - this.initialCredit;
    this.initialCredit = initial;
    for (const s of this.streams.values()) s.credit += by;
  }

  private goneAway(lastId: number): void {
    this.goingAway = true;
    for (const s of [...this.streams.values()])
      if (s.id > lastId) s.fail(new H2StreamError("http2: the server sent GOAWAY before answering"));
    this.onGoaway();
    if (this.streams.size === 0) this.destroy();
  }

  private goaway(code: number): void {
    const b = Buffer.allocUnsafe(8);
    b.writeUInt32BE(0, 0); // the last stream the server opened: it opens none
    b.writeUInt32BE(code, 4);
    if (!this.closed) this.socket.write(frame(GOAWAY, 0, 0, b));
  }

  /** For the health check: the connection is lost. */
  lose(why: string): void {
    this.destroy(new ConnectionLostError(`http2: client connection lost (${why})`));
  }
}
