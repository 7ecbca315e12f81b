// HTTPS front: request log, authentication, authorization (deny list), injected faults, routing.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import http2 from "node:http2";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import type { SimCerts } from "./certs.ts";
import type { Cluster } from "./cluster.ts";
import {
  apiGroups,
  apiVersions,
  groupDocs,
  resourceLists,
  servedResources,
  versionInfo,
} from "./discovery.ts";
import type { Faults } from "./faults.ts";
import { listenOnLoopback } from "./listen.ts";
import { handleLog } from "./log-endpoint.ts";
import { handleResource } from "./resources.ts";
import { forbidden, reasonFor, type Status, sendStatus, status } from "./status.ts";

export interface RequestRecord {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  userAgent: string;
  /** Milliseconds since the epoch (wall clock). */
  time: number;
  user: string | undefined;
  /** The response status, once sent. */
  status?: number;
}

export interface DenyRule {
  namespace?: string;
  verb?: string;
  /** e.g. "pods", "pods/log", "namespaces". */
  resource?: string;
}

export interface ServerOptions {
  certs: SimCerts;
  cluster: Cluster;
  faults: Faults;
  tokens: Map<string, string>;
  clientCertAuth: boolean;
  denyRules: DenyRule[];
  requestLogLimit: number;
  bookmarkIntervalMs: () => number;
  maxConcurrentStreams: number;
  /**
   * Plain HTTP/1.1 without TLS or authentication, as `kubectl proxy` serves the API (its requests go
   * out with the proxy's own credentials).
   */
  plainHttp: boolean;
}

export interface RequestContext {
  cluster: Cluster;
  user: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  deny: (verb: string, resource: string, namespace: string | undefined, name?: string) => Status | undefined;
  bookmarkIntervalMs: number;
  serverAddress: string;
}

const json = (res: ServerResponse, body: unknown, code = 200): void => {
  const s = JSON.stringify(body);
  res.writeHead(code, { "content-type": "application/json", "content-length": Buffer.byteLength(s) });
  res.end(s);
};

const notFoundPath = (): Status => status(404, "the server could not find the requested resource", {});

export class SimServer {
  readonly requests: RequestRecord[] = [];
  private server: http2.Http2SecureServer | http.Server | undefined;
  private readonly sockets = new Set<Socket>();

  /** TLS connections open now. */
  get connections(): number {
    return this.sockets.size;
  }
  private readonly o: ServerOptions;
  port = 0;

  constructor(o: ServerOptions) {
    this.o = o;
  }

