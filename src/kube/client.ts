// Requests to the API server: rate limit, credentials, errors that keep the server's Status, and
// bodies read chunk by chunk with backpressure (body.ts). Which route a request takes (HTTP/2 or
// HTTP/1.1) is decided here, once; how each one travels is transport.ts's business.

import type * as HttpModule from "node:http";
import type * as HttpsModule from "node:https";
import { type Clock, systemClock } from "../util/clock.ts";
import type { RateLimiter } from "../util/rate-limit.ts";
import { type Body, readWhole } from "./body.ts";
import { Connector, type DialSettings } from "./connector.ts";
import { ApiError, ConnectionError } from "./errors.ts";
import type { HealthCheck } from "./h2/health.ts";
import { Http2Transport } from "./h2/pool.ts";
import { Http1Transport } from "./http1.ts";
import type { Headers, Response, Transport } from "./transport.ts";
import type { Status } from "./types.ts";

export type Query = Record<string, string | number | boolean | undefined>;

/**
 * A JSON answer (a LIST page, an object) at most. Pods are listed 500 a page (podwatch.ts): that is
 * over 250 KB a pod, where a large one is 50 KB; a body past it would not end (or not fit a string).
 */
const MAX_JSON_BYTES = 128 << 20;
/**
 * What is read of an error's body (a Status is under 1 KB): then it is the error it is, and the
 * caller's retry goes on, however much more the server sends and however slowly.
 */
const ERROR_BODY_BYTES = 64 << 10;
const ERROR_BODY_MS = 3000;

/** What a request needs to reach the server: filled per request, since exec/OIDC tokens expire. */
export interface Connection {
  server: string;
  /** Headers (credentials, impersonation), and client-node's agent when that makes the sockets. */
  requestOptions(): Promise<HttpsModule.RequestOptions>;
  /** Reloads credentials (after a 401: an expired exec token, a rotated token file). */
  refresh?(): Promise<void>;
  /**
   * How our connector reaches the server (TLS, a proxy). Absent: client-node's agent makes the sockets
   * (OIDC, HTTPS proxies), and requests go over HTTP/1.1 through node:http.
   */
  dial?: DialSettings;
}

export interface ClientOptions {
  /** Bound on connecting and on waiting for response headers, in ms; 0 = none. */
  connectTimeoutMs: number;
  userAgent: string;
  /** Client-side request rate limit (--qps/--burst); absent = none. */
  limiter?: RateLimiter;
  /** Called for every response or failure: for --verbosity. */
  onRequest?: (line: string) => void;
  /** Never HTTP/2 (STERN_HTTP1=1, for servers behind proxies that mishandle it). */
  http1Only?: boolean;
  /** node:http2 instead of this project's HTTP/2 client (STERN_HTTP2=node). */
  nodeHttp2?: boolean;
  /** HTTP/2 connection health checks (client-go's PINGs); absent = none. */
  health?: HealthCheck;
  /** A connection was found dead and closed: said once, its streams resume quietly. */
  onConnectionLost?: (message: string) => void;
  /** What the transport decided on its own, for --verbosity. */
  onDebug?: (message: string) => void;
  /** Timeouts and health checks wait on it; the system's by default. */
  clock?: Clock;
}

export class ApiClient {
  readonly server: string;
  private readonly conn: Connection;
  private readonly opts: ClientOptions;
  private readonly transport: Transport;
  private readonly clock: Clock;
  private refreshing: Promise<void> | undefined;

  constructor(conn: Connection, opts: ClientOptions) {
    this.conn = conn;
    this.server = conn.server;
    this.opts = opts;
    const clock = opts.clock ?? systemClock;
    this.clock = clock;
    const server = new URL(conn.server);
    const connector = conn.dial ? new Connector(server, conn.dial, clock) : undefined;
    const h1 = new Http1Transport(connector, clock);
    // Through a proxy, HTTP/1.1 over the tunnel.
    this.transport =
      connector && server.protocol === "https:" && !connector.proxied && !opts.http1Only
        ? new Http2Transport(connector, h1, {
            clock,
            health: opts.health,
            nodeHttp2: opts.nodeHttp2,
            onLost: opts.onConnectionLost,
            onDebug: opts.onDebug,
          })
        : h1;
  }

