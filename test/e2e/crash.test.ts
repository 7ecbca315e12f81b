// Debugging a crash: why an instance ended, what a container waits for, the previous instance's log.
import { describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, runStern, type SternRun } from "./stern-process.ts";

const { sim, freshNamespace, startStern } = e2eHarness({
  sim: { namespaces: ["default"] },
  namespacePrefix: "crash",
});

function follow(ns: string, ...args: string[]): SternRun {
  return startStern(["-n", ns, ...args], { kubeconfig: sim.kubeconfigPath });
}

describe("why a container ended", () => {
  it("an OOMKilled restart: the - line says exit 137, OOMKilled and the restart count", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] });
    pod.log("app", "allocating");
    const r = follow(ns, "web");
    await r.waitFor("web-1 app allocating");
    pod.restart("app", { exitCode: 137, reason: "OOMKilled" });
    pod.log("app", "back again");
    await r.waitFor("web-1 app back again");
    expect(lines(r.stderr())).toEqual([
      "+ web-1 › app",
      "- web-1 › app (exit 137, OOMKilled, restart 1)",
      "+ web-1 › app (restart 1)",
    ]);
  });

  it("CrashLoopBackOff is said once with its back-off, then the container starts again", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] });
    const r = follow(ns, "web");
    await r.waitFor("+ web-1 › app");
    pod.log("app", "panic: nil map");
    pod.wait("app", "CrashLoopBackOff", { exitCode: 2 });
    await r.waitFor("CrashLoopBackOff");
    pod.setReady("app", false); // another update in the same wait: not said again
    await new Promise((res) => setTimeout(res, 300));
    pod.start("app");
    pod.log("app", "up");
    await r.waitFor("web-1 app up");
    expect(lines(r.stderr())).toEqual([
      "+ web-1 › app",
      "- web-1 › app (exit 2, Error, restart 1)",
      `! web-1 › app CrashLoopBackOff: back-off 10s restarting failed container=app pod=web-1_${ns}(${pod.uid})`,
      "+ web-1 › app (restart 1)",
    ]);
  });

  it("ImagePullBackOff names the image; CreateContainerConfigError gives its message", async () => {
    const ns = freshNamespace();
    sim
      .addPod({
        namespace: ns,
        name: "web-1",
        containers: [{ name: "app", image: "example.com/app:nope", state: "waiting" }],
      })
      .wait("app", "ImagePullBackOff");
    sim
      .addPod({ namespace: ns, name: "web-2", containers: [{ name: "app", state: "waiting" }] })
      .wait("app", "CreateContainerConfigError", { message: 'configmap "app-config" not found' });
    const r = follow(ns, "web");
    await r.waitFor((_, err) => lines(err).length === 2);
    expect(lines(r.stderr()).sort()).toEqual([
      '! web-1 › app ImagePullBackOff: Back-off pulling image "example.com/app:nope"',
      '! web-2 › app CreateContainerConfigError: configmap "app-config" not found',
    ]);
  });

  it("an evicted pod's streams end saying so; Completed says so too", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] });
    const job = sim.addPod({ namespace: ns, name: "web-job", containers: [{ name: "work" }] });
    const r = follow(ns, "web");
    await r.waitFor((_, err) => lines(err).length === 2);
    pod.evict("The node was low on resource: memory.");
    job.terminate("work", { exitCode: 0 });
    await r.waitFor((_, err) => lines(err).length === 4);
    expect(lines(r.stderr()).slice(2).sort()).toEqual([
      "- web-1 › app (exit 137, Error, evicted: The node was low on resource: memory.)",
      "- web-job › work (exit 0, Completed)",
    ]);
  });

  it("errors are red; --only-log-lines keeps all of it quiet", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] });
    const r = follow(ns, "web", "--color", "always");
    const quiet = follow(ns, "web", "--only-log-lines");
    await r.waitFor((_, err) => err.includes("web-1"));
    pod.log("app", "bye");
    await quiet.waitFor("bye");
    pod.wait("app", "CrashLoopBackOff");
    await r.waitFor("CrashLoopBackOff");
    expect(r.stderr()).toContain("\x1b[31m(exit 1, Error, restart 1)\x1b[0m");
    expect(r.stderr()).toContain("\x1b[93;1m!\x1b[0;22m");
    await new Promise((res) => setTimeout(res, 300));
    expect(quiet.stderr()).toBe("");
  });

  it("--no-follow: a terminated container's - line says how it ended", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] });
    pod.log("app", "last words");
    pod.terminate("app", { exitCode: 1, reason: "Error", message: "fatal: config missing" });
    const r = await runStern(["-n", ns, "web", "--no-follow"], { kubeconfig: sim.kubeconfigPath });
    expect(r.stdout).toBe("web-1 app last words\n");
    expect(lines(r.stderr)).toEqual([
      "+ web-1 › app",
      "- web-1 › app (exit 1, Error, fatal: config missing)",
    ]);
  });
});

