// Follow mode: new pods, replacements, restarts and deletions while stern runs.
import { describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, type SternRun, spawnStern, waitUntil } from "./stern-process.ts";

// Each test gets a namespace of its own (freshNamespace).
const { sim, freshNamespace, startStern, streamsOpen } = e2eHarness({
  sim: { namespaces: ["default"] },
  namespacePrefix: "t",
});

function follow(ns: string, ...args: string[]): SternRun {
  return startStern(["-n", ns, ...args], { kubeconfig: sim.kubeconfigPath });
}

describe("follow", () => {
  it("the seed example: a deployment's pods, both containers, lines as they come", async () => {
    const ns = freshNamespace();
    const dep = sim.addDeployment({
      namespace: ns,
      name: "service",
      replicas: 2,
      containers: [{ name: "server" }, { name: "gateway" }],
    });
    const [a, b] = dep.pods;
    a!.log("server", "GET /a 200");
    const r = follow(ns, "service");
    await r.waitFor("GET /a 200");
    expect(r.stdout()).toBe(`${a!.name} server GET /a 200\n`);
    b!.log("gateway", "proxy to b");
    a!.log("server", "GET /a2 200");
    await r.waitFor("GET /a2 200");
    await r.waitFor("proxy to b");
    expect(lines(r.stdout()).sort()).toEqual(
      [
        `${a!.name} server GET /a 200`,
        `${a!.name} server GET /a2 200`,
        `${b!.name} gateway proxy to b`,
      ].sort(),
    );
    expect(lines(r.stderr()).sort()).toEqual(
      [
        `+ ${a!.name} › server`,
        `+ ${a!.name} › gateway`,
        `+ ${b!.name} › server`,
        `+ ${b!.name} › gateway`,
      ].sort(),
    );
  });

  it("a replaced pod: - for the old one, + and lines for the new one", async () => {
    const ns = freshNamespace();
    const dep = sim.addDeployment({
      namespace: ns,
      name: "service",
      replicas: 1,
      containers: [{ name: "server" }],
    });
    const old = dep.pods[0]!;
    const r = follow(ns, "service");
    await r.waitFor(`+ ${old.name} › server`);
    const fresh = await dep.replacePod(old.name);
    await r.waitFor(`- ${old.name} › server`);
    await r.waitFor(`+ ${fresh.name} › server`);
    fresh.log("server", "hello from the new pod");
    await r.waitFor(`${fresh.name} server hello from the new pod`);
    expect(fresh.name).toMatch(/^service-[a-z0-9]+-[a-z0-9]{5}$/);
  });

  it("a restarted container is followed again from the start of its new instance", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "first life");
    const r = follow(ns, "web");
    await r.waitFor("web app first life");
    pod.restart("app");
    pod.log("app", "second life");
    await r.waitFor("web app second life");
    expect(lines(r.stdout())).toEqual(["web app first life", "web app second life"]);
    expect(lines(r.stderr())).toEqual([
      "+ web › app",
      "- web › app (exit 1, Error, restart 1)",
      "+ web › app (restart 1)",
    ]);
    const logReqs = sim.requests.filter((q) => q.path === `/api/v1/namespaces/${ns}/pods/web/log`);
    expect(logReqs).toHaveLength(2);
  });

  it("a deleted pod's streams end with - lines; a new pod is picked up", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }, { name: "side" }] });
    const r = follow(ns, "web");
    await r.waitFor((_, err) => err.includes("+ web-1 › side") && err.includes("+ web-1 › app"));
    pod.log("app", "last words");
    await r.waitFor("last words");
    await sim.deletePod(ns, "web-1");
    await r.waitFor((_, err) => err.includes("- web-1 › side") && err.includes("- web-1 › app"));
    const next = sim.addPod({ namespace: ns, name: "web-2", containers: [{ name: "app" }] });
    next.log("app", "newcomer");
    await r.waitFor("web-2 app newcomer");
  });

  it("a waiting container is followed once it starts, with no errors meanwhile", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "slow", containers: [{ name: "app", state: "waiting" }] });
    const r = follow(ns, "slow");
    await new Promise((res) => setTimeout(res, 600));
    expect(r.stderr()).toBe("");
    pod.start("app");
    pod.log("app", "finally up");
    await r.waitFor("slow app finally up");
    expect(lines(r.stderr())).toEqual(["+ slow › app"]);
  });

  it("init containers are followed in their turn", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({
      namespace: ns,
      name: "db",
      initContainers: [{ name: "migrate", state: "running" }],
      containers: [{ name: "postgres", state: "waiting" }],
    });
    pod.log("migrate", "migrating");
    const r = follow(ns, "db");
    await r.waitFor("db migrate migrating");
    pod.terminate("migrate", { exitCode: 0 });
    await r.waitFor("- db › migrate");
    pod.start("postgres");
    pod.log("postgres", "ready to accept connections");
    await r.waitFor("db postgres ready to accept connections");
  });

  it("--tail 0 shows only lines written after stern started", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    pod.log("app", "before");
    const r = follow(ns, "web", "--tail", "0");
    await r.waitFor("+ web › app");
    await streamsOpen(ns, 1, "web");
    pod.log("app", "after");
    await r.waitFor("web app after");
    expect(r.stdout()).toBe("web app after\n");
  });

  it("--max-log-requests: extra containers wait for a slot instead of ending the run", async () => {
    const ns = freshNamespace();
    const p1 = sim.addPod({ namespace: ns, name: "a", containers: [{ name: "c" }] });
    const p2 = sim.addPod({ namespace: ns, name: "b", containers: [{ name: "c" }] });
    p1.log("c", "from a");
    p2.log("c", "from b");
    const r = follow(ns, ".", "--max-log-requests", "1");
    await r.waitFor("1 container(s) wait for a free log stream (--max-log-requests=1)");
    await r.waitFor((out) => out.includes("from a") || out.includes("from b"));
    const first = r.stdout().includes("from a") ? p1 : p2;
    first.terminate("c", { exitCode: 0 });
    await r.waitFor((out) => out.includes("from a") && out.includes("from b"));
  });

  it("SIGINT ends the run with 130 and no stack trace", async () => {
    const ns = freshNamespace();
    sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    const r = follow(ns, "web");
    await r.waitFor("+ web › app");
    r.kill("SIGINT");
    expect(await r.exited()).toBe(130);
    expect(r.stderr()).toBe("+ web › app\n");
  });

  it("SIGINT while containers wait for a --max-log-requests slot: 130, no stack trace", async () => {
    const ns = freshNamespace();
    for (const name of ["a", "b", "c", "d"])
      sim
        .addPod({ namespace: ns, name, containers: [{ name: "x" }, { name: "y" }] })
        .log("x", `from ${name}`);
    const r = follow(ns, ".", "--max-log-requests", "1");
    await r.waitFor("7 container(s) wait for a free log stream (--max-log-requests=1)");
    await r.waitFor(/from [abcd]/);
    r.kill("SIGINT");
    expect(await r.exited(), r.stderr()).toBe(130);
    expect(r.stderr()).not.toMatch(/Error|\n\s+at |node:internal|\.ts:\d+|\.mjs:\d+/);
    expect(lines(r.stderr()).filter((l) => !/^\+ |wait for a free log stream/.test(l))).toEqual([]);
  });

  it("a closed watch resumes from the last resourceVersion without a relist; 410 relists without repeating +", async () => {
    const ns = freshNamespace();
    sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] });
    const r = follow(ns, "web");
    await r.waitFor("+ web-1 › app");
    const podsPath = `/api/v1/namespaces/${ns}/pods`;
    const lists = () => sim.requests.filter((q) => q.path === podsPath && !q.query.has("watch"));
    const watches = () => sim.requests.filter((q) => q.path === podsPath && q.query.get("watch") === "1");
    await waitUntil(() => watches().length === 1);
    expect(lists()).toHaveLength(1);
    expect(watches()[0]!.query.get("resourceVersion")).not.toBe("");
    expect(watches()[0]!.query.get("allowWatchBookmarks")).toBe("true");

    sim.faults.closeWatches();
    await waitUntil(() => watches().length === 2);
    sim.addPod({ namespace: ns, name: "web-2", containers: [{ name: "app" }] }).log("app", "after the close");
    await r.waitFor("web-2 app after the close");
    expect(lists()).toHaveLength(1);
    expect(Number(watches()[1]!.query.get("resourceVersion"))).toBeGreaterThanOrEqual(
      Number(watches()[0]!.query.get("resourceVersion")),
    );

    sim.faults.expireWatches();
    await waitUntil(() => lists().length === 2);
    sim
      .addPod({ namespace: ns, name: "web-3", containers: [{ name: "app" }] })
      .log("app", "after the relist");
    await r.waitFor("web-3 app after the relist");
    expect(lines(r.stderr()).sort()).toEqual(["+ web-1 › app", "+ web-2 › app", "+ web-3 › app"]);
  });

  it("follows an ephemeral container added to a running pod, unless --ephemeral-containers=false", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web", containers: [{ name: "app" }] });
    const r = follow(ns, "web");
    const quiet = spawnStern(["-n", ns, "web", "--ephemeral-containers=false"], {
      kubeconfig: sim.kubeconfigPath,
    });
    try {
      await r.waitFor("+ web › app");
      await quiet.waitFor("+ web › app");
      pod.addEphemeralContainer({ name: "debugger" });
      pod.log("debugger", "debugging");
      pod.log("app", "app line");
      await r.waitFor("web debugger debugging");
      await quiet.waitFor("web app app line");
      expect(quiet.stdout()).not.toContain("debugging");
    } finally {
      quiet.kill("SIGKILL");
    }
  });
});

describe("--condition", () => {
  it("follows pods while they have the condition, and ends their streams when they lose it", async () => {
    const ns = freshNamespace();
    const ready = sim.addPod({ namespace: ns, name: "ready-1", containers: [{ name: "app" }] });
    const notReady = sim.addPod({ namespace: ns, name: "unready-1", containers: [{ name: "app" }] });
    notReady.setCondition("Ready", "False");
    const r = follow(ns, ".", "--condition", "ready", "--tail", "0");
    await r.waitFor("+ ready-1 › app");
    await waitUntil(() => sim.requests.some((q) => q.path.endsWith("/ready-1/log")));
    ready.log("app", "serving");
    notReady.log("app", "hidden");
    await r.waitFor("ready-1 app serving");
    ready.setCondition("Ready", "False");
    await r.waitFor("- ready-1 › app");
    notReady.setCondition("Ready", "True");
    await r.waitFor("+ unready-1 › app");
    await waitUntil(() => sim.requests.some((q) => q.path.endsWith("/unready-1/log")));
    notReady.log("app", "now ready");
    await r.waitFor("unready-1 app now ready");
    expect(r.stdout()).not.toContain("hidden");
  });
});
