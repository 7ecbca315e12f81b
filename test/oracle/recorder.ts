// A recording API server for comparing clients: one port that speaks both HTTPS (HTTP/2 and 1.1) and
// plain HTTP, answering just enough for `kubectl get pods` and `stern <query> --no-follow`, and an HTTP
// proxy (CONNECT and absolute-form requests) in front of it. Every request is kept with what a
// client's configuration decides: scheme, listener, path, credentials, impersonation, client
// certificate, SNI, and whether it came through the proxy.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import http2 from "node:http2";
import net, { type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import type { SimCerts } from "../../sim/certs.ts";
import { apiGroups, apiVersions, resourceLists, version } from "../../sim/discovery.ts";

export interface Hit {
  listener: string;
  scheme: "http" | "https";
  path: string;
  authorization: string;
  /** Impersonate-* headers, lower-cased names, values in order. */
  impersonation: Record<string, string[]>;
  /** The client certificate's CN, "" for none. */
  clientCert: string;
  sni: string;
  /** The Host the proxy was asked for ("" when not proxied). */
  proxiedTo: string;
}

export interface RecorderOptions {
  certs: SimCerts;
  /** Pods answered in every namespace (one container "app" each). */
  pods: string[];
}

interface ProxyMark {
  target: string;
}

const LOG_LINE = "hello from the recorder\n";

/**
 * One listener (a port) of the recorder. The first byte of a connection tells TLS (a handshake record,
 * 0x16) from plain HTTP; the connection is then relayed to an inner HTTPS or HTTP server (Node's
 * servers read sockets below JavaScript, so bytes already read cannot be handed to them).
 */
class Listener {
  readonly name: string;
  port = 0;
  private readonly rec: Recorder;
  private readonly raw: net.Server;
  private readonly tls: http2.Http2SecureServer;
  private readonly plain: http.Server;
  private readonly sockets = new Set<Socket>();
  /** Relay connection's local port -> the client's port at the listener. */
  private readonly relayed = new Map<number, number>();

  constructor(name: string, rec: Recorder, certs: SimCerts) {
    this.name = name;
    this.rec = rec;
    this.tls = http2.createSecureServer(
      {
        key: certs.serverKeyPem,
        cert: certs.serverCertPem,
        // No `ca`: the server asks for a certificate without naming acceptable CAs, so any is sent.
        requestCert: true,
        rejectUnauthorized: false,
        allowHTTP1: true,
      },
      (req, res) => this.handle("https", req as unknown as IncomingMessage, res as unknown as ServerResponse),
    );
    this.tls.on("tlsClientError", () => {});
    this.plain = http.createServer((req, res) => this.handle("http", req, res));
    for (const srv of [this.tls, this.plain] as net.Server[]) {
      srv.on("connection", (sock: Socket) => this.track(sock));
    }
    this.raw = net.createServer((sock) => {
      this.track(sock);
      sock.once("data", (first) => {
        sock.pause();
        const inner = (first[0] === 0x16 ? this.tls : this.plain).address() as net.AddressInfo;
        const relay = net.connect({ host: "127.0.0.1", port: inner.port }, () => {
          if (relay.localPort !== undefined && sock.remotePort !== undefined)
            this.relayed.set(relay.localPort, sock.remotePort);
          relay.write(first);
          sock.pipe(relay);
          relay.pipe(sock);
          sock.resume();
        });
        this.track(relay);
        relay.on("close", () => sock.destroy());
        sock.on("close", () => relay.destroy());
      });
    });
  }

  private track(sock: Socket): void {
    // The relay is a second hop: without this, Nagle and delayed ACKs add 40 ms to small writes.
    sock.setNoDelay(true);
    this.sockets.add(sock);
    sock.on("close", () => this.sockets.delete(sock));
    sock.on("error", () => {});
  }

  async listen(): Promise<void> {
    const on = (srv: net.Server) =>
      new Promise<number>((resolve) =>
        srv.listen(0, "127.0.0.1", () => resolve((srv.address() as net.AddressInfo).port)),
      );
    await Promise.all([on(this.tls), on(this.plain)]);
    this.port = await on(this.raw);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(
      [this.raw, this.tls, this.plain].map((srv) => new Promise<void>((r) => srv.close(() => r()))),
    );
  }

  private handle(scheme: "http" | "https", req: IncomingMessage, res: ServerResponse): void {
    const stream = (req as unknown as { stream?: http2.ServerHttp2Stream }).stream;
    const sock = (stream ? stream.session?.socket : req.socket) as TLSSocket;
    const impersonation: Record<string, string[]> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = (req.rawHeaders[i] ?? "").toLowerCase();
      if (!name.startsWith("impersonate-")) continue;
      impersonation[name] = [...(impersonation[name] ?? []), req.rawHeaders[i + 1] ?? ""];
    }
    let clientCert = "";
    let sni = "";
    if (scheme === "https") {
      const cn = sock.getPeerCertificate?.()?.subject?.CN;
      clientCert = typeof cn === "string" ? cn : "";
      sni = typeof sock.servername === "string" ? sock.servername : "";
    }
    const url = new URL(req.url ?? "/", "http://recorder.invalid");
    this.rec.hits.push({
      listener: this.name,
      scheme,
      path: url.pathname,
      authorization: req.headers.authorization ?? "",
      impersonation,
      clientCert,
      sni,
      proxiedTo: this.rec.proxyMark(this.relayed.get(sock.remotePort ?? 0))?.target ?? "",
    });
    req.resume();
    this.rec.answer(url, res);
  }
}