  async listen(port: number): Promise<number> {
    const { certs, clientCertAuth } = this.o;
    if (this.o.plainHttp) {
      const plain = http.createServer((req, res) => this.handle(req, res));
      plain.on("connection", (s: Socket) => {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
      });
      return this.bind(plain, port);
    }
    // HTTP/2 and HTTP/1.1 on one port, as the real API server: kubectl and this project's client speak
    // HTTP/2, client-node's undici HTTP/1.1. The compatibility API gives both the same handler.
    const server = http2.createSecureServer(
      {
        key: certs.serverKeyPem,
        cert: certs.serverCertPem,
        ca: certs.caPem,
        requestCert: clientCertAuth,
        rejectUnauthorized: false,
        allowHTTP1: true,
        settings: { maxConcurrentStreams: this.o.maxConcurrentStreams },
      },
      (req, res) => this.handle(req as unknown as IncomingMessage, res as unknown as ServerResponse),
    );
    server.on("secureConnection", (s: Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    return this.bind(server, port);
  }

  private async bind(server: http2.Http2SecureServer | http.Server, port: number): Promise<number> {
    this.port = await listenOnLoopback(server, port);
    this.server = server;
    return this.port;
  }

  /** Stops listening and drops every open connection. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  private authenticate(req: IncomingMessage): string | undefined {
    const auth = req.headers.authorization;
    if (this.o.plainHttp && !auth) return "system:serviceaccount:default:kubectl-proxy";
    if (auth?.startsWith("Bearer ")) {
      const user = this.o.tokens.get(auth.slice(7).trim());
      if (user) return user;
      return undefined; // a wrong token is rejected even when a client cert is also presented
    }
    if (this.o.clientCertAuth) {
      const sock = req.socket as TLSSocket;
      if (sock.authorized) {
        const cn = sock.getPeerCertificate().subject?.CN;
        if (typeof cn === "string" && cn) return cn;
      }
    }
    return undefined;
  }

  private deny(user: string) {
    return (
      verb: string,
      resource: string,
      namespace: string | undefined,
      name?: string,
    ): Status | undefined => {
      const hit = this.o.denyRules.some(
        (r) =>
          (r.verb === undefined || r.verb === verb) &&
          (r.resource === undefined || r.resource === resource) &&
          (r.namespace === undefined || r.namespace === namespace),
      );
      return hit ? forbidden(user, verb, resource, namespace, name) : undefined;
    };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "https://sim.invalid");
    const method = req.method ?? "GET";
    const user = this.authenticate(req);
    const rec: RequestRecord = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      userAgent: req.headers["user-agent"] ?? "",
      time: Date.now(),
      user,
    };
    this.requests.push(rec);
    if (this.requests.length > this.o.requestLogLimit) this.requests.splice(0, this.requests.length / 2);
    res.on("finish", () => {
      rec.status = res.statusCode;
    });
    res.on("close", () => {
      rec.status ??= res.statusCode;
    });
    req.resume();
    const go = () => this.route(req, res, rec, user);
    const wait = this.o.faults.delayFor(method, url.pathname);
    if (wait > 0) setTimeout(go, wait);
    else go();
  }

  private route(req: IncomingMessage, res: ServerResponse, rec: RequestRecord, user: string | undefined) {
    if (res.destroyed) return;
    const { method, path, query } = rec;
    if (path === "/healthz" || path === "/livez" || path === "/readyz") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
      return;
    }
    if (!user) {
      sendStatus(res, status(401, "Unauthorized"));
      return;
    }
    const fail = this.o.faults.takeFailure(method, path);
    if (fail) {
      const details =
        fail.retryAfterSeconds !== undefined ? { retryAfterSeconds: fail.retryAfterSeconds } : undefined;
      const msg =
        fail.message ??
        (fail.status === 429 ? "Too many requests, please try again later." : reasonFor(fail.status));
      const headers: Record<string, string> = {};
      if (fail.retryAfterSeconds !== undefined) headers["retry-after"] = String(fail.retryAfterSeconds);
      sendStatus(res, status(fail.status, msg, details), headers);
      return;
    }
    const ctx: RequestContext = {
      cluster: this.o.cluster,
      user,
      method,
      path,
      query,
      headers: req.headers,
      deny: this.deny(user),
      bookmarkIntervalMs: this.o.bookmarkIntervalMs(),
      serverAddress: `127.0.0.1:${this.port}`,
    };
    if (method === "GET") {
      switch (path) {
        case "/version":
          return json(res, versionInfo(this.o.cluster.gitVersion));
        case "/api":
          return json(res, apiVersions(ctx.serverAddress));
        case "/apis":
          return json(res, apiGroups);
      }
      const doc = resourceLists[path] ?? groupDocs[path];
      if (doc) return json(res, doc);
    }
    const parts = path.split("/").filter(Boolean);
    if (
      method === "GET" &&
      parts[0] === "api" &&
      parts[2] === "namespaces" &&
      parts[4] === "pods" &&
      parts[6] === "log" &&
      parts.length === 7
    ) {
      handleLog(ctx, res, parts[3] ?? "", parts[5] ?? "");
      return;
    }
    let prefix: string | undefined;
    let rest: string[] = [];
    if (parts[0] === "api" && parts[1] === "v1") {
      prefix = "/api/v1";
      rest = parts.slice(2);
    } else if (parts[0] === "apis" && servedResources[`/apis/${parts[1]}/${parts[2]}`]) {
      prefix = `/apis/${parts[1]}/${parts[2]}`;
      rest = parts.slice(3);
    }
    if (prefix && rest.length > 0) {
      handleResource(ctx, res, prefix, rest);
      return;
    }
    sendStatus(res, notFoundPath());
  }
}
