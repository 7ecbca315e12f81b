// The HTTP/1.1 reader against node:http's server (chunked bodies cut at every byte, trailers, a
// reader that waits, a server that goes away) and against hand-written responses for what node:http
// does not send (a body until close, 100 Continue, broken framing).
import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { H1Response } from "../../../../src/kube/h1/response.ts";
import { byteRelay as startRelay } from "../byte-relay.ts";

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

const open = (port: number, path = "/") =>
  new H1Response(net.connect(port, "127.0.0.1"), path, `127.0.0.1:${port}`, { accept: "*/*" });

async function readAll(res: H1Response): Promise<string> {
  const parts: string[] = [];
  await res.read((b, s, e) => {
    parts.push(b.toString("latin1", s, e));
    return undefined;
  });
  return parts.join("");
}

describe("H1Response", () => {
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
    const res = open(port, "/api/v1/namespaces/default/pods/p/log?follow=true");
    const head = await res.head;
    expect(head.status).toBe(200);
    expect(await readAll(res)).toBe(
      Array.from({ length: 30 }, (_, i) => `line ${i} ${"x".repeat(i * 7)}\n`).join(""),
    );
    expect(res.complete).toBe(true);
    expect(seen.accept).toBe("*/*");
    expect(seen.connection).toBe("close");
  }, 60_000);

  it("reads bodies framed by Content-Length and by the connection's end; 204 has none", async () => {
    const a = open(await rawServer("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world"));
    expect(await readAll(a)).toBe("hello world");
    expect(a.complete).toBe(true);
    const b = open(await rawServer("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil\nclose\n"));
    expect(await readAll(b)).toBe("until\nclose\n");
    expect(b.complete).toBe(true);
    const c = open(await rawServer("HTTP/1.1 204 No Content\r\n\r\n", false));
    expect((await c.head).status).toBe(204);
    expect(await readAll(c)).toBe("");
    expect(c.complete).toBe(true);
  });

  it("skips a 100 Continue before the response", async () => {
    const res = open(
      await rawServer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope"),
    );
    expect((await res.head).status).toBe(404);
    expect(await readAll(res)).toBe("nope");
  });

  it("a broken chunk size, a body cut short, or no HTTP at all is an error, never a hang", async () => {
    const bad = open(await rawServer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n"));
    await expect(readAll(bad)).rejects.toThrow(/bad chunk size/);
    const cut = open(await rawServer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this"));
    const got: string[] = [];
    await expect(
      cut.read((b, s, e) => {
        got.push(b.toString("latin1", s, e));
        return undefined;
      }),
    ).rejects.toThrow(/closed before the response ended/);
    expect(got.join("")).toBe("only this");
    expect(cut.complete).toBe(false);
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
    const res = open(await listen(server));
    await res.head;
    let bytes = 0;
    let waited = false;
    let ok = true;
    await res.read((b, s, e) => {
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
    expect(res.complete).toBe(true);
  });

  it("a body not read yet holds the socket paused; reading it later gets every byte", async () => {
    const server = http.createServer((_req, res) => {
      res.write("early\n");
      setTimeout(() => res.end("late\n"), 50);
    });
    const res = open(await listen(server));
    await res.head;
    await new Promise((r) => setTimeout(r, 150));
    expect(await readAll(res)).toBe("early\nlate\n");
  });

  it("destroy ends a read that is going on, without completing", async () => {
    const server = http.createServer((_req, res) => res.write("first\n"));
    closers.push(() => server.closeAllConnections());
    const res = open(await listen(server));
    await res.head;
    const reading = res.read(() => {
      res.destroy();
      return undefined;
    });
    await expect(reading).rejects.toThrow(/closed before the response ended/);
    expect(res.complete).toBe(false);
  });

  it("refuses header values with line breaks (no request smuggling through a kubeconfig)", () => {
    const socket = new net.Socket();
    expect(() => new H1Response(socket, "/", "h", { authorization: "Bearer a\r\nX-Evil: 1" })).toThrow(
      /line break/,
    );
    socket.destroy();
  });
});
