// The workload objects that `<resource>/<name>` queries resolve: shapes, ownership, discovery, and the
// real kubectl (get with the printer columns, logs <kind>/<name> resolving the selector itself).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventReader, getJson, open } from "../../sim/client.ts";
import type {
  CronJobHandle,
  DaemonSetHandle,
  DeploymentHandle,
  JobHandle,
  ReplicationControllerHandle,
  ServiceHandle,
  Sim,
  StatefulSetHandle,
} from "../../sim/index.ts";
import { startSim } from "../../sim/index.ts";

const kubectlPath = "/usr/bin/kubectl";
const haveKubectl = existsSync(kubectlPath);
const ci = process.env.CI === "true";

// biome-ignore lint/suspicious/noExplicitAny: navigating arbitrary JSON bodies in assertions
type Json = Record<string, any>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const t0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const minute0 = t0 / 60_000;
let now = t0;

let sim: Sim;
let web: DeploymentHandle;
let db: StatefulSetHandle;
let agent: DaemonSetHandle;
let migrate: JobHandle;
let report: CronJobHandle;
let svc: ServiceHandle;
let legacy: ReplicationControllerHandle;

/** Waits until the predicate holds (status is republished a microtask after a pod changes). */
async function until<T>(f: () => T | undefined | false, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error("timeout");
    await sleep(10);
  }
}

const obj = (resource: string, name: string, ns = "default"): Json =>
  sim.getObject(resource, ns, name) as unknown as Json;

beforeAll(async () => {
  sim = await startSim({ namespaces: ["default", "other"], clock: () => now });
  web = sim.addDeployment({ name: "web", replicas: 2, containers: [{ name: "app" }] });
  db = sim.addStatefulSet({ name: "db", replicas: 2, containers: [{ name: "pg", image: "postgres:16" }] });
  agent = sim.addDaemonSet({
    name: "agent",
    containers: [{ name: "fluent" }],
    nodeNames: ["node-1", "node-2"],
  });
  migrate = sim.addJob({ name: "migrate", containers: [{ name: "m" }] });
  report = sim.addCronJob({ name: "report", containers: [{ name: "r" }], jobs: 2 });
  svc = sim.addService({ name: "web", selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] });
  legacy = sim.addReplicationController({ name: "legacy", containers: [{ name: "c" }] });
  sim.addReplicationController({ name: "bare", template: false, selector: { app: "bare" }, containers: [] });
  sim.addStatefulSet({ namespace: "other", name: "cache", containers: [{ name: "redis" }] });
  for (const p of [...web.pods, ...db.pods, ...migrate.pods, ...legacy.pods]) {
    p.log(p.model.ofKind("regular")[0]?.name ?? "", `hello from ${p.name}`);
  }
  migrate.complete();
  await until(() => migrate.finished);
  now = t0 + 90_000;
});

afterAll(async () => {
  await sim?.stop();
});

