// How requests travel. HTTP/2 puts every watch and log stream on one TLS connection (as kubectl does),
// so a thousand streams cost a thousand HTTP/2 streams rather than a thousand TLS sessions; HTTP/1.1
// is the fallback for servers (or proxies) that do not speak HTTP/2, and for client-node's agents.
import type * as HttpModule from "node:http";
import type * as HttpsModule from "node:https";
import type * as NetModule from "node:net";
import type { Readable } from "node:stream";
import type * as TlsModule from "node:tls";
import type { SecureContext } from "node:tls";
import type { ChunkHandler } from "./chunk-reader.ts";
import { ConnectionError, describeNetworkError } from "./errors.ts";
import { H1Response } from "./h1/response.ts";
import type { HeaderList } from "./h2/hpack.ts";
import { H2Session, type H2Stream } from "./h2/session.ts";
import { SocketFlow } from "./pace.ts";

const http = process.getBuiltinModule("node:http") as typeof HttpModule;
const https = process.getBuiltinModule("node:https") as typeof HttpsModule;
const tls = process.getBuiltinModule("node:tls") as typeof TlsModule;
const net = process.getBuiltinModule("node:net") as typeof NetModule;
const { isIP } = net;

export type Headers = Record<string, string | string[]>;

/** A response body: bytes as they come, and whether the server ended it (not the connection breaking). */
export interface ResponseBody extends AsyncIterable<Buffer> {
  readonly complete: boolean;
  /** The Node stream beneath, when there is one: read with 'data' events, no promise per chunk. */
  readonly source?: Readable;
  /** Reads the body chunk by chunk (a promise onChunk returns pauses it); settles at its end. */
  read?(onChunk: ChunkHandler): Promise<void>;
  /** Its connection is health-checked (HTTP/2 PINGs): a dead one is found and closed by the transport. */
  readonly healthChecked?: boolean;
  destroy(): void;
}

export interface Response {
  status: number;
  body: ResponseBody;
}

export interface RequestSpec {
  url: URL;
  headers: Headers;
  signal: AbortSignal | undefined;
  /** Bound on connecting and on waiting for response headers, in ms; 0 = none. */
  timeoutMs: number;
  /** A stream (a log, a watch) that holds its connection for long: HTTP/1.1 gives it one of its own. */
  streaming?: boolean;
}

export interface Transport {
  request(spec: RequestSpec, agent: HttpModule.Agent | undefined): Promise<Response>;
}

export interface Http2Tls {
  secureContext: SecureContext;
  servername?: string;
  rejectUnauthorized?: boolean;
}

function timeoutError(origin: string, ms: number): ConnectionError {
  return new ConnectionError(`cannot reach the API server at ${origin}: no answer within ${ms / 1000}s`);
}

function failure(err: unknown, origin: string): Error {
  if (err instanceof ConnectionError || (err as Error)?.name === "AbortError") return err as Error;
  return describeNetworkError(err, origin);
}

/** Which HTTP/1.1 client reads streams: this project's own (src/kube/h1/) or node:http. */
const OWN_H1 = process.env.STERN_HTTP1_CLIENT !== "node";
const paced = new WeakSet<object>();

