// More ways to pick pods: ingress/NAME (the pods of its Services), --ignore LABEL-SELECTOR (kail's),
// --node-selector over node labels (nodes watched: one that starts matching brings its pods in).
import { describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, runStern, waitUntil } from "./stern-process.ts";

const { sim, startStern, freshNamespace } = e2eHarness({ namespacePrefix: "sel" });

const stern = (...args: string[]) =>
  runStern(["--no-follow", "--only-log-lines", ...args], { kubeconfig: sim.kubeconfigPath });
const podsOf = (out: string) => [...new Set(lines(out).map((l) => l.split(" ")[0]))].sort();

function pod(namespace: string, name: string, labels: Record<string, string>, nodeName?: string) {
  return sim
    .addPod({ namespace, name, labels, containers: [{ name: "c" }], ...(nodeName ? { nodeName } : {}) })
    .log("c", `hello from ${name}`);
}

describe("ingress/NAME", () => {
  it("follows the pods of its rules' and default backend's Services, and no others", async () => {
    const ns = freshNamespace();
    pod(ns, "web-1", { app: "web" });
    pod(ns, "api-1", { app: "api" });
    pod(ns, "admin-1", { app: "admin" });
    sim.addService({ namespace: ns, name: "web", selector: { app: "web" } });
    sim.addService({ namespace: ns, name: "api", selector: { app: "api" } });
    sim.addService({ namespace: ns, name: "admin", selector: { app: "admin" } });
    sim.addIngress({
      namespace: ns,
      name: "shop",
      rules: [{ host: "shop.example.com", paths: [{ path: "/api", service: "api" }] }],
      defaultBackend: { service: "web" },
    });
    for (const kind of ["ingress", "ing", "ingresses"]) {
      const r = await stern("-n", ns, `${kind}/shop`);
      expect([r.code, podsOf(r.stdout)], r.stderr).toEqual([0, ["api-1", "web-1"]]);
    }
  });

  it("one Service's selector goes to the API; pods that come later are followed", async () => {
    const ns = freshNamespace();
    sim.addService({ namespace: ns, name: "web", selector: { app: "web", tier: "front" } });
    sim.addIngress({ namespace: ns, name: "site", rules: [{ paths: [{ service: "web" }] }] });
    pod(ns, "web-1", { app: "web", tier: "front" });
    pod(ns, "web-db", { app: "web", tier: "db" });
    const run = startStern(["-n", ns, "ingress/site"], { kubeconfig: sim.kubeconfigPath });
    await run.waitFor("web-1 c hello from web-1");
    const watch = sim.requests.find(
      (q) => q.path === `/api/v1/namespaces/${ns}/pods` && q.query.get("watch"),
    );
    expect(watch?.query.get("labelSelector")).toBe("app=web,tier=front");
    pod(ns, "web-2", { app: "web", tier: "front" });
    await run.waitFor("web-2 c hello from web-2");
    expect(run.stdout()).not.toContain("web-db");
  });

  it.each([
    ["ingress/missing", "ingress/missing not found in namespace NS"],
    [
      "ing/broken",
      "resource ing/broken has no services with pods to select: gone (not found), bare (no selector)",
    ],
  ])("%s is a clear error", async (query, message) => {
    const ns = freshNamespace();
    sim.addService({ namespace: ns, name: "bare" });
    sim.addIngress({
      namespace: ns,
      name: "broken",
      rules: [{ paths: [{ service: "gone" }, { service: "bare" }] }],
    });
    const r = await stern("-n", ns, query);
    expect([r.code, r.stderr]).toEqual([1, `Error: ${message.replace("NS", ns)}\n`]);
  });
});