export class Recorder {
  readonly hits: Hit[] = [];
  readonly main: Listener;
  readonly alt: Listener;
  /** Proxy connections seen (CONNECT targets and absolute-form hosts). */
  readonly proxyLog: string[] = [];
  proxyPort = 0;
  socksPort = 0;
  private slowMs = 0;
  private readonly o: RecorderOptions;
  private readonly proxy: http.Server;
  private readonly socks: net.Server;
  private readonly marks = new Map<number, ProxyMark>();
  private readonly proxySockets = new Set<Socket>();

  constructor(o: RecorderOptions) {
    this.o = o;
    this.main = new Listener("main", this, o.certs);
    this.alt = new Listener("alt", this, o.certs);
    this.proxy = http.createServer((req, res) => this.forward(req, res));
    this.proxy.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
      const target = req.url ?? "";
      this.proxyLog.push(target);
      client.on("error", () => {});
      const upstream = this.dial(target, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
    });
    this.socks = net.createServer((client) => this.socksSession(client));
    this.proxy.on("connection", (s: Socket) => {
      this.proxySockets.add(s);
      s.on("close", () => this.proxySockets.delete(s));
    });
  }

  async start(): Promise<this> {
    await Promise.all([this.main.listen(), this.alt.listen()]);
    await new Promise<void>((r) => this.proxy.listen(0, "127.0.0.1", r));
    this.proxyPort = (this.proxy.address() as net.AddressInfo).port;
    await new Promise<void>((r) => this.socks.listen(0, "127.0.0.1", r));
    this.socksPort = (this.socks.address() as net.AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.proxySockets) s.destroy();
    await Promise.all([
      this.main.close(),
      this.alt.close(),
      new Promise<void>((r) => this.proxy.close(() => r())),
      new Promise<void>((r) => this.socks.close(() => r())),
    ]);
  }

  /** Delays every pod list by this much (to test request timeouts). */
  slowAll(ms: number): void {
    this.slowMs = ms;
  }

  reset(): void {
    this.hits.length = 0;
    this.proxyLog.length = 0;
  }

  proxyMark(port: number | undefined): ProxyMark | undefined {
    return port === undefined ? undefined : this.marks.get(port);
  }

  /** SOCKS5 without authentication, CONNECT only (what kubectl's and client-node's clients use). */
  private socksSession(client: Socket): void {
    this.proxySockets.add(client);
    client.on("close", () => this.proxySockets.delete(client));
    client.on("error", () => {});
    let buf = Buffer.alloc(0);
    let stage: "greeting" | "request" = "greeting";
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (stage === "greeting") {
        if (buf.length < 2 || buf.length < 2 + (buf[1] ?? 0)) return;
        buf = buf.subarray(2 + (buf[1] ?? 0));
        client.write(Buffer.from([5, 0]));
        stage = "request";
      }
      if (buf.length < 5) return;
      const atyp = buf[3];
      const addrLen = atyp === 1 ? 4 : atyp === 4 ? 16 : 1 + (buf[4] ?? 0);
      if (buf.length < 4 + addrLen + 2) return;
      const addr = buf.subarray(4, 4 + addrLen);
      const host =
        atyp === 1 ? [...addr].join(".") : atyp === 4 ? addr.toString("hex") : addr.subarray(1).toString();
      const port = buf.readUInt16BE(4 + addrLen);
      const rest = buf.subarray(4 + addrLen + 2);
      client.off("data", onData);
      client.pause();
      const target = `${host}:${port}`;
      this.proxyLog.push(target);
      const upstream = this.dial(target, () => {
        client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
        if (rest.length > 0) upstream.write(rest);
        upstream.pipe(client);
        client.pipe(upstream);
        client.resume();
      });
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
    };
    client.on("data", onData);
  }

  /** Every host name reaches the recorder: the port picks the listener. */
  private dial(target: string, onConnect: () => void): Socket {
    const port = Number(target.slice(target.lastIndexOf(":") + 1)) || 80;
    const upstream = net.connect({ host: "127.0.0.1", port, noDelay: true }, () => {
      if (upstream.localPort !== undefined) this.marks.set(upstream.localPort, { target });
      onConnect();
    });
    return upstream;
  }

  /** Absolute-form requests: a plain-http server reached through the proxy. */
  private forward(req: IncomingMessage, res: ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? "");
    } catch {
      res.writeHead(400).end();
      return;
    }
    this.proxyLog.push(url.host);
    const upstream = this.dial(url.host.includes(":") ? url.host : `${url.host}:80`, () => {
      const out = http.request(
        {
          createConnection: () => upstream,
          path: url.pathname + url.search,
          method: req.method ?? "GET",
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on("error", () => res.destroy());
      req.pipe(out);
    });
    upstream.on("error", () => res.destroy());
  }

  /** The API as far as the two clients need it. */
  answer(url: URL, res: ServerResponse): void {
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    // A server URL with a path (https://host/prefix) prefixes every API path.
    const path = url.pathname.replace(/^.*?(?=\/(api|apis|version)(\/|$))/, "");
    const parts = path.split("/").filter(Boolean);
    const docs: Record<string, unknown> = {
      ...resourceLists,
      "/version": version,
      "/api": apiVersions(`127.0.0.1:${this.main.port}`),
      "/apis": apiGroups,
    };
    const ns = parts[3] ?? "default";
    const podPath = parts[0] === "api" && parts[2] === "namespaces" && parts[4] === "pods";
    if (docs[path]) json(docs[path]);
    else if (podPath && parts.length === 5) setTimeout(() => json(podList(ns, this.o.pods)), this.slowMs);
    else if (podPath && parts.length === 6) json(pod(ns, parts[5] ?? ""));
    else if (podPath && parts.length === 7 && parts[6] === "log") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(LOG_LINE);
    } else {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          kind: "Status",
          apiVersion: "v1",
          status: "Failure",
          code: 404,
          reason: "NotFound",
        }),
      );
    }
  }
}

function pod(namespace: string, name: string) {
  const started = "2026-01-01T00:00:00Z";
  return {
    kind: "Pod",
    apiVersion: "v1",
    metadata: {
      name,
      namespace,
      uid: `uid-${namespace}-${name}`,
      resourceVersion: "1",
      creationTimestamp: started,
    },
    spec: { containers: [{ name: "app", image: "app" }], nodeName: "node-1" },
    status: {
      phase: "Running",
      startTime: started,
      containerStatuses: [
        {
          name: "app",
          ready: true,
          restartCount: 0,
          image: "app",
          imageID: "app",
          containerID: `containerd://${namespace}-${name}`,
          state: { running: { startedAt: started } },
        },
      ],
    },
  };
}

function podList(namespace: string, names: string[]) {
  return {
    kind: "PodList",
    apiVersion: "v1",
    metadata: { resourceVersion: "1" },
    items: names.map((n) => pod(namespace, n)),
  };
}
