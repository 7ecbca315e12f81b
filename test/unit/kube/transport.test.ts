// The HTTP/2 transport against the simulated API server: how it spreads streams over connections.
// Each test that is about connections runs with both HTTP/2 clients (this project's and node:http2).
import { createSecureContext } from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateCerts } from "../../../sim/certs.ts";
import { type Sim, startSim } from "../../../sim/index.ts";
import { Connector } from "../../../src/kube/connector.ts";
import { healthCheckFromEnv } from "../../../src/kube/h2/health.ts";
import { type Http2Options, Http2Transport, streamWindowFor } from "../../../src/kube/h2/pool.ts";
import { Http1Transport } from "../../../src/kube/http1.ts";
import { systemClock } from "../../../src/util/clock.ts";
import { FakeClock } from "../engine/fakes.ts";
import { type ClientFrame, eventually, frameServer, h2frame } from "./h2/helpers.ts";

const CLIENTS = ["own", "node"] as const;

/** The HTTP/2 transport to `origin`, trusting `ca`, with our HTTP/2 client or node:http2's. */
function h2Transport(
  origin: string,
  ca: string,
  client: (typeof CLIENTS)[number],
  o: Partial<Http2Options> = {},
): Http2Transport {
  const clock = o.clock ?? systemClock;
  const connector = new Connector(
    new URL(origin),
    { tls: { secureContext: createSecureContext({ ca }) } },
    clock,
  );
  return new Http2Transport(connector, new Http1Transport(connector, clock), {
    clock,
    nodeHttp2: client === "node",
    ...o,
  });
}

/** Moves a fake clock on by ms, 250 ms at a time (the health check's look at a connection). */
async function advance(clock: FakeClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 250) await clock.advance(250);
}

const PING = 6;

let sim: Sim;
const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});
beforeAll(async () => {
  sim = await startSim({ maxConcurrentStreams: 100 });
});
afterAll(async () => {
  await sim.stop();
});

