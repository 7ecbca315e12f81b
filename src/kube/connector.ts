// Every socket this client makes to an API server is made here, as undici's connector makes them for
// both of its protocols: TCP to the server or to its proxy (with keepalive), a tunnel through the
// proxy (HTTP CONNECT, or SOCKS5 through the `socks` package), TLS over either (the kubeconfig's
// context, SNI, ALPN), all within one deadline on the clock and one abort signal, its failures in one
// line naming the server. HTTP/2 (ours or node:http2) asks connect() for a socket; node:http gets the
// same sockets through agent(). Only @kubernetes/client-node's agents (OIDC, HTTPS proxies) make their own.
import type * as HttpModule from "node:http";
import type * as NetModule from "node:net";
import type { Duplex } from "node:stream";
import type * as TlsModule from "node:tls";
import type { SecureContext } from "node:tls";
import type { Clock } from "../util/clock.ts";
import { bounded } from "./deadline.ts";
import { ConnectionError, requestFailure } from "./errors.ts";

const http = process.getBuiltinModule("node:http") as typeof HttpModule;
const net = process.getBuiltinModule("node:net") as typeof NetModule;
const tls = process.getBuiltinModule("node:tls") as typeof TlsModule;

/** TLS to the server: one context for every connection (the CA parsed once). */
export interface TlsSettings {
  secureContext: SecureContext;
  servername?: string;
  rejectUnauthorized?: boolean;
}

/** How sockets reach a server: TLS for https, and the proxy, if one is in the way. */
export interface DialSettings {
  tls?: TlsSettings;
  proxy?: URL;
}

