// HTTP/2 puts every watch and log stream on one TLS connection (as kubectl does), so a thousand streams
// cost a thousand HTTP/2 streams rather than a thousand TLS sessions; a new connection per 250
// streams. Connections come from the connector; each is spoken by this project's client, or by
// node:http2 (STERN_HTTP2=node, or from the first protocol error our client saw on this origin). A
// server that does not agree to HTTP/2 gets HTTP/1.1 from then on.
import type { Clock } from "../../util/clock.ts";
import type { Connector } from "../connector.ts";
import { abortsBody, bounded } from "../deadline.ts";
import { ConnectionError, requestFailure } from "../errors.ts";
import type { RequestSpec, Response, Transport } from "../transport.ts";
import type { H2Connection, H2Request } from "./connection.ts";
import { type HealthCheck, watchHealth } from "./health.ts";
import type { HeaderList } from "./hpack.ts";
import { NodeH2Session } from "./node-session.ts";
import { H2Session } from "./session.ts";

/** Streams on one HTTP/2 session at most (the API server allows 100 to 1,000): then another session. */
const STREAMS_PER_SESSION = 250;
/** What HTTP/2 asks every server to allow, assumed until the server's own settings arrive. */
const STREAMS_BEFORE_SETTINGS = 100;
const SESSION_WINDOW = 4 << 20;
/**
 * What a session's streams may have in flight together. A stream whose reader waits (stdout is
 * behind) holds up to its window: with hundreds of streams a fixed window is what fills memory, so the
 * window shrinks as streams are added.
 */
const STREAMS_BUDGET = 4 << 20;
const MAX_STREAM_WINDOW = 128 << 10;
const MIN_STREAM_WINDOW = 16 << 10;

/** Each stream's window with `active` streams open: the budget split, a power of two, 16–128 KB. */
export function streamWindowFor(active: number): number {
  let w = MAX_STREAM_WINDOW;
  while (w > MIN_STREAM_WINDOW && w * active > STREAMS_BUDGET) w /= 2;
  return w;
}

export interface Http2Options {
  clock: Clock;
  health?: HealthCheck | undefined;
  /** node:http2 for every connection (STERN_HTTP2=node). */
  nodeHttp2?: boolean | undefined;
  /** A connection was found dead and closed: said once, its streams resume quietly. */
  onLost?: ((message: string) => void) | undefined;
  /** What the transport decided on its own (node:http2 for this origin from now on). */
  onDebug?: ((message: string) => void) | undefined;
}

interface SessionEntry {
  /** Once the socket is up. */
  conn: H2Connection | undefined;
  /** The connection, once the server's SETTINGS arrived. */
  ready: Promise<H2Connection>;
  failed: boolean;
  /** Streams given to this session: taken before it is connected, so a burst spreads over sessions. */
  active: number;
  /** The stream window last asked of the server, and whether a change waits for its acknowledgement. */
  window: number;
  refitQueued: boolean;
}

const closed = (e: SessionEntry) => e.failed || e.conn?.closed === true;
const connecting = (e: SessionEntry) => !e.failed && (e.conn?.connecting ?? true);

function streamLimit(e: SessionEntry): number {
  if (connecting(e) || !e.conn) return STREAMS_BEFORE_SETTINGS;
  return Math.min(STREAMS_PER_SESSION, e.conn.maxConcurrentStreams);
}

/** The server does not speak HTTP/2: the request goes over HTTP/1.1. */
const FALL_BACK = new Error("HTTP/1.1");

export class Http2Transport implements Transport {
  private readonly connector: Connector;
  private readonly fallback: Transport;
  private readonly o: Http2Options;
  private sessions: SessionEntry[] = [];
  /** The server did not agree to HTTP/2: HTTP/1.1 from then on. */
  private http1Only = false;
  /** node:http2 for new connections: asked for, or our client saw a protocol error here. */
  private nodeHttp2: boolean;

  constructor(connector: Connector, fallback: Transport, o: Http2Options) {
    this.connector = connector;
    this.fallback = fallback;
    this.o = o;
    this.nodeHttp2 = o.nodeHttp2 === true;
  }