describe.each(CLIENTS)("Http2Transport (%s HTTP/2 client)", (client) => {
  it("a burst of requests made before any connection is up spreads over connections with room", async () => {
    for (let i = 0; i < 250; i++)
      sim.addPod({ namespace: client, name: `p-${i}`, containers: [{ name: "c" }] }).log("c", `line ${i}`);
    const connectionsBefore = sim.connections;
    const transport = h2Transport(new URL(sim.url).origin, sim.caPem, client);
    const abort = new AbortController();
    // All 250 in one synchronous burst: no session has connected when the last one picks its own.
    const responses = await Promise.all(
      Array.from({ length: 250 }, (_, i) =>
        transport.request({
          url: new URL(`${sim.url}/api/v1/namespaces/${client}/pods/p-${i}/log?follow=true`),
          headers: { Authorization: `Bearer ${sim.token}` },
          signal: abort.signal,
          timeoutMs: 10_000,
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(250).fill(200));
    expect(sim.connections - connectionsBefore).toBeGreaterThanOrEqual(3);
    abort.abort();
  });

  it("a server that allows no streams (SETTINGS_MAX_CONCURRENT_STREAMS 0): one clear error per try, and its connection closed", async () => {
    const certs = await generateCerts();
    // It refuses every stream (RST_STREAM REFUSED_STREAM) and keeps the connection.
    const server = await frameServer(
      (socket, f) => {
        if (f.type === 1) socket.write(h2frame(3, 0, f.id, Buffer.from([0, 0, 0, 7])));
      },
      { settings: [[3, 0]], tls: { cert: certs.serverCertPem, key: certs.serverKeyPem } },
    );
    closers.push(server.close);
    const origin = `https://127.0.0.1:${server.port}`;
    const transport = h2Transport(origin, certs.caPem, client);
    const open = () => server.sockets.filter((s) => !s.destroyed).length;
    const errors: string[] = [];
    for (let i = 0; i < 10; i++) {
      await transport
        .request({ url: new URL(`${origin}/api/v1/pods`), headers: {}, signal: undefined, timeoutMs: 5000 })
        .then(
          () => errors.push("answered"),
          (err: Error) => errors.push(err.message),
        );
      await new Promise((r) => setTimeout(r, 50));
      expect(open()).toBeLessThanOrEqual(1);
    }
    await eventually(() => open() === 0);
    expect(errors).toEqual(
      Array(10).fill(
        `the API server at ${origin} allows no HTTP/2 streams per connection (SETTINGS_MAX_CONCURRENT_STREAMS 0)`,
      ),
    );
  });

  it("a stream the server resets before answering fails its request with one line", async () => {
    const certs = await generateCerts();
    const server = await frameServer(
      (socket, f) => {
        if (f.type === 1) socket.write(h2frame(3, 0, f.id, Buffer.from([0, 0, 0, 2]))); // INTERNAL_ERROR
      },
      { tls: { cert: certs.serverCertPem, key: certs.serverKeyPem } },
    );
    closers.push(server.close);
    const origin = `https://127.0.0.1:${server.port}`;
    const transport = h2Transport(origin, certs.caPem, client);
    await expect(
      transport.request({ url: new URL(`${origin}/x`), headers: {}, signal: undefined, timeoutMs: 5000 }),
    ).rejects.toThrow(
      /^cannot reach the API server at \S+: http2: the server reset the stream \(error code 2\)$/,
    );
  });

  it("streams given to a connection before its SETTINGS allowed fewer go to other connections", async () => {
    const certs = await generateCerts();
    // Two streams at a time per connection; any more are refused. Streams stay open.
    const server = await frameServer(
      (socket, f) => {
        if (f.type !== 1) return;
        const streams = (perSocket.get(socket) ?? 0) + 1;
        perSocket.set(socket, streams);
        socket.write(
          streams > 2
            ? h2frame(3, 0, f.id, Buffer.from([0, 0, 0, 7]))
            : h2frame(1, 4, f.id, Buffer.from([0x88])), // :status 200, END_HEADERS
        );
      },
      { settings: [[3, 2]], tls: { cert: certs.serverCertPem, key: certs.serverKeyPem } },
    );
    const perSocket = new Map<unknown, number>();
    closers.push(server.close);
    const origin = `https://127.0.0.1:${server.port}`;
    const transport = h2Transport(origin, certs.caPem, client);
    const abort = new AbortController();
    // All five before any connection is up: the first connection is given all of them.
    const statuses = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        transport
          .request({ url: new URL(`${origin}/log/${i}`), headers: {}, signal: abort.signal, timeoutMs: 5000 })
          .then((r) => r.status),
      ),
    );
    abort.abort();
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(server.sockets.length).toBe(3);
    expect([...perSocket.values()].sort()).toEqual([1, 2, 2]);
  });

  it("PINGs that go unanswered: the connection is lost 30 + 15 s later on the transport's clock, said once, its stream failing as lost", async () => {
    const certs = await generateCerts();
    let pings = 0;
    const server = await frameServer(
      (socket, f) => {
        if (f.type === 1) socket.write(h2frame(1, 4, f.id, Buffer.from([0x88]))); // 200, stays open
        if (f.type === PING && !(f.flags & 1)) pings++; // never answered
      },
      { tls: { cert: certs.serverCertPem, key: certs.serverKeyPem } },
    );
    closers.push(server.close);
    const origin = `https://127.0.0.1:${server.port}`;
    const clock = new FakeClock();
    const lost: string[] = [];
    const transport = h2Transport(origin, certs.caPem, client, {
      clock,
      health: { readIdleMs: 30_000, pingTimeoutMs: 15_000 },
      onLost: (m) => lost.push(m),
    });
    const res = await transport.request({
      url: new URL(`${origin}/log`),
      headers: {},
      signal: undefined,
      timeoutMs: 0,
    });
    const reading = res.body
      .read(() => undefined)
      .then(
        () => undefined,
        (e: Error) => e,
      );
    await advance(clock, 29_500);
    expect(pings).toBe(0);
    await advance(clock, 1000);
    await eventually(() => pings === 1);
    await advance(clock, 14_000);
    expect(lost).toEqual([]);
    await advance(clock, 1250);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatch(
      /^http2: connection to https:\/\/127\.0\.0\.1:\d+ lost \(no answer to a PING within 15s after 30s without data\); its 1 stream\(s\) resume on a new connection$/,
    );
    const err = await reading;
    expect(err?.name).toBe("ConnectionLostError");
    expect(err?.message).toBe(
      "http2: client connection lost (no answer to a PING within 15s after 30s without data)",
    );
  });

  it("PINGs that are answered keep a quiet connection: ten read-idle periods on the clock, nothing lost", async () => {
    const certs = await generateCerts();
    let pings = 0;
    const server = await frameServer(
      (socket, f) => {
        if (f.type === 1) socket.write(h2frame(1, 4, f.id, Buffer.from([0x88])));
        if (f.type === PING && !(f.flags & 1)) {
          pings++;
          socket.write(h2frame(PING, 1, 0, f.payload));
        }
      },
      { tls: { cert: certs.serverCertPem, key: certs.serverKeyPem } },
    );
    closers.push(server.close);
    const origin = `https://127.0.0.1:${server.port}`;
    const clock = new FakeClock();
    const lost: string[] = [];
    const transport = h2Transport(origin, certs.caPem, client, {
      clock,
      health: { readIdleMs: 30_000, pingTimeoutMs: 15_000 },
      onLost: (m) => lost.push(m),
    });
    const res = await transport.request({
      url: new URL(`${origin}/log`),
      headers: {},
      signal: undefined,
      timeoutMs: 0,
    });
    let failed: Error | undefined;
    res.body
      .read(() => undefined)
      .catch((e: Error) => {
        failed = e;
      });
    for (let i = 1; i <= 10; i++) {
      await advance(clock, 30_500);
      await eventually(() => pings === i);
      // The ACK travels for real: let the client read it before time moves on.
      await new Promise((r) => setTimeout(r, 30));
    }
    await advance(clock, 20_000);
    expect(lost).toEqual([]);
    expect(failed).toBeUndefined();
    res.body.destroy();
  });
});

describe("streamWindowFor", () => {
  it("splits a budget of in-flight bytes over the streams open: 128 KB each down to 16 KB", () => {
    expect([1, 32, 33, 64, 65, 128, 129, 250, 1000].map(streamWindowFor)).toEqual(
      [128, 128, 64, 64, 32, 32, 16, 16, 16].map((k) => k << 10),
    );
  });
});

describe("healthCheckFromEnv", () => {
  it("defaults to client-go's 30 s without a frame read and 15 s for the PING's ACK", () => {
    expect(healthCheckFromEnv({})).toEqual({ readIdleMs: 30_000, pingTimeoutMs: 15_000 });
  });
  it("takes client-go's environment variables", () => {
    expect(
      healthCheckFromEnv({ HTTP2_READ_IDLE_TIMEOUT_SECONDS: "5", HTTP2_PING_TIMEOUT_SECONDS: "2" }),
    ).toEqual({ readIdleMs: 5000, pingTimeoutMs: 2000 });
  });
  it("a read idle timeout of 0 turns the check off", () => {
    expect(healthCheckFromEnv({ HTTP2_READ_IDLE_TIMEOUT_SECONDS: "0" }).readIdleMs).toBe(0);
  });
  it("values that are not whole numbers keep the defaults, as strconv.Atoi failing does in client-go", () => {
    expect(
      healthCheckFromEnv({ HTTP2_READ_IDLE_TIMEOUT_SECONDS: "1.5", HTTP2_PING_TIMEOUT_SECONDS: "x" }),
    ).toEqual({ readIdleMs: 30_000, pingTimeoutMs: 15_000 });
  });
});

describe("Http2Transport: node:http2 for an origin once our client saw a protocol error there", () => {
  /** A server that answers its first request with `first`, every later one as it should (200). */
  async function twoFaced(first: (socket: import("node:net").Socket, f: ClientFrame) => void) {
    const certs = await generateCerts();
    let requests = 0;
    const server = await frameServer(
      (socket, f) => {
        if (f.type !== 1) return;
        if (++requests === 1) first(socket, f);
        else socket.write(h2frame(1, 5, f.id, Buffer.from([0x88]))); // 200, END_STREAM
      },
      { tls: { cert: certs.serverCertPem, key: certs.serverKeyPem } },
    );
    closers.push(server.close);
    const origin = `https://127.0.0.1:${server.port}`;
    const debug: string[] = [];
    const transport = h2Transport(origin, certs.caPem, "own", { onDebug: (m) => debug.push(m) });
    const get = () =>
      transport.request({ url: new URL(`${origin}/x`), headers: {}, signal: undefined, timeoutMs: 5000 });
    return { server, debug, get, transport };
  }

  it("a header block it cannot decode (COMPRESSION_ERROR): one debug line, then node:http2 on a new connection", async () => {
    // An indexed field of index 0: no such entry.
    const t = await twoFaced((socket, f) => socket.write(h2frame(1, 4, f.id, Buffer.from([0x80]))));
    await expect(t.get()).rejects.toThrow(
      /^cannot reach the API server at \S+: http2: protocol error from the server \(header compression: [^\n]+\)$/,
    );
    expect((await t.get()).status).toBe(200);
    expect((await t.get()).status).toBe(200);
    expect(t.debug).toEqual([
      expect.stringMatching(
        /^http2: protocol error on the connection to https:\/\/127\.0\.0\.1:\d+ \(header compression: [^\n]+\); node:http2 for its connections from now on$/,
      ),
    ]);
    expect(t.server.sockets).toHaveLength(2);
  });

  it("a GOAWAY with PROTOCOL_ERROR from the server switches too", async () => {
    const goaway = Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]); // last stream 0, PROTOCOL_ERROR
    const t = await twoFaced((socket) => socket.write(h2frame(7, 0, 0, goaway)));
    await expect(t.get()).rejects.toThrow(/GOAWAY/);
    expect((await t.get()).status).toBe(200);
    expect(t.debug).toEqual([
      expect.stringMatching(/\(the server sent GOAWAY \(error code 1\)\); node:http2/),
    ]);
    expect(t.transport.client).toBe("node:http2");
  });

  it("an error that is not about the protocol (RST_STREAM INTERNAL_ERROR) keeps our client", async () => {
    const t = await twoFaced((socket, f) => socket.write(h2frame(3, 0, f.id, Buffer.from([0, 0, 0, 2]))));
    await expect(t.get()).rejects.toThrow(/error code 2/);
    expect((await t.get()).status).toBe(200);
    expect(t.debug).toEqual([]);
    expect(t.transport.client).toBe("own");
  });
});
