// HTTP/1.1 through node:http: LISTs and other JSON over kept-alive connections, and streams (logs,
// watches), which hold a connection each, their socket resting after a small read (src/kube/pace.ts;
// node:http hands every chunk to JavaScript on its own, which the rest batches). Sockets come from the
// connector, or from @kubernetes/client-node's agent when it made the connection.
import type * as HttpModule from "node:http";
import type * as HttpsModule from "node:https";
import type { Socket } from "node:net";
import type { Clock } from "../util/clock.ts";
import { readableBody } from "./body.ts";
import { type Connector, hostPort, keepAlive, unbracket } from "./connector.ts";
import { abortsBody, bounded } from "./deadline.ts";
import { requestFailure } from "./errors.ts";
import { SocketFlow } from "./pace.ts";
import type { Headers, RequestSpec, Response, Transport } from "./transport.ts";

const http = process.getBuiltinModule("node:http") as typeof HttpModule;
const https = process.getBuiltinModule("node:https") as typeof HttpsModule;

/** Sockets already paced (a kept-alive socket carries one request after another). */
const paced = new WeakSet<Socket>();

export class Http1Transport implements Transport {
  private readonly connector: Connector | undefined;
  private readonly clock: Clock;

  /** Without a connector, requests go through the agent each one brings (client-node's, or Node's). */
  constructor(connector: Connector | undefined, clock: Clock) {
    this.connector = connector;
    this.clock = clock;
  }

  close(): void {
    this.connector?.close();
  }

  async request(spec: RequestSpec): Promise<Response> {
    try {
      return await this.send(spec);
    } catch (err) {
      throw requestFailure(headFailure(err), spec.url.origin);
    }
  }

  private async send(spec: RequestSpec): Promise<Response> {
    const { url } = spec;
    const connector = this.connector;
    const host = unbracket(url.hostname);
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    const headers: Headers = { ...spec.headers };
    let path = url.pathname + url.search;
    let req: HttpModule.ClientRequest;
    if (connector) {
      // The connector's sockets are TLS already (or plain): node:http sees plain HTTP either way.
      headers.Host = url.host;
      if (connector.forward) {
        path = `http://${hostPort(host, port)}${path}`;
        if (connector.forward.authorization) headers["Proxy-Authorization"] = connector.forward.authorization;
      }
      req = http.request({ ...base(host, port, path, headers), agent: connector.agent(spec.timeoutMs) });
    } else {
      const mod = url.protocol === "https:" ? https : http;
      req = mod.request({ ...base(host, port, path, headers), ...(spec.agent ? { agent: spec.agent } : {}) });
      req.on("socket", keepAlive);
    }
    if (spec.streaming)
      req.on("socket", (socket) => {
        if (paced.has(socket)) return;
        paced.add(socket);
        SocketFlow.underNodeHttp(socket);
      });
    // After the response a parse error reaches the request; its body only sees the connection end.
    let failure: Error | undefined;
    const response = new Promise<HttpModule.IncomingMessage>((resolve, reject) => {
      req.once("response", resolve);
      req.on("error", (err) => {
        failure ??= err;
        reject(err);
      });
    });
    req.end();
    const res = await bounded(response, {
      signal: spec.signal,
      timeoutMs: spec.timeoutMs,
      origin: url.origin,
      clock: this.clock,
      cancel: (err) => req.destroy(err),
    });
    const body = readableBody(res, () => res.complete, { failure: (err) => bodyFailure(failure ?? err) });
    abortsBody(body, spec.signal);
    return { status: res.statusCode ?? 0, body };
  }
}

/** A response's head is read up to this size (node:http's own default is 16 KB). */
const MAX_HEAD = 64 << 10;

function base(host: string, port: number, path: string, headers: Headers): HttpModule.RequestOptions {
  return { host, port, path, method: "GET", headers, maxHeaderSize: MAX_HEAD };
}

/** node:http's parse errors (HPE_*), in one line, as this project says them. */
const PARSE_ERRORS: Record<string, string> = {
  HPE_INVALID_CHUNK_SIZE: "a bad chunk size line",
  HPE_HEADER_OVERFLOW: "response headers too large",
  HPE_INVALID_CONSTANT: "not an HTTP/1.1 response",
  HPE_INVALID_VERSION: "not an HTTP/1.1 response",
  HPE_INVALID_STATUS: "not an HTTP/1.1 response",
};

function parseFailure(err: unknown): Error | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (!code?.startsWith("HPE_")) return undefined;
  const reason = (err as { reason?: string }).reason;
  const what = PARSE_ERRORS[code] ?? (reason || code).toLowerCase();
  return new Error(`the API server's response is not valid HTTP/1.1 (${what})`);
}

/** No response: a parse error in these words; a connection closed before it (node: "socket hang up"). */
function headFailure(err: unknown): unknown {
  if ((err as Error | undefined)?.message === "socket hang up")
    return new Error("the connection closed before the response ended");
  return parseFailure(err) ?? err;
}

/** A body that broke: a parse error in these words, a connection cut short as every route says it. */
function bodyFailure(err: Error | undefined): Error {
  return (
    parseFailure(err) ??
    (err === undefined || (err as NodeJS.ErrnoException).code === "ECONNRESET"
      ? new Error("the connection closed before the response ended")
      : err)
  );
}
