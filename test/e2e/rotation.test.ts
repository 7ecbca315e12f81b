// Log rotation as the kubelet does it: after a rotation only the current file is served, so a resume
// from sinceTime (whole seconds) does not get back the lines of that second that were rotated away.
import { describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines } from "./stern-process.ts";

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
    await new Promise((r) => setTimeout(r, 300));
    expect(lines(run.stdout())).toEqual(["a", "b", "c", "d", "e"]);
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
    await new Promise((r) => setTimeout(r, 300));
    expect(lines(run.stdout())).toEqual(["a", "b", "c", "d", "e"]);
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
    await new Promise((r) => setTimeout(r, 300));
    expect(lines(run.stdout())).toEqual(["x", "y", "z", "end"]);
  });
});
