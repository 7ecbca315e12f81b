// --exit-on REGEX and --exit-on-level LEVEL: the run ends at the first shown line that matches (exit
// 0) or is at that level or above (exit 1), once that line is printed, and nothing after it is.
import { describe, expect, it } from "vitest";
import { e2eHarness } from "./harness.ts";
import { lines, runStern } from "./stern-process.ts";

const { sim, startStern, freshNamespace, streamsOpen } = e2eHarness({ namespacePrefix: "exit" });

describe("--exit-on", () => {
  it("ends the run at the first matching line, after printing it, while other pods go on", async () => {
    const ns = freshNamespace();
    const web = sim.addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] });
    const db = sim.addPod({ namespace: ns, name: "db-1", containers: [{ name: "pg" }] });
    web.log("app", "booting");
    const run = startStern(["-n", ns, ".", "--exit-on", "ready in \\d+ms", "--exit-on", "^FATAL"], {
      kubeconfig: sim.kubeconfigPath,
    });
    await run.waitFor("web-1 app booting");
    await streamsOpen(ns, 2);
    db.log("pg", "checkpoint");
    await run.waitFor("db-1 pg checkpoint");
    // The match and a line after it come in one chunk: the one after is not printed.
    web.log("app", "server ready in 35ms", "GET /healthz 200");
    const code = await run.exited();
    expect(code).toBe(0);
    expect(lines(run.stdout())).toEqual([
      "web-1 app booting",
      "db-1 pg checkpoint",
      "web-1 app server ready in 35ms",
    ]);
    // The run was stopped, not the streams ended: no "-" lines.
    expect(run.stderr()).not.toContain("- ");
  });

  it("with --no-follow, the lines after the match are not printed and the exit is 0", async () => {
    const ns = freshNamespace();
    sim
      .addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] })
      .log("app", "one", "migrations applied", "three");
    const r = await runStern(["-n", ns, "web", "--no-follow", "--exit-on", "applied$"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect([r.code, r.stdout]).toEqual([0, "web-1 app one\nweb-1 app migrations applied\n"]);
  });

  it("a line -i leaves out does not end the run", async () => {
    const ns = freshNamespace();
    sim
      .addPod({ namespace: ns, name: "web-1", containers: [{ name: "app" }] })
      .log("app", "debug: done soon", "error: x", "error: done");
    const r = await runStern(["-n", ns, "web", "--no-follow", "-i", "error", "--exit-on", "done"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect([r.code, r.stdout]).toEqual([0, "web-1 app error: x\nweb-1 app error: done\n"]);
  });
});

describe("--exit-on-level", () => {
  it("ends the run with exit 1 at the first line at the level or above", async () => {
    const ns = freshNamespace();
    const pod = sim.addPod({ namespace: ns, name: "api-1", containers: [{ name: "api" }] });
    pod.log("api", '{"level":"info","msg":"started"}', '{"level":"warn","msg":"slow"}');
    const run = startStern(["-n", ns, "api", "--exit-on-level", "error"], { kubeconfig: sim.kubeconfigPath });
    await run.waitFor("slow");
    pod.log("api", '{"level":"error","msg":"db down"}', '{"level":"info","msg":"retrying"}');
    expect(await run.exited()).toBe(1);
    expect(lines(run.stdout()).at(-1)).toBe('api-1 api {"level":"error","msg":"db down"}');
    expect(run.stdout()).not.toContain("retrying");
  });

  it("takes a number, as --level; klog's E lines are errors", async () => {
    const ns = freshNamespace();
    sim
      .addPod({ namespace: ns, name: "ctl-1", containers: [{ name: "c" }] })
      .log("c", "I1206 12:00:00.000000 1 a.go:1] fine", "E1206 12:00:01.000000 1 a.go:2] broken", "after");
    const r = await runStern(["-n", ns, "ctl", "--no-follow", "--exit-on-level", "3"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toEqual([
      "ctl-1 c I1206 12:00:00.000000 1 a.go:1] fine",
      "ctl-1 c E1206 12:00:01.000000 1 a.go:2] broken",
    ]);
  });
});

describe("bad input is one line before any request", () => {
  it.each([
    [
      ["--exit-on", "a("],
      "failed to compile regular expression for --exit-on: error parsing regexp: missing closing ): `a(`",
    ],
    [
      ["--exit-on-level", "loud"],
      'invalid --exit-on-level "loud": use trace, debug, info, notice, warn, error, critical, fatal or a number (syslog 0-7, pino 10-60)',
    ],
    [
      ["--stdin", "--exit-on", "x"],
      "--exit-on and --exit-on-level end a run on the cluster's logs, not with --stdin",
    ],
  ])("%j", async (args, message) => {
    sim.clearRequests();
    const r = await runStern(["web", ...args], { kubeconfig: sim.kubeconfigPath });
    expect([r.code, r.stdout, r.stderr]).toEqual([1, "", `Error: ${message}\n`]);
    expect(sim.requests).toEqual([]);
  });
});