  /** Which client speaks HTTP/2 on new connections. */
  get client(): "own" | "node:http2" {
    return this.nodeHttp2 ? "node:http2" : "own";
  }

  close(): void {
    for (const e of this.sessions) e.conn?.close();
    this.sessions = [];
    this.fallback.close();
  }

  async request(spec: RequestSpec): Promise<Response> {
    if (this.http1Only) return this.fallback.request(spec);
    const state: { cancelled?: Error; stream?: H2Request } = {};
    try {
      const res = await bounded(this.attempt(spec, state), {
        signal: spec.signal,
        timeoutMs: spec.timeoutMs,
        origin: this.connector.origin,
        clock: this.o.clock,
        cancel: (err) => {
          state.cancelled = err;
          state.stream?.cancel(err);
        },
      });
      abortsBody(res.body, spec.signal);
      return res;
    } catch (err) {
      if (err === FALL_BACK) return this.fallback.request(spec);
      throw requestFailure(err, this.connector.origin);
    }
  }

  private async attempt(
    spec: RequestSpec,
    state: { cancelled?: Error; stream?: H2Request },
  ): Promise<Response & { body: H2Request["body"] }> {
    for (;;) {
      if (this.http1Only) throw FALL_BACK;
      // The slot is taken now, not once connected: a burst of requests must not all pick a session
      // that is still connecting and so looks empty.
      const entry = this.pick(spec.timeoutMs);
      entry.active++;
      let conn: H2Connection;
      try {
        conn = await entry.ready;
      } catch (err) {
        this.release(entry);
        if (this.http1Only) throw FALL_BACK;
        throw err;
      }
      if (state.cancelled) {
        this.release(entry);
        throw state.cancelled;
      }
      const limit = streamLimit(entry);
      if (entry.active <= limit) return this.send(entry, conn, spec, state);
      // The server allows fewer streams than were given to the session while it connected: the ones
      // over go to another (each round places some, so this ends). One that allows none gets no
      // connection after connection: it is an error, and the caller's retry waits its backoff.
      this.release(entry);
      if (limit === 0)
        throw new ConnectionError(
          `the API server at ${this.connector.origin} allows no HTTP/2 streams per connection (SETTINGS_MAX_CONCURRENT_STREAMS 0)`,
        );
    }
  }

  private async send(
    entry: SessionEntry,
    conn: H2Connection,
    spec: RequestSpec,
    state: { stream?: H2Request },
  ): Promise<Response & { body: H2Request["body"] }> {
    const { url } = spec;
    const headers: HeaderList = [
      [":method", "GET"],
      [":scheme", "https"],
      [":authority", url.host],
      [":path", url.pathname + url.search],
    ];
    for (const [k, v] of Object.entries(spec.headers)) {
      const name = k.toLowerCase();
      if (name === "host" || name === "connection") continue;
      for (const one of Array.isArray(v) ? v : [v]) headers.push([name, one]);
    }
    let stream: H2Request;
    try {
      stream = conn.request(headers);
    } catch (err) {
      this.release(entry);
      throw err;
    }
    state.stream = stream;
    const release = () => {
      this.release(entry);
      this.fitWindow(entry);
    };
    void stream.body.done.then(release);
    this.fitWindow(entry);
    const { status } = await stream.response;
    return { status, body: stream.body };
  }

  /** A request gave its slot back; a session left with no streams is closed if it is of no use. */
  private release(entry: SessionEntry): void {
    entry.active--;
    const conn = entry.conn;
    if (entry.active > 0 || connecting(entry) || closed(entry) || !conn) return;
    // One idle session is kept for the next request, unless another has room (or this one none).
    const room = (e: SessionEntry) => !closed(e) && !e.conn?.goingAway && e.active < streamLimit(e);
    if (room(entry) && !this.sessions.some((e) => e !== entry && room(e))) return;
    this.sessions = this.sessions.filter((e) => e !== entry);
    conn.close();
  }