export class Http1Transport implements Transport {
  request(spec: RequestSpec, agent: HttpModule.Agent | undefined): Promise<Response> {
    // Streams through a proxy's agent (or client-node's) go through node:http, the rest on our own.
    if (
      OWN_H1 &&
      spec.streaming &&
      agent &&
      (agent.constructor === http.Agent || agent.constructor === https.Agent)
    )
      return this.stream(spec, agent);
    const { url } = spec;
    const origin = url.origin;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const req = (url.protocol === "https:" ? https : http).request(
        {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ""),
          port: url.port,
          path: url.pathname + url.search,
          method: "GET",
          headers: spec.headers,
          ...(agent ? { agent } : {}),
          ...(spec.signal ? { signal: spec.signal } : {}),
        },
        (res) => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            body: {
              get complete() {
                return res.complete;
              },
              destroy: () => res.destroy(),
              source: res,
              [Symbol.asyncIterator]: () => res[Symbol.asyncIterator]() as AsyncIterator<Buffer>,
            },
          });
        },
      );
      if (spec.timeoutMs > 0)
        timer = setTimeout(() => req.destroy(timeoutError(origin, spec.timeoutMs)), spec.timeoutMs);
      // Without keepalive a peer that vanished (a node gone, a NAT timeout) leaves a stream silent forever.
      req.on("socket", (socket) => {
        socket.setKeepAlive(true, 30_000);
        if (spec.streaming && !paced.has(socket)) {
          paced.add(socket);
          SocketFlow.underNodeHttp(socket);
        }
      });
      req.on("error", (err) => {
        clearTimeout(timer);
        reject(failure(err, origin));
      });
      req.end();
    });
  }

  /** A GET on a connection of its own, its body read straight off the socket (src/kube/h1/). */
  private stream(spec: RequestSpec, agent: HttpModule.Agent): Promise<Response> {
    const { url } = spec;
    const origin = url.origin;
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const secure = url.protocol === "https:";
    const port = Number(url.port || (secure ? 443 : 80));
    const options = (agent as HttpsModule.Agent).options ?? {};
    const socket = secure
      ? tls.connect({
          ...options,
          host,
          port,
          servername: options.servername ?? (isIP(host) ? undefined : host),
          ALPNProtocols: ["http/1.1"],
        } as TlsModule.ConnectionOptions)
      : net.connect({ host, port });
    // Without keepalive a peer that vanished (a node gone, a NAT timeout) leaves a stream silent forever.
    socket.setKeepAlive(true, 30_000);
    return new Promise((resolve, reject) => {
      let res: H1Response;
      try {
        res = new H1Response(socket, url.pathname + url.search, url.host, spec.headers);
      } catch (err) {
        socket.destroy();
        reject(err);
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        clearTimeout(timer);
        const e = new Error("The operation was aborted");
        e.name = "AbortError";
        res.destroy();
        reject(e);
      };
      if (spec.signal?.aborted) return onAbort();
      spec.signal?.addEventListener("abort", onAbort, { once: true });
      socket.once("close", () => spec.signal?.removeEventListener("abort", onAbort));
      if (spec.timeoutMs > 0) {
        timer = setTimeout(() => {
          res.destroy();
          reject(timeoutError(origin, spec.timeoutMs));
        }, spec.timeoutMs);
      }
      res.head.then(
        ({ status }) => {
          clearTimeout(timer);
          resolve({
            status,
            body: {
              get complete() {
                return res.complete;
              },
              read: (onChunk) => res.read(onChunk),
              destroy: () => res.destroy(),
              [Symbol.asyncIterator]: () => res[Symbol.asyncIterator](),
            },
          });
        },
        (err: Error) => {
          clearTimeout(timer);
          reject(failure(err, origin));
        },
      );
    });
  }
}

/**
 * How connections are health-checked, as client-go does for kubectl and stern: when nothing has been
 * read on a connection for readIdleMs, a PING is sent; without its ACK within pingTimeoutMs the
 * connection is closed and its streams resume on a new one. TCP keepalive cannot see a connection
 * that a NAT or load balancer forgot: the peer that ACKs the probes is alive. readIdleMs 0 = off.
 */
export interface HealthCheck {
  readIdleMs: number;
  pingTimeoutMs: number;
}

/** client-go's defaults and environment variables (HTTP2_READ_IDLE_TIMEOUT_SECONDS, HTTP2_PING_TIMEOUT_SECONDS). */
/** A connection read from without a gap longer than this is busy... */
const BUSY_GAP_MS = 1000;
/** ...and a busy one that has been so for this long, then reads nothing for as long, is pinged early. */
const EARLY_IDLE_MS = 5000;

export function healthCheckFromEnv(env: NodeJS.ProcessEnv): HealthCheck {
  const seconds = (name: string, fallback: number): number => {
    const v = env[name];
    // client-go: strconv.Atoi, and the default when that fails.
    return v !== undefined && /^[+-]?\d+$/.test(v) ? Number(v) : fallback;
  };
  const readIdle = seconds("HTTP2_READ_IDLE_TIMEOUT_SECONDS", 30);
  const ping = seconds("HTTP2_PING_TIMEOUT_SECONDS", 15);
  return { readIdleMs: Math.max(0, readIdle) * 1000, pingTimeoutMs: (ping > 0 ? ping : 15) * 1000 };
}

interface SessionEntry {
  session: H2Session;
  /** Streams given to this session: taken before it is connected, so a burst spreads over sessions. */
  active: number;
  /** The stream window last asked of the server, and whether a change waits for its acknowledgement. */
  window: number;
  refitQueued: boolean;
}

/** Streams on one HTTP/2 session at most (the API server allows 100 to 1,000): then another session. */
const STREAMS_PER_SESSION = 250;
/** What HTTP/2 asks every server to allow, assumed until the server's own settings arrive. */
const STREAMS_BEFORE_SETTINGS = 100;

function streamLimit(session: H2Session): number {
  if (session.connecting) return STREAMS_BEFORE_SETTINGS;
  return Math.min(STREAMS_PER_SESSION, session.maxConcurrentStreams);
}
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