describe("workload objects over HTTPS", () => {
  it("discovery: groups, resource lists with verbs, short names and kinds", async () => {
    const groups = await getJson(sim, "/apis");
    expect((groups.groups as Json[]).map((g) => g.name)).toEqual([
      "apps",
      "batch",
      "networking.k8s.io",
      "events.k8s.io",
    ]);
    expect(await getJson(sim, "/apis/batch")).toMatchObject({
      kind: "APIGroup",
      preferredVersion: { groupVersion: "batch/v1" },
    });
    const find = async (path: string, name: string) =>
      ((await getJson(sim, path)).resources as Json[]).find((r) => r.name === name);
    expect(await find("/apis/apps/v1", "statefulsets")).toMatchObject({
      kind: "StatefulSet",
      namespaced: true,
      shortNames: ["sts"],
      verbs: expect.arrayContaining(["get", "list", "watch"]),
    });
    expect(await find("/apis/apps/v1", "daemonsets")).toMatchObject({
      kind: "DaemonSet",
      shortNames: ["ds"],
    });
    expect(await find("/apis/batch/v1", "cronjobs")).toMatchObject({ kind: "CronJob", shortNames: ["cj"] });
    expect(await find("/apis/batch/v1", "jobs")).toMatchObject({ kind: "Job", namespaced: true });
    expect(await find("/api/v1", "services")).toMatchObject({ kind: "Service", shortNames: ["svc"] });
    expect(await find("/api/v1", "replicationcontrollers")).toMatchObject({ shortNames: ["rc"] });
    expect(await find("/apis/events.k8s.io/v1", "events")).toMatchObject({
      kind: "Event",
      shortNames: ["ev"],
    });
  });

  it("GET one, LIST namespaced and across namespaces, 404 with the group", async () => {
    const one = await getJson(sim, "/apis/apps/v1/namespaces/default/statefulsets/db");
    expect(one).toMatchObject({ kind: "StatefulSet", apiVersion: "apps/v1", metadata: { name: "db" } });
    const ns = await getJson(sim, "/apis/apps/v1/namespaces/default/statefulsets");
    expect(ns.kind).toBe("StatefulSetList");
    expect((ns.items as Json[]).map((i) => i.metadata.name)).toEqual(["db"]);
    const all = await getJson(sim, "/apis/apps/v1/statefulsets");
    expect((all.items as Json[]).map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual([
      "default/db",
      "other/cache",
    ]);
    for (const [path, kind] of [
      ["/apis/apps/v1/namespaces/default/deployments/web", "Deployment"],
      ["/apis/apps/v1/namespaces/default/daemonsets/agent", "DaemonSet"],
      ["/apis/batch/v1/namespaces/default/jobs/migrate", "Job"],
      ["/apis/batch/v1/namespaces/default/cronjobs/report", "CronJob"],
      ["/api/v1/namespaces/default/services/web", "Service"],
      ["/api/v1/namespaces/default/replicationcontrollers/legacy", "ReplicationController"],
    ]) {
      expect((await getJson(sim, path as string)).kind).toBe(kind);
    }
    const jobs = await getJson(sim, "/apis/batch/v1/jobs?labelSelector=job-name%3Dmigrate");
    expect((jobs.items as Json[]).map((i) => i.metadata.name)).toEqual(["migrate"]);
    const missing = await getJson(sim, "/apis/batch/v1/namespaces/default/cronjobs/nope");
    expect(missing).toMatchObject({
      code: 404,
      reason: "NotFound",
      message: 'cronjobs.batch "nope" not found',
      details: { name: "nope", group: "batch", kind: "cronjobs" },
    });
  });

  it("Deployment → ReplicaSet → pods: selector, template labels, owners; a rollout scales the old RS to 0", async () => {
    const d = obj("deployments", "web");
    expect(d.spec.selector).toEqual({ matchLabels: { app: "web" } });
    expect(d.spec.template.metadata.labels).toEqual({ app: "web" });
    expect(d.status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
    });
    expect(d.status.conditions.map((c: Json) => `${c.type}=${c.status}`)).toEqual([
      "Available=True",
      "Progressing=True",
    ]);
    const rs = obj("replicasets", web.replicaSetName);
    expect(rs.metadata.ownerReferences).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "web",
        uid: d.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(rs.spec.template.metadata.labels).toEqual({
      app: "web",
      "pod-template-hash": web.podTemplateHash,
    });
    for (const p of web.pods) expect(p.json?.metadata.ownerReferences?.[0]?.uid).toBe(rs.metadata.uid);

    const dep = sim.addDeployment({
      name: "roll",
      replicas: 1,
      containers: [{ name: "c" }],
      startDelayMs: 10,
    });
    const first = dep.replicaSetName;
    await dep.rollout({ graceMs: 0 });
    expect(dep.replicaSetNames).toEqual([first, dep.replicaSetName]);
    await until(() => obj("replicasets", first).status.replicas === 0);
    expect(obj("replicasets", first).spec.replicas).toBe(0);
    expect(
      obj("replicasets", dep.replicaSetName).metadata.annotations["deployment.kubernetes.io/revision"],
    ).toBe("2");
    expect(obj("deployments", "roll").metadata.annotations["deployment.kubernetes.io/revision"]).toBe("2");
    await dep.delete({ graceMs: 0 });
    expect(sim.getObject("deployments", "default", "roll")).toBeUndefined();
    expect(sim.getObject("replicasets", "default", first)).toBeUndefined();
  });

  it("StatefulSet: ordinal pods with the controller's labels; status follows readiness; recreatePod keeps the name", async () => {
    expect(db.pods.map((p) => p.name)).toEqual(["db-0", "db-1"]);
    const s = obj("statefulsets", "db");
    expect(s.spec).toMatchObject({
      replicas: 2,
      serviceName: "db",
      selector: { matchLabels: { app: "db" } },
    });
    expect(s.spec.template.spec.containers[0]).toMatchObject({ name: "pg", image: "postgres:16" });
    expect(db.pod(1)?.json?.metadata.labels).toEqual({
      app: "db",
      "apps.kubernetes.io/pod-index": "1",
      "controller-revision-hash": db.revisionName,
      "statefulset.kubernetes.io/pod-name": "db-1",
    });
    expect(db.pod(0)?.json?.metadata.ownerReferences?.[0]).toMatchObject({
      kind: "StatefulSet",
      uid: s.metadata.uid,
    });
    db.pod(1)?.setReady("pg", false);
    await until(() => obj("statefulsets", "db").status.readyReplicas === 1);
    db.pod(1)?.setReady("pg", true);
    await until(() => obj("statefulsets", "db").status.readyReplicas === 2);

    const tmp = sim.addStatefulSet({
      name: "tmp",
      replicas: 1,
      containers: [{ name: "c" }],
      startDelayMs: 10,
    });
    const uid = tmp.pod(0)?.uid;
    const again = await tmp.recreatePod(0, { graceMs: 0 });
    expect(again.name).toBe("tmp-0");
    expect(again.uid).not.toBe(uid);
    await tmp.scale(3);
    expect(tmp.pods.map((p) => p.name)).toEqual(["tmp-0", "tmp-1", "tmp-2"]);
    await tmp.scale(1, { graceMs: 0 });
    expect(tmp.pods.map((p) => p.name)).toEqual(["tmp-0"]);
    await tmp.delete({ graceMs: 0 });
  });

  it("DaemonSet: one pod per node; a new node gets one", async () => {
    expect(agent.pods.map((p) => p.model.nodeName).sort()).toEqual(["node-1", "node-2"]);
    expect(obj("daemonsets", "agent").status).toMatchObject({ desiredNumberScheduled: 2, numberReady: 2 });
    const p = agent.addNode("node-3");
    expect(p.name).toMatch(/^agent-[a-z0-9]{5}$/);
    expect(p.json?.metadata.labels).toMatchObject({ app: "agent", "pod-template-generation": "1" });
    await until(() => obj("daemonsets", "agent").status.numberReady === 3);
    expect(obj("daemonsets", "agent").status.desiredNumberScheduled).toBe(3);
  });

  it("Job: controller labels and selector, pods complete (terminated Completed), status Complete", async () => {
    const j = obj("jobs", "migrate");
    const labels = {
      app: "migrate",
      "batch.kubernetes.io/controller-uid": j.metadata.uid,
      "batch.kubernetes.io/job-name": "migrate",
      "controller-uid": j.metadata.uid,
      "job-name": "migrate",
    };
    expect(j.metadata.labels).toEqual(labels);
    expect(j.spec.selector).toEqual({
      matchLabels: { "batch.kubernetes.io/controller-uid": j.metadata.uid },
    });
    expect(j.spec.template.metadata.labels).toEqual(labels);
    expect(j.spec.template.spec.restartPolicy).toBe("Never");
    const pod = migrate.pods[0]?.json as unknown as Json;
    expect(pod.metadata.labels).toEqual(labels);
    expect(pod.metadata.ownerReferences[0]).toMatchObject({
      kind: "Job",
      name: "migrate",
      uid: j.metadata.uid,
      controller: true,
    });
    expect(pod.status.phase).toBe("Succeeded");
    expect(pod.status.containerStatuses[0].state.terminated).toMatchObject({
      exitCode: 0,
      reason: "Completed",
    });
    expect(j.status).toMatchObject({
      succeeded: 1,
      ready: 0,
      startTime: expect.any(String),
      completionTime: expect.any(String),
    });
    expect(j.status.active).toBeUndefined();
    expect(j.status.conditions.map((c: Json) => c.type)).toEqual(["SuccessCriteriaMet", "Complete"]);

    // completions 2, parallelism 1: the second pod comes once the first succeeded (completeAfterMs).
    const two = sim.addJob({
      name: "two",
      containers: [{ name: "c" }],
      completions: 2,
      completeAfterMs: 30,
      startDelayMs: 10,
    });
    await until(() => obj("jobs", "two").status.conditions?.some((c: Json) => c.type === "Complete"), 5000);
    expect(two.pods).toHaveLength(2);
    expect(obj("jobs", "two").status.succeeded).toBe(2);

    const bad = sim.addJob({ name: "bad", containers: [{ name: "c" }], backoffLimit: 0 });
    bad.fail(2);
    await until(() => obj("jobs", "bad").status.conditions?.some((c: Json) => c.type === "Failed"));
    expect(bad.pods[0]?.model.phase()).toBe("Failed");
    expect(obj("jobs", "bad").status.failed).toBe(1);
  });

  it("CronJob → Jobs `<name>-<minutes>` → pods; runJob is active until it completes; history limit", async () => {
    const cj = obj("cronjobs", "report");
    expect(cj.spec).toMatchObject({
      schedule: "*/5 * * * *",
      concurrencyPolicy: "Allow",
      suspend: false,
      successfulJobsHistoryLimit: 3,
      jobTemplate: { spec: { template: { metadata: { labels: { app: "report" } } } } },
    });
    expect(report.jobs.map((j) => j.name)).toEqual([`report-${minute0 - 10}`, `report-${minute0 - 5}`]);
    const j0 = obj("jobs", `report-${minute0 - 10}`);
    expect(j0.metadata.ownerReferences).toEqual([
      {
        apiVersion: "batch/v1",
        kind: "CronJob",
        name: "report",
        uid: cj.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(j0.metadata.annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"]).toBe(
      new Date((minute0 - 10) * 60_000).toISOString().replace(".000", ""),
    );
    expect(j0.spec.template.metadata.labels).toMatchObject({
      app: "report",
      "job-name": `report-${minute0 - 10}`,
    });
    expect(report.pods.every((p) => p.model.phase() === "Succeeded")).toBe(true);

    const cron = sim.addCronJob({ name: "tick", containers: [{ name: "t" }], successfulJobsHistoryLimit: 1 });
    const run = cron.runJob();
    expect(run.name).toBe(`tick-${Math.floor(now / 60_000)}`);
    expect(cron.runJob().name).toBe(`tick-${Math.floor(now / 60_000) + 1}`);
    await until(() => obj("cronjobs", "tick").status.active?.length === 2);
    expect(obj("cronjobs", "tick").status.active[0]).toMatchObject({
      kind: "Job",
      name: run.name,
      uid: run.uid,
    });
    run.complete();
    await until(() => obj("cronjobs", "tick").status.active?.length === 1);
    expect(obj("cronjobs", "tick").status.lastSuccessfulTime).toBeDefined();
    cron.jobs[1]?.complete();
    // Two successful Jobs, limit 1: the older one and its pod are deleted.
    await until(() => sim.getObject("jobs", "default", run.name) === undefined);
    await until(() => run.pods.length === 0);
    expect(cron.jobs.map((j) => j.name)).toEqual([`tick-${Math.floor(now / 60_000) + 1}`]);
    await cron.delete({ graceMs: 0 });
    expect(sim.getObject("cronjobs", "default", "tick")).toBeUndefined();
  });

  it("Service and ReplicationController: map selectors; a template-less RC; empty template labels", async () => {
    const s = obj("services", "web");
    expect(s.spec).toMatchObject({
      selector: { app: "web" },
      type: "ClusterIP",
      clusterIP: svc.clusterIP,
      clusterIPs: [svc.clusterIP],
      ports: [{ protocol: "TCP", port: 80, targetPort: 8080 }],
    });
    expect(svc.pods.map((p) => p.name).sort()).toEqual(web.pods.map((p) => p.name).sort());
    const headless = sim.addService({ name: "nosel" });
    expect(headless.json?.spec).not.toHaveProperty("selector");
    expect(headless.pods).toEqual([]);

    const rc = obj("replicationcontrollers", "legacy");
    expect(rc.spec.selector).toEqual({ app: "legacy" });
    expect(rc.spec.template.metadata.labels).toEqual({ app: "legacy" });
    expect(legacy.pods[0]?.json?.metadata.ownerReferences?.[0]).toMatchObject({
      apiVersion: "v1",
      kind: "ReplicationController",
      uid: rc.metadata.uid,
    });
    const bare = obj("replicationcontrollers", "bare");
    expect(bare.spec).toEqual({ replicas: 1, selector: { app: "bare" } });

    const nolabels = sim.addReplicaSet({ name: "nolabels", containers: [{ name: "c" }], labels: {} });
    const rs = obj("replicasets", "nolabels");
    expect(rs.spec.template.metadata).toEqual({});
    expect(rs.spec.selector).toEqual({});
    expect(nolabels.pods[0]?.json?.metadata.labels).toBeUndefined();
    await nolabels.delete({ graceMs: 0 });
  });

  it("WATCH jobs: ADDED, then MODIFIED when its pod completes", async () => {
    const w = new EventReader(
      await open(sim, "/apis/batch/v1/namespaces/default/jobs?watch=true&labelSelector=job-name%3Dwatched"),
    );
    try {
      const job = sim.addJob({ name: "watched", containers: [{ name: "c" }] });
      await w.until((es) => es.some((e) => e.type === "ADDED"));
      job.complete();
      await w.until((es) =>
        es.some(
          (e) =>
            e.type === "MODIFIED" &&
            (e.object as Json).status?.conditions?.some((c: Json) => c.type === "Complete"),
        ),
      );
    } finally {
      w.close();
    }
  });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `kubectl get a,b,…` output as blocks of [header cells, ...row cells] (cells split on 2+ spaces). */
function blocks(out: string): string[][][] {
  return out
    .trim()
    .split(/\n\s*\n/)
    .map((b) => b.split("\n").map((l) => l.trim().split(/\s{2,}/)));
}

describe.runIf(haveKubectl || ci)("real kubectl against the workloads", () => {
  let home: string;
  const kubectl = (args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        kubectlPath,
        ["--kubeconfig", sim.kubeconfigPath, ...args],
        { env: { HOME: home, PATH: process.env.PATH ?? "/usr/bin:/bin" }, timeout: 15_000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr }),
      );
    });

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), "sim-workloads-home-"));
  });
  afterAll(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("get deploy,rs,sts,ds,job,cronjob,svc,rc prints the printer columns", async () => {
    const r = await kubectl(["get", "deploy,rs,sts,ds,job,cronjob,svc,rc"]);
    expect(r.stderr).toBe("");
    const got = blocks(r.stdout);
    const block = (header: string[], ...rows: string[][]) => {
      const b = got.find(
        (x) => x[0]?.join("|") === header.join("|") && x.some((row) => row[0] === rows[0]?.[0]),
      );
      expect(b, `no block ${header.join(" ")} with ${rows[0]?.[0]} in\n${r.stdout}`).toBeDefined();
      for (const row of rows) expect(b).toContainEqual(row);
    };
    expect(got).toHaveLength(8);
    block(
      ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
      ["deployment.apps/web", "2/2", "2", "2", "90s"],
    );
    block(
      ["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
      [`replicaset.apps/${web.replicaSetName}`, "2", "2", "2", "90s"],
    );
    block(["NAME", "READY", "AGE"], ["statefulset.apps/db", "2/2", "90s"]);
    block(
      ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
      ["daemonset.apps/agent", "3", "3", "3", "3", "3", "<none>", "90s"],
    );
    block(
      ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
      ["job.batch/migrate", "Complete", "1/1", "0s", "90s"],
      [`job.batch/report-${minute0 - 5}`, "Complete", "1/1", "0s", "90s"],
      ["job.batch/bad", "Failed", "0/1", "0s", "0s"],
    );
    block(
      ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"],
      ["cronjob.batch/report", "*/5 * * * *", "<none>", "False", "0", "6m30s", "90s"],
    );
    block(
      ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
      ["service/web", "ClusterIP", svc.clusterIP, "<none>", "80/TCP", "90s"],
    );
    block(
      ["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
      ["replicationcontroller/legacy", "1", "1", "1", "90s"],
      ["replicationcontroller/bare", "1", "0", "0", "90s"],
    );
  });

  it("get -o wide adds containers, images and selectors; get all works", async () => {
    const r = await kubectl(["get", "sts/db", "job/migrate", "svc/web", "-o", "wide"]);
    expect(r.stderr).toBe("");
    const [sts, job, service] = blocks(r.stdout);
    expect(sts?.[1]).toEqual(["statefulset.apps/db", "2/2", "90s", "pg", "postgres:16"]);
    expect(job?.[0]?.slice(-3)).toEqual(["CONTAINERS", "IMAGES", "SELECTOR"]);
    expect(job?.[1]?.at(-1)).toBe(`batch.kubernetes.io/controller-uid=${migrate.uid}`);
    expect(service?.[1]?.at(-1)).toBe("app=web");
    const all = await kubectl(["get", "all", "-o", "name"]);
    expect(all.stderr).toBe("");
    for (const n of [
      "pod/db-0",
      "service/web",
      "replicationcontroller/legacy",
      "daemonset.apps/agent",
      "deployment.apps/web",
      "statefulset.apps/db",
      "job.batch/migrate",
      "cronjob.batch/report",
    ]) {
      expect(all.stdout.split("\n")).toContain(n);
    }
  });

  it("logs deployment/, sts/, job/, svc/, rc/ print a pod's log; kubectl picks one of several", async () => {
    const check = async (ref: string, names: string[]) => {
      const r = await kubectl(["logs", ref]);
      expect(r.code, r.stderr).toBe(0);
      const m = /^hello from (\S+)\n$/.exec(r.stdout);
      expect(names).toContain(m?.[1]);
      if (names.length > 1) expect(r.stderr).toBe(`Found ${names.length} pods, using pod/${m?.[1]}\n`);
      else expect(r.stderr).toBe("");
    };
    await Promise.all([
      check(
        "deployment/web",
        web.pods.map((p) => p.name),
      ),
      check("sts/db", ["db-0", "db-1"]),
      check(
        "job/migrate",
        migrate.pods.map((p) => p.name),
      ),
      check(
        "svc/web",
        web.pods.map((p) => p.name),
      ),
      check(
        "rc/legacy",
        legacy.pods.map((p) => p.name),
      ),
      check(
        `rs/${web.replicaSetName}`,
        web.pods.map((p) => p.name),
      ),
    ]);
    const cj = await kubectl(["logs", "cronjob/report"]);
    expect(cj.code).toBe(1);
    expect(cj.stderr).toBe(
      "error: cannot get the logs from *v1.CronJob: selector for *v1.CronJob not implemented\n",
    );
  });

  it("describe and get -o yaml decode the objects", async () => {
    const r = await kubectl(["get", "cronjob/report", "job/migrate", "deploy/web", "-o", "yaml"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("kind: CronJob");
    expect(r.stdout).toContain("batch.kubernetes.io/job-name: migrate");
    const d = await kubectl(["describe", "sts/db"]);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toMatch(/Selector:\s+app=db/);
    expect(d.stdout).toMatch(/Pods Status:\s+2 Running/);
  });
});
