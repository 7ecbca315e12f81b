// The one place sockets are made: tunnels through SOCKS5 (with credentials, through the socks
// package) and HTTP CONNECT proxies, and the bounds of a connect (a timeout on the clock, an abort).
import http from "node:http";
import net from "node:net";
import { createSecureContext } from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { generateCerts } from "../../../sim/certs.ts";
import { Connector, hostPort, unbracket } from "../../../src/kube/connector.ts";
import { Http1Transport } from "../../../src/kube/http1.ts";
import { systemClock } from "../../../src/util/clock.ts";
import { FakeClock } from "../engine/fakes.ts";
import { eventually } from "./h2/helpers.ts";

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(() => server.close());
  return (server.address() as net.AddressInfo).port;
}

/** An HTTP server that answers every request with its Host header. */
async function echoHost(): Promise<number> {
  return listen(http.createServer((req, res) => res.end(req.headers.host ?? "")));
}

interface SocksSeen {
  methods: number[];
  user?: string;
  pass?: string;
  host?: string;
  port?: number;
}

/** A SOCKS5 proxy (RFC 1928/1929) that asks for a username and password, then connects to `to` or refuses. */
async function socksProxy(to: number, reply = 0): Promise<{ port: number; seen: SocksSeen }> {
  const seen: SocksSeen = { methods: [] };
  const port = await listen(
    net.createServer((client) => {
      client.on("error", () => {});
      let buf = Buffer.alloc(0);
      let step = 0;
      client.on("data", (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (step === 0 && buf.length >= 2 && buf.length >= 2 + (buf[1] ?? 0)) {
          seen.methods = [...buf.subarray(2, 2 + (buf[1] ?? 0))];
          buf = buf.subarray(2 + (buf[1] ?? 0));
          client.write(Buffer.from([5, 2]));
          step = 1;
        }
        if (step === 1 && buf.length >= 2) {
          const ulen = buf[1] ?? 0;
          if (buf.length < 3 + ulen) return;
          const plen = buf[2 + ulen] ?? 0;
          if (buf.length < 3 + ulen + plen) return;
          seen.user = buf.toString("utf8", 2, 2 + ulen);
          seen.pass = buf.toString("utf8", 3 + ulen, 3 + ulen + plen);
          buf = buf.subarray(3 + ulen + plen);
          client.write(Buffer.from([1, 0]));
          step = 2;
        }
        if (step === 2 && buf.length >= 5 && buf[3] === 3 && buf.length >= 7 + (buf[4] ?? 0)) {
          const n = buf[4] ?? 0;
          seen.host = buf.toString("utf8", 5, 5 + n);
          seen.port = buf.readUInt16BE(5 + n);
          step = 3;
          client.removeAllListeners("data");
          if (reply !== 0) {
            client.end(Buffer.from([5, reply, 0, 1, 0, 0, 0, 0, 0, 0]));
            return;
          }
          const upstream = net.connect(to, "127.0.0.1", () => {
            client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
            upstream.pipe(client);
            client.pipe(upstream);
          });
          upstream.on("error", () => client.destroy());
        }
      });
    }),
  );
  return { port, seen };
}

const get = (connector: Connector, url: string) =>
  new Http1Transport(connector, systemClock).request({
    url: new URL(url),
    headers: {},
    signal: undefined,
    timeoutMs: 5000,
  });

async function text(res: Awaited<ReturnType<typeof get>>): Promise<string> {
  const parts: string[] = [];
  await res.body.read((b, s, e) => {
    parts.push(b.toString("latin1", s, e));
    return undefined;
  });
  return parts.join("");
}

