// The log endpoint's `stream` parameter (KEP-3288) behind the PodLogsQuerySplitStreams feature gate:
// without it the API server rejects the parameter; with it stdout and stderr are served apart, but not
// with tailLines. The exact Status bodies are the API server's (its ValidatePodLogOptions), and the real
// kubectl reads them (`kubectl get --raw`: kubectl 1.32 has no `logs --stream`).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, open } from "../../sim/client.ts";
import type { Sim } from "../../sim/index.ts";
import { startSim } from "../../sim/index.ts";
import { KUBECTL, runKubectl } from "./kubectl-run.ts";

const haveKubectl = existsSync(KUBECTL);
const ci = process.env.CI === "true";

const LOG = "/api/v1/namespaces/default/pods/app-1/log";
let gated: Sim;
let plain: Sim;
let home: string;

/** The pod both servers have: stdout and stderr lines interleaved. */
function populate(sim: Sim): void {
  sim
    .addPod({ name: "app-1", containers: [{ name: "app" }] })
    .log("app", "out 1")
    .logStderr("app", "err 1")
    .log("app", "out 2")
    .logStderr("app", "err 2");
}

beforeAll(async () => {
  gated = await startSim({ featureGates: { PodLogsQuerySplitStreams: true } });
  plain = await startSim({ serverVersion: "v1.31.6" });
  populate(gated);
  populate(plain);
  home = mkdtempSync(join(tmpdir(), "sim-streams-home-"));
});
afterAll(async () => {
  await gated?.stop();
  await plain?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("with the feature gate", () => {
  it("stream=Stdout and stream=Stderr serve one stream each; All and no stream serve both", async () => {
    const body = async (q: string) => (await get(gated, `${LOG}${q}`)).body;
    expect(await body("?stream=Stdout")).toBe("out 1\nout 2\n");
    expect(await body("?stream=Stderr")).toBe("err 1\nerr 2\n");
    expect(await body("?stream=All")).toBe("out 1\nerr 1\nout 2\nerr 2\n");
    expect(await body("")).toBe("out 1\nerr 1\nout 2\nerr 2\n");
    // tailLines is fine with both streams.
    expect(await body("?stream=All&tailLines=1")).toBe("err 2\n");
  });

  it("a followed stream gets only its stream's new lines", async () => {
    const pod = gated.addPod({ name: "live", containers: [{ name: "c" }] });
    const res = await open(gated, "/api/v1/namespaces/default/pods/live/log?follow=true&stream=Stderr");
    let got = "";
    res.on("data", (d: Buffer) => {
      got += d.toString();
    });
    pod.log("c", "to stdout").logStderr("c", "to stderr");
    const end = Date.now() + 3000;
    while (!got.includes("to stderr") && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    pod.terminate("c");
    await new Promise((r) => res.on("end", r));
    expect(got).toBe("to stderr\n");
  });

  it("tailLines with one stream is forbidden, and an unknown stream is not supported", async () => {
    const r = await get(gated, `${LOG}?stream=Stdout&tailLines=5`);
    expect(r.status).toBe(422);
    expect(JSON.parse(r.body)).toMatchObject({
      reason: "Invalid",
      message:
        'PodLogOptions "app-1" is invalid: : Forbidden: `tailLines` and specific `stream` are mutually exclusive for now',
      details: {
        causes: [
          {
            reason: "FieldValueForbidden",
            message: "Forbidden: `tailLines` and specific `stream` are mutually exclusive for now",
            field: "",
          },
        ],
      },
    });
    const bad = await get(gated, `${LOG}?stream=stdout`);
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.body).message).toBe(
      'PodLogOptions "app-1" is invalid: stream: Unsupported value: "stdout": supported values: "All", "Stderr", "Stdout"',
    );
  });
});

describe("without the feature gate", () => {
  it("any stream is rejected as a real API server rejects it; without it the log is served", async () => {
    for (const value of ["Stdout", "All"]) {
      const r = await get(plain, `${LOG}?stream=${value}`);
      expect(r.status).toBe(422);
      // As a 1.32 server without the gate answered (kubernetes/kubernetes#133005).
      expect(JSON.parse(r.body)).toEqual({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: 'PodLogOptions "app-1" is invalid: stream: Forbidden: may not be specified',
        reason: "Invalid",
        details: {
          name: "app-1",
          group: "",
          kind: "PodLogOptions",
          causes: [
            { reason: "FieldValueForbidden", message: "Forbidden: may not be specified", field: "stream" },
          ],
        },
        code: 422,
      });
    }
    expect((await get(plain, LOG)).body).toBe("out 1\nerr 1\nout 2\nerr 2\n");
  });

  it("serves the version it is given", async () => {
    const v = JSON.parse((await get(plain, "/version")).body);
    expect(v).toMatchObject({ major: "1", minor: "31", gitVersion: "v1.31.6" });
    expect(JSON.parse((await get(gated, "/version")).body).gitVersion).toBe("v1.32.4-sim");
  });
});

describe.runIf(haveKubectl || ci)("real kubectl", () => {
  const kubectl = (sim: Sim, args: string[]) => runKubectl({ kubeconfig: sim.kubeconfigPath, home }, args);

  it("get --raw reads one stream where the gate is on, and the API's error where it is off", async () => {
    const err = await kubectl(gated, ["get", "--raw", `${LOG}?stream=Stderr`]);
    expect([err.code, err.stdout, err.stderr]).toEqual([0, "err 1\nerr 2\n", ""]);
    const both = await kubectl(gated, ["logs", "app-1"]);
    expect(both.stdout).toBe("out 1\nerr 1\nout 2\nerr 2\n");
    const off = await kubectl(plain, ["get", "--raw", `${LOG}?stream=Stdout`]);
    expect(off.code).toBe(1);
    expect(off.stderr).toBe(
      // As kubectl printed it against a 1.32 server with the gate on and no stream (kubernetes#128709).
      'The PodLogOptions "app-1" is invalid: stream: Forbidden: may not be specified\n',
    );
  });

  it("kubectl version reads the server's version", async () => {
    const r = await kubectl(plain, ["version", "-o", "json"]);
    expect(JSON.parse(r.stdout).serverVersion).toMatchObject({ gitVersion: "v1.31.6", minor: "31" });
  });
});