  /** GETs a JSON object; throws ApiError or ConnectionError. */
  async getJSON<T>(path: string, query: Query, signal?: AbortSignal): Promise<T> {
    const res = await this.open(path, query, signal, "application/json");
    const whole = await readWhole(res, (size) => {
      if (size > MAX_JSON_BYTES)
        throw new ConnectionError(
          `the API server's answer to GET ${this.url(path, query).href} is over ${MAX_JSON_BYTES >> 20} MiB; not read further`,
        );
    });
    const text = whole.toString("utf8");
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(200, undefined, `the API server sent a body that is not JSON: ${text}`);
    }
  }

  /**
   * Closes every connection the client keeps open (streams still on them end), so that a program
   * embedding the engine ends when its work is done; the command exits instead.
   */
  close(): void {
    this.transport.close();
  }

  /** Opens a streaming GET; resolves with the body once the headers say 200. */
  stream(path: string, query: Query, signal?: AbortSignal): Promise<Body> {
    return this.open(path, query, signal, "*/*", true);
  }

  private async open(
    path: string,
    query: Query,
    signal: AbortSignal | undefined,
    accept: string,
    streaming = false,
  ) {
    try {
      return await this.openOnce(path, query, signal, accept, streaming);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 401 && this.conn.refresh)) throw err;
      // Credentials may have expired or rotated: reload them once, then try again.
      if (!this.refreshing)
        this.refreshing = this.conn.refresh().finally(() => (this.refreshing = undefined));
      await this.refreshing;
      return this.openOnce(path, query, signal, accept, streaming);
    }
  }

  private async openOnce(
    path: string,
    query: Query,
    signal: AbortSignal | undefined,
    accept: string,
    streaming: boolean,
  ) {
    await this.opts.limiter?.acquire();
    const base = await this.conn.requestOptions();
    const url = this.url(path, query);
    const headers: Headers = {};
    for (const [k, v] of Object.entries(base.headers ?? {}))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v : String(v);
    if (base.auth && !headers.Authorization)
      headers.Authorization = `Basic ${Buffer.from(base.auth).toString("base64")}`;
    headers.Accept = accept;
    headers["User-Agent"] = this.opts.userAgent;
    // No request smuggling through a kubeconfig (an exec plugin's token, an impersonation header).
    for (const [k, v] of Object.entries(headers))
      for (const one of Array.isArray(v) ? v : [v])
        if (/[\r\n]/.test(k) || /[\r\n]/.test(one))
          throw new ConnectionError(`the request header ${k} has a line break; not sent`);
    const started = performance.now();
    const log = this.opts.onRequest;
    let res: Response;
    try {
      res = await this.transport.request({
        url,
        headers,
        signal,
        timeoutMs: this.opts.connectTimeoutMs,
        streaming,
        agent: (base.agent as HttpModule.Agent | undefined) ?? undefined,
      });
    } catch (err) {
      log?.(`GET ${url.href} failed: ${(err as Error).message}`);
      throw err;
    }
    log?.(`GET ${url.href} ${res.status} in ${Math.round(performance.now() - started)} ms`);
    if (res.status >= 200 && res.status < 300) return res.body;
    throw await readError(res.body, res.status, this.clock);
  }

  private url(path: string, query: Query): URL {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }
}

const ENOUGH = new Error("enough of an error's body");

async function readError(res: Body, code: number, clock: Clock): Promise<ApiError> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stop = new AbortController();
  void clock.sleep(ERROR_BODY_MS, stop.signal).then(() => {
    if (!stop.signal.aborted) res.destroy();
  });
  try {
    await res.read((buf, start, end) => {
      const take = Math.min(end - start, ERROR_BODY_BYTES - size);
      chunks.push(buf.subarray(start, start + take));
      size += take;
      if (size >= ERROR_BODY_BYTES) throw ENOUGH; // the body is closed
      return undefined;
    });
  } catch {
    // Cut short (enough of it, too slow, the connection broke): what was read says what it can.
  } finally {
    stop.abort();
  }
  const text = Buffer.concat(chunks, size).toString("utf8");
  let status: Status | undefined;
  try {
    const parsed = JSON.parse(text) as Status;
    if (parsed && parsed.kind === "Status") status = parsed;
  } catch {
    // not a Status: keep the text
  }
  return new ApiError(code, status, text);
}
