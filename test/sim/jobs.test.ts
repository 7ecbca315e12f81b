// Jobs that retry: a failed pod is replaced until more than backoffLimit have failed (restartPolicy
// Never) or its containers restart in place (OnFailure); then the Job fails with BackoffLimitExceeded.
// Checked on the objects served and with the real kubectl (get jobs, get pods, describe job).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobHandle, Sim } from "../../sim/index.ts";
import { startSim } from "../../sim/index.ts";
import { KUBECTL, runKubectl } from "./kubectl-run.ts";

const haveKubectl = existsSync(KUBECTL);
const ci = process.env.CI === "true";

// biome-ignore lint/suspicious/noExplicitAny: navigating arbitrary JSON bodies in assertions
type Json = Record<string, any>;

let sim: Sim;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(f: () => T | undefined | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error("timeout");
    await sleep(10);
  }
}

const job = (name: string): Json => sim.getObject("jobs", "default", name) as unknown as Json;
const conditions = (name: string): string[] =>
  (job(name).status.conditions ?? []).map((c: Json) => `${c.type}=${c.status}:${c.reason ?? ""}`);
/** Waits until the Job has `n` pods (a replacement comes after the back-off delay). */
const podsOf = (j: JobHandle, n: number) => until(() => j.pods.length === n && j.pods);

beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim?.stop();
});

describe("a Job's retries (restartPolicy Never)", () => {
  it("replaces a failed pod after its back-off, and completes when a retry succeeds", async () => {
    const j = sim.addJob({ name: "flaky", containers: [{ name: "run" }], backoffLimit: 2, startDelayMs: 5 });
    const first = j.pods[0];
    j.fail(3);
    const [, second] = await podsOf(j, 2);
    expect(second?.name).not.toBe(first?.name);
    expect(second?.name).toMatch(/^flaky-[a-z0-9]{5}$/);
    expect(first?.model.phase()).toBe("Failed");
    await until(() => second?.model.phase() === "Running");
    expect(job("flaky").status).toMatchObject({ failed: 1, active: 1 });
    expect(conditions("flaky")).toEqual([]);

    j.fail(4);
    const [, , third] = await podsOf(j, 3);
    await until(() => third?.model.phase() === "Running");
    j.complete();
    await until(() => j.finished);
    expect(j.succeeded).toBe(true);
    expect(job("flaky").status).toMatchObject({ failed: 2, succeeded: 1 });
    expect(conditions("flaky")).toEqual([
      "SuccessCriteriaMet=True:CompletionsReached",
      "Complete=True:CompletionsReached",
    ]);
    const exits = j.pods.map((p) => (p.json as unknown as Json).status.containerStatuses[0].state.terminated);
    expect(exits.map((t: Json) => `${t.exitCode} ${t.reason}`)).toEqual([
      "3 Error",
      "4 Error",
      "0 Completed",
    ]);
  });

  it("fails with BackoffLimitExceeded once more than backoffLimit pods failed, and makes no more", async () => {
    const j = sim.addJob({ name: "doomed", containers: [{ name: "run" }], backoffLimit: 1, startDelayMs: 5 });
    j.fail(2);
    await podsOf(j, 2);
    j.fail(7);
    await until(() => j.finished);
    expect(j.succeeded).toBe(false);
    expect(conditions("doomed")).toEqual([
      "FailureTarget=True:BackoffLimitExceeded",
      "Failed=True:BackoffLimitExceeded",
    ]);
    expect(job("doomed").status).toMatchObject({ failed: 2 });
    expect(job("doomed").status.active).toBeUndefined();
    await sleep(300);
    expect(j.pods).toHaveLength(2);
    const events = sim.cluster.store
      .list("events", "default")
      .filter((e) => (e as unknown as Json).involvedObject.name === "doomed");
    expect(events.map((e) => (e as unknown as Json).reason)).toEqual(["BackoffLimitExceeded"]);
  });

  it("backoffLimit 0 fails the Job with its first failed pod", async () => {
    const j = sim.addJob({ name: "once", containers: [{ name: "run" }], backoffLimit: 0 });
    j.fail(1);
    await until(() => j.finished);
    expect(j.pods).toHaveLength(1);
    expect(conditions("once")).toContain("Failed=True:BackoffLimitExceeded");
  });
});

describe("a Job's retries (restartPolicy OnFailure)", () => {
  it("restarts the containers in place, then fails the Job and deletes its pod", async () => {
    const j = sim.addJob({
      name: "inplace",
      containers: [{ name: "run" }],
      restartPolicy: "OnFailure",
      backoffLimit: 1,
    });
    const pod = j.pods[0];
    if (!pod) throw new Error("the Job made no pod");
    const firstId = pod.containerId("run");
    j.fail(5);
    await until(
      () => (pod.json as unknown as Json | undefined)?.status.containerStatuses[0].restartCount === 1,
    );
    const cs = (pod.json as unknown as Json).status.containerStatuses[0];
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 5, reason: "Error", containerID: firstId });
    expect(cs.state.running).toBeDefined();
    expect(j.pods).toHaveLength(1);
    j.fail(6);
    await until(() => j.finished);
    expect(conditions("inplace")).toContain("Failed=True:BackoffLimitExceeded");
    await until(() => pod.deleted);
  });
});

describe.runIf(haveKubectl || ci)("real kubectl against the retried Jobs", () => {
  let home: string;
  const kubectl = (args: string[]) => runKubectl({ kubeconfig: sim.kubeconfigPath, home }, args);
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), "sim-jobs-home-"));
  });
  afterAll(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("get jobs shows Complete and Failed; get pods shows each attempt; describe counts them", async () => {
    const r = await kubectl(["get", "jobs", "flaky", "doomed", "--no-headers"]);
    expect(r.stderr).toBe("");
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((l) => l.split(/\s+/).slice(0, 3));
    expect(rows).toEqual([
      ["flaky", "Complete", "1/1"],
      ["doomed", "Failed", "0/1"],
    ]);
    const pods = await kubectl(["get", "pods", "-l", "job-name=flaky", "--no-headers"]);
    expect(pods.stderr).toBe("");
    const statuses = pods.stdout
      .trim()
      .split("\n")
      .map((l) => l.split(/\s+/)[2])
      .sort();
    expect(statuses).toEqual(["Completed", "Error", "Error"]);
    const d = await kubectl(["describe", "job", "doomed"]);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toMatch(/Backoff Limit:\s+1/);
    expect(d.stdout).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 0 Succeeded \/ 2 Failed/);
    expect(d.stdout).toMatch(
      /Warning\s+BackoffLimitExceeded\s+\S+\s+job-controller\s+Job has reached the specified backoff limit/,
    );
  });
});
