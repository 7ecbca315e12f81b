// HTTP(S) to the API server on node:https. The connection settings (TLS material, credentials,
// proxies) come from @kubernetes/client-node; the requests themselves are ours, so that errors keep
// the server's Status, streams are plain Node streams with backpressure, and nothing is buffered.

import type * as HttpModule from "node:http";
import type { IncomingMessage } from "node:http";
import type * as HttpsModule from "node:https";
import type { RateLimiter } from "../util/rate-limit.ts";
import { ApiError, ConnectionError, describeNetworkError } from "./errors.ts";
import type { Status } from "./types.ts";

// Not `import * as http`: an ESM namespace import of node:http reads every export, and its lazy
// WebSocket/fetch getters load Node's bundled undici, about 40 ms of start-up for nothing.
const http = process.getBuiltinModule("node:http") as typeof HttpModule;
const https = process.getBuiltinModule("node:https") as typeof HttpsModule;

export type Query = Record<string, string | number | boolean | undefined>;

/** What a request needs to reach the server: filled per request, since exec/OIDC tokens expire. */
export interface Connection {
  server: string;
  requestOptions(): Promise<HttpsModule.RequestOptions>;
  /** Reloads credentials (after a 401: an expired exec token, a rotated token file). */
  refresh?(): Promise<void>;
}

export interface ClientOptions {
  /** Bound on connecting and on waiting for response headers, in ms; 0 = none. */
  connectTimeoutMs: number;
  userAgent: string;
  /** Client-side request rate limit (--qps/--burst); absent = none. */
  limiter?: RateLimiter;
  /** Called for every response or failure: for --verbosity. */
  onRequest?: (line: string) => void;
}

export class ApiClient {
  readonly server: string;
  private readonly conn: Connection;
  private readonly opts: ClientOptions;
  private refreshing: Promise<void> | undefined;

  constructor(conn: Connection, opts: ClientOptions) {
    this.conn = conn;
    this.server = conn.server;
    this.opts = opts;
  }

  /** GETs a JSON object; throws ApiError or ConnectionError. */
  async getJSON<T>(path: string, query: Query, signal?: AbortSignal): Promise<T> {
    const res = await this.open(path, query, signal, "application/json");
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(
        res.statusCode ?? 200,
        undefined,
        `the API server sent a body that is not JSON: ${text}`,
      );
    }
  }

  /** Opens a streaming GET; resolves with the response once its headers say 200. */
  stream(path: string, query: Query, signal?: AbortSignal): Promise<IncomingMessage> {
    return this.open(path, query, signal, "*/*");
  }

  private async open(path: string, query: Query, signal: AbortSignal | undefined, accept: string) {
    try {
      return await this.openOnce(path, query, signal, accept);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 401 && this.conn.refresh)) throw err;
      // Credentials may have expired or rotated: reload them once, then try again.
      if (!this.refreshing)
        this.refreshing = this.conn.refresh().finally(() => (this.refreshing = undefined));
      await this.refreshing;
      return this.openOnce(path, query, signal, accept);
    }
  }

  private async openOnce(path: string, query: Query, signal: AbortSignal | undefined, accept: string) {
    await this.opts.limiter?.acquire();
    const base = await this.conn.requestOptions();
    const url = new URL(this.server + path);
    const started = performance.now();
    const log = this.opts.onRequest;
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const isHttps = url.protocol === "https:";
    const options: HttpsModule.RequestOptions = {
      ...base,
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port,
      path: url.pathname + url.search,
      method: "GET",
      headers: { ...(base.headers ?? {}), Accept: accept, "User-Agent": this.opts.userAgent },
      signal,
    };
    return new Promise<IncomingMessage>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
      };
      const req = (isHttps ? https : http).request(options, (res) => {
        done();
        const code = res.statusCode ?? 0;
        log?.(`GET ${url.href} ${code} in ${Math.round(performance.now() - started)} ms`);
        if (code >= 200 && code < 300) {
          resolve(res);
          return;
        }
        readError(res, code).then(reject, reject);
      });
      if (this.opts.connectTimeoutMs > 0) {
        timer = setTimeout(() => {
          req.destroy(
            new ConnectionError(
              `cannot reach the API server at ${this.server}: no answer within ${this.opts.connectTimeoutMs / 1000}s`,
            ),
          );
        }, this.opts.connectTimeoutMs);
      }
      // Without keepalive a peer that vanished (a node gone, a NAT timeout) leaves a stream silent forever.
      req.on("socket", (socket) => socket.setKeepAlive(true, 30_000));
      req.on("error", (err) => {
        done();
        log?.(`GET ${url.href} failed: ${(err as Error).message}`);
        if (err instanceof ConnectionError || (err as Error).name === "AbortError") reject(err);
        else reject(describeNetworkError(err, this.server));
      });
      req.end();
    });
  }
}

async function readError(res: IncomingMessage, code: number): Promise<ApiError> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res) {
    if (size < 65536) chunks.push(c as Buffer);
    size += (c as Buffer).length;
  }
  const text = Buffer.concat(chunks).toString("utf8");
  let status: Status | undefined;
  try {
    const parsed = JSON.parse(text) as Status;
    if (parsed && parsed.kind === "Status") status = parsed;
  } catch {
    // not a Status: keep the text
  }
  return new ApiError(code, status, text || res.statusMessage || "");
}
