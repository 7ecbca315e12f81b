// HTTP/1.1 streams (node:http, through the connector, resting after small reads) against node:http's
// server (chunked bodies cut at every byte, trailers, a reader that waits, a server that goes away)
// and against hand-written responses for what node:http does not send (a body until close, 100
// Continue, broken framing).
import http from "node:http";
import net from "node:net";
import fc from "fast-check";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../../../src/kube/client.ts";
import { Connector } from "../../../src/kube/connector.ts";
import { Http1Transport } from "../../../src/kube/http1.ts";
import type { Response } from "../../../src/kube/transport.ts";
import { systemClock } from "../../../src/util/clock.ts";
import { byteRelay as startRelay, writeInReads } from "./byte-relay.ts";

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(() => server.close());
  return (server.address() as net.AddressInfo).port;
}

async function byteRelay(target: number): Promise<number> {
  const relay = await startRelay(target);
  closers.push(relay.close);
  return relay.port;
}

/** A server that answers every connection with these bytes, then closes (or not). */
async function rawServer(bytes: string, close = true): Promise<number> {
  return listen(
    net.createServer((socket) => {
      socket.once("data", () => {
        if (close) socket.end(bytes, "latin1");
        else socket.write(bytes, "latin1");
      });
      socket.on("error", () => {});
    }),
  );
}

/** A stream request; `head` its response (status), `socket` the connection it went on. */
interface Opened {
  head: Promise<Response>;
  socket(): net.Socket | undefined;
}

function open(port: number, path = "/"): Opened {
  const connector = new Connector(new URL(`http://127.0.0.1:${port}`), {}, systemClock);
  const head = new Http1Transport(connector, systemClock).request({
    url: new URL(`http://127.0.0.1:${port}${path}`),
    headers: { accept: "*/*" },
    signal: undefined,
    timeoutMs: 0,
    streaming: true,
  });
  head.catch(() => {});
  const agent = connector.agent(0);
  return { head, socket: () => Object.values(agent.sockets).flat()[0] as net.Socket | undefined };
}

async function readAll(res: Response): Promise<string> {
  const parts: string[] = [];
  await res.body.read((b, s, e) => {
    parts.push(b.toString("latin1", s, e));
    return undefined;
  });
  return parts.join("");
}