export interface ConnectOptions {
  /** The protocols offered in ALPN, over TLS. */
  alpn: string[];
  /** Bound on the whole of it (TCP, tunnel, handshake), in ms; 0 = none. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** Without keepalive a peer that vanished (a node gone, a NAT timeout) leaves a stream silent forever. */
const KEEPALIVE_MS = 30_000;

/** Without keepalive a peer that vanished leaves a stream silent forever (every socket, made here or not). */
export function keepAlive(socket: NetModule.Socket): void {
  socket.setKeepAlive(true, KEEPALIVE_MS);
}

/** A host name as sockets take it: an IPv6 literal without the brackets a URL gives it. */
export function unbracket(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** A host and port as a request target or a Host header names them (IPv6 in brackets). */
export function hostPort(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** The sockets in the making for one connect: all destroyed if it is given up. */
class Attempt {
  private readonly sockets: Duplex[] = [];
  cancelled = false;
  track<T extends Duplex>(s: T): T {
    if (this.cancelled) s.destroy();
    else this.sockets.push(s);
    return s;
  }
  cancel(): void {
    this.cancelled = true;
    for (const s of this.sockets) s.destroy();
  }
}

export class Connector {
  /** The server's origin (https://host:port), for messages. */
  readonly origin: string;
  /** A proxy is in the way: requests go over HTTP/1.1, through the tunnel (or to the proxy). */
  readonly proxied: boolean;
  /**
   * Plain HTTP through an HTTP proxy: requests go to the proxy, naming the whole URL, with the proxy's
   * credentials (a Proxy-Authorization value, or "").
   */
  readonly forward: { authorization: string } | undefined;
  private readonly host: string;
  private readonly port: number;
  private readonly tls: TlsSettings | undefined;
  private readonly proxy: URL | undefined;
  private readonly clock: Clock;
  private nodeAgent: HttpModule.Agent | undefined;

  constructor(server: URL, dial: DialSettings, clock: Clock) {
    this.origin = server.origin;
    this.host = unbracket(server.hostname);
    this.port = Number(server.port || (server.protocol === "https:" ? 443 : 80));
    this.tls = server.protocol === "https:" ? dial.tls : undefined;
    this.proxy = dial.proxy;
    this.proxied = dial.proxy !== undefined;
    this.forward =
      dial.proxy && !this.tls && dial.proxy.protocol !== "socks5:"
        ? { authorization: proxyAuthorization(dial.proxy) }
        : undefined;
    this.clock = clock;
  }

  /** A socket to the server, connected (and its TLS handshake done), or a one-line ConnectionError. */
  async connect(o: ConnectOptions): Promise<NetModule.Socket | TlsModule.TLSSocket> {
    const attempt = new Attempt();
    try {
      return await bounded(this.open(o.alpn, attempt), {
        signal: o.signal,
        timeoutMs: o.timeoutMs,
        origin: this.origin,
        clock: this.clock,
        cancel: () => attempt.cancel(),
      });
    } catch (err) {
      attempt.cancel();
      throw requestFailure(err, this.origin);
    }
  }

  /** node:http's agent for this server: kept-alive connections, each made by connect(). */
  agent(timeoutMs: number): HttpModule.Agent {
    this.nodeAgent ??= new ConnectorAgent(this, timeoutMs);
    return this.nodeAgent;
  }

  /** Closes the kept-alive sockets node:http holds. */
  close(): void {
    this.nodeAgent?.destroy();
    this.nodeAgent = undefined;
  }

  private async open(alpn: string[], attempt: Attempt): Promise<NetModule.Socket | TlsModule.TLSSocket> {
    const proxy = this.proxy;
    let tunnel: NetModule.Socket | undefined;
    if (proxy?.protocol === "socks5:") tunnel = await this.socks(proxy, attempt);
    else if (proxy && this.tls) tunnel = await this.httpConnect(proxy, attempt);
    const t = this.tls;
    if (!t) {
      if (tunnel) return tunnel;
      // Plain HTTP: to the server, or to the HTTP proxy that forwards the requests.
      return proxy
        ? this.tcp(unbracket(proxy.hostname), Number(proxy.port || 80), attempt)
        : this.tcp(this.host, this.port, attempt);
    }
    const servername = t.servername ?? (net.isIP(this.host) ? undefined : this.host);
    const socket = attempt.track(
      tls.connect({
        ...(tunnel ? { socket: tunnel } : { host: this.host, port: this.port }),
        secureContext: t.secureContext,
        ...(servername ? { servername } : {}),
        ...(t.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
        ALPNProtocols: alpn,
      }),
    );
    if (!tunnel) keepAlive(socket);
    await settled(socket, "secureConnect");
    return socket;
  }

  private async tcp(host: string, port: number, attempt: Attempt): Promise<NetModule.Socket> {
    const socket = attempt.track(net.connect({ host, port }));
    keepAlive(socket);
    await settled(socket, "connect");
    return socket;
  }

  /** A tunnel through an HTTP proxy: CONNECT host:port. */
  private async httpConnect(proxy: URL, attempt: Attempt): Promise<NetModule.Socket> {
    const socket = await this.tcp(unbracket(proxy.hostname), Number(proxy.port || 80), attempt);
    const target = hostPort(this.host, this.port);
    const auth = proxyAuthorization(proxy);
    return new Promise((resolve, reject) => {
      const req = http.request({
        method: "CONNECT",
        path: target,
        headers: { Host: target, ...(auth ? { "Proxy-Authorization": auth } : {}) },
        createConnection: () => socket,
      });
      req.once("connect", (res, tunnel, head) => {
        if (res.statusCode !== 200) {
          tunnel.destroy();
          reject(new Error(`the proxy ${proxy.host} refused to connect to ${target}: ${res.statusCode}`));
          return;
        }
        if (head.length > 0) tunnel.unshift(head);
        resolve(tunnel as NetModule.Socket);
      });
      req.once("error", reject);
      req.end();
    });
  }

  /** A tunnel through a SOCKS5 proxy; the host name goes to the proxy, which resolves it (as Go's dialer). */
  private async socks(proxy: URL, attempt: Attempt): Promise<NetModule.Socket> {
    const socket = await this.tcp(unbracket(proxy.hostname), Number(proxy.port || 1080), attempt);
    const user = decodeURIComponent(proxy.username);
    try {
      // Loaded only for a SOCKS5 proxy: most runs never need it, and every run would load it.
      // A CommonJS package: its exports are its default export, bundled or not.
      const { SocksClient } = (await import("socks")).default;
      await SocksClient.createConnection({
        proxy: {
          host: unbracket(proxy.hostname),
          port: Number(proxy.port || 1080),
          type: 5,
          ...(user ? { userId: user, password: decodeURIComponent(proxy.password) } : {}),
        },
        command: "connect",
        destination: { host: this.host, port: this.port },
        existing_socket: socket,
        // Our own deadline bounds it; this is only the package's own, which must not come first.
        timeout: 2 ** 31 - 1,
      });
    } catch (err) {
      socket.destroy();
      throw new ConnectionError(
        `the SOCKS5 proxy ${proxy.host} ${socksReason(err, hostPort(this.host, this.port))}`,
        err,
      );
    }
    return socket;
  }
}

/** node:http's keep-alive agent over a Connector: its sockets come from connect(), TLS done. */
class ConnectorAgent extends http.Agent {
  private readonly connector: Connector;
  private readonly timeoutMs: number;
  constructor(connector: Connector, timeoutMs: number) {
    super({ keepAlive: true });
    this.connector = connector;
    this.timeoutMs = timeoutMs;
  }

  override createConnection(
    _options: HttpModule.ClientRequestArgs,
    cb?: (err: Error | null, socket: Duplex) => void,
  ): undefined {
    const done = cb ?? (() => {});
    this.connector.connect({ alpn: ["http/1.1"], timeoutMs: this.timeoutMs }).then(
      (socket) => done(null, socket),
      // node:http reads only the error; the socket argument is there for the type.
      (err: Error) => done(err, new net.Socket()),
    );
    return undefined;
  }
}

function proxyAuthorization(proxy: URL): string {
  if (!proxy.username) return "";
  const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(user).toString("base64")}`;
}

/** Resolves on the event that says the socket is ready; rejects on its error or close before it. */
function settled(socket: NetModule.Socket, ready: "connect" | "secureConnect"): Promise<void> {
  return new Promise((resolve, reject) => {
    const onReady = () => {
      socket.off("error", onError);
      socket.off("close", onClose);
      resolve();
    };
    const onError = (err: Error) => {
      socket.off(ready, onReady);
      socket.off("close", onClose);
      reject(err);
    };
    const onClose = () => onError(new Error("the connection closed while it was being made"));
    socket.once(ready, onReady);
    socket.once("error", onError);
    socket.once("close", onClose);
  });
}

const SOCKS_REPLIES: Record<string, string> = {
  Failure: "general failure",
  NotAllowed: "not allowed by the rules",
  NetworkUnreachable: "network unreachable",
  HostUnreachable: "host unreachable",
  ConnectionRefused: "connection refused",
  TTLExpired: "TTL expired",
  CommandNotSupported: "command not supported",
  AddressNotSupported: "address type not supported",
};

/** What the socks package's error says, in this project's words. */
function socksReason(err: unknown, target: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const rejected = / - (\w+)$/.exec(message)?.[1];
  if (rejected) return `could not connect to ${target}: ${SOCKS_REPLIES[rejected] ?? rejected}`;
  if (/no accepted authentication type/i.test(message)) return "accepts none of our authentication methods";
  if (/authentication failed/i.test(message)) return "refused the username and password";
  return `failed: ${(message.split("\n")[0] ?? "").trim()}`;
}
