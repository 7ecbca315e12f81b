// Proxies as kubectl uses them: the cluster's proxy-url, else HTTPS_PROXY / HTTP_PROXY with NO_PROXY
// (Go's rules: loopback and localhost never go through a proxy; NO_PROXY takes "*", hosts, domains
// and their subdomains, IPs, CIDRs, host:port). HTTPS goes through a CONNECT (or SOCKS5) tunnel,
// plain HTTP as absolute-form requests to an HTTP proxy (or through a SOCKS5 tunnel).
import type * as HttpModule from "node:http";
import type * as HttpsModule from "node:https";
import type * as NetModule from "node:net";
import type { Duplex } from "node:stream";
import type * as TlsModule from "node:tls";
import { socksConnect } from "./socks.ts";

const http = process.getBuiltinModule("node:http") as typeof HttpModule;
const https = process.getBuiltinModule("node:https") as typeof HttpsModule;
const net = process.getBuiltinModule("node:net") as typeof NetModule;
const tls = process.getBuiltinModule("node:tls") as typeof TlsModule;

const env = (e: NodeJS.ProcessEnv, name: string) => e[name] || e[name.toLowerCase()] || "";

function parseProxy(text: string): URL | undefined {
  for (const candidate of [text, `http://${text}`]) {
    try {
      const u = new URL(candidate);
      if (["http:", "https:", "socks5:"].includes(u.protocol) && u.hostname) return u;
    } catch {
      // try with a scheme
    }
  }
  return undefined;
}

function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (net.isIPv4(host)) return host.startsWith("127.");
  return host === "::1";
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split("/");
  const bits = Number(bitsText);
  if (!base || !net.isIP(base) || net.isIP(base) !== net.isIP(ip) || !Number.isInteger(bits)) return false;
  const list = new net.BlockList();
  list.addSubnet(base, bits, net.isIPv6(base) ? "ipv6" : "ipv4");
  return list.check(ip, net.isIPv6(ip) ? "ipv6" : "ipv4");
}

/** Whether NO_PROXY (or loopback) keeps this host and port off the proxy. */
function bypass(host: string, port: string, noProxy: string): boolean {
  host = host.toLowerCase().replace(/^\[|\]$/g, "");
  if (isLoopback(host)) return true;
  for (let entry of noProxy.split(",").map((x) => x.trim().toLowerCase())) {
    if (entry === "") continue;
    if (entry === "*") return true;
    if (entry.includes("/")) {
      if (net.isIP(host) && inCidr(host, entry)) return true;
      continue;
    }
    let entryPort = "";
    const m = /^(.*):(\d+)$/.exec(entry);
    if (m && !net.isIPv6(entry)) {
      entry = m[1] ?? "";
      entryPort = m[2] ?? "";
    }
    entry = entry.replace(/^\[|\]$/g, "");
    if (entryPort && entryPort !== port) continue;
    if (net.isIP(entry)) {
      if (entry === host) return true;
      continue;
    }
    if (entry.startsWith("*.")) entry = entry.slice(1);
    if (entry.startsWith(".") ? host.endsWith(entry) : host === entry || host.endsWith(`.${entry}`))
      return true;
  }
  return false;
}

/** The proxy for a request to `server`: proxy-url first, then the environment; undefined: direct. */
export function proxyFor(server: URL, proxyUrl: string | undefined, e: NodeJS.ProcessEnv): URL | undefined {
  if (proxyUrl) return parseProxy(proxyUrl);
  const fromEnv = env(e, server.protocol === "https:" ? "HTTPS_PROXY" : "HTTP_PROXY");
  if (!fromEnv) return undefined;
  const port = server.port || (server.protocol === "https:" ? "443" : "80");
  if (bypass(server.hostname, port, env(e, "NO_PROXY"))) return undefined;
  return parseProxy(fromEnv);
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { "Proxy-Authorization": `Basic ${Buffer.from(user).toString("base64")}` };
}

