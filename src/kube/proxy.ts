// Which proxy a request goes through, as kubectl picks it: the cluster's proxy-url, else HTTPS_PROXY /
// HTTP_PROXY with NO_PROXY (Go's rules: loopback and localhost never go through a proxy; NO_PROXY takes
// "*", hosts, domains and their subdomains, IPs, CIDRs, host:port). How the tunnel is made (CONNECT,
// SOCKS5, absolute-form requests to an HTTP proxy) is the connector's business.
import type * as NetModule from "node:net";
import { unbracket } from "./connector.ts";

const net = process.getBuiltinModule("node:net") as typeof NetModule;

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
  host = unbracket(host.toLowerCase());
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
    entry = unbracket(entry);
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