describe("--previous", () => {
  it("prints a restarted container's previous instance, marked, before the current one, then follows", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }, { name: "side" }] });
    pod.log("app", "before the crash", "panic: boom");
    pod.restart("app", { exitCode: 137, reason: "OOMKilled" });
    pod.log("app", "after the crash");
    pod.log("side", "side line");
    const r = follow(ns, "web", "--previous");
    await r.waitFor("web-1 app after the crash");
    await r.waitFor("web-1 side side line");
    const app = lines(r.stdout()).filter((l) => l.startsWith("web-1 app"));
    expect(app).toEqual([
      "web-1 app (previous) before the crash",
      "web-1 app (previous) panic: boom",
      "web-1 app after the crash",
    ]);
    expect(lines(r.stderr()).filter((l) => l.includes("› app"))).toEqual([
      "+ web-1 › app (previous)",
      "- web-1 › app (previous, exit 137, OOMKilled, restart 1)",
      "+ web-1 › app (restart 1)",
    ]);
    pod.log("app", "still followed");
    await r.waitFor("web-1 app still followed");
    const prev = sim.requests.filter(
      (q) => q.path.endsWith("/web-1/log") && q.query.get("previous") === "true",
    );
    expect(prev.map((q) => [q.query.get("container"), q.query.get("follow")])).toEqual([["app", "false"]]);
  });

  it("with --no-follow it is kubectl logs -p for every matching container; -o json marks the lines", async () => {
    const ns = freshNamespace();
    const a = sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] });
    a.log("app", "old a");
    a.restart("app");
    a.log("app", "new a");
    const b = sim.addPod({ namespace: ns, name: "web-2", containers: [{ name: "app" }] });
    b.log("app", "old b");
    b.wait("app", "CrashLoopBackOff");
    sim.addPod({ namespace: ns, name: "web-3", containers: [{ name: "app" }] }).log("app", "never restarted");
    const r = await runStern(["-n", ns, "web", "--no-follow", "--previous"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect(r.code).toBe(0);
    expect(lines(r.stdout).sort()).toEqual(["web-1 app (previous) old a", "web-2 app (previous) old b"]);
    const json = await runStern(["-n", ns, "web-1", "--no-follow", "--previous", "-o", "json"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect(JSON.parse(json.stdout)).toMatchObject({ message: "old a", podName: "web-1", previous: true });
    const tpl = await runStern(
      [
        "-n",
        ns,
        "web-1",
        "--no-follow",
        "--previous",
        "--template",
        '{{if .Previous}}was: {{end}}{{.Message}}{{"\\n"}}',
      ],
      { kubeconfig: sim.kubeconfigPath },
    );
    expect(tpl.stdout).toBe("was: old a\n");
  });

  it("--previous with --tail=0: one clear line", async () => {
    const r = await runStern(["web", "--previous", "--tail", "0"], { kubeconfig: sim.kubeconfigPath });
    expect([r.code, r.stderr]).toEqual([
      1,
      "Error: --previous cannot be used with --tail=0: no line of a previous instance would be shown\n",
    ]);
  });
});