type Callback = (err: Error | null, stream: Duplex) => void;

/** A tunnel to host:port through the proxy: an HTTP CONNECT, or SOCKS5. */
function openTunnel(proxy: URL, host: string, port: number, done: Callback): void {
  if (proxy.protocol === "socks5:") {
    socksConnect(proxy, host, port, done);
    return;
  }
  const target = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  const req = http.request({
    host: proxy.hostname.replace(/^\[|\]$/g, ""),
    port: Number(proxy.port || 80),
    method: "CONNECT",
    path: target,
    headers: { Host: target, ...proxyAuthorization(proxy) },
  });
  req.once("connect", (res, socket) => {
    if (res.statusCode === 200) return done(null, socket);
    socket.destroy();
    done(new Error(`the proxy ${proxy.host} refused to connect to ${target}: ${res.statusCode}`), socket);
  });
  req.once("error", (err) => done(err, req.socket as Duplex));
  req.end();
}

/** HTTPS through a tunnel: TLS with the agent's own options over it. */
class TunnelAgent extends https.Agent {
  private readonly proxy: URL;
  constructor(proxy: URL, options: HttpsModule.AgentOptions) {
    super(options);
    this.proxy = proxy;
  }

  override createConnection(options: HttpsModule.RequestOptions, cb?: Callback): undefined {
    const done = cb ?? (() => {});
    const host = options.host ?? "";
    openTunnel(this.proxy, host, Number(options.port), (err, socket) => {
      if (err) return done(err, socket);
      const servername = options.servername ?? (net.isIP(host) ? undefined : host);
      const tlsOptions = options as TlsModule.ConnectionOptions;
      done(null, tls.connect({ ...tlsOptions, socket, ...(servername ? { servername } : {}) }));
    });
    return undefined;
  }
}

/** Plain HTTP through a SOCKS5 tunnel. */
class SocksAgent extends http.Agent {
  private readonly proxy: URL;
  constructor(proxy: URL) {
    super({ keepAlive: true });
    this.proxy = proxy;
  }

  override createConnection(options: HttpModule.RequestOptions, cb?: Callback): undefined {
    openTunnel(this.proxy, options.host ?? "", Number(options.port ?? 80), cb ?? (() => {}));
    return undefined;
  }
}

/** Plain HTTP through the proxy: the request line names the whole URL. */
class ForwardAgent extends http.Agent {
  private readonly proxy: URL;
  constructor(proxy: URL) {
    super({ keepAlive: true });
    this.proxy = proxy;
  }

  override createConnection(_options: HttpModule.RequestOptions, _cb?: Callback): Duplex {
    const socket = net.connect({
      host: this.proxy.hostname.replace(/^\[|\]$/g, ""),
      port: Number(this.proxy.port || 80),
    });
    return socket;
  }
}

interface AgentWithRequests {
  addRequest(req: HttpModule.ClientRequest, options: Record<string, unknown>): void;
}

/** An agent that sends every request through `proxy`; `tlsOptions` for an https server. */
export function proxyAgent(proxy: URL, tlsOptions: HttpsModule.AgentOptions | undefined): HttpModule.Agent {
  if (tlsOptions) return new TunnelAgent(proxy, tlsOptions);
  if (proxy.protocol === "socks5:") return new SocksAgent(proxy);
  const agent = new ForwardAgent(proxy);
  const base = agent as unknown as AgentWithRequests;
  const add = base.addRequest.bind(agent);
  const auth = proxyAuthorization(proxy);
  base.addRequest = (req, options) => {
    const host = String(options.host ?? "").includes(":") ? `[${options.host}]` : String(options.host);
    req.path = `http://${host}:${options.port ?? 80}${req.path}`;
    for (const [k, v] of Object.entries(auth)) req.setHeader(k, v);
    add(req, options);
  };
  return agent;
}