describe("HTTP/1.1 streams", () => {
  it("reads a chunked body with trailers, cut at every byte, and sends a well-formed request", async () => {
    let seen: http.IncomingHttpHeaders = {};
    const server = http.createServer((req, res) => {
      seen = req.headers;
      res.writeHead(200, { Trailer: "x-done" });
      for (let i = 0; i < 30; i++) res.write(`line ${i} ${"x".repeat(i * 7)}\n`);
      res.addTrailers({ "x-done": "yes" });
      res.end();
    });
    const port = await byteRelay(await listen(server));
    const res = await open(port, "/api/v1/namespaces/default/pods/p/log?follow=true").head;
    expect(res.status).toBe(200);
    expect(await readAll(res)).toBe(
      Array.from({ length: 30 }, (_, i) => `line ${i} ${"x".repeat(i * 7)}\n`).join(""),
    );
    expect(res.body.complete).toBe(true);
    expect(seen.accept).toBe("*/*");
    expect(seen.host).toBe(`127.0.0.1:${port}`);
  }, 60_000);

  it("reads bodies framed by Content-Length and by the connection's end; 204 has none", async () => {
    const a = await open(await rawServer("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world")).head;
    expect(await readAll(a)).toBe("hello world");
    expect(a.body.complete).toBe(true);
    const b = await open(await rawServer("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil\nclose\n"))
      .head;
    expect(await readAll(b)).toBe("until\nclose\n");
    expect(b.body.complete).toBe(true);
    const c = await open(await rawServer("HTTP/1.1 204 No Content\r\n\r\n", false)).head;
    expect(c.status).toBe(204);
    expect(await readAll(c)).toBe("");
    expect(c.body.complete).toBe(true);
  });

  it("skips a 100 Continue before the response", async () => {
    const res = await open(
      await rawServer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope"),
    ).head;
    expect(res.status).toBe(404);
    expect(await readAll(res)).toBe("nope");
  });

  it("a broken chunk size, a body cut short, or no HTTP at all is an error, never a hang", async () => {
    const bad = await open(
      await rawServer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n"),
    ).head;
    await expect(readAll(bad)).rejects.toThrow(/bad chunk size/);
    const cut = await open(await rawServer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this")).head;
    const got: string[] = [];
    await expect(
      cut.body.read((b, s, e) => {
        got.push(b.toString("latin1", s, e));
        return undefined;
      }),
    ).rejects.toThrow(/closed before the response ended/);
    expect(got.join("")).toBe("only this");
    expect(cut.body.complete).toBe(false);
    const junk = open(await rawServer("SSH-2.0-OpenSSH\r\n\r\n"));
    await expect(junk.head).rejects.toThrow(/not an HTTP\/1.1 response/);
  });

  it("a reader that waits stops the socket: the server's writes back up, and nothing is lost", async () => {
    let backedUp = false;
    const line = `${"y".repeat(99)}\n`;
    const total = 40_000; // 4 MB: more than the socket buffers hold
    const server = http.createServer((_req, res) => {
      let i = 0;
      const pump = () => {
        while (i < total) {
          i++;
          if (!res.write(line)) {
            backedUp = true;
            res.once("drain", pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const res = await open(await listen(server)).head;
    let bytes = 0;
    let waited = false;
    let ok = true;
    await res.body.read((b, s, e) => {
      for (let k = s; k < e; k++) if (b[k] !== (bytes++ % 100 === 99 ? 10 : 121)) ok = false;
      if (!waited && bytes > 100_000) {
        waited = true;
        return new Promise((r) => setTimeout(r, 300));
      }
      return undefined;
    });
    expect(ok).toBe(true);
    expect(bytes).toBe(total * 100);
    expect(backedUp).toBe(true);
    expect(res.body.complete).toBe(true);
  });

  it("a body not read yet holds the socket paused; reading it later gets every byte", async () => {
    const server = http.createServer((_req, res) => {
      res.write("early\n");
      setTimeout(() => res.end("late\n"), 50);
    });
    const res = await open(await listen(server)).head;
    await new Promise((r) => setTimeout(r, 150));
    expect(await readAll(res)).toBe("early\nlate\n");
  });

  it("destroy ends a read that is going on, without completing", async () => {
    const server = http.createServer((_req, res) => res.write("first\n"));
    closers.push(() => server.closeAllConnections());
    const res = await open(await listen(server)).head;
    const reading = res.body.read(() => {
      res.body.destroy();
      return undefined;
    });
    await expect(reading).rejects.toThrow(/closed before the response ended/);
    expect(res.body.complete).toBe(false);
  });

  it("refuses header values with line breaks (no request smuggling through a kubeconfig)", async () => {
    let asked = false;
    const port = await listen(
      http.createServer((_req, res) => {
        asked = true;
        res.end();
      }),
    );
    const client = new ApiClient(
      {
        server: `http://127.0.0.1:${port}`,
        requestOptions: async () => ({ headers: { authorization: "Bearer a\r\nX-Evil: 1" } }),
        dial: {},
      },
      { connectTimeoutMs: 5000, userAgent: "test" },
    );
    await expect(client.stream("/", {})).rejects.toThrow(/line break/);
    expect(asked).toBe(false);
  });
});

/** The server's side of one run: these bytes, a read at a time, then the end of the connection. */
let pieces: Buffer[] = [];
let serverPort = 0;
const serverSockets = new Set<net.Socket>();

async function piecesServer(): Promise<number> {
  if (serverPort) return serverPort;
  const server = net.createServer((socket) => {
    serverSockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => serverSockets.delete(socket));
  });
  serverPort = await new Promise<number>((r) =>
    server.listen(0, "127.0.0.1", () => r((server.address() as net.AddressInfo).port)),
  );
  return serverPort;
}

/** Reads a response sent in these pieces (each in a read of its own), the reader there from the start. */
async function readPieces(
  parts: Buffer[],
): Promise<{ status: number | undefined; body: Buffer; error: Error | undefined; complete: boolean }> {
  pieces = parts;
  const port = await piecesServer();
  const res = open(port);
  const chunks: Buffer[] = [];
  let status: number | undefined;
  let complete = false;
  const reading = res.head
    .then(async (r) => {
      status = r.status;
      await r.body
        .read((b, s, e) => {
          chunks.push(Buffer.from(b.subarray(s, e)));
          return undefined;
        })
        .finally(() => {
          complete = r.body.complete;
        });
    })
    .then(
      () => undefined,
      (e: Error) => e,
    );
  // The server answers once the request came.
  const [server] = await new Promise<net.Socket[]>((resolve) => {
    const check = () => {
      const s = [...serverSockets].find((x) => x.bytesRead > 0);
      if (s) resolve([s]);
      else setTimeout(check, 1);
    };
    check();
  });
  if (!server) throw new Error("no connection");
  serverSockets.delete(server);
  const client = res.socket();
  if (!client) throw new Error("no client socket");
  await writeInReads(server, client, pieces);
  server.end();
  const error = await reading;
  return { status, body: Buffer.concat(chunks), error, complete };
}

/** Cut points (any numbers, taken modulo the length) to pieces. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((n) => n % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) out.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  return out;
}

const cuts = fc.array(fc.nat(), { maxLength: 12 });

/** A response with a body framed one of the three ways, chunk sizes written every way the grammar allows. */
const framed = fc
  .record({
    framing: fc.constantFrom("chunked", "length", "close"),
    chunks: fc.array(fc.uint8Array({ minLength: 1, maxLength: 700, size: "max" }), { maxLength: 8 }),
    continue100: fc.boolean(),
    upper: fc.boolean(),
    zeros: fc.nat(3),
    // node:http's parser refuses whitespace before a chunk extension (RFC 9112's BWS), which no Go
    // server sends (it sends no extensions): that case is below, an error in one line.
    ext: fc.constantFrom("", ";a=b", ';name="v"'),
    trailers: fc.array(fc.stringMatching(/^x-[a-z]{1,8}: [a-z]{0,10}$/), { maxLength: 3 }),
    extra: fc.array(fc.stringMatching(/^x-[a-z]{1,8}: [ -~]{0,30}$/), { maxLength: 4 }),
  })
  .map((r) => {
    const body = Buffer.concat(r.chunks.map((c) => Buffer.from(c)));
    const headers = [...r.extra];
    if (r.framing === "chunked") headers.push("Transfer-Encoding: chunked");
    if (r.framing === "length") headers.push(`Content-Length: ${body.length}`);
    const size = (n: number) =>
      "0".repeat(r.zeros) + (r.upper ? n.toString(16).toUpperCase() : n.toString(16));
    const payload =
      r.framing !== "chunked"
        ? body
        : Buffer.concat([
            ...r.chunks.flatMap((c) => [
              Buffer.from(`${size(c.length)}${r.ext}\r\n`),
              Buffer.from(c),
              Buffer.from("\r\n"),
            ]),
            Buffer.from(`${size(0)}${r.ext}\r\n${r.trailers.map((t) => `${t}\r\n`).join("")}\r\n`),
          ]);
    const head = `${r.continue100 ? "HTTP/1.1 100 Continue\r\n\r\n" : ""}HTTP/1.1 200 OK\r\n${headers.map((h) => `${h}\r\n`).join("")}\r\n`;
    return { bytes: Buffer.concat([Buffer.from(head, "latin1"), payload]), body };
  });

/** What the reader may fail with: the response is not HTTP/1.1 as it should be, or the connection's end. */
function expectedError(err: Error): boolean {
  return (
    (/^the API server's response is not valid HTTP\/1\.1 \(.+\)$/.test(err.message) ||
      /^the connection closed before the response ended$/.test(err.message)) &&
    !err.message.includes("\n")
  );
}

describe("HTTP/1.1 streams: properties (fast-check)", () => {
  afterAll(() => {
    for (const s of serverSockets) s.destroy();
  });

  it("any framing, cut anywhere: the same body, complete", async () => {
    await fc.assert(
      fc.asyncProperty(framed, cuts, async ({ bytes, body }, at) => {
        const r = await readPieces(cut(bytes, at));
        expect(r.error).toBeUndefined();
        expect(r.status).toBe(200);
        expect(r.body.equals(body)).toBe(true);
        expect(r.complete).toBe(true);
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it("a valid head, then any bytes: the body read so far or one of its own errors, never a crash", async () => {
    const chunkish = fc.oneof(
      fc.stringMatching(/^[0-9a-fA-F]{0,14}[;\t ]?[a-z=]{0,4}\r?\n$/),
      fc.constantFrom("\r\n", "\r", "\n", "0\r\n\r\n", "0\r\nx-t: 1\r\n\r\n", "5\r\nhello\r\n"),
      fc.string({ maxLength: 50 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(chunkish, { maxLength: 12 }),
        fc.boolean(),
        cuts,
        async (parts, chunked, at) => {
          const head = `HTTP/1.1 200 OK\r\n${chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: 40\r\n"}\r\n`;
          const r = await readPieces(cut(Buffer.from(head + parts.join(""), "latin1"), at));
          expect(r.status).toBe(200);
          if (r.error) expect(expectedError(r.error)).toBe(true);
          else expect(r.complete).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  }, 60_000);

  it("a head without its end is refused past 64 KB (what it holds is bounded), and waited for up to it", async () => {
    // Header lines as a server writes them (node:http's parser refuses a malformed one at once: below).
    const line = fc.stringMatching(/^x-[a-z]{1,8}: [!-~][ -~]{0,1990}$/); // no empty line: no end of the head
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 70 }), cuts, async (lines, at) => {
        const text = `HTTP/1.1 200 OK\r\n${lines.join("\r\n")}`;
        const r = await readPieces(cut(Buffer.from(text, "latin1"), at));
        expect(r.error?.message).toMatch(
          text.length > 64 << 10 ? /response headers too large/ : /closed before the response ended/,
        );
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it("a head of any printable lines without its end: one of its own errors, refused past 64 KB at most", async () => {
    const line = fc.stringMatching(/^[ -~]{1,2000}$/); // no empty line: no end of the head
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 70 }), cuts, async (lines, at) => {
        const text = `HTTP/1.1 200 OK\r\n${lines.join("\r\n")}`;
        const r = await readPieces(cut(Buffer.from(text, "latin1"), at));
        const message = r.error?.message.replace(/^cannot reach the API server at \S+: /, "") ?? "";
        expect(expectedError(new Error(message))).toBe(true);
        if (text.length > 64 << 10) expect(message).not.toMatch(/closed before the response ended/);
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it("whitespace before a chunk extension (which node:http's parser refuses) is an error in one line", async () => {
    const r = await readPieces([
      Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 ; name="v"\r\nhello\r\n0\r\n\r\n'),
    ]);
    expect(r.error?.message).toBe("the API server's response is not valid HTTP/1.1 (a bad chunk size line)");
  });
});