export class Http2Transport implements Transport {
  private readonly origin: string;
  private readonly tls: Http2Tls;
  private readonly fallback: Transport;
  private readonly health: HealthCheck;
  private readonly onLost: (message: string) => void;
  private sessions: SessionEntry[] = [];
  /** The server did not agree to HTTP/2: HTTP/1.1 from then on. */
  private http1Only = false;

  constructor(
    origin: string,
    tls: Http2Tls,
    fallback: Transport,
    health: HealthCheck = { readIdleMs: 0, pingTimeoutMs: 0 },
    onLost: (message: string) => void = () => {},
  ) {
    this.origin = origin;
    this.tls = tls;
    this.fallback = fallback;
    this.health = health;
    this.onLost = onLost;
  }

  async request(spec: RequestSpec, agent: HttpModule.Agent | undefined): Promise<Response> {
    for (;;) {
      if (this.http1Only) return this.fallback.request(spec, agent);
      let entry: SessionEntry | undefined;
      try {
        // The slot is taken now, not once connected: a burst of requests must not all pick a session
        // that is still connecting and so looks empty.
        entry = this.pick(spec.timeoutMs);
        entry.active++;
        await entry.session.ready;
      } catch (err) {
        if (entry) this.release(entry);
        if (this.http1Only) return this.fallback.request(spec, agent);
        throw failure(err, this.origin);
      }
      const limit = streamLimit(entry.session);
      if (entry.active <= limit) return this.send(entry, spec);
      // The server allows fewer streams than were given to the session while it connected: the ones
      // over go to another (each round places some, so this ends). One that allows none gets no
      // connection after connection: it is an error, and the caller's retry waits its backoff.
      this.release(entry);
      if (limit === 0)
        throw new ConnectionError(
          `the API server at ${this.origin} allows no HTTP/2 streams per connection (SETTINGS_MAX_CONCURRENT_STREAMS 0)`,
        );
    }
  }

  /** A request gave its slot back; a session left with no streams is closed if it is of no use. */
  private release(entry: SessionEntry): void {
    entry.active--;
    const { session } = entry;
    if (entry.active > 0 || session.connecting || session.closed) return;
    // One idle session is kept for the next request, unless another has room (or this one none).
    const room = (e: SessionEntry) =>
      !e.session.closed && !e.session.goingAway && e.active < streamLimit(e.session);
    if (room(entry) && !this.sessions.some((e) => e !== entry && room(e))) return;
    this.sessions = this.sessions.filter((e) => e !== entry);
    session.close();
  }

