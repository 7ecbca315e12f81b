// --dry-run: the containers the query matches, with their state, and the log streams and requests a
// run would open; nothing is opened.
import { describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { runStern } from "./stern-process.ts";

const { sim, freshNamespace } = e2eHarness({ namespacePrefix: "dry" });

const stern = (...args: string[]) => runStern([...args, "--dry-run"], { kubeconfig: sim.kubeconfigPath });

/** A row of the table, laid out as kubectl lays out columns (three spaces past the widest cell). */
const row = (ns: string, pod: string, container: string, state: string) =>
  `sim       ${ns.padEnd(12)}${pod.padEnd(8)}${container.padEnd(12)}${state}`;

/** What the run opened in the namespace: log streams and watches. */
const opened = (ns: string) =>
  sim.requests.filter(
    (q) => q.path.includes(`/namespaces/${ns}/`) && (q.path.endsWith("/log") || q.query.get("watch")),
  );

describe("--dry-run", () => {
  it("lists the matching containers with their state, and what a run would open; opens nothing", async () => {
    const ns = freshNamespace();
    const web1 = sim.addPod({
      namespace: ns,
      name: "web-1",
      containers: [{ name: "app" }, { name: "proxy" }],
    });
    web1.wait("proxy", "CrashLoopBackOff");
    sim.addPod({
      namespace: ns,
      name: "web-2",
      containers: [{ name: "app", state: "terminated", exitCode: 0 }],
    });
    sim.addPod({ namespace: ns, name: "db-1", containers: [{ name: "pg" }] });
    const r = await stern("-n", ns, "web");
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toBe(
      [
        "CONTEXT   NAMESPACE   POD     CONTAINER   STATE",
        row(ns, "web-1", "app", "running"),
        row(ns, "web-1", "proxy", "waiting: CrashLoopBackOff"),
        row(ns, "web-2", "app", "terminated: exit 0, Completed"),
        "3 containers: 3 log streams (at most 3 open at once); 5 requests in all: 3 log streams, 1 list, 1 watch",
        "",
      ].join("\n"),
    );
    expect(opened(ns)).toEqual([]);
  });

  it("counts --previous's reads, --no-follow's bound and -c's choice", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "api-1", containers: [{ name: "api" }, { name: "log" }] });
    pod.restart("api", { exitCode: 137, reason: "OOMKilled" });
    const prev = await stern("-n", ns, "api", "--previous", "-c", "api");
    expect(prev.stdout.split("\n").slice(1, 3)).toEqual([
      row(ns, "api-1", "api", "terminated (previous): exit 137, OOMKilled, restart 1"),
      row(ns, "api-1", "api", "running"),
    ]);
    expect(prev.stdout).toContain("1 container: 2 log streams (at most 2 open at once)");
    // --max-log-requests bounds what is open at once.
    const bounded = await stern("-n", ns, "api", "--max-log-requests", "1");
    expect(bounded.stdout).toContain("2 containers: 2 log streams (at most 1 open at once)");
    const once = await stern("-n", ns, "api", "--no-follow", "--events");
    expect(once.stdout.trim().split("\n").at(-1)).toBe(
      "2 containers: 2 log streams (at most 2 open at once); 5 requests in all: 2 log streams, 3 lists, 0 watches",
    );
    expect(opened(ns)).toEqual([]);
  });

  it("nothing matching is said so", async () => {
    const ns = freshNamespace();
    const r = await stern("-n", ns, "nothing-here");
    expect(r.stdout).toBe(
      "CONTEXT   NAMESPACE   POD   CONTAINER   STATE\n0 containers: no log stream; 2 requests in all: 0 log streams, 1 list, 1 watch\n",
    );
  });

  it("with --stdin is a one-line error", async () => {
    const r = await stern("--stdin");
    expect([r.code, r.stderr]).toEqual([
      1,
      "Error: --dry-run lists a cluster's containers: it cannot be used with --stdin\n",
    ]);
  });
});
