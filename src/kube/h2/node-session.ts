// HTTP/2 through node:http2, behind the pool's H2Connection: every stream when STERN_HTTP2=node, and
// an origin's streams once our own client saw a protocol error there (a front end it mishandles). The
// socket is the connector's, its TLS handshake done with ALPN h2; the body is the one BodyReader.
import type * as Http2Module from "node:http2";
import type { Socket } from "node:net";
import { type BodyReader, readableBody } from "../body.ts";
import { ConnectionLostError } from "../errors.ts";
import type { H2Connection, H2Request } from "./connection.ts";
import type { HeaderList } from "./hpack.ts";
import { type H2SessionOptions, H2StreamError, MAX_HEADER_LIST, PROTOCOL_ERRORS } from "./session.ts";

const http2 = process.getBuiltinModule("node:http2") as typeof Http2Module;
const { NGHTTP2_CANCEL, NGHTTP2_NO_ERROR } = http2.constants;

export class NodeH2Session implements H2Connection {
  readonly ready: Promise<void>;
  connecting = true;
  goingAway = false;
  maxConcurrentStreams = Number.POSITIVE_INFINITY;
  onGoaway: () => void = () => {};
  onClose: (err: Error | undefined) => void = () => {};
  onProtocolError: (why: string) => void = () => {};
  private readonly socket: Socket;
  private readonly session: Http2Module.ClientHttp2Session;
  /** Why the health check closed the connection: what its streams fail with. */
  private lost: Error | undefined;

  constructor(socket: Socket, origin: string, opts: H2SessionOptions) {
    this.socket = socket;
    this.session = http2.connect(origin, {
      createConnection: () => socket,
      settings: {
        enablePush: false,
        initialWindowSize: opts.streamWindow,
        maxHeaderListSize: MAX_HEADER_LIST,
      },
    });
    const session = this.session;
    this.ready = new Promise((resolve, reject) => {
      session.on("remoteSettings", (settings) => {
        this.maxConcurrentStreams = settings.maxConcurrentStreams ?? Number.POSITIVE_INFINITY;
        if (!this.connecting) return;
        this.connecting = false;
        session.setLocalWindowSize(opts.connectionWindow);
        resolve();
      });
      session.once("close", () => {
        this.onClose(this.lost);
        if (this.connecting) reject(this.lost ?? new Error("the connection closed before it was ready"));
      });
    });
    this.ready.catch(() => {});
    session.on("error", () => {}); // its streams fail with it; 'close' follows
    session.on("goaway", (code) => {
      this.goingAway = true;
      if (PROTOCOL_ERRORS.has(code)) this.onProtocolError(`the server sent GOAWAY (error code ${code})`);
      this.onGoaway();
    });
  }

  /** Closed, or closing (node:http2 refuses new streams from the call on, not from its 'close'). */
  get closed(): boolean {
    return this.session.closed || this.session.destroyed;
  }

  get bytesRead(): number {
    return this.socket.bytesRead;
  }

  request(headers: HeaderList): H2Request {
    if (this.closed || this.goingAway) throw new H2StreamError("the HTTP/2 connection is closing");
    const fields: Http2Module.OutgoingHttpHeaders = {};
    for (const [name, value] of headers) {
      const had = fields[name];
      fields[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [String(had)]), value];
    }
    const stream = this.session.request(fields, { endStream: true });
    let failure: Error | undefined;
    const why = () => {
      if (this.lost) return this.lost;
      const code = stream.rstCode;
      if (code !== undefined && code !== NGHTTP2_NO_ERROR && code !== NGHTTP2_CANCEL)
        return new H2StreamError(`http2: the server reset the stream (error code ${code})`);
      return failure ?? new Error("the connection closed before the response ended");
    };
    const response = new Promise<{ status: number }>((resolve, reject) => {
      stream.once("response", (h) => resolve({ status: Number(h[":status"] ?? 0) }));
      stream.once("close", () => reject(why()));
    });
    response.catch(() => {});
    stream.on("error", (err) => {
      failure ??= err;
    });
    const body: BodyReader = readableBody(stream, () => stream.readableEnded, {
      cancel: () => {
        if (!stream.closed) stream.close(NGHTTP2_CANCEL);
      },
      failure: () => why(),
    });
    return { response, body, cancel: (err) => body.destroy(err) };
  }

  setStreamWindow(size: number, acknowledged?: () => void): void {
    if (this.closed) return;
    try {
      this.session.settings({ initialWindowSize: size }, () => acknowledged?.());
    } catch {
      // Closing meanwhile, or SETTINGS not acknowledged: the window stays as it was.
    }
  }

  ping(done: (err?: Error) => void): boolean {
    if (this.closed) return false;
    try {
      return this.session.ping((err) => done(err ?? undefined));
    } catch {
      return false;
    }
  }

  close(): void {
    if (!this.closed) this.session.close();
  }

  destroy(err?: Error): void {
    if (!this.session.destroyed) this.session.destroy(err);
  }

  lose(why: string): void {
    this.lost = new ConnectionLostError(`http2: client connection lost (${why})`);
    this.destroy(this.lost);
  }
}
