// @kubernetes/client-node against the sim, through the kubeconfig the sim writes.
import { PassThrough } from "node:stream";
import { CoreV1Api, KubeConfig, Log, type LogOptions, type V1Pod, Watch } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sim, startSim } from "../../sim/index.ts";

describe("@kubernetes/client-node against the sim", () => {
  let sim: Sim;
  let kc: KubeConfig;
  beforeAll(async () => {
    sim = await startSim({
      namespaces: ["default", "team-a"],
      contexts: [
        { name: "sim", namespace: "default" },
        { name: "team", namespace: "team-a" },
      ],
      currentContext: "team",
    });
    kc = new KubeConfig();
    kc.loadFromFile(sim.kubeconfigPath);
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("loads the kubeconfig as written", () => {
    expect(kc.getCurrentContext()).toBe("team");
    expect(kc.getContextObject("team")?.namespace).toBe("team-a");
    expect(kc.getContexts().map((c) => c.name)).toEqual(["sim", "team"]);
    expect(kc.getCurrentCluster()?.server).toBe(sim.url);
    expect(kc.getCurrentUser()?.token).toBe(sim.token);
  });

  it("lists pods with selectors", async () => {
    sim.addPod({ namespace: "team-a", name: "api-1", labels: { app: "api" }, containers: [{ name: "c" }] });
    sim.addPod({ namespace: "team-a", name: "db-1", labels: { app: "db" }, containers: [{ name: "c" }] });
    const api = kc.makeApiClient(CoreV1Api);
    const list = await api.listNamespacedPod({ namespace: "team-a", labelSelector: "app in (api)" });
    expect(list.items.map((p: V1Pod) => p.metadata?.name)).toEqual(["api-1"]);
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
    const pod = list.items[0];
    expect(pod?.status?.containerStatuses?.[0]?.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(pod?.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const all = await api.listPodForAllNamespaces({ fieldSelector: "metadata.namespace=team-a" });
    expect(all.items).toHaveLength(2);
    await expect(api.readNamespacedPod({ namespace: "team-a", name: "nope" })).rejects.toMatchObject({
      code: 404,
    });
  });

  it("watches ADDED, MODIFIED and DELETED", async () => {
    const seen: string[] = [];
    const w = new Watch(kc);
    let done: (err: unknown) => void = () => {};
    const finished = new Promise<unknown>((r) => {
      done = r;
    });
    const rv = String(sim.cluster.store.resourceVersion);
    const ctl = await w.watch(
      "/api/v1/namespaces/team-a/pods",
      { resourceVersion: rv, labelSelector: "app=watched", allowWatchBookmarks: true },
      (type, obj: V1Pod) => {
        seen.push(`${type} ${obj.metadata?.name ?? ""}`);
      },
      (err) => done(err),
    );
    const p = sim.addPod({
      namespace: "team-a",
      name: "w",
      labels: { app: "watched" },
      containers: [{ name: "c" }],
    });
    p.restart("c");
    await sim.deletePod("team-a", "w", { graceMs: 20 });
    const deadline = Date.now() + 5000;
    while (!seen.includes("DELETED w") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    ctl.abort();
    await finished;
    expect(seen.filter((s) => s !== "BOOKMARK ")).toEqual([
      "ADDED w",
      "MODIFIED w",
      "MODIFIED w",
      "MODIFIED w",
      "DELETED w",
    ]);
  });

  it("reads a log, and follows one to its end", async () => {
    const p = sim.addPod({ namespace: "team-a", name: "logger", containers: [{ name: "app" }] });
    p.log("app", "alpha", "beta");
    const log = new Log(kc);
    const read = async (opts: LogOptions) => {
      const out = new PassThrough();
      let text = "";
      out.on("data", (d: Buffer) => {
        text += d.toString();
      });
      const ended = new Promise<void>((r) => out.on("end", () => r()));
      await log.log("team-a", "logger", "app", out, opts);
      await ended;
      return text;
    };
    expect(await read({ tailLines: 1 })).toBe("beta\n");
    const following = read({ follow: true, timestamps: false });
    await new Promise((r) => setTimeout(r, 100));
    p.log("app", "gamma");
    p.terminate("app");
    expect(await following).toBe("alpha\nbeta\ngamma\n");
  });
});
