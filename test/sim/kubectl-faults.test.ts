// The field's faults, as the real kubectl (client-go) sees them in the sim: black-holed connections,
// a frozen API server and the kubelet's log rotation. If kubectl tells these apart, so must the sim.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sim, startSim } from "../../sim/index.ts";
import { followKubectl, KUBECTL, runKubectl } from "./kubectl-run.ts";

const run = existsSync(KUBECTL) || process.env.CI === "true";
if (!run) console.warn(`kubectl fault tests skipped: ${KUBECTL} not found`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(run)("real kubectl against the sim's faults", () => {
  let sim: Sim;
  let home: string;
  let ns = 0;
  const fresh = () => {
    const name = `kf${++ns}`;
    sim.addNamespace(name);
    return name;
  };
  const kubectl = (args: string[]) => runKubectl({ kubeconfig: sim.kubeconfigPath, home }, args);
  const follow = (args: string[], env: Record<string, string> = {}) =>
    followKubectl({ kubeconfig: sim.kubeconfigPath, home, env }, args);
  // client-go's health check, shortened (defaults: 30 s without a frame read, then 15 s for the ACK).
  const fastChecks = { HTTP2_READ_IDLE_TIMEOUT_SECONDS: "1", HTTP2_PING_TIMEOUT_SECONDS: "1" };

  beforeAll(async () => {
    sim = await startSim({ network: true });
    home = mkdtempSync(join(tmpdir(), "kubectl-home-"));
  });
  afterAll(async () => {
    await sim.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it("kubectl logs -f on a quiet stream keeps running: the sim answers client-go's PINGs", async () => {
    const n = fresh();
    const pod = sim.addPod({ namespace: n, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "hello");
    const k = follow(["-n", n, "logs", "-f", "web"], fastChecks);
    await k.until((o) => o.includes("hello"));
    await sleep(4000);
    expect(k.child.exitCode).toBeNull();
    pod.log("app", "still here");
    await k.until((o) => o.includes("still here"));
    k.child.kill();
    await k.exited;
  });

  it("kubectl logs -f through a black hole: client-go's PING goes unanswered and it gives up", async () => {
    const n = fresh();
    const pod = sim.addPod({ namespace: n, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "hello");
    const k = follow(["-n", n, "logs", "-f", "web"], fastChecks);
    await k.until((o) => o.includes("hello"));
    const started = Date.now();
    expect(sim.faults.blackhole()).toBeGreaterThan(0);
    const code = await k.exited;
    expect(code).not.toBe(0);
    expect(k.err).toContain("http2: client connection lost");
    // Read idle 1 s, then 1 s for the ACK: well before the 10 s an unhealthy check would need.
    expect(Date.now() - started).toBeLessThan(10_000);
    // New connections are not in the black hole.
    const again = await kubectl(["-n", n, "logs", "web"]);
    expect(again).toMatchObject({ code: 0, stdout: "hello\n" });
  });

  it("a frozen API server: kubectl's request times out; it answers again after thaw", async () => {
    const n = fresh();
    sim.addPod({ namespace: n, name: "web", containers: [{ name: "app" }] });
    sim.faults.freeze();
    try {
      const r = await kubectl(["-n", n, "get", "pods", "--request-timeout=2s"]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/timeout|deadline|Client\.Timeout/i);
    } finally {
      sim.faults.thaw();
    }
    const ok = await kubectl(["-n", n, "get", "pods", "-o", "name"]);
    expect(ok).toMatchObject({ code: 0, stdout: "pod/web\n" });
  });

  it("after a rotation kubectl logs shows the current file only", async () => {
    const n = fresh();
    const pod = sim.addPod({ namespace: n, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "old-1", "old-2");
    pod.rotateLog("app", { streams: "continue" });
    pod.log("app", "new-1");
    expect(await kubectl(["-n", n, "logs", "web"])).toMatchObject({ code: 0, stdout: "new-1\n" });
    expect((await kubectl(["-n", n, "logs", "web", "--tail=5"])).stdout).toBe("new-1\n");
  });

  it("kubectl logs -f stops at a rotation on a kubelet before 1.29, and goes on across one on 1.29+", async () => {
    const n = fresh();
    const pod = sim.addPod({ namespace: n, name: "web", containers: [{ name: "app" }, { name: "side" }] });
    pod.log("app", "a-old").log("side", "s-old");
    const ending = follow(["-n", n, "logs", "-f", "web", "-c", "app"]);
    const going = follow(["-n", n, "logs", "-f", "web", "-c", "side"]);
    await ending.until((o) => o.includes("a-old"));
    await going.until((o) => o.includes("s-old"));
    expect(pod.rotateLog("app", { streams: "end" })).toBe(1);
    expect(pod.rotateLog("side", { streams: "continue" })).toBe(0);
    pod.log("app", "a-new").log("side", "s-new");
    expect(await ending.exited).toBe(0);
    expect(ending.out).toBe("a-old\n");
    await going.until((o) => o.includes("s-new"));
    expect(going.out).toBe("s-old\ns-new\n");
    going.child.kill();
    await going.exited;
  });
});

describe.runIf(run)("real kubectl against what a real kubelet does (docs/reliability.md K2-K4)", () => {
  let sim: Sim;
  let home: string;
  let ns = 0;
  const fresh = () => {
    const name = `kk${++ns}`;
    sim.addNamespace(name);
    return name;
  };
  const kubectl = (args: string[]) => runKubectl({ kubeconfig: sim.kubeconfigPath, home }, args);
  const follow = (args: string[], env: Record<string, string> = {}) =>
    followKubectl({ kubeconfig: sim.kubeconfigPath, home, env }, args);
  const fastChecks = { HTTP2_READ_IDLE_TIMEOUT_SECONDS: "1", HTTP2_PING_TIMEOUT_SECONDS: "1" };

  beforeAll(async () => {
    sim = await startSim();
    home = mkdtempSync(join(tmpdir(), "kubectl-home-"));
  });
  afterAll(async () => {
    await sim.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it("K2, a stream left on the rotated file: kubectl logs -f stalls for good, healthy, while the container writes", async () => {
    const n = fresh();
    const pod = sim.addPod({ namespace: n, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "old-1", "old-2");
    const k = follow(["-n", n, "logs", "-f", "web"], fastChecks);
    await k.until((o) => o.includes("old-2"));
    expect(pod.rotateLog("app", { streams: "stall" })).toBe(1);
    pod.log("app", "new-1", "new-2");
    // Three health-check periods: PINGs are answered, so client-go sees nothing wrong.
    await sleep(3000);
    expect(k.child.exitCode).toBeNull();
    expect(k.out).toBe("old-1\nold-2\n");
    // The lines are there for a new request: only the current file.
    expect((await kubectl(["-n", n, "logs", "web"])).stdout).toBe("new-1\nnew-2\n");
    // The stream ends when the container stops, as the kubelet's state check ends it.
    pod.terminate("app");
    expect(await k.exited).toBe(0);
    expect(k.out).toBe("old-1\nold-2\n");
  });

  it("K2, a stall that goes on from a later file: kubectl logs -f silently skips the file between", async () => {
    const n = fresh();
    const pod = sim.addPod({ namespace: n, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "a");
    const k = follow(["-n", n, "logs", "-f", "web"]);
    await k.until((o) => o.includes("a"));
    pod.rotateLog("app", { streams: "skip" });
    pod.log("app", "b1", "b2");
    await sleep(300);
    expect(k.out).toBe("a\n");
    pod.rotateLog("app", { streams: "continue" });
    pod.log("app", "c1");
    await k.until((o) => o.includes("c1"));
    expect(k.out).toBe("a\nc1\n");
    k.child.kill();
    await k.exited;
  });

  it("K2, a stall that goes on by itself: kubectl logs -f is silent, then gets every line", async () => {
    const n = fresh();
    const pod = sim.addPod({ namespace: n, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "a");
    const k = follow(["-n", n, "logs", "-f", "web"]);
    await k.until((o) => o.includes("a"));
    pod.rotateLog("app", { streams: "pause", pauseMs: 800 });
    pod.log("app", "b1", "b2");
    await sleep(300);
    expect(k.out).toBe("a\n");
    await k.until((o) => o.includes("b2"));
    expect(k.out).toBe("a\nb1\nb2\n");
    k.child.kill();
    await k.exited;
  });

  it("K3, a followed pod deleted: kubectl logs -f prints the kubelet's error as a log line and exits 0", async () => {
    const n = fresh();
    const pod = sim.addPod({ namespace: n, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "last words");
    const k = follow(["-n", n, "logs", "-f", "web"]);
    await k.until((o) => o.includes("last words"));
    await pod.delete({ graceMs: 200, kubeletError: true });
    expect(await k.exited).toBe(0);
    expect(k.out).toMatch(
      /^last words\nrpc error: code = NotFound desc = an error occurred when try to find container "[0-9a-f]{64}": not found$/,
    );
  });

  it("K3, the kubelet's reader fails mid-stream: its text ends the body, the container runs on", async () => {
    const n = fresh();
    const pod = sim.addPod({ namespace: n, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "one");
    const k = follow(["-n", n, "logs", "-f", "web"]);
    await k.until((o) => o.includes("one"));
    expect(sim.faults.kubeletError({ namespace: n })).toBe(1);
    expect(await k.exited).toBe(0);
    expect(k.out).toMatch(/^one\nfailed to try resolving symlinks in path "[^"]+": lstat [^\n]+$/);
  });

  it("K4, the previous instance right after a second crash: kubectl logs -p gets the runtime's error, then the log", async () => {
    const n = fresh();
    const pod = sim.addPod({ namespace: n, name: "web", containers: [{ name: "app" }] });
    sim.cluster.previousGapMs = 1500;
    try {
      pod.log("app", "first life");
      pod.restart("app");
      pod.log("app", "second life");
      pod.restart("app");
      const early = await kubectl(["-n", n, "logs", "-p", "web"]);
      expect(early.code).toBe(0);
      expect(early.stdout).toMatch(/^unable to retrieve container logs for containerd:\/\/[0-9a-f]{64}$/);
      await sleep(2000);
      expect(await kubectl(["-n", n, "logs", "-p", "web"])).toMatchObject({
        code: 0,
        stdout: "second life\n",
      });
    } finally {
      sim.cluster.previousGapMs = 0;
    }
  });
});

describe.runIf(run)(
  "real kubectl against the sim as kubectl proxy serves it, and with one line per frame",
  () => {
    let sim: Sim;
    let home: string;
    beforeAll(async () => {
      sim = await startSim({ plainHttp: true });
      home = mkdtempSync(join(tmpdir(), "kubectl-home-"));
    });
    afterAll(async () => {
      await sim.stop();
      rmSync(home, { recursive: true, force: true });
    });
    const kubectl = (args: string[]) => runKubectl({ kubeconfig: sim.kubeconfigPath, home }, args);

    it("serves plain HTTP/1.1 without credentials: kubectl gets pods and logs", async () => {
      expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const pod = sim.addPod({ name: "web", containers: [{ name: "app" }] });
      pod.log("app", "over plain http");
      expect(await kubectl(["get", "pods", "-o", "name"])).toMatchObject({ code: 0, stdout: "pod/web\n" });
      expect(await kubectl(["logs", "web"])).toMatchObject({ code: 0, stdout: "over plain http\n" });
      const watch = await kubectl(["get", "pods", "-w", "--request-timeout=2s", "-o", "name"]);
      expect(watch.stdout).toContain("pod/web");
    });

    it("a log written a line per frame reaches kubectl whole", async () => {
      const pod = sim.addPod({ name: "framed", containers: [{ name: "app" }] });
      pod.emitFast("app", { lines: 3000, lineBytes: 60, frameBytes: 1 });
      const r = await kubectl(["logs", "framed"]);
      expect(r.code).toBe(0);
      const got = r.stdout.split("\n").filter(Boolean);
      expect(got).toHaveLength(3000);
      expect(got[2999]).toMatch(/^line 000002999 /);
    });
  },
);
