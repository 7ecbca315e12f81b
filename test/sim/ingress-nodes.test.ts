// Ingresses (networking.k8s.io/v1: GET, LIST, WATCH, discovery, the `kubectl get ingress` columns) and
// nodes with labels (selected by label, relabelled with a MODIFIED event, the `kubectl get nodes`
// columns), checked on the API and with the real kubectl.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventReader, getJson, open } from "../../sim/client.ts";
import type { Sim } from "../../sim/index.ts";
import { startSim } from "../../sim/index.ts";
import { KUBECTL, runKubectl } from "./kubectl-run.ts";

const haveKubectl = existsSync(KUBECTL);
const ci = process.env.CI === "true";

// biome-ignore lint/suspicious/noExplicitAny: navigating arbitrary JSON bodies in assertions
type Json = Record<string, any>;

const t0 = Date.UTC(2025, 0, 15, 12, 0, 0);
let now = t0;
let sim: Sim;
let home: string;

beforeAll(async () => {
  sim = await startSim({ namespaces: ["default", "other"], clock: () => now });
  sim.addService({ name: "web", selector: { app: "web" } });
  sim.addService({ name: "api", selector: { app: "api" } });
  sim.addIngress({
    name: "shop",
    className: "nginx",
    rules: [
      { host: "shop.example.com", paths: [{ path: "/", service: "web", port: 80 }] },
      { host: "api.example.com", paths: [{ path: "/v1", pathType: "Exact", service: "api", port: "http" }] },
    ],
    tls: [{ hosts: ["shop.example.com"], secretName: "shop-tls" }],
    addresses: [{ ip: "203.0.113.10" }],
  });
  sim.addIngress({ name: "catchall", defaultBackend: { service: "web" } });
  sim.addNode("node-a1", {
    labels: { "topology.kubernetes.io/zone": "a", "node-role.kubernetes.io/worker": "" },
  });
  sim.addNode("node-b1", { labels: { "topology.kubernetes.io/zone": "b" } });
  now = t0 + 90_000;
  home = mkdtempSync(join(tmpdir(), "sim-ingress-home-"));
});
afterAll(async () => {
  await sim?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("Ingress", () => {
  it("is served as networking.k8s.io/v1 with its rules, default backend and status", async () => {
    const ing = await getJson<Json>(sim, "/apis/networking.k8s.io/v1/namespaces/default/ingresses/shop");
    expect(ing).toMatchObject({ kind: "Ingress", apiVersion: "networking.k8s.io/v1" });
    expect(ing.spec.ingressClassName).toBe("nginx");
    expect(ing.spec.rules[1]).toEqual({
      host: "api.example.com",
      http: {
        paths: [
          { path: "/v1", pathType: "Exact", backend: { service: { name: "api", port: { name: "http" } } } },
        ],
      },
    });
    expect(ing.status.loadBalancer.ingress).toEqual([{ ip: "203.0.113.10" }]);
    const all = await getJson<Json>(sim, "/apis/networking.k8s.io/v1/ingresses");
    expect(all.kind).toBe("IngressList");
    expect(all.items.map((i: Json) => i.metadata.name).sort()).toEqual(["catchall", "shop"]);
    const catchall = all.items.find((i: Json) => i.metadata.name === "catchall");
    expect(catchall.spec).toEqual({ defaultBackend: { service: { name: "web", port: { number: 80 } } } });
    const group = await getJson<Json>(sim, "/apis/networking.k8s.io/v1");
    expect(group.resources.find((r: Json) => r.name === "ingresses")).toMatchObject({
      kind: "Ingress",
      namespaced: true,
      shortNames: ["ing"],
    });
  });

  it("a missing one is the API's 404", async () => {
    const res = await open(sim, "/apis/networking.k8s.io/v1/namespaces/default/ingresses/nope");
    expect(res.statusCode).toBe(404);
    res.resume();
  });
});

describe("nodes and their labels", () => {
  it("are selected by label, and a relabelled node comes as MODIFIED to a watch", async () => {
    const zoneA = await getJson<Json>(sim, "/api/v1/nodes?labelSelector=topology.kubernetes.io%2Fzone%3Da");
    expect(zoneA.items.map((n: Json) => n.metadata.name)).toEqual(["node-a1"]);
    expect(zoneA.items[0].metadata.labels).toEqual({
      "topology.kubernetes.io/zone": "a",
      "node-role.kubernetes.io/worker": "",
      "kubernetes.io/arch": "amd64",
      "kubernetes.io/hostname": "node-a1",
      "kubernetes.io/os": "linux",
    });
    const w = new EventReader(
      await open(
        sim,
        `/api/v1/nodes?watch=1&labelSelector=topology.kubernetes.io%2Fzone%3Da&resourceVersion=${zoneA.metadata.resourceVersion}`,
      ),
    );
    try {
      sim.labelNode("node-b1", { "topology.kubernetes.io/zone": "a" });
      // A selector watch sees a node that starts matching as ADDED, as the API server sends it.
      await w.until((es) =>
        es.some((e) => e.type === "ADDED" && (e.object as Json).metadata.name === "node-b1"),
      );
    } finally {
      w.close();
      sim.labelNode("node-b1", { "topology.kubernetes.io/zone": "b" });
    }
  });
});

describe.runIf(haveKubectl || ci)("real kubectl", () => {
  const kubectl = (args: string[]) => runKubectl({ kubeconfig: sim.kubeconfigPath, home }, args);
  const rows = (out: string) =>
    out
      .trim()
      .split("\n")
      .map((l) => l.trim().split(/\s{2,}/));

  it("get ingress prints NAME CLASS HOSTS ADDRESS PORTS AGE", async () => {
    const r = await kubectl(["get", "ingress"]);
    expect(r.stderr).toBe("");
    expect(rows(r.stdout)).toEqual([
      ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"],
      ["catchall", "<none>", "*", "80", "90s"],
      ["shop", "nginx", "shop.example.com,api.example.com", "203.0.113.10", "80, 443", "90s"],
    ]);
    const short = await kubectl([
      "get",
      "ing",
      "shop",
      "-o",
      "jsonpath={.spec.rules[*].http.paths[*].backend.service.name}",
    ]);
    expect([short.stdout, short.stderr]).toEqual(["web api", ""]);
  });

  it("get nodes -l selects by label; the columns are NAME STATUS ROLES AGE VERSION", async () => {
    const r = await kubectl(["get", "nodes", "-l", "topology.kubernetes.io/zone=a"]);
    expect(r.stderr).toBe("");
    expect(rows(r.stdout)).toEqual([
      ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
      ["node-a1", "Ready", "worker", "90s", "v1.32.4"],
    ]);
    const wide = await kubectl(["get", "node", "node-b1", "-o", "wide", "--no-headers"]);
    expect(rows(wide.stdout)[0]?.slice(5)).toEqual([
      "172.18.0.3",
      "<none>",
      "Debian GNU/Linux 12 (bookworm)",
      "6.8.0-1015-gcp",
      "containerd://1.7.24",
    ]);
    const labelled = await kubectl(["get", "nodes", "-L", "topology.kubernetes.io/zone", "--no-headers"]);
    expect(rows(labelled.stdout).map((c) => [c[0], c.at(-1)])).toEqual([
      ["node-a1", "a"],
      ["node-b1", "b"],
    ]);
  });
});
