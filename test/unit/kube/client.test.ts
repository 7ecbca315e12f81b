// The API client's reads of bodies that are not streams, against servers that misbehave: a LIST that
// never ends, an error whose body trickles or never ends. Over HTTP/1.1 (node:http) and HTTP/2
// (node:http2 with TLS), the two ways a request travels.
import http from "node:http";
import http2 from "node:http2";
import type net from "node:net";
import { createSecureContext } from "node:tls";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateCerts, type SimCerts } from "../../../sim/certs.ts";
import { ApiClient } from "../../../src/kube/client.ts";
import { ApiError, ConnectionError } from "../../../src/kube/errors.ts";
import { eventually } from "./h2/helpers.ts";

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

let certs: SimCerts;
beforeAll(async () => {
  certs = await generateCerts();
});

type Respond = (
  body: { write(b: string | Buffer): boolean; once(e: "drain", f: () => void): void; end(b?: string): void },
  closed: () => boolean,
) => void;

/** A server on each transport that answers every request with respond(); its client. */
async function serve(transport: "HTTP/1.1" | "HTTP/2", respond: Respond): Promise<ApiClient> {
  let server: net.Server;
  if (transport === "HTTP/1.1") {
    server = http.createServer((_req, res) => {
      let closed = false;
      res.on("close", () => {
        closed = true;
      });
      respond(res, () => closed);
    });
  } else {
    server = http2.createSecureServer({ cert: certs.serverCertPem, key: certs.serverKeyPem });
    server.on("stream", (stream: http2.ServerHttp2Stream) => {
      stream.on("error", () => {});
      let closed = false;
      stream.on("close", () => {
        closed = true;
      });
      respond(stream, () => closed);
    });
  }
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const { port } = server.address() as net.AddressInfo;
  const secure = transport === "HTTP/2";
  return new ApiClient(
    {
      server: `${secure ? "https" : "http"}://127.0.0.1:${port}`,
      requestOptions: async () => ({}),
      dial: secure ? { tls: { secureContext: createSecureContext({ ca: certs.caPem }) } } : {},
    },
    { connectTimeoutMs: 10_000, userAgent: "test" },
  );
}

/** Writes the head of a response (status and JSON content type) on either server's body. */
function head(body: Parameters<Respond>[0], status: number): void {
  if ("writeHead" in body)
    (body as http.ServerResponse).writeHead(status, { "content-type": "application/json" });
  else (body as http2.ServerHttp2Stream).respond({ ":status": status, "content-type": "application/json" });
}

/** Settles as p does, or rejects after ms: a test of a hang fails rather than waits for ever. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`nothing happened within ${ms} ms`)), ms);
    }),
  ]);
}

const TRANSPORTS = ["HTTP/1.1", "HTTP/2"] as const;

describe("ApiClient against a server that misbehaves", () => {
  it.each(TRANSPORTS)(
    "a LIST body past 128 MiB is not read further: one line naming the request (%s)",
    async (transport) => {
      // 160 MiB of a JSON list's whitespace: a body that would parse, were it read whole.
      const total = 160 << 20;
      const chunk = Buffer.alloc(1 << 20, 0x20);
      let sent = 0;
      let stopped: () => boolean = () => false;
      const client = await serve(transport, (body, closed) => {
        stopped = closed;
        head(body, 200);
        body.write('{"kind":"PodList","items":[');
        const pump = () => {
          while (sent < total) {
            sent += chunk.length;
            if (!body.write(chunk)) return body.once("drain", pump);
          }
          body.end("]}");
        };
        pump();
      });
      const err = await within(client.getJSON("/api/v1/pods", { limit: 500 }), 20_000).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(ConnectionError);
      expect(err?.message).toMatch(
        /^the API server's answer to GET https?:\/\/127\.0\.0\.1:\d+\/api\/v1\/pods\?limit=500 is over 128 MiB; not read further$/,
      );
      await eventually(stopped);
      expect(sent).toBeLessThan(total);
    },
    60_000,
  );

  it.each(TRANSPORTS)(
    "a 500 whose body trickles is read for 3 s at most, then it is the error it is (%s)",
    async (transport) => {
      let stopped: () => boolean = () => false;
      const client = await serve(transport, (body, closed) => {
        stopped = closed;
        head(body, 500);
        body.write('{"kind":"Status","code":500,"message":"etcdserver: request timed out"}');
        // Then a space every 100 ms, for ever.
        const timer = setInterval(() => (closed() ? clearInterval(timer) : body.write(" ")), 100);
        closers.push(() => clearInterval(timer));
      });
      const started = performance.now();
      const err = await within(
        client.stream("/api/v1/namespaces/default/pods/p/log", { follow: true }),
        6000,
      ).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(500);
      expect(err?.message).toBe("etcdserver: request timed out");
      expect(performance.now() - started).toBeGreaterThan(2500);
      await eventually(stopped);
    },
  );

  it.each(TRANSPORTS)(
    "a 500 whose body never ends is read to 64 KB, then it is the error it is (%s)",
    async (transport) => {
      let sent = 0;
      let stopped: () => boolean = () => false;
      const client = await serve(transport, (body, closed) => {
        stopped = closed;
        head(body, 500);
        const chunk = Buffer.alloc(64 << 10, "x");
        const pump = () => {
          while (!closed()) {
            sent += chunk.length;
            if (!body.write(chunk)) return body.once("drain", pump);
          }
        };
        pump();
      });
      const err = await within(
        client.stream("/api/v1/namespaces/default/pods/p/log", { follow: true }),
        6000,
      ).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(500);
      expect(err?.message).toBe("x".repeat(200));
      await eventually(stopped);
      expect(sent).toBeLessThan(64 << 20);
    },
  );
});
