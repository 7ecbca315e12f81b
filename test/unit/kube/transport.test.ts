// The HTTP/2 transport against the simulated API server: how it spreads streams over connections.
import { createSecureContext } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sim, startSim } from "../../../sim/index.ts";
import {
  Http1Transport,
  Http2Transport,
  healthCheckFromEnv,
  streamWindowFor,
} from "../../../src/kube/transport.ts";

let sim: Sim;
beforeAll(async () => {
  sim = await startSim({ maxConcurrentStreams: 100 });
});
afterAll(async () => {
  await sim.stop();
});

describe("Http2Transport", () => {
  it("a burst of requests made before any connection is up spreads over connections with room", async () => {
    for (let i = 0; i < 250; i++)
      sim.addPod({ name: `p-${i}`, containers: [{ name: "c" }] }).log("c", `line ${i}`);
    const transport = new Http2Transport(
      new URL(sim.url).origin,
      { secureContext: createSecureContext({ ca: sim.caPem }) },
      new Http1Transport(),
    );
    const abort = new AbortController();
    // All 250 in one synchronous burst: no session has connected when the last one picks its own.
    const responses = await Promise.all(
      Array.from({ length: 250 }, (_, i) =>
        transport.request(
          {
            url: new URL(`${sim.url}/api/v1/namespaces/default/pods/p-${i}/log?follow=true`),
            headers: { Authorization: `Bearer ${sim.token}` },
            signal: abort.signal,
            timeoutMs: 10_000,
          },
          undefined,
        ),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(250).fill(200));
    expect(sim.connections).toBeGreaterThanOrEqual(3);
    abort.abort();
  });

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