  /** Asks the server for the window that fits the streams now open; one change in flight at a time. */
  private fitWindow(entry: SessionEntry): void {
    const conn = entry.conn;
    const w = streamWindowFor(entry.active);
    if (!conn || w === entry.window || conn.closed || entry.refitQueued) return;
    entry.window = w;
    entry.refitQueued = true;
    conn.setStreamWindow(w, () => {
      entry.refitQueued = false;
      this.fitWindow(entry);
    });
  }

  /** A dead connection: new requests go to a new one; its streams fail and resume there. */
  private lose(entry: SessionEntry, why: string): void {
    this.sessions = this.sessions.filter((e) => e !== entry);
    const message = `http2: connection to ${this.connector.origin} lost (${why}); its ${entry.active} stream(s) resume on a new connection`;
    this.o.onLost?.(message);
    entry.conn?.lose(why);
  }

  /** Our client and the server read HTTP/2 differently: node:http2 speaks to this origin from now on. */
  private protocolError(why: string): void {
    if (this.nodeHttp2) return;
    this.nodeHttp2 = true;
    this.o.onDebug?.(
      `http2: protocol error on the connection to ${this.connector.origin} (${why}); node:http2 for its connections from now on`,
    );
  }

  private pick(timeoutMs: number): SessionEntry {
    this.sessions = this.sessions.filter((e) => !closed(e) && !e.conn?.goingAway);
    const free = this.sessions.find((e) => e.active < streamLimit(e));
    if (free) return free;
    let conn: H2Connection | undefined;
    const ready = bounded(
      this.connect(timeoutMs, (c) => {
        conn = c;
        entry.conn = c;
        c.onGoaway = () => {
          this.sessions = this.sessions.filter((e) => e !== entry);
        };
        c.onProtocolError = (why) => this.protocolError(why);
      }),
      { timeoutMs, origin: this.connector.origin, clock: this.o.clock, cancel: (err) => conn?.destroy(err) },
    );
    const entry: SessionEntry = {
      conn,
      ready,
      failed: false,
      active: 0,
      window: MAX_STREAM_WINDOW,
      refitQueued: false,
    };
    ready.then(
      (c) => this.watch(entry, c),
      () => {
        entry.failed = true;
        this.sessions = this.sessions.filter((e) => e !== entry);
      },
    );
    this.sessions.push(entry);
    return entry;
  }

  /** A connection whose server's SETTINGS arrived; `made` is told of it as soon as it exists. */
  private async connect(timeoutMs: number, made: (conn: H2Connection) => void): Promise<H2Connection> {
    let socket: Awaited<ReturnType<Connector["connect"]>>;
    try {
      socket = await this.connector.connect({ alpn: ["h2"], timeoutMs });
    } catch (err) {
      // A server that offers no HTTP/2 in ALPN refuses the handshake (a "write EPROTO" here).
      if (noApplicationProtocol(err)) this.http1Only = true;
      throw err;
    }
    if (!("alpnProtocol" in socket) || socket.alpnProtocol !== "h2") {
      this.http1Only = true;
      socket.destroy();
      throw new Error("the server does not speak HTTP/2");
    }
    const opts = { streamWindow: MAX_STREAM_WINDOW, connectionWindow: SESSION_WINDOW };
    const conn = this.nodeHttp2
      ? new NodeH2Session(socket, this.connector.origin, opts)
      : new H2Session(socket, opts);
    made(conn);
    await conn.ready;
    return conn;
  }

  /** Health checks until the connection closes. */
  private watch(entry: SessionEntry, conn: H2Connection): void {
    const health = this.o.health;
    if (!health || health.readIdleMs <= 0) return;
    const stop = new AbortController();
    conn.onClose = () => stop.abort();
    if (conn.closed) return;
    void watchHealth(conn, health, this.o.clock, stop.signal, (why) => this.lose(entry, why));
  }
}

function noApplicationProtocol(err: unknown): boolean {
  for (let e = err as (Error & { code?: string; cause?: unknown }) | undefined; e; e = e.cause as typeof e) {
    if (
      e.code === "ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL" ||
      /alert no application protocol/.test(e.message)
    )
      return true;
  }
  return false;
}
