// The HTTP/2 transport against the simulated API server: how it spreads streams over connections.
// Each test that is about connections runs with both HTTP/2 clients (this project's and node:http2).
import { createSecureContext } from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateCerts } from "../../../sim/certs.ts";
import { type Sim, startSim } from "../../../sim/index.ts";
import { Connector } from "../../../src/kube/connector.ts";
import { healthCheckFromEnv } from "../../../src/kube/h2/health.ts";
import { Http2Transport, streamWindowFor } from "../../../src/kube/h2/pool.ts";
import { Http1Transport } from "../../../src/kube/http1.ts";
import { systemClock } from "../../../src/util/clock.ts";
import { eventually, frameServer, h2frame } from "./h2/helpers.ts";

const CLIENTS = ["own", "node"] as const;

/** The HTTP/2 transport to `origin`, trusting `ca`, with our HTTP/2 client or node:http2's. */
function h2Transport(origin: string, ca: string, client: (typeof CLIENTS)[number]): Http2Transport {
  const connector = new Connector(
    new URL(origin),
    { tls: { secureContext: createSecureContext({ ca }) } },
    systemClock,
  );
  return new Http2Transport(connector, new Http1Transport(connector, systemClock), {
    clock: systemClock,
    nodeHttp2: client === "node",
  });
}

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
