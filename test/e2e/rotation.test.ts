// Log rotation as the kubelet does it: after a rotation only the current file is served, so a resume
// from sinceTime (whole seconds) does not get back the lines of that second that were rotated away.
import { describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, numbers, sequence, waitUntil } from "./stern-process.ts";

const { sim, freshNamespace, startStern } = e2eHarness({ namespacePrefix: "rot", clearFaults: true });

/** A whole second a little in the past, and the RFC 3339 time `ns` nanoseconds into it. */
const second = Math.floor(Date.now() / 1000) * 1000 - 5000;
const at = (s: number, ns: number) =>
  `${new Date(second + s * 1000).toISOString().slice(0, 19)}.${String(ns).padStart(9, "0")}Z`;

const logRequests = (ns: string) =>
  sim.requests.filter((q) => q.path.startsWith(`/api/v1/namespaces/${ns}/`) && q.path.endsWith("/log"));

describe("log rotation", () => {
  it("a stream that ends at a rotation (kubelet < 1.29) resumes in the new file without losing its first lines", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    pod.logAt("app", at(0, 100), "a").logAt("app", at(0, 200), "b");
    const run = startStern(["-n", ns, "web", "-o", "raw", "--only-log-lines"], {
      kubeconfig: sim.kubeconfigPath,
    });
    await run.waitFor("b\n");
    expect(pod.rotateLog("app", { streams: "end" })).toBe(1);
    // Written to the new file in the same second, before stern resumes: the replay holds c and d only.
    pod.logAt("app", at(0, 300), "c").logAt("app", at(0, 400), "d");
    await run.waitFor("d\n");
    pod.logAt("app", at(1, 0), "e");
    await run.waitFor("e\n");
    // A line after: a repeat of those before it would come first, on the same stream.
    pod.logAt("app", at(2, 0), "sentinel");
    await run.waitFor("sentinel\n");
    expect(lines(run.stdout())).toEqual(["a", "b", "c", "d", "e", "sentinel"]);
    const reqs = logRequests(ns);
    expect(reqs.length).toBe(2);
    expect(reqs[1]?.query.get("sinceTime")).toBe(`${at(0, 0).slice(0, 19)}Z`);
  });

  it("a stream that goes on across a rotation (kubelet 1.29+) and then breaks resumes from the new file only", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    pod.logAt("app", at(0, 100), "a").logAt("app", at(0, 200), "b");
    const run = startStern(["-n", ns, "web", "-o", "raw", "--only-log-lines"], {
      kubeconfig: sim.kubeconfigPath,
    });
    await run.waitFor("b\n");
    expect(pod.rotateLog("app", { streams: "continue" })).toBe(0);
    pod.logAt("app", at(0, 300), "c");
    await run.waitFor("c\n");
    // The connection breaks; the replay of that second is the new file: c (read) and d (not read).
    sim.faults.cutLogStreams({ namespace: ns });
    pod.logAt("app", at(0, 400), "d");
    await run.waitFor("d\n");
    pod.logAt("app", at(1, 0), "e");
    await run.waitFor("e\n");
    // A line after: a repeat of those before it would come first, on the same stream.
    pod.logAt("app", at(2, 0), "sentinel");
    await run.waitFor("sentinel\n");
    expect(lines(run.stdout())).toEqual(["a", "b", "c", "d", "e", "sentinel"]);
  });

  it("lines with exactly the same timestamp are told apart by what was printed", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    pod.logAt("app", at(0, 500), "x", "y");
    const run = startStern(["-n", ns, "web", "-o", "raw", "--only-log-lines"], {
      kubeconfig: sim.kubeconfigPath,
    });
    await run.waitFor("y\n");
    pod.rotateLog("app", { streams: "end" });
    // The new file's first line has the very timestamp of the last lines read, with another message.
    pod.logAt("app", at(0, 500), "z");
    await run.waitFor("z\n");
    pod.logAt("app", at(1, 0), "end");
    await run.waitFor("end\n");
    // A line after: a repeat of those before it would come first, on the same stream.
    pod.logAt("app", at(2, 0), "sentinel");
    await run.waitFor("sentinel\n");
    expect(lines(run.stdout())).toEqual(["x", "y", "z", "end", "sentinel"]);
  });
});

