// --stream stdout|stderr: one of each container's streams, where the server has the
// PodLogsQuerySplitStreams feature gate; .Stream and -o json say which. On a server without it (a 1.32
// with the gate off, or an older one) the run is one clear error before any stream is shown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sim, startSim } from "../../sim/index.ts";
import { e2eHarness } from "./harness.ts";
import { lines, runStern } from "./stern-process.ts";

const { sim, startStern, freshNamespace, streamsOpen } = e2eHarness({
  namespacePrefix: "streams",
  sim: { featureGates: { PodLogsQuerySplitStreams: true } },
});

/** A pod that wrote to both streams. */
function noisy(s: Sim, namespace: string) {
  return s
    .addPod({ namespace, name: "web-1", containers: [{ name: "app" }] })
    .log("app", "GET / 200")
    .logStderr("app", "warning: cache cold")
    .log("app", "GET /cart 200");
}

describe("with the feature gate", () => {
  it("--stream stderr follows only stderr, old lines and new", async () => {
    const ns = freshNamespace();
    const pod = noisy(sim, ns);
    const run = startStern(["-n", ns, "web", "--stream", "stderr"], { kubeconfig: sim.kubeconfigPath });
    await run.waitFor("web-1 app warning: cache cold");
    await streamsOpen(ns, 1);
    pod.log("app", "GET /late 200").logStderr("app", "error: payment timeout");
    await run.waitFor("payment timeout");
    expect(lines(run.stdout())).toEqual([
      "web-1 app warning: cache cold",
      "web-1 app error: payment timeout",
    ]);
    const logRequests = sim.requests.filter((r) => r.path.endsWith("/log") && r.path.includes(`/${ns}/`));
    expect(logRequests.every((r) => r.query.get("stream") === "Stderr")).toBe(true);
  });

  it("--stream stdout with --no-follow; -o json and templates say the stream", async () => {
    const ns = freshNamespace();
    noisy(sim, ns);
    const r = await runStern(["-n", ns, "web", "--stream", "stdout", "--no-follow"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect([r.code, r.stdout]).toEqual([0, "web-1 app GET / 200\nweb-1 app GET /cart 200\n"]);
    const json = await runStern(["-n", ns, "web", "--stream", "stderr", "--no-follow", "-o", "json"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect(JSON.parse(json.stdout)).toMatchObject({ message: "warning: cache cold", stream: "stderr" });
    const tpl = await runStern(
      [
        "-n",
        ns,
        "web",
        "--stream",
        "STDERR",
        "--no-follow",
        "--template",
        '{{.Stream}}: {{.Message}}{{"\\n"}}',
      ],
      { kubeconfig: sim.kubeconfigPath },
    );
    expect(tpl.stdout).toBe("stderr: warning: cache cold\n");
  });

  it("without --stream nothing changes: both streams, no stream parameter, no stream key", async () => {
    const ns = freshNamespace();
    noisy(sim, ns);
    const r = await runStern(["-n", ns, "web", "--no-follow", "-o", "json"], {
      kubeconfig: sim.kubeconfigPath,
    });
    const records = lines(r.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((x) => x.message)).toEqual(["GET / 200", "warning: cache cold", "GET /cart 200"]);
    expect(records.some((x) => "stream" in x)).toBe(false);
    expect(sim.requests.some((q) => q.path.includes(`/${ns}/`) && q.query.has("stream"))).toBe(false);
  });
});

describe("without it", () => {
  let gateOff: Sim;
  let old: Sim;
  beforeAll(async () => {
    gateOff = await startSim();
    old = await startSim({ serverVersion: "v1.31.6" });
    noisy(gateOff, "default");
    noisy(old, "default");
  });
  afterAll(async () => {
    await gateOff?.stop();
    await old?.stop();
  });

  it("a 1.32 server without the gate: the API's refusal in one line, and no stream shown", async () => {
    const r = await runStern(["web", "--stream", "stderr"], { kubeconfig: gateOff.kubeconfigPath });
    expect([r.code, r.stdout]).toEqual([1, ""]);
    expect(r.stderr).toBe(
      'Error: --stream needs a server that serves stdout and stderr apart (Kubernetes 1.32 or later, with the PodLogsQuerySplitStreams feature gate); this one said: PodLogOptions "web-1" is invalid: stream: Forbidden: may not be specified\n',
    );
  });

  it("an older server, which would ignore the parameter and send both: told by its version, before any log request", async () => {
    const r = await runStern(["web", "--stream", "stdout", "--no-follow"], {
      kubeconfig: old.kubeconfigPath,
    });
    expect([r.code, r.stdout]).toEqual([1, ""]);
    expect(r.stderr).toBe(
      "Error: --stream needs a server that serves stdout and stderr apart (Kubernetes 1.32 or later, with the PodLogsQuerySplitStreams feature gate): this one is v1.31.6\n",
    );
    expect(old.requests.some((q) => q.path.endsWith("/log"))).toBe(false);
  });
});

describe("bad input", () => {
  it.each([
    [["--stream", "both"], 'invalid --stream "both": use stdout or stderr'],
    [
      ["--stream", "stdout", "--tail", "10"],
      "--stream cannot be used with --tail: the API does not serve the last lines of one stream (`tailLines` and specific `stream` are mutually exclusive for now)",
    ],
  ])("%j is one line before any request", async (args, message) => {
    sim.clearRequests();
    const r = await runStern(["web", ...args], { kubeconfig: sim.kubeconfigPath });
    expect([r.code, r.stdout, r.stderr]).toEqual([1, "", `Error: ${message}\n`]);
    expect(sim.requests).toEqual([]);
  });
});
