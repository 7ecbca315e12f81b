// <kind>/<name> queries against the workloads of the simulated cluster.
import { beforeAll, describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, runStern, waitUntil } from "./stern-process.ts";

const { sim, startStern, streamsOpen } = e2eHarness({ sim: { namespaces: ["default", "other"] } });

const stern = (...args: string[]) =>
  runStern(["--no-follow", "--only-log-lines", ...args], { kubeconfig: sim.kubeconfigPath });
const podsOf = (out: string) => [...new Set(lines(out).map((l) => l.split(" ")[0]))].sort();

describe("resource queries", () => {
  beforeAll(() => {
    sim.addReplicationController({ name: "empty", containers: [{ name: "c" }], template: false });
    sim.addDeployment({ name: "nolabels", replicas: 0, containers: [{ name: "c" }], labels: {} });
  });

  it("deployment, deploy and deployments: the pods of its template labels, not others", async () => {
    const dep = sim.addDeployment({ name: "web", replicas: 2, containers: [{ name: "nginx" }] });
    for (const p of dep.pods) p.log("nginx", `hello from ${p.name}`);
    sim
      .addPod({ name: "web-impostor", labels: { app: "other" }, containers: [{ name: "nginx" }] })
      .log("nginx", "x");
    const names = dep.pods.map((p) => p.name).sort();
    for (const kind of ["deployment", "deploy", "deployments"]) {
      const r = await stern(`${kind}/web`);
      expect(r.code).toBe(0);
      expect(podsOf(r.stdout)).toEqual(names);
    }
    expect(sim.requests.some((q) => q.path === "/apis/apps/v1/namespaces/default/deployments/web")).toBe(
      true,
    );
  });

  it("statefulset, daemonset, replicaset, job, service, replicationcontroller", async () => {
    const sts = sim.addStatefulSet({ name: "db", replicas: 2, containers: [{ name: "pg" }] });
    const ds = sim.addDaemonSet({ name: "agent", containers: [{ name: "fluent" }] });
    const rs = sim.addReplicaSet({ name: "cache", replicas: 1, containers: [{ name: "redis" }] });
    const job = sim.addJob({ name: "migrate", containers: [{ name: "run" }] });
    const rc = sim.addReplicationController({ name: "legacy", replicas: 1, containers: [{ name: "old" }] });
    const cases: [
      string,
      { pods: { name: string; log: (c: string, ...l: string[]) => unknown }[] },
      string,
    ][] = [
      ["sts/db", sts, "pg"],
      ["ds/agent", ds, "fluent"],
      ["rs/cache", rs, "redis"],
      ["job/migrate", job, "run"],
      ["rc/legacy", rc, "old"],
    ];
    for (const [, w, c] of cases) for (const p of w.pods) p.log(c, "line");
    for (const [query, w] of cases) {
      const r = await stern(query);
      expect(podsOf(r.stdout), query).toEqual(w.pods.map((p) => p.name).sort());
    }
    sim.addService({ name: "db-svc", selector: { app: "db" } });
    const svc = await stern("svc/db-svc");
    expect(podsOf(svc.stdout)).toEqual(sts.pods.map((p) => p.name).sort());
    expect(sts.pods.map((p) => p.name).sort()).toEqual(["db-0", "db-1"]);
  });

  it("pod/name matches that pod exactly, even without labels", async () => {
    sim.addPod({ name: "solo", containers: [{ name: "c" }] }).log("c", "solo line");
    sim.addPod({ name: "solo-2", containers: [{ name: "c" }] }).log("c", "other");
    const r = await stern("po/solo");
    expect(lines(r.stdout)).toEqual(["solo c solo line"]);
  });

  it("cronjob/cj: the pods of the Jobs it created, and new ones as they come", async () => {
    const cj = sim.addCronJob({ name: "nightly", containers: [{ name: "backup" }], jobs: 1 });
    for (const p of cj.pods) p.log("backup", `backup by ${p.name}`);
    sim
      .addJob({ name: "nightly-manual", containers: [{ name: "backup" }] })
      .pods[0]?.log("backup", "not the cronjob's");
    const r = await stern("cj/nightly");
    expect(lines(r.stdout)).toEqual(cj.pods.map((p) => `${p.name} backup backup by ${p.name}`));

    const run = startStern(["cronjob/nightly", "--tail", "0"], { kubeconfig: sim.kubeconfigPath });
    // The query is resolved and its pods watched: a pod made now is seen by the watch.
    await waitUntil(() =>
      sim.requests.some((q) => q.path === "/api/v1/namespaces/default/pods" && q.query.get("watch")),
    );
    const job = cj.runJob();
    const pod = job.pods[0]!;
    await run.waitFor(`+ ${pod.name} › backup`);
    await streamsOpen("default", 1, pod.name);
    pod.log("backup", "fresh run");
    await run.waitFor(`${pod.name} backup fresh run`);
    expect(run.stdout()).not.toContain("not the cronjob's");
  });

  it("-A finds the object in whichever namespace holds it", async () => {
    const dep = sim.addDeployment({
      namespace: "other",
      name: "far",
      replicas: 1,
      containers: [{ name: "c" }],
    });
    dep.pods[0]?.log("c", "far away");
    const r = await stern("deploy/far", "-A");
    expect(lines(r.stdout)).toEqual([`other ${dep.pods[0]?.name} c far away`]);
  });

  it.each([
    ["deploy/missing", "deploy/missing not found in namespace default"],
    ["widgets/x", "resource type widgets is not supported"],
    ["rc/empty", "empty does not have spec.template"],
    ["deploy/nolabels", "resource deploy/nolabels has no labels to select"],
  ])("%s is a clear error", async (query, message) => {
    const r = await stern(query);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`Error: ${message}\n`);
  });
});
