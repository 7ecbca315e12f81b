// --until-done: follow until every matched pod has finished, then exit with the outcome — a Job's own
// condition for job/ and cronjob/ queries (its retries followed as they come), the pods' otherwise.
import { describe, expect, it } from "vitest";
import type { JobHandle } from "../../sim/index.ts";
import { e2eHarness } from "./harness.ts";
import { lines, runStern, waitUntil } from "./stern-process.ts";

const { sim, startStern, freshNamespace } = e2eHarness({ namespacePrefix: "done" });

/** Attempt n (0-based) of the Job: waits for its pod to run, writes its lines, then ends it. */
async function attempt(job: JobHandle, n: number, text: string, exitCode: number): Promise<string> {
  await waitUntil(() => job.pods.length === n + 1 && job.pods[n]?.model.container("run")?.running === true);
  const pod = job.pods[n]!;
  pod.log("run", `${text} started`, `${text} working`);
  if (exitCode === 0) job.complete();
  else job.fail(exitCode);
  return pod.name;
}

describe("--until-done on a Job", () => {
  it("follows its retries: fails twice, then succeeds; exit 0 and every attempt's lines shown", async () => {
    const ns = freshNamespace();
    const job = sim.addJob({
      namespace: ns,
      name: "migrate",
      containers: [{ name: "run" }],
      backoffLimit: 3,
      startDelayMs: 20,
      backoffDelayMs: 100,
    });
    const run = startStern(["-n", ns, "job/migrate", "--until-done"], { kubeconfig: sim.kubeconfigPath });
    const pods = [
      await attempt(job, 0, "attempt 1", 1),
      await attempt(job, 1, "attempt 2", 2),
      await attempt(job, 2, "attempt 3", 0),
    ];
    expect(await run.exited()).toBe(0);
    const out = lines(run.stdout());
    for (const [i, pod] of pods.entries()) {
      expect(out).toContain(`${pod} run attempt ${i + 1} started`);
      expect(out).toContain(`${pod} run attempt ${i + 1} working`);
    }
    expect(out).toHaveLength(6);
    const err = run.stderr();
    expect(err).toContain(`- ${pods[0]} › run (exit 1, Error)`);
    expect(err).toContain(`- ${pods[1]} › run (exit 2, Error)`);
    expect(err).toContain(`- ${pods[2]} › run (exit 0, Completed)`);
    expect(err).not.toContain("failed");
  });

  it("exhausts its back-off limit: the last failed container's exit code, and a line saying what failed", async () => {
    const ns = freshNamespace();
    const job = sim.addJob({
      namespace: ns,
      name: "migrate",
      containers: [{ name: "run" }],
      backoffLimit: 1,
      startDelayMs: 20,
      backoffDelayMs: 100,
    });
    const run = startStern(["-n", ns, "job/migrate", "--until-done"], { kubeconfig: sim.kubeconfigPath });
    const first = await attempt(job, 0, "try 1", 3);
    const last = await attempt(job, 1, "try 2", 4);
    expect(await run.exited()).toBe(4);
    expect(lines(run.stdout())).toEqual(
      expect.arrayContaining([`${first} run try 1 started`, `${last} run try 2 working`]),
    );
    expect(lines(run.stderr()).at(-1)).toBe(
      `job/migrate failed, BackoffLimitExceeded: Job has reached the specified backoff limit; its last failed container: ${last} › run (exit 4, Error)`,
    );
  });

  it("a Job that finished before the run: its logs, then its outcome at once", async () => {
    const ns = freshNamespace();
    const job = sim.addJob({ namespace: ns, name: "seed", containers: [{ name: "run" }] });
    job.pods[0]?.log("run", "seeded 42 rows");
    job.complete();
    await waitUntil(() => job.finished);
    const r = await runStern(["-n", ns, "job/seed", "--until-done"], { kubeconfig: sim.kubeconfigPath });
    expect([r.code, r.stdout]).toEqual([0, `${job.pods[0]?.name} run seeded 42 rows\n`]);
  });
});

describe("--until-done on a CronJob", () => {
  it("waits for its newest run; the history's logs are shown too", async () => {
    const ns = freshNamespace();
    const cj = sim.addCronJob({
      namespace: ns,
      name: "report",
      containers: [{ name: "run" }],
      jobs: 1,
      startDelayMs: 20,
    });
    cj.pods[0]?.log("run", "yesterday's report");
    const job = cj.runJob();
    const run = startStern(["-n", ns, "cronjob/report", "--until-done"], { kubeconfig: sim.kubeconfigPath });
    await run.waitFor("yesterday's report");
    const pod = await attempt(job, 0, "today", 0);
    expect(await run.exited()).toBe(0);
    expect(run.stdout()).toContain(`${pod} run today working`);
  });
});

describe("--until-done on other queries: the pods decide", () => {
  it("0 once every pod has succeeded", async () => {
    const ns = freshNamespace();
    const a = sim.addPod({
      namespace: ns,
      name: "task-a",
      restartPolicy: "Never",
      containers: [{ name: "c" }],
    });
    const b = sim.addPod({
      namespace: ns,
      name: "task-b",
      restartPolicy: "Never",
      containers: [{ name: "c" }],
    });
    const run = startStern(["-n", ns, "task", "--until-done"], { kubeconfig: sim.kubeconfigPath });
    await run.waitFor("+ task-b › c");
    a.log("c", "a done").terminate("c");
    // One finished, one runs: not done yet.
    await run.waitFor("- task-a › c (exit 0, Completed)");
    b.log("c", "b done").terminate("c");
    expect(await run.exited()).toBe(0);
    expect(lines(run.stdout()).sort()).toEqual(["task-a c a done", "task-b c b done"]);
  });

  it("else the first failed container's exit code, and the pod it was in", async () => {
    const ns = freshNamespace();
    const a = sim.addPod({
      namespace: ns,
      name: "task-a",
      restartPolicy: "Never",
      containers: [{ name: "c" }],
    });
    const b = sim.addPod({
      namespace: ns,
      name: "task-b",
      restartPolicy: "Never",
      containers: [{ name: "c" }],
    });
    const run = startStern(["-n", ns, "task", "--until-done"], { kubeconfig: sim.kubeconfigPath });
    await run.waitFor("+ task-b › c");
    b.log("c", "disk full").terminate("c", { exitCode: 28 });
    await run.waitFor("- task-b › c (exit 28, Error)");
    a.terminate("c", { exitCode: 5 });
    expect(await run.exited()).toBe(28);
    expect(lines(run.stderr()).at(-1)).toBe(
      "pod task-b failed; the first failed container: task-b › c (exit 28, Error)",
    );
  });
});

describe("bad input", () => {
  it("--until-done with --no-follow is a one-line error before any request", async () => {
    sim.clearRequests();
    const r = await runStern(["job/migrate", "--until-done", "--no-follow"], {
      kubeconfig: sim.kubeconfigPath,
    });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      "Error: --until-done follows pods until they finish: it cannot be used with --no-follow\n",
    ]);
    expect(sim.requests).toEqual([]);
  });
});