describe("--ignore", () => {
  it("leaves out pods whose labels match any of its selectors", async () => {
    const ns = freshNamespace();
    pod(ns, "web-1", { app: "web" });
    pod(ns, "web-2", { app: "web", "kail.ignore": "true" });
    pod(ns, "web-3", { app: "web", tier: "debug" });
    pod(ns, "web-4", { app: "web", tier: "debug", team: "a" });
    const one = await stern("-n", ns, "web", "--ignore", "kail.ignore=true");
    expect(podsOf(one.stdout)).toEqual(["web-1", "web-3", "web-4"]);
    // All of a selector's requirements must hold for a pod to be left out.
    const both = await stern(
      "-n",
      ns,
      "web",
      "--ignore",
      "kail.ignore",
      "--ignore",
      "tier in (debug),team=a",
    );
    expect(podsOf(both.stdout)).toEqual(["web-1", "web-3"]);
  });

  it("while following: a pod relabelled to match is let go; an ignored new pod is never followed", async () => {
    const ns = freshNamespace();
    const web = pod(ns, "web-1", { app: "web" });
    const run = startStern(["-n", ns, "web", "--ignore", "kail.ignore=true"], {
      kubeconfig: sim.kubeconfigPath,
    });
    await run.waitFor("hello from web-1");
    pod(ns, "web-2", { app: "web", "kail.ignore": "true" });
    web.setLabels({ app: "web", "kail.ignore": "true" });
    await run.waitFor("- web-1 › c", 15_000);
    pod(ns, "web-3", { app: "web" });
    await run.waitFor("hello from web-3");
    expect(run.stdout()).not.toContain("web-2");
  });
});

describe("--node-selector", () => {
  it("follows only the pods on nodes whose labels match", async () => {
    const ns = freshNamespace();
    sim.addNode("ns1-a", { labels: { "topology.kubernetes.io/zone": "a" } });
    sim.addNode("ns1-b", { labels: { "topology.kubernetes.io/zone": "b" } });
    pod(ns, "web-a", { app: "web" }, "ns1-a");
    pod(ns, "web-b", { app: "web" }, "ns1-b");
    const r = await stern("-n", ns, "web", "--node-selector", "topology.kubernetes.io/zone=a");
    expect([r.code, podsOf(r.stdout)]).toEqual([0, ["web-a"]]);
    const notA = await stern("-n", ns, "web", "--node-selector", "topology.kubernetes.io/zone!=a");
    expect(podsOf(notA.stdout)).toEqual(["web-b"]);
  });

  it("a node that starts matching while following brings in the pods on it", async () => {
    const ns = freshNamespace();
    sim.addNode("ns2-a", { labels: { "topology.kubernetes.io/zone": "a" } });
    sim.addNode("ns2-c", { labels: { "topology.kubernetes.io/zone": "c" } });
    pod(ns, "web-a", { app: "web" }, "ns2-a");
    const late = pod(ns, "web-c", { app: "web" }, "ns2-c");
    const run = startStern(["-n", ns, "web", "--node-selector", "topology.kubernetes.io/zone=a"], {
      kubeconfig: sim.kubeconfigPath,
    });
    await run.waitFor("hello from web-a");
    await waitUntil(() => sim.requests.some((q) => q.path === "/api/v1/nodes" && q.query.get("watch")));
    sim.labelNode("ns2-c", { "topology.kubernetes.io/zone": "a" });
    await run.waitFor("+ web-c › c");
    await run.waitFor("hello from web-c");
    late.log("c", "now in zone a");
    await run.waitFor("web-c c now in zone a");
    const nodeList = sim.requests.find((q) => q.path === "/api/v1/nodes" && !q.query.get("watch"));
    expect(nodeList?.query.get("labelSelector")).toBe("topology.kubernetes.io/zone=a");
  });
});

describe("bad input is one line before any request", () => {
  it.each([
    [["--ignore", "a in b"], 'invalid --ignore "a in b": expected \'(\' after in, found "b"'],
    [["--node-selector", "-zone=a"], 'invalid --node-selector "-zone=a": "-zone" is not a valid label key'],
  ])("%j", async (args, message) => {
    sim.clearRequests();
    const r = await runStern(["web", ...args], { kubeconfig: sim.kubeconfigPath });
    expect([r.code, r.stdout, r.stderr]).toEqual([1, "", `Error: ${message}\n`]);
    expect(sim.requests).toEqual([]);
  });
});
