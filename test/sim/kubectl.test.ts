// The real kubectl against the sim: proves the sim speaks enough Kubernetes for a real client.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PodHandle, type Sim, startSim } from "../../sim/index.ts";
import { followKubectl, runKubectl } from "./kubectl-run.ts";

// KUBECTL_PATH only exists to exercise the "kubectl missing" paths.
const kubectlPath = process.env.KUBECTL_PATH ?? "/usr/bin/kubectl";
const haveKubectl = existsSync(kubectlPath);
const ci = process.env.CI === "true";

if (!haveKubectl && !ci) console.warn(`sim-kubectl tests skipped: ${kubectlPath} not found`);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const t0 = Date.UTC(2025, 0, 15, 12, 0, 0);
let now = t0;

describe.runIf(haveKubectl || ci)("real kubectl against the sim", () => {
  let sim: Sim;
  let home: string;
  let web1: PodHandle;
  let follower: PodHandle;

  const kubectl = (
    args: string[],
    o: { kubeconfig?: string; timeoutMs?: number; home?: string } = {},
  ): Promise<Run> =>
    runKubectl(
      {
        kubeconfig: o.kubeconfig ?? sim.kubeconfigPath,
        home: o.home ?? home,
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
      },
      args,
    );

  /** Starts a long-running kubectl; `until` resolves when stdout satisfies the predicate. */
  const start = (args: string[]) => followKubectl({ kubeconfig: sim.kubeconfigPath, home }, args);

  beforeAll(async () => {
    if (!haveKubectl) return;
    home = mkdtempSync(join(tmpdir(), "sim-kubectl-home-"));
    sim = await startSim({ namespaces: ["default", "other"], clock: () => now });
    web1 = sim.addPod({
      name: "web-1",
      labels: { app: "web", tier: "frontend" },
      containers: [{ name: "app" }],
    });
    web1.log("app", "web-1 first life");
    sim
      .addPod({ name: "web-2", labels: { app: "web", tier: "backend" }, containers: [{ name: "app" }] })
      .log("app", "web-2 says hi");
    const multi = sim.addPod({
      name: "multi",
      labels: { app: "multi" },
      initContainers: [{ name: "init" }],
      containers: [{ name: "a" }, { name: "b" }],
    });
    multi.log("init", "init ran").log("a", "from a").log("b", "from b");
    sim.addPod({
      name: "waiting",
      labels: { app: "waiting" },
      containers: [{ name: "c", state: "waiting" }],
    });
    sim.addPod({ name: "pending", nodeName: "", containers: [{ name: "c" }] });
    sim.addPod({ namespace: "other", name: "elsewhere", containers: [{ name: "c" }] });
    now = t0 + 60_000;
    web1.restart("app");
    web1.logAt("app", now - 50_000, "old line");
    web1.logAt("app", "2025-01-15T12:00:58.123456789Z", "recent line");
    now = t0 + 5 * 60_000 + 7_000;
    web1.log("app", "newest line");
  });

  afterAll(async () => {
    if (!haveKubectl) return;
    await sim.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it("kubectl is installed", () => {
    // Under CI=true a missing kubectl must fail rather than skip.
    expect(haveKubectl, `${kubectlPath} is required under CI=true`).toBe(true);
  });

  it("get pods prints the real columns", async () => {
    const r = await kubectl(["get", "pods"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      [
        "NAME      READY   STATUS              RESTARTS       AGE",
        "multi     2/2     Running             0              5m7s",
        "pending   0/1     Pending             0              5m7s",
        "waiting   0/1     ContainerCreating   0              5m7s",
        "web-1     1/1     Running             1 (4m7s ago)   5m7s",
        "web-2     1/1     Running             0              5m7s",
        "",
      ].join("\n"),
    );
    const all = await kubectl(["get", "pods", "-A", "-o", "name"]);
    expect(all.stdout.split("\n")).toContain("pod/elsewhere");
    const wide = await kubectl(["get", "pod", "web-2", "-o", "wide", "--no-headers"]);
    expect(wide.stdout).toMatch(
      /^web-2\s+1\/1\s+Running\s+0\s+5m7s\s+10\.244\.\d+\.\d+\s+node-1\s+<none>\s+<none>\n$/,
    );
  });

  it("get pods -l with several operators", async () => {
    const names = async (sel: string) =>
      (await kubectl(["get", "pods", "-l", sel, "-o", "name"])).stdout.trim().split("\n");
    expect(await names("app=web")).toEqual(["pod/web-1", "pod/web-2"]);
    expect(await names("app==web,tier!=backend")).toEqual(["pod/web-1"]);
    expect(await names("app in (multi,waiting)")).toEqual(["pod/multi", "pod/waiting"]);
    expect(await names("app notin (web,multi),app")).toEqual(["pod/waiting"]);
    expect(await names("!app")).toEqual(["pod/pending"]);
    expect(await names("tier")).toEqual(["pod/web-1", "pod/web-2"]);
  });

  it("get pods --field-selector, and the 400 for an unsupported field", async () => {
    const r = await kubectl(["get", "pods", "--field-selector", "status.phase=Pending", "-o", "name"]);
    expect(r.stdout).toBe("pod/pending\npod/waiting\n");
    const host = await kubectl([
      "get",
      "pods",
      "--field-selector",
      "spec.host=,metadata.name!=x",
      "-o",
      "name",
    ]);
    expect(host.stdout).toBe("pod/pending\n");
    const bad = await kubectl(["get", "pods", "--field-selector", "spec.image=nginx"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.image=nginx": field label not supported: spec.image\n',
    );
  });

  it("get pods -w sees an add, a modify and a delete", async () => {
    const w = start(["get", "pods", "-w", "--output-watch-events", "-l", "app=watched"]);
    try {
      await w.until(() =>
        sim.requests.some(
          (r) => r.query.get("watch") === "true" && r.query.get("labelSelector") === "app=watched",
        ),
      );
      const p = sim.addPod({
        name: "watched",
        labels: { app: "watched" },
        containers: [{ name: "c", state: "waiting" }],
      });
      await w.until((s) => s.includes("ADDED"));
      p.start("c");
      await w.until((s) => s.includes("MODIFIED"));
      await sim.deletePod("default", "watched", { graceMs: 0 });
      await w.until((s) => s.includes("DELETED"));
      const rows = w.out
        .trim()
        .split("\n")
        .map((l) => l.split(/\s+/).slice(0, 4).join(" "));
      expect(rows[0]).toBe("EVENT NAME READY STATUS");
      expect(rows).toContain("ADDED watched 0/1 ContainerCreating");
      expect(rows).toContain("MODIFIED watched 1/1 Running");
      expect(rows.at(-1)).toMatch(/^DELETED watched 0\/1 (Terminating|Completed)$/);
    } finally {
      w.child.kill();
      await w.exited;
    }
  });

  it("logs, logs -c, and the default-container notice for a multi-container pod", async () => {
    expect((await kubectl(["logs", "web-2"])).stdout).toBe("web-2 says hi\n");
    expect((await kubectl(["logs", "multi", "-c", "b"])).stdout).toBe("from b\n");
    expect((await kubectl(["logs", "multi", "init"])).stdout).toBe("init ran\n");
    const r = await kubectl(["logs", "multi"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("from a\n");
    expect(r.stderr).toBe('Defaulted container "a" out of: a, b, init (init)\n');
    const log = sim.requests.filter((q) => q.path === "/api/v1/namespaces/default/pods/multi/log").at(-1);
    expect(log?.query.get("container")).toBe("a");
  });

  it("--tail, --since, --timestamps and -p", async () => {
    expect((await kubectl(["logs", "web-1"])).stdout).toBe("old line\nrecent line\nnewest line\n");
    expect((await kubectl(["logs", "web-1", "--tail=1"])).stdout).toBe("newest line\n");
    // now = t0 + 307 s; --since=4m10s keeps lines at or after t0 + 57 s.
    expect((await kubectl(["logs", "web-1", "--since=4m10s"])).stdout).toBe("recent line\nnewest line\n");
    expect((await kubectl(["logs", "web-1", "--timestamps", "--tail=2"])).stdout).toBe(
      "2025-01-15T12:00:58.123456789Z recent line\n2025-01-15T12:05:07.000000000Z newest line\n",
    );
    expect((await kubectl(["logs", "web-1", "-p"])).stdout).toBe("web-1 first life\n");
    const q = sim.requests.filter((r) => r.path.endsWith("/web-1/log")).map((r) => r.query.toString());
    expect(q).toContain("container=app&sinceSeconds=250");
    expect(q).toContain("container=app&previous=true");
  });

  it("logs -l --prefix --all-containers", async () => {
    const r = await kubectl(["logs", "-l", "app in (web,multi)", "--prefix", "--all-containers"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n").sort()).toEqual([
      "[pod/multi/a] from a",
      "[pod/multi/b] from b",
      "[pod/multi/init] init ran",
      "[pod/web-1/app] newest line",
      "[pod/web-1/app] old line",
      "[pod/web-1/app] recent line",
      "[pod/web-2/app] web-2 says hi",
    ]);
    const logReqs = sim.requests.filter((x) => x.path.endsWith("/log") && x.query.get("tailLines") === "10");
    expect(logReqs.length).toBeGreaterThanOrEqual(5);
  });

  it("logs -f ends by itself when the container terminates", async () => {
    follower = sim.addPod({ name: "follower", containers: [{ name: "c" }] });
    follower.log("c", "before");
    const f = start(["logs", "-f", "follower"]);
    await f.until((s) => s.includes("before\n"));
    follower.log("c", "during");
    await f.until((s) => s.includes("during\n"));
    follower.log("c", "last words");
    follower.terminate("c", { exitCode: 0 });
    expect(await f.exited).toBe(0);
    expect(f.out).toBe("before\nduring\nlast words\n");
  });

  it("prints the real errors: waiting container, missing pod, bad token", async () => {
    const waiting = await kubectl(["logs", "waiting"]);
    expect(waiting.code).toBe(1);
    expect(waiting.stderr).toBe(
      'Error from server (BadRequest): container "c" in pod "waiting" is waiting to start: ContainerCreating\n',
    );
    const missing = await kubectl(["logs", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'error: error from server (NotFound): pods "nope" not found in namespace "default"\n',
    );
    const getMissing = await kubectl(["get", "pod", "nope"]);
    expect(getMissing.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    const bad = sim.writeKubeconfig(join(home, "bad-token"), { token: "not-the-token" });
    // With discovery cached (same HOME, same server) the 401 Status of the LIST is shown ...
    const unauth = await kubectl(["get", "pods"], { kubeconfig: bad });
    expect(unauth.code).toBe(1);
    expect(unauth.stderr).toBe("error: You must be logged in to the server (Unauthorized)\n");
    // ... with a cold cache, discovery fails first and client-go words it differently.
    const cold = mkdtempSync(join(tmpdir(), "sim-kubectl-cold-"));
    try {
      const first = await kubectl(["get", "pods"], { kubeconfig: bad, home: cold });
      expect(first.code).toBe(1);
      expect(first.stderr.trim().split("\n").at(-1)).toBe(
        "error: You must be logged in to the server (the server has asked for the client to provide credentials)",
      );
      expect(sim.requests.at(-1)).toMatchObject({ status: 401, user: undefined });
    } finally {
      rmSync(cold, { recursive: true, force: true });
    }
  });

  it("survives the 404s for OpenAPI (explain fails, the rest works), describes and deletes", async () => {
    const explain = await kubectl(["explain", "pods"]);
    expect(explain.code).toBe(1);
    expect(explain.stderr).toBe(
      "Error from server (NotFound): the server could not find the requested resource\n",
    );
    expect(sim.requests.filter((r) => r.path.startsWith("/openapi/")).map((r) => r.status)).toContain(404);
    const d = await kubectl(["describe", "pod", "multi"]);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/^Name:\s+multi$/m);
    expect(d.stdout).toMatch(/^Init Containers:\n\s+init:\n\s+Container ID:\s+containerd:\/\/[0-9a-f]{64}$/m);
    sim.addPod({ name: "doomed", containers: [{ name: "c" }] });
    const del = await kubectl(["delete", "pod", "doomed"]);
    expect([del.code, del.stdout]).toEqual([0, 'pod "doomed" deleted\n']);
    expect(sim.getPod("default", "doomed")).toBeUndefined();
  });

  it("accepts a client-certificate kubeconfig and other contexts", async () => {
    const s2 = await startSim({ clientCertAuth: true, contexts: [{ name: "a", namespace: "other" }] });
    try {
      s2.addPod({ namespace: "other", name: "cert-pod", containers: [{ name: "c" }] });
      const r = await kubectl(["get", "pods", "-o", "name"], { kubeconfig: s2.kubeconfigPath });
      expect(r.stdout).toBe("pod/cert-pod\n");
      expect(s2.requests.at(-1)?.user).toBe("stern");
    } finally {
      await s2.stop();
    }
  });

  it("get events -w: an event, its repeat (count 2) and the other API group's shape", async () => {
    const crash = sim.addPod({ name: "crasher", labels: { app: "crasher" }, containers: [{ name: "app" }] });
    const w = start(["get", "events", "-w", "--field-selector", "involvedObject.name=crasher"]);
    try {
      await w.until(() =>
        sim.requests.some(
          (r) => r.path === "/api/v1/namespaces/default/events" && r.query.get("watch") === "true",
        ),
      );
      crash.wait("app", "CrashLoopBackOff");
      await w.until((s) => s.includes("BackOff"));
      crash.start("app").wait("app", "CrashLoopBackOff", { backOff: "20s" });
      await w.until((s) => s.trim().split("\n").length >= 3);
      const rows = w.out
        .trim()
        .split("\n")
        .map((l) => l.split(/\s{2,}/));
      expect(rows[0]).toEqual(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
      expect(rows[1]?.slice(1)).toEqual([
        "Warning",
        "BackOff",
        "pod/crasher",
        `Back-off restarting failed container app in pod crasher_default(${crash.uid})`,
      ]);
      expect(rows[2]?.slice(1)).toEqual(rows[1]?.slice(1));
    } finally {
      w.child.kill();
      await w.exited;
    }
    const wide = await kubectl([
      "get",
      "events",
      "--field-selector",
      "reason=BackOff,involvedObject.name=crasher",
      "-o",
      "wide",
    ]);
    expect(wide.stdout).toMatch(
      /spec\.containers\{app\}\s+kubelet, node-1\s+Back-off restarting.*\s2\s+crasher\.[0-9a-f]+\n$/,
    );
    const v1 = await kubectl([
      "get",
      "events.v1.events.k8s.io",
      "--field-selector",
      "regarding.name=crasher",
      "-o",
      "json",
    ]);
    const items = (JSON.parse(v1.stdout) as { items: Record<string, unknown>[] }).items;
    expect(
      items.map((e) => [e.apiVersion, e.reason, e.deprecatedCount, (e.regarding as { name: string }).name]),
    ).toEqual([["events.k8s.io/v1", "BackOff", 2, "crasher"]]);
    const bad = await kubectl(["get", "events", "--field-selector", "spec.nodeName=x"]);
    expect(bad.stderr).toContain("field label not supported: spec.nodeName");
  });

  it("get pods shows why containers wait or ended; logs -p reads the instance before", async () => {
    const oom = sim.addPod({ name: "oom", containers: [{ name: "app" }] });
    oom.log("app", "allocating");
    oom.terminate("app", { exitCode: 137, reason: "OOMKilled" });
    const pull = sim.addPod({
      name: "pull",
      containers: [
        { name: "app", image: "example.com/nope:1", state: "waiting", waitingReason: "ErrImagePull" },
      ],
    });
    pull.wait("app", "ImagePullBackOff");
    const ev = sim.addPod({ name: "evicted", containers: [{ name: "app" }] });
    ev.evict();
    const status = async (name: string) =>
      (await kubectl(["get", "pod", name, "--no-headers"])).stdout.split(/\s+/)[2];
    expect(await status("oom")).toBe("OOMKilled");
    expect(await status("pull")).toBe("ImagePullBackOff");
    const evicted = JSON.parse((await kubectl(["get", "pod", "evicted", "-o", "json"])).stdout) as {
      status: { phase: string; reason: string; message: string };
    };
    expect(evicted.status).toMatchObject({
      phase: "Failed",
      reason: "Evicted",
      message: "The node was low on resource: memory.",
    });
    const json = JSON.parse((await kubectl(["get", "pod", "pull", "-o", "json"])).stdout) as {
      status: { containerStatuses: { state: { waiting: { message: string } } }[] };
    };
    expect(json.status.containerStatuses[0]?.state.waiting.message).toBe(
      'Back-off pulling image "example.com/nope:1"',
    );
    oom.start("app");
    oom.log("app", "second try");
    expect((await kubectl(["logs", "oom", "-p"])).stdout).toBe("allocating\n");
    expect((await kubectl(["logs", "oom"])).stdout).toBe("second try\n");
    const none = await kubectl(["logs", "pull", "-p"]);
    expect(none.stderr).toBe(
      'Error from server (BadRequest): previous terminated container "app" in pod "pull" not found\n',
    );
  });
});