// What a real kubelet's reader does at a rotation (docs/reliability.md K2): over HTTP/2 the connection
// stays healthy, so only the log itself can show that a stream stalled.
describe("streams that stall at a rotation, on both transports", () => {
  const probes = (ns: string) => logRequests(ns).filter((q) => q.query.get("tailLines") === "1");
  const follows = (ns: string) => logRequests(ns).filter((q) => q.query.get("follow") === "true");

  for (const transport of ["HTTP/2", "HTTP/1.1"] as const) {
    const env = transport === "HTTP/1.1" ? { STERN_HTTP1: "1" } : {};

    it(`${transport}: a busy stream left on the rotated file is resumed in seconds, every line once`, async () => {
      const ns = freshNamespace();
      const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
      const emit = pod.emit("app", { lines: 300, rate: 100, make: (i) => `n=${i}` });
      const run = startStern(["-n", ns, "web", "-o", "raw", "--only-log-lines"], {
        kubeconfig: sim.kubeconfigPath,
        env,
      });
      await run.waitFor("n=50\n");
      expect(pod.rotateLog("app", { streams: "stall" })).toBe(1);
      await emit.done;
      await run.waitFor("n=299\n", 15_000);
      // A line after: a repeat of those before it would come first, on the same stream.
      pod.log("app", "n=300");
      await run.waitFor("n=300\n");
      expect(sequence(run.stdout(), 300)).toEqual({ missing: 0, repeated: 0, disordered: 0 });
      expect(probes(ns).length).toBeGreaterThan(0);
      expect(follows(ns)).toHaveLength(2);
      expect(run.stderr()).toBe("");
    });
  }

  it("a stall that goes on from a later file: what that file held is told lost, once, with its time span", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    const emit = pod.emit("app", { lines: 400, rate: 100, make: (i) => `n=${i}` });
    const run = startStern(["-n", ns, "web", "-o", "raw"], { kubeconfig: sim.kubeconfigPath });
    await run.waitFor("n=50\n");
    pod.rotateLog("app", { streams: "skip" });
    // stern asks for the log's last line: a line it never got. Before it resumes, the kubelet rotates
    // again and the stuck reader goes on in the newest file.
    await waitUntil(() => probes(ns).length > 0, 10_000);
    pod.rotateLog("app", { streams: "continue" });
    await emit.done;
    await run.waitFor("n=399\n", 15_000);
    // A line after: a repeat of those before it would come first, on the same stream.
    pod.log("app", "n=400");
    await run.waitFor("n=400\n");
    const got = numbers(run.stdout());
    const { repeated, disordered, missing } = sequence(run.stdout(), 400);
    expect({ repeated, disordered }).toEqual({ repeated: 0, disordered: 0 });
    // One hole: the lines of the file between, and nothing else.
    expect(missing).toBeGreaterThan(0);
    const holes = got.filter((n, i) => i > 0 && n !== got[i - 1]! + 1);
    expect(holes).toHaveLength(1);
    const notices = lines(run.stderr()).filter((l) => l.includes("lines lost"));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /^! web › app lines lost: logged after \d{4}-\d\d-\d\dT[\d:.]+Z and before \d{4}-\d\d-\d\dT[\d:.]+Z, in a log file rotated away before they could be read$/,
    );
  });

  it("a stall that goes on by itself after a pause loses nothing and repeats nothing", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    const emit = pod.emit("app", { lines: 300, rate: 100, make: (i) => `n=${i}` });
    const run = startStern(["-n", ns, "web", "-o", "raw", "--only-log-lines"], {
      kubeconfig: sim.kubeconfigPath,
    });
    await run.waitFor("n=50\n");
    pod.rotateLog("app", { streams: "pause", pauseMs: 1200 });
    await emit.done;
    await run.waitFor("n=299\n", 15_000);
    // A line after: a repeat of those before it would come first, on the same stream.
    pod.log("app", "n=300");
    await run.waitFor("n=300\n");
    expect(sequence(run.stdout(), 300)).toEqual({ missing: 0, repeated: 0, disordered: 0 });
    expect(run.stderr()).toBe("");
  });
});

describe("the kubelet's own text in a log body (docs/reliability.md K3, K4)", () => {
  it("a followed pod deleted: the kubelet's NotFound goes to stderr as its words, never to stdout", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "last words");
    const run = startStern(["-n", ns, "web"], { kubeconfig: sim.kubeconfigPath });
    await run.waitFor("web app last words\n");
    await pod.delete({ graceMs: 200, kubeletError: true });
    await run.waitFor("- web › app");
    expect(run.stdout()).toBe("web app last words\n");
    const err = lines(run.stderr());
    expect(err[0]).toBe("+ web › app");
    expect(err[1]).toMatch(
      /^! web › app kubelet: rpc error: code = NotFound desc = an error occurred when try to find container "[0-9a-f]{64}": not found$/,
    );
    expect(err[2]).toMatch(/^- web › app/);
    expect(err).toHaveLength(3);
  });

  it("the kubelet's reader fails mid-stream: its text is told, and the stream resumes with nothing lost", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    const emit = pod.emit("app", { lines: 100, rate: 100, make: (i) => `n=${i}` });
    const run = startStern(["-n", ns, "web", "-o", "raw"], { kubeconfig: sim.kubeconfigPath });
    await run.waitFor("n=20\n");
    expect(sim.faults.kubeletError({ namespace: ns })).toBe(1);
    await emit.done;
    await run.waitFor("n=99\n", 10_000);
    // A line after: a repeat of those before it would come first, on the same stream.
    pod.log("app", "n=100");
    await run.waitFor("n=100\n");
    expect(sequence(run.stdout(), 100)).toEqual({ missing: 0, repeated: 0, disordered: 0 });
    expect(lines(run.stderr()).filter((l) => l.startsWith("! "))).toEqual([
      '! web › app kubelet: failed to try resolving symlinks in path "/var/log/pods/0.log": lstat /var/log/pods/0.log: no such file or directory',
    ]);
  });

  it("--previous right after a second crash: the kubelet's 'unable to retrieve' is waited out, then the log", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "first life").restart("app").log("app", "second life").restart("app");
    sim.cluster.previousGapMs = 1500;
    try {
      const run = startStern(["-n", ns, "web", "--previous", "--no-follow", "-o", "raw"], {
        kubeconfig: sim.kubeconfigPath,
      });
      expect(await run.exited()).toBe(0);
      expect(run.stdout()).toBe("second life\n");
      expect(run.stderr()).not.toContain("unable to retrieve");
    } finally {
      sim.cluster.previousGapMs = 0;
    }
  });
});
