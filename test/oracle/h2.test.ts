// Our HTTP/2 client against Go's HTTP/2 server (net/http, the stack kube-apiserver serves with, and
// our HTTP/1.1 streams (node:http through the connector) against its HTTP/1.1, as kubectl proxy serves):
// header blocks from Go's HPACK encoder (Huffman, its dynamic table, evictions), log-like bodies
// flushed a line at a time on a hundred streams at once, a reader that stops and goes on (flow
// control), and a stream the server resets.
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import { createSecureContext } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Connector } from "../../src/kube/connector.ts";
import type { H2Session } from "../../src/kube/h2/session.ts";
import { Http1Transport } from "../../src/kube/http1.ts";
import type { Response } from "../../src/kube/transport.ts";
import { systemClock } from "../../src/util/clock.ts";
import { get, openSession, readAll } from "../unit/kube/h2/helpers.ts";
import { oracleBinary } from "./go.ts";

let server: ChildProcess;
let port = 0;
let plainPort = 0;
let session: H2Session;

beforeAll(async () => {
  server = spawn(oracleBinary("h2server"), [], { stdio: ["ignore", "pipe", "inherit"] });
  port = await new Promise<number>((resolve, reject) => {
    let out = "";
    server.stdout?.on("data", (b: Buffer) => {
      out += b.toString();
      const plain = /PLAIN (\d+)/.exec(out);
      if (plain) plainPort = Number(plain[1]);
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    server.once("exit", (code) => reject(new Error(`the Go server exited (${code})`)));
  });
  session = await openSession(port);
}, 120_000);

afterAll(() => {
  session?.destroy();
  server?.kill();
});

const expected = (n: number): string => {
  let s = "";
  for (let i = 0; i < n; i++)
    s += `2026-12-02T00:00:00.${String(i).padStart(9, "0")}Z line ${i} ${"x".repeat(i % 97)}\n`;
  return s;
};

describe("our HTTP/2 client against Go's HTTP/2 server", () => {
  it("decodes Go's header blocks exactly, over 300 responses on one connection", async () => {
    for (let seed = 1; seed <= 300; seed++) {
      const stream = get(session, `/headers?seed=${seed}&n=${seed % 40}`);
      const { status, headers } = await stream.response;
      expect(status).toBe(200);
      const sent = JSON.parse((await readAll(stream)).toString()) as [string, string][];
      const got = headers.filter(([n]) => n.startsWith("x-h"));
      // Go sends a name's values in the order added, names sorted: compare as multisets per name.
      const byName = (list: [string, string][]) => {
        const m = new Map<string, string[]>();
        for (const [n, v] of list) m.set(n, [...(m.get(n) ?? []), v]);
        return Object.fromEntries([...m].sort());
      };
      expect(byName(got)).toEqual(byName(sent));
      expect(headers.find(([n]) => n === "content-type")?.[1]).toBe("application/json");
    }
  });

  it("reads a hundred streams flushed a line at a time, every byte in order", async () => {
    const n = 2000;
    const want = expected(n);
    const bodies = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const stream = get(session, `/lines?n=${n}&every=1`);
        expect((await stream.response).status).toBe(200);
        const body = await readAll(stream);
        expect(stream.complete).toBe(true);
        return body.toString();
      }),
    );
    for (const b of bodies) expect(b).toBe(want);
  });

  it("a reader that waits stops the stream at its window; all arrives once it reads on", async () => {
    const s = await openSession(port, 16 << 10);
    try {
      const n = 20000; // about 1.6 MB: a hundred windows
      const stream = get(s, `/lines?n=${n}&every=10`);
      await stream.response;
      const chunks: Buffer[] = [];
      let received = 0;
      let pausedAt = -1;
      let arrivedWhilePaused = 0;
      let paused = false;
      const bytesRead = () => s.socket.bytesRead;
      await stream.read((buf, start, end) => {
        chunks.push(Buffer.from(buf.subarray(start, end)));
        received += end - start;
        if (paused) arrivedWhilePaused += end - start;
        if (pausedAt < 0 && received > 200_000) {
          pausedAt = received;
          paused = true;
          const before = bytesRead();
          return new Promise<void>((resolve) =>
            setTimeout(() => {
              // While this reader waited, the server sent at most the window it had left.
              expect(bytesRead() - before).toBeLessThan((16 << 10) + 4096);
              paused = false;
              resolve();
            }, 300),
          );
        }
        return undefined;
      });
      expect(pausedAt).toBeGreaterThan(0);
      expect(Buffer.concat(chunks).toString()).toBe(expected(n));
      expect(arrivedWhilePaused).toBe(0);
    } finally {
      s.destroy();
    }
  });

  it("a stream the server resets fails its reader; the connection goes on", async () => {
    const stream = get(session, "/reset");
    await stream.response;
    await expect(readAll(stream)).rejects.toThrow(/reset the stream/);
    expect(stream.complete).toBe(false);
    const again = get(session, "/lines?n=3&every=1");
    expect((await readAll(again)).toString()).toBe(expected(3));
  });

  it("response headers over the 256 KB we advertise fail their stream only; Go's table stays in step", async () => {
    // Go's server sends what it is asked to (it does not look at our SETTINGS_MAX_HEADER_LIST_SIZE).
    const fits = get(session, "/bigheaders?kb=200");
    const { headers } = await fits.response;
    expect(headers.filter(([n]) => n.startsWith("x-big-"))).toHaveLength(200);
    expect((await readAll(fits)).toString()).toBe("big\n");
    const big = get(session, "/bigheaders?kb=300");
    await expect(big.response).rejects.toThrow(/response headers over the 256 KB allowed/);
    // The same connection, its HPACK table still the server's.
    for (let seed = 1; seed <= 20; seed++) {
      const stream = get(session, `/headers?seed=${seed}&n=30`);
      const got = (await stream.response).headers.filter(([n]) => n.startsWith("x-h"));
      const sent = JSON.parse((await readAll(stream)).toString()) as [string, string][];
      expect(got.sort()).toEqual(sent.sort());
    }
    expect(session.closed).toBe(false);
  });

  it("a smaller window asked for mid-stream is honoured and the stream completes", async () => {
    const s = await openSession(port, 128 << 10);
    try {
      const streams = Array.from({ length: 20 }, () => get(s, "/lines?n=5000&every=5"));
      await Promise.all(streams.map((st) => st.response));
      const acked = new Promise<void>((resolve) => s.setStreamWindow(16 << 10, resolve));
      const bodies = await Promise.all(streams.map((st) => readAll(st)));
      await acked;
      for (const b of bodies) expect(b.toString()).toBe(expected(5000));
    } finally {
      s.destroy();
    }
  });
});

