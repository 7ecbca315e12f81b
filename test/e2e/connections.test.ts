// Connections that die without a FIN or RST (a NAT or load-balancer entry forgotten, a laptop on
// another network), and an API server that stops answering: found, and resumed with nothing lost.
import { describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, sequence } from "./stern-process.ts";

const { sim, freshNamespace, startStern } = e2eHarness({
  namespacePrefix: "conn",
  clearFaults: true,
  sim: { network: true },
});

/** Short health checks, so that a test takes seconds (client-go's variables; defaults 30 s and 15 s). */
const fastChecks = { HTTP2_READ_IDLE_TIMEOUT_SECONDS: "1", HTTP2_PING_TIMEOUT_SECONDS: "1" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const followRequests = (ns: string) =>
  sim.requests.filter(
    (q) => q.path.startsWith(`/api/v1/namespaces/${ns}/`) && q.path.endsWith("/log") && q.query.get("follow"),
  );

/** Each HTTP/2 test runs with this project's client and with node:http2's (STERN_HTTP2=node). */
const H2_CLIENTS = [
  { client: "own", env: {} },
  { client: "node:http2", env: { STERN_HTTP2: "node" } },
];

describe.each(H2_CLIENTS)(
  "HTTP/2 connections health-checked as client-go does ($client)",
  ({ env: h2env }) => {
    it("a black-holed connection is found by an unanswered PING; streams resume on a new one with nothing lost", async () => {
      const ns = freshNamespace();
      const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
      const emit = pod.emit("app", { lines: 200, rate: 40, make: (i) => `n=${i}` });
      const run = startStern(["-n", ns, "web", "-o", "raw", "--only-log-lines", "--verbosity=1"], {
        kubeconfig: sim.kubeconfigPath,
        env: { ...fastChecks, ...h2env },
      });
      await run.waitFor("n=20\n");
      const started = performance.now();
      expect(sim.faults.blackhole()).toBeGreaterThan(0);
      await run.waitFor(/n=1\d\d\n/, 15_000);
      const recoveredMs = performance.now() - started;
      await emit.done;
      await run.waitFor("n=199\n", 15_000);
      await sleep(300);
      expect(sequence(run.stdout(), 200)).toEqual({ missing: 0, repeated: 0, disordered: 0 });
      // One line for the connection at --verbosity=1; the streams on it resume without one each.
      const debug = lines(run.stderr()).filter((l) => l.startsWith("debug:"));
      expect(debug.filter((l) => l.includes("lost"))).toHaveLength(1);
      expect(debug.find((l) => l.includes("lost"))).toMatch(
        /http2: connection to https:\/\/127\.0\.0\.1:\d+ lost/,
      );
      expect(debug.filter((l) => l.includes("resuming in"))).toEqual([]);
      console.log(
        `black hole to lines flowing again: ${Math.round(recoveredMs)} ms (read idle 1 s, ping timeout 1 s)`,
      );
    });

    it("a busy connection that falls silent is pinged after 5 s, without waiting for the 30 s read idle", async () => {
      const ns = freshNamespace();
      const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
      const emit = pod.emit("app", { lines: 600, rate: 40, make: (i) => `n=${i}` });
      // The default read idle (30 s); a short ACK timeout keeps the test short.
      const run = startStern(["-n", ns, "web", "-o", "raw", "--only-log-lines"], {
        kubeconfig: sim.kubeconfigPath,
        env: { HTTP2_PING_TIMEOUT_SECONDS: "1", ...h2env },
      });
      await run.waitFor("n=240\n", 15_000); // six busy seconds
      sim.faults.blackhole();
      const started = performance.now();
      const next = emit.emitted + 1;
      await run.waitFor(`n=${next}\n`, 20_000);
      const ms = performance.now() - started;
      expect(ms).toBeLessThan(9000);
      emit.stop();
      await sleep(300);
      expect(sequence(run.stdout(), next + 1).missing).toBe(0);
      expect(sequence(run.stdout(), next + 1).repeated).toBe(0);
      console.log(
        `busy connection, black hole to lines again: ${Math.round(ms)} ms (early PING at 5 s, ACK timeout 1 s)`,
      );
    });

    it("at --verbosity=0 the user sees nothing of it", async () => {
      const ns = freshNamespace();
      const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
      pod.log("app", "before");
      const run = startStern(["-n", ns, "web"], {
        kubeconfig: sim.kubeconfigPath,
        env: { ...fastChecks, ...h2env },
      });
      await run.waitFor("web app before");
      sim.faults.blackhole();
      await sleep(3500);
      pod.log("app", "after");
      await run.waitFor("web app after", 10_000);
      expect(lines(run.stdout())).toEqual(["web app before", "web app after"]);
      expect(lines(run.stderr())).toEqual(["+ web › app"]);
    });

    it("a quiet stream is never taken for a dead one: PINGs are answered and the stream stays", async () => {
      const ns = freshNamespace();
      const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
      pod.log("app", "first");
      const run = startStern(["-n", ns, "web", "--verbosity=1"], {
        kubeconfig: sim.kubeconfigPath,
        env: { ...fastChecks, ...h2env },
      });
      await run.waitFor("web app first");
      await sleep(5000); // five read-idle periods with nothing to read
      pod.log("app", "second");
      await run.waitFor("web app second");
      expect(followRequests(ns)).toHaveLength(1);
      expect(run.stderr()).not.toContain("lost");
    });

    it("a frozen API server: new connections hang too; lines flow again when it answers", async () => {
      const ns = freshNamespace();
      const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
      const emit = pod.emit("app", { lines: 160, rate: 40, make: (i) => `n=${i}` });
      const run = startStern(["-n", ns, "web", "-o", "raw", "--only-log-lines", "--request-timeout=1s"], {
        kubeconfig: sim.kubeconfigPath,
        env: { ...fastChecks, ...h2env },
      });
      await run.waitFor("n=10\n");
      sim.faults.freeze();
      await sleep(4000);
      sim.faults.thaw();
      await emit.done;
      await run.waitFor("n=159\n", 20_000);
      await sleep(300);
      expect(sequence(run.stdout(), 160)).toEqual({ missing: 0, repeated: 0, disordered: 0 });
    });
  },
);

describe("HTTP/1.1 connections (kubectl proxy, proxies without HTTP/2)", () => {
  const http1 = { ...fastChecks, STERN_HTTP1: "1" };

  it("a black-holed stream is found by asking for the log's last line elsewhere, and resumed", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    const emit = pod.emit("app", { lines: 200, rate: 40, make: (i) => `n=${i}` });
    const run = startStern(["-n", ns, "web", "-o", "raw", "--only-log-lines", "--verbosity=1"], {
      kubeconfig: sim.kubeconfigPath,
      env: http1,
    });
    await run.waitFor("n=20\n");
    expect(sim.faults.blackhole()).toBeGreaterThan(0);
    await emit.done;
    await run.waitFor("n=199\n", 20_000);
    await sleep(300);
    expect(sequence(run.stdout(), 200)).toEqual({ missing: 0, repeated: 0, disordered: 0 });
    expect(run.stderr()).toContain("while the container wrote");
  });

  it("a quiet stream only gets its last line asked for: it is never reopened", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "first");
    const run = startStern(["-n", ns, "web"], { kubeconfig: sim.kubeconfigPath, env: http1 });
    await run.waitFor("web app first");
    await sleep(5000);
    pod.log("app", "second");
    await run.waitFor("web app second");
    expect(followRequests(ns)).toHaveLength(1);
    const probes = sim.requests.filter(
      (q) => q.path === `/api/v1/namespaces/${ns}/pods/web/log` && q.query.get("tailLines") === "1",
    );
    expect(probes.length).toBeGreaterThan(0);
    expect(lines(run.stdout())).toEqual(["web app first", "web app second"]);
  });
});