describe("Connector", () => {
  it("through a SOCKS5 proxy with a username and password: the host name goes to the proxy, unresolved", async () => {
    const target = await echoHost();
    const proxy = await socksProxy(target);
    const server = new URL(`http://kube.invalid:${target}`);
    const connector = new Connector(
      server,
      { proxy: new URL(`socks5://us%3Aer:p%40ss@127.0.0.1:${proxy.port}`) },
      systemClock,
    );
    const res = await get(connector, `${server.origin}/version`);
    expect(res.status).toBe(200);
    expect(await text(res)).toBe(`kube.invalid:${target}`);
    expect(proxy.seen).toEqual({
      methods: [0, 2],
      user: "us:er",
      pass: "p@ss",
      host: "kube.invalid",
      port: target,
    });
  });

  it("a SOCKS5 proxy that refuses: one line naming the proxy, the target and its reply", async () => {
    const proxy = await socksProxy(1, 5);
    const connector = new Connector(
      new URL("http://kube.invalid:8080"),
      { proxy: new URL(`socks5://u:p@127.0.0.1:${proxy.port}`) },
      systemClock,
    );
    await expect(get(connector, "http://kube.invalid:8080/version")).rejects.toThrow(
      `the SOCKS5 proxy 127.0.0.1:${proxy.port} could not connect to kube.invalid:8080: connection refused`,
    );
  });

  it("through an HTTP CONNECT proxy with credentials: TLS to the server inside the tunnel, SNI its name", async () => {
    const certs = await generateCerts();
    const tlsPort = await listen(
      (await import("node:https")).createServer(
        { cert: certs.serverCertPem, key: certs.serverKeyPem },
        (req, res) => res.end(req.headers.host ?? ""),
      ),
    );
    const asked: { target?: string; auth?: string } = {};
    const proxy = http.createServer();
    proxy.on("connect", (req: http.IncomingMessage, client: net.Socket) => {
      asked.target = req.url;
      asked.auth = req.headers["proxy-authorization"];
      const upstream = net.connect(tlsPort, "127.0.0.1", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.pipe(client);
        client.pipe(upstream);
      });
      client.on("error", () => upstream.destroy());
    });
    const proxyPort = await listen(proxy);
    const server = new URL(`https://localhost:${tlsPort}`);
    const connector = new Connector(
      server,
      {
        tls: { secureContext: createSecureContext({ ca: certs.caPem }) },
        proxy: new URL(`http://pu:pp@127.0.0.1:${proxyPort}`),
      },
      systemClock,
    );
    const res = await get(connector, `${server.origin}/version`);
    expect(await text(res)).toBe(`localhost:${tlsPort}`);
    expect(asked).toEqual({
      target: `localhost:${tlsPort}`,
      auth: `Basic ${Buffer.from("pu:pp").toString("base64")}`,
    });
  });

  it("a handshake that never ends fails at the timeout, on the clock; its socket is closed", async () => {
    const sockets: net.Socket[] = [];
    let closed = 0;
    // Accepts, reads, says nothing.
    const port = await listen(
      net.createServer((s) => {
        sockets.push(s);
        s.resume().on("close", () => closed++);
      }),
    );
    const clock = new FakeClock();
    const connector = new Connector(
      new URL(`https://127.0.0.1:${port}`),
      { tls: { secureContext: createSecureContext() } },
      clock,
    );
    const connecting = connector.connect({ alpn: ["h2"], timeoutMs: 5000 }).then(
      () => undefined,
      (e: Error) => e,
    );
    await eventually(() => sockets.length === 1);
    await clock.advance(4999);
    await clock.advance(1);
    expect((await connecting)?.message).toBe(
      `cannot reach the API server at https://127.0.0.1:${port}: no answer within 5s`,
    );
    await eventually(() => closed === 1);
  });

  it("an abort stops a connect: an AbortError, the socket closed", async () => {
    const sockets: net.Socket[] = [];
    let closed = 0;
    const port = await listen(
      net.createServer((s) => {
        sockets.push(s);
        s.resume().on("close", () => closed++);
      }),
    );
    const connector = new Connector(
      new URL(`https://127.0.0.1:${port}`),
      { tls: { secureContext: createSecureContext() } },
      systemClock,
    );
    const abort = new AbortController();
    const connecting = connector.connect({ alpn: ["h2"], timeoutMs: 0, signal: abort.signal }).then(
      () => undefined,
      (e: Error) => e,
    );
    await eventually(() => sockets.length === 1);
    abort.abort();
    expect((await connecting)?.name).toBe("AbortError");
    await eventually(() => closed === 1);
  });

  it("host names: IPv6 literals lose their brackets for sockets and keep them in targets", () => {
    expect(unbracket("[::1]")).toBe("::1");
    expect(unbracket("kube.example")).toBe("kube.example");
    expect(hostPort("::1", 6443)).toBe("[::1]:6443");
    expect(hostPort("kube.example", 443)).toBe("kube.example:443");
  });
});