describe("our HTTP/1.1 streams against Go's HTTP/1.1 server", () => {
  const transports = new Map<boolean, Http1Transport>();
  const h1 = (path: string, tls = false) => {
    const origin = tls ? `https://127.0.0.1:${port}` : `http://127.0.0.1:${plainPort}`;
    let t = transports.get(tls);
    if (!t) {
      const dial = tls ? { tls: { secureContext: createSecureContext(), rejectUnauthorized: false } } : {};
      t = new Http1Transport(new Connector(new URL(origin), dial, systemClock), systemClock);
      transports.set(tls, t);
    }
    return t.request({
      url: new URL(origin + path),
      headers: { "user-agent": "test" },
      signal: undefined,
      timeoutMs: 10_000,
      streaming: true,
    });
  };
  const body = async (res: Response) => {
    const chunks: Buffer[] = [];
    await res.body.read((b, s, e) => {
      chunks.push(Buffer.from(b.subarray(s, e)));
      return undefined;
    });
    return Buffer.concat(chunks).toString();
  };
  /** The response's headers, as Go sends them (read apart: the transport hands over status and body). */
  const headersOf = (path: string) =>
    new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
      http
        .get(`http://127.0.0.1:${plainPort}${path}`, (res) => {
          res.resume();
          resolve(res.headers);
        })
        .on("error", reject);
    });

  it("reads Go's chunked bodies flushed a line at a time, plain and over TLS, 50 at once", async () => {
    const n = 2000;
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const res = await h1(`/lines?n=${n}&every=${1 + (i % 7)}`, i % 2 === 1);
        expect(res.status).toBe(200);
        const b = await body(res);
        expect(res.body.complete).toBe(true);
        return b;
      }),
    );
    for (const b of results) expect(b).toBe(expected(n));
    expect((await headersOf(`/lines?n=${n}&every=1`))["transfer-encoding"]).toBe("chunked");
  });

  it("reads a body Go sends with a Content-Length", async () => {
    const res = await h1("/headers?seed=7&n=5");
    const headers = await headersOf("/headers?seed=7&n=5");
    expect(headers["content-length"]).toMatch(/^\d+$/);
    const sent = JSON.parse(await body(res)) as [string, string][];
    expect(sent).toHaveLength(5);
    for (const [name, value] of sent) expect(String(headers[name]).split(", ")).toContain(value);
    expect(res.body.complete).toBe(true);
  });

  it("a reset stream is a body that never completes", async () => {
    const res = await h1("/reset");
    await expect(body(res)).rejects.toThrow(/closed before the response ended/);
    expect(res.body.complete).toBe(false);
  });
});
