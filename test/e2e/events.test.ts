// --events: the Kubernetes events of what stern follows, in the stream.
import { describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, runStern, type SternRun } from "./stern-process.ts";

const { sim, freshNamespace, startStern } = e2eHarness({
  sim: { namespaces: ["default"] },
  namespacePrefix: "ev",
  clearFaults: true,
});

function follow(ns: string, ...args: string[]): SternRun {
  return startStern(["-n", ns, ...args], { kubeconfig: sim.kubeconfigPath });
}

const eventLines = (out: string) => lines(out).filter((l) => l.startsWith("event "));

describe("--events", () => {
  it("interleaves the events of followed pods, not of others, and not those before --since", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] });
    const other = sim.addPod({ namespace: ns, name: "api-1", containers: [{ name: "app" }] });
    pod.event("Normal", "Pulled", "an old pull", { at: Date.now() - 2 * 3_600_000 });
    pod.event("Normal", "Started", "Started container app");
    other.event("Warning", "Unhealthy", "not ours");
    pod.log("app", "working");
    const r = follow(ns, "web", "--events", "--since", "1h");
    await r.waitFor("event Normal Pod/web-1 Started: Started container app");
    await r.waitFor("web-1 app working");
    pod.log("app", "panic: boom");
    await r.waitFor("web-1 app panic: boom");
    pod.wait("app", "CrashLoopBackOff");
    const backOff = `event Warning Pod/web-1 BackOff: Back-off restarting failed container app in pod web-1_${ns}(${pod.uid})`;
    await r.waitFor(backOff);
    pod.start("app").wait("app", "CrashLoopBackOff", { backOff: "20s" });
    await r.waitFor(`${backOff} (x2)`);
    expect(eventLines(r.stdout())).toEqual([
      "event Normal Pod/web-1 Started: Started container app",
      backOff,
      `${backOff} (x2)`,
    ]);
    // The group the server prefers, listed then watched.
    const reads = sim.requests.filter((q) => q.path === `/apis/events.k8s.io/v1/namespaces/${ns}/events`);
    expect(reads.some((q) => q.query.get("watch") === "1" || q.query.get("watch") === "true")).toBe(true);
  });

  it("--event-types Warning narrows; owners' events (a ReplicaSet's FailedCreate, its Deployment) come too", async () => {
    const ns = freshNamespace();
    const dep = sim.addDeployment({
      namespace: ns,
      name: "shop",
      replicas: 1,
      containers: [{ name: "app" }],
    });
    const pod = dep.pods[0]!;
    const rs = dep.replicaSetName;
    const about = (kind: string, name: string) => ({
      kind,
      apiVersion: "apps/v1",
      name,
      namespace: ns,
      uid: `${kind}-${name}`,
    });
    const source = { component: "replicaset-controller" };
    const r = follow(ns, "shop", "--events", "--event-types", "Warning");
    await r.waitFor(`+ ${pod.name} › app`);
    pod.event("Normal", "Pulled", "not a warning");
    sim.recordEvent({
      involvedObject: about("ReplicaSet", rs),
      type: "Warning",
      reason: "FailedCreate",
      message: "quota exceeded",
      source,
    });
    sim.recordEvent({
      involvedObject: about("Deployment", "shop"),
      type: "Warning",
      reason: "ProgressDeadlineExceeded",
      message: "too slow",
      source,
    });
    sim.recordEvent({
      involvedObject: about("Deployment", "other"),
      type: "Warning",
      reason: "Nope",
      message: "not ours",
      source,
    });
    // A last event of ours, after them all: when it is out, anything printed of those before it is.
    sim.recordEvent({
      involvedObject: about("Deployment", "shop"),
      type: "Warning",
      reason: "Last",
      message: "sentinel",
      source,
    });
    await r.waitFor("sentinel");
    expect(eventLines(r.stdout())).toEqual([
      `event Warning ReplicaSet/${rs} FailedCreate: quota exceeded`,
      "event Warning Deployment/shop ProgressDeadlineExceeded: too slow",
      "event Warning Deployment/shop Last: sentinel",
    ]);
  });

  it("--no-follow --sort: events in time order with the log lines; -o json gives them as records", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] });
    const t = Date.now() - 60_000;
    pod.logAt("app", t, "first");
    pod.event("Warning", "Unhealthy", "Readiness probe failed: HTTP 503", {
      at: t + 10_000,
      fieldPath: "spec.containers{app}",
    });
    pod.logAt("app", t + 20_000, "second");
    const r = await runStern(["-n", ns, "web", "--no-follow", "--events", "--sort"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([
      "web-1 app first",
      "event Warning Pod/web-1 Unhealthy: Readiness probe failed: HTTP 503",
      "web-1 app second",
    ]);
    const json = await runStern(["-n", ns, "web", "--no-follow", "--events", "-o", "json"], {
      kubeconfig: sim.kubeconfigPath,
    });
    const records = lines(json.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.find((x) => x.event)).toEqual({
      event: {
        type: "Warning",
        reason: "Unhealthy",
        kind: "Pod",
        name: "web-1",
        count: 1,
        time: new Date(Math.floor((t + 10_000) / 1000) * 1000).toISOString(),
      },
      message: "Readiness probe failed: HTTP 503",
      namespace: ns,
      podName: "web-1",
      containerName: "app",
    });
  });

  it("reads core/v1 events where events.k8s.io is not served", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] });
    pod.event("Warning", "Failed", "Error: secret not found");
    sim.faults.failNext({ path: /^\/apis\/events\.k8s\.io\//, status: 404, times: 10 });
    const r = await runStern(["-n", ns, "web", "--no-follow", "--events"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect(eventLines(r.stdout)).toEqual(["event Warning Pod/web-1 Failed: Error: secret not found"]);
    expect(sim.requests.some((q) => q.path === `/api/v1/namespaces/${ns}/events`)).toBe(true);
  });

  it("bad input: one clear line", async () => {
    const bad = await runStern(["web", "--events", "--event-types", "Critical"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect([bad.code, bad.stderr]).toEqual([
      1,
      'Error: invalid --event-types "Critical": use Normal or Warning\n',
    ]);
    const alone = await runStern(["web", "--event-types", "Warning"], { kubeconfig: sim.kubeconfigPath });
    expect([alone.code, alone.stderr]).toEqual([1, "Error: --event-types needs --events\n"]);
  });

  it("a Job's BackoffLimitExceeded comes with its pod's end", async () => {
    const ns = freshNamespace();
    const job = sim.addJob({
      namespace: ns,
      name: "migrate",
      containers: [{ name: "run" }],
      backoffLimit: 0,
    });
    const r = startStern(["-n", ns, "job/migrate", "--events"], { kubeconfig: sim.kubeconfigPath });
    await r.waitFor("+ migrate-");
    job.fail(3);
    await r.waitFor(
      "event Warning Job/migrate BackoffLimitExceeded: Job has reached the specified backoff limit",
    );
    await r.waitFor("(exit 3, Error)");
  });

  it("events that cannot be read are said once on stderr; the logs go on", async () => {
    const ns = freshNamespace();
    sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] }).log("app", "still here");
    sim.deny({ namespace: ns, verb: "list", resource: "events.k8s.io/events" });
    try {
      const r = await runStern(["-n", ns, "web", "--no-follow", "--events"], {
        kubeconfig: sim.kubeconfigPath,
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe("web-1 app still here\n");
      expect(lines(r.stderr).filter((l) => l.startsWith("cannot read events"))).toEqual([
        expect.stringMatching(/^cannot read events: .*forbidden/),
      ]);
    } finally {
      sim.clearDeny();
    }
  });
});