  private send(entry: SessionEntry, spec: RequestSpec): Promise<Response> {
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
    return new Promise((resolve, reject) => {
      let stream: H2Stream;
      try {
        stream = entry.session.request(headers);
      } catch (err) {
        this.release(entry);
        reject(failure(err, this.origin));
        return;
      }
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        spec.signal?.removeEventListener("abort", onAbort);
        this.release(entry);
        this.fitWindow(entry);
      };
      this.fitWindow(entry);
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        const e = new Error("The operation was aborted");
        e.name = "AbortError";
        clearTimeout(timer);
        stream.cancel(e);
        reject(e);
      };
      spec.signal?.addEventListener("abort", onAbort, { once: true });
      if (spec.timeoutMs > 0) {
        timer = setTimeout(() => {
          stream.cancel();
          reject(timeoutError(this.origin, spec.timeoutMs));
        }, spec.timeoutMs);
      }
      const healthChecked = this.health.readIdleMs > 0;
      stream.done.then(release, release);
      stream.response.then(
        ({ status }) => {
          clearTimeout(timer);
          resolve({
            status,
            body: {
              get complete() {
                return stream.complete;
              },
              healthChecked,
              read: (onChunk) => stream.read(onChunk),
              destroy: () => stream.cancel(),
              [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](),
            },
          });
        },
        (err: Error) => {
          clearTimeout(timer);
          reject(failure(err, this.origin));
        },
      );
    });
  }

  /** Asks the server for the window that fits the streams now open; one change in flight at a time. */
  private fitWindow(entry: SessionEntry): void {
    const { session } = entry;
    const w = streamWindowFor(entry.active);
    if (w === entry.window || session.closed || entry.refitQueued) return;
    entry.window = w;
    entry.refitQueued = true;
    session.setStreamWindow(w, () => {
      entry.refitQueued = false;
      this.fitWindow(entry);
    });
  }

  /** Pings a connection on which nothing was read for a while; closes it when the PING goes unanswered. */
  private watchHealth(entry: SessionEntry): void {
    const { readIdleMs, pingTimeoutMs } = this.health;
    if (readIdleMs <= 0) return;
    const { session } = entry;
    const { socket } = session;
    // Bytes read on the socket tell activity without a listener on any stream (no per-chunk work).
    let lastBytes = socket.bytesRead;
    let idleSince = performance.now();
    // Since when data has come without a gap of BUSY_GAP_MS: a busy connection that falls silent is
    // pinged early (a PING only costs a frame; the connection is closed only without its ACK).
    let busySince = idleSince;
    let earlyPinged = false;
    let pinging = false;
    /** `late`: how far past its due time the check that sends the PING runs (taken off its wait). */
    const ping = (now: number, late: number) => {
      pinging = true;
      const deadline = setTimeout(
        () => {
          clearInterval(timer);
          const why = `no answer to a PING within ${pingTimeoutMs / 1000}s after ${Math.round((now - idleSince) / 1000)}s without data`;
          this.lose(entry, why);
        },
        Math.max(0, pingTimeoutMs - late),
      );
      deadline.unref();
      const sent = session.ping((err) => {
        clearTimeout(deadline);
        pinging = false;
        if (err) return;
        lastBytes = socket.bytesRead;
        idleSince = performance.now();
      });
      if (!sent) {
        clearTimeout(deadline);
        pinging = false;
      }
    };
    const timer = setInterval(
      () => {
        if (session.closed) {
          clearInterval(timer);
          return;
        }
        const now = performance.now();
        if (socket.bytesRead !== lastBytes) {
          lastBytes = socket.bytesRead;
          if (now - idleSince > BUSY_GAP_MS) busySince = now;
          idleSince = now;
          earlyPinged = false;
          return;
        }
        if (pinging) return;
        const idle = now - idleSince;
        if (idle >= readIdleMs) ping(now, idle - readIdleMs);
        else if (!earlyPinged && idle >= EARLY_IDLE_MS && idleSince - busySince >= EARLY_IDLE_MS) {
          earlyPinged = true;
          ping(now, idle - EARLY_IDLE_MS);
        }
      },
      Math.max(10, Math.min(250, readIdleMs / 4, pingTimeoutMs / 4)),
    );
    timer.unref();
  }

  /** A dead connection: new requests go to a new one; its streams fail and resume there. */
  private lose(entry: SessionEntry, why: string): void {
    this.sessions = this.sessions.filter((e) => e !== entry);
    const message = `http2: connection to ${this.origin} lost (${why}); its ${entry.active} stream(s) resume on a new connection`;
    this.onLost(message);
    entry.session.lose(why);
  }

  private pick(timeoutMs: number): SessionEntry {
    this.sessions = this.sessions.filter((e) => !e.session.closed && !e.session.goingAway);
    const free = this.sessions.find((e) => e.active < streamLimit(e.session));
    if (free) return free;
    const url = new URL(this.origin);
    const socket = tls.connect({
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: Number(url.port || 443),
      secureContext: this.tls.secureContext,
      servername:
        this.tls.servername ?? (isIP(url.hostname.replace(/^\[|\]$/g, "")) ? undefined : url.hostname),
      ...(this.tls.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
      ALPNProtocols: ["h2"],
    });
    // Without keepalive a peer that vanished (a node gone, a NAT timeout) leaves streams silent forever.
    socket.setKeepAlive(true, 30_000);
    const session = new H2Session(socket, {
      streamWindow: MAX_STREAM_WINDOW,
      connectionWindow: SESSION_WINDOW,
    });
    const entry: SessionEntry = { session, active: 0, window: MAX_STREAM_WINDOW, refitQueued: false };
    session.onGoaway = () => {
      this.sessions = this.sessions.filter((e) => e !== entry);
    };
    socket.once("secureConnect", () => {
      if (socket.alpnProtocol !== "h2") {
        this.http1Only = true;
        session.destroy(new Error("the server does not speak HTTP/2"));
      }
    });
    // A server that offers no HTTP/2 in ALPN refuses the handshake (a "write EPROTO" here).
    socket.prependOnceListener("error", (err: NodeJS.ErrnoException) => {
      if (
        err.code === "ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL" ||
        /alert no application protocol/.test(err.message)
      )
        this.http1Only = true;
    });
    const timer =
      timeoutMs > 0
        ? setTimeout(() => session.destroy(timeoutError(this.origin, timeoutMs)), timeoutMs)
        : undefined;
    session.ready.then(
      () => {
        clearTimeout(timer);
        this.watchHealth(entry);
      },
      () => clearTimeout(timer),
    );
    this.sessions.push(entry);
    return entry;
  }
}
