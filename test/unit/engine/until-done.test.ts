// --until-done's decision, from pod and Job states (pure), and its bookkeeping over watch events.
import { describe, expect, it } from "vitest";
import { DoneTracker } from "../../../src/engine/done-tracker.ts";
import {
  exitCodeOf,
  type JobObject,
  newestJob,
  podFinished,
  untilDoneProgress,
} from "../../../src/engine/until-done.ts";
import type { ContainerStatus, Pod } from "../../../src/shared/pod.ts";

const JOB_UID = "job-uid-1";

function terminated(exitCode: number, finishedAt: string, reason = exitCode === 0 ? "Completed" : "Error") {
  return { terminated: { exitCode, reason, finishedAt, containerID: `containerd://${finishedAt}` } };
}

function pod(
  name: string,
  phase: string,
  statuses: Partial<ContainerStatus>[] = [],
  o: { job?: string; reason?: string; message?: string } = {},
): Pod {
  return {
    metadata: {
      name,
      namespace: "ns",
      uid: `uid-${name}`,
      ...(o.job ? { ownerReferences: [{ kind: "Job", name: "migrate", uid: o.job, controller: true }] } : {}),
    },
    status: {
      phase,
      ...(o.reason ? { reason: o.reason, message: o.message } : {}),
      containerStatuses: statuses.map((s, i) => ({ name: `c${i}`, restartCount: 0, ...s })),
    },
  } as Pod;
}

function job(
  conditions: [string, string?, string?][],
  name = "migrate",
  uid = JOB_UID,
  created = "",
): JobObject {
  return {
    metadata: { name, namespace: "ns", uid, ...(created ? { creationTimestamp: created } : {}) },
    status: {
      conditions: conditions.map(([type, reason, message]) => ({ type, status: "True", reason, message })),
    },
  };
}

const T = (s: number) => `2026-12-01T10:00:${String(s).padStart(2, "0")}Z`;

describe("by the pods (any query but job/ and cronjob/)", () => {
  it("is not done before a pod was seen, nor while one runs", () => {
    expect(untilDoneProgress({ pods: [], seen: [] })).toEqual({ done: false });
    const running = pod("a", "Running");
    const ok = pod("b", "Succeeded", [{ state: terminated(0, T(1)) }]);
    expect(untilDoneProgress({ pods: [running, ok], seen: [running, ok] })).toEqual({ done: false });
    // A restartPolicy Always pod whose containers ended is still Running: it will restart.
    const restarting = pod("c", "Running", [{ state: terminated(1, T(2)) }]);
    expect(podFinished(restarting)).toBe(false);
  });

  it("0 when every pod succeeded", () => {
    const a = pod("a", "Succeeded", [{ state: terminated(0, T(1)) }]);
    const b = pod("b", "Succeeded", [{ state: terminated(0, T(2)) }]);
    expect(untilDoneProgress({ pods: [a, b], seen: [a, b] })).toEqual({ done: true, outcome: { code: 0 } });
  });

  it("else the exit code of the container that failed first, whichever pod it is in", () => {
    const a = pod("a", "Failed", [{ state: terminated(0, T(1)) }, { state: terminated(7, T(9)) }]);
    const b = pod("b", "Failed", [{ state: terminated(3, T(5)) }]);
    const ok = pod("c", "Succeeded", [{ state: terminated(0, T(1)) }]);
    const p = untilDoneProgress({ pods: [a, b, ok], seen: [a, b, ok] });
    expect(p).toMatchObject({
      done: true,
      outcome: {
        code: 3,
        failure: {
          pod: { namespace: "ns", name: "b" },
          container: { name: "c0", end: { exitCode: 3, reason: "Error" } },
        },
      },
    });
  });

  it("failures within one second (finishedAt has whole seconds) go by when they were seen", () => {
    const a = pod("a", "Failed", [{ state: terminated(5, T(1)) }]);
    const b = pod("b", "Failed", [{ state: terminated(28, T(1)) }]);
    const firstB = (id: string) => (id.includes("b") ? 0 : 1);
    a.status!.containerStatuses![0]!.state!.terminated!.containerID = "containerd://a";
    b.status!.containerStatuses![0]!.state!.terminated!.containerID = "containerd://b";
    expect(untilDoneProgress({ pods: [a, b], seen: [a, b], seenAt: firstB })).toMatchObject({
      outcome: { code: 28 },
    });
    expect(untilDoneProgress({ pods: [a, b], seen: [a, b] })).toMatchObject({ outcome: { code: 5 } });
    const t = new DoneTracker(
      [{ namespace: "ns", labelSelector: undefined, fieldSelector: undefined }],
      () => true,
    );
    t.pod(pod("a", "Running"), 0);
    t.pod(b, 0);
    t.pod(a, 0);
    expect(t.progress()).toMatchObject({ outcome: { code: 28 } });
  });

  it("a failed pod no container tells about (evicted) exits 1 with the pod's reason", () => {
    const evicted = pod("a", "Failed", [], {
      reason: "Evicted",
      message: "The node was low on resource: memory.",
    });
    expect(untilDoneProgress({ pods: [evicted], seen: [evicted] })).toEqual({
      done: true,
      outcome: {
        code: 1,
        failure: {
          pod: {
            namespace: "ns",
            name: "a",
            reason: "Evicted",
            message: "The node was low on resource: memory.",
          },
        },
      },
    });
  });

  it("a pod deleted after it failed still counts; one deleted while running does not hold the run", () => {
    const failed = pod("a", "Failed", [{ state: terminated(2, T(1)) }]);
    const gone = pod("b", "Running");
    expect(untilDoneProgress({ pods: [], seen: [failed, gone] })).toMatchObject({
      done: true,
      outcome: { code: 2 },
    });
  });
});

describe("by the Job's condition (job/ and cronjob/ queries)", () => {
  const failedPod = (name: string, code: number, at: number) =>
    pod(name, "Failed", [{ state: terminated(code, T(at)) }], { job: JOB_UID });

  it("is not done between a failed pod and its retry: the Job has not said so", () => {
    const first = failedPod("m-1", 1, 1);
    expect(untilDoneProgress({ pods: [first], seen: [first], jobs: [job([])] })).toEqual({ done: false });
    expect(untilDoneProgress({ pods: [first], seen: [first], jobs: [] })).toEqual({ done: false });
  });

  it("Complete: 0, whatever the failed attempts before", () => {
    const pods = [
      failedPod("m-1", 1, 1),
      failedPod("m-2", 4, 2),
      pod("m-3", "Succeeded", [], { job: JOB_UID }),
    ];
    const p = untilDoneProgress({ pods, seen: pods, jobs: [job([["SuccessCriteriaMet"], ["Complete"]])] });
    expect(p).toEqual({ done: true, outcome: { code: 0 } });
  });

  it("Failed: the exit code of its last failed container, and the Job's reason", () => {
    const pods = [failedPod("m-2", 4, 5), failedPod("m-1", 1, 1), failedPod("other", 9, 9)];
    pods[2] = pod("other", "Failed", [{ state: terminated(9, T(9)) }], { job: "another-job" });
    const j = job([
      ["FailureTarget"],
      ["Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"],
    ]);
    const p = untilDoneProgress({ pods, seen: pods, jobs: [j] });
    expect(p).toEqual({
      done: true,
      outcome: {
        code: 4,
        failure: {
          job: {
            namespace: "ns",
            name: "migrate",
            reason: "BackoffLimitExceeded",
            message: "Job has reached the specified backoff limit",
          },
          pod: { namespace: "ns", name: "m-2", reason: undefined, message: undefined },
          container: {
            name: "c0",
            end: {
              exitCode: 4,
              signal: undefined,
              reason: "Error",
              message: undefined,
              restartCount: 0,
              evicted: undefined,
            },
          },
        },
      },
    });
  });

  it("restarts in place (OnFailure): the last instance's code, from lastState", () => {
    const p1 = pod(
      "m-1",
      "Running",
      [{ restartCount: 2, state: { running: {} }, lastState: terminated(6, T(3)) }],
      {
        job: JOB_UID,
      },
    );
    const p = untilDoneProgress({ pods: [], seen: [p1], jobs: [job([["Failed", "BackoffLimitExceeded"]])] });
    expect(p).toMatchObject({ done: true, outcome: { code: 6 } });
  });

  it("a failed Job whose pods are gone unseen exits 1", () => {
    expect(
      untilDoneProgress({ pods: [], seen: [], jobs: [job([["Failed", "DeadlineExceeded"]])] }),
    ).toMatchObject({
      done: true,
      outcome: { code: 1, failure: { job: { reason: "DeadlineExceeded" } } },
    });
  });

  it("several Jobs (one per namespace with -A): done when all are, the first failed one decides", () => {
    const a = job([["Complete"]], "migrate", "a");
    const b = job([["Failed", "BackoffLimitExceeded"]], "migrate", "b");
    expect(untilDoneProgress({ pods: [], seen: [], jobs: [a, job([], "migrate", "c")] })).toEqual({
      done: false,
    });
    expect(untilDoneProgress({ pods: [], seen: [], jobs: [a, b] })).toMatchObject({ outcome: { code: 1 } });
  });
});

describe("helpers", () => {
  it("exitCodeOf: the container's code, 128 + a signal, else 1", () => {
    expect(exitCodeOf(3, undefined)).toBe(3);
    expect(exitCodeOf(255, undefined)).toBe(255);
    expect(exitCodeOf(0, 9)).toBe(137);
    expect(exitCodeOf(-1, undefined)).toBe(1);
    expect(exitCodeOf(256, undefined)).toBe(1);
    expect(exitCodeOf(undefined, undefined)).toBe(1);
  });

  it("newestJob: by creation, then by the scheduled minute in the name", () => {
    const older = job([], "report-100", "1", T(1));
    const newer = job([], "report-99", "2", T(2));
    expect(newestJob([newer, older])?.metadata.name).toBe("report-99");
    const sameTime = [job([], "report-99", "3", T(5)), job([], "report-100", "4", T(5))];
    expect(newestJob(sameTime)?.metadata.name).toBe("report-100");
    expect(newestJob([])).toBeUndefined();
  });
});

describe("DoneTracker", () => {
  const scopes = [{ namespace: "ns", labelSelector: undefined, fieldSelector: undefined }];
  const all = () => true;

  it("pods: a deleted pod stops holding the run; a relist forgets the pods it lacks", () => {
    const t = new DoneTracker(scopes, (p) => p.metadata.name !== "ignored");
    const running = pod("a", "Running");
    t.pod(running, 0);
    t.pod(pod("ignored", "Running"), 0);
    expect(t.progress().done).toBe(false);
    t.podGone(running);
    // Seen, gone, never finished: nothing failed.
    expect(t.progress()).toEqual({ done: true, outcome: { code: 0 } });
    const t2 = new DoneTracker(scopes, all);
    t2.pod(pod("x", "Running"), 0);
    t2.podList([pod("y", "Succeeded")], 0);
    expect(t2.progress()).toEqual({ done: true, outcome: { code: 0 } });
  });

  it("a job/ query waits for its Job, by name; a cronjob/ query for its newest Job", () => {
    const t = new DoneTracker(
      [{ ...scopes[0]!, workload: { kind: "job", name: "migrate", uid: JOB_UID } }],
      all,
    );
    t.pod(pod("m-1", "Succeeded", [], { job: JOB_UID }), 0);
    expect(t.progress().done).toBe(false);
    t.job(job([["Complete"]]), 0);
    expect(t.progress()).toEqual({ done: true, outcome: { code: 0 } });

    const cj = { kind: "cronjob" as const, name: "report", uid: "cj-uid" };
    const c = new DoneTracker([{ ...scopes[0]!, workload: cj }], all);
    const owned = (j: JobObject): JobObject => ({
      ...j,
      metadata: { ...j.metadata, ownerReferences: [{ kind: "CronJob", name: "report", uid: "cj-uid" }] },
    });
    c.jobList([owned(job([["Failed", "BackoffLimitExceeded"]], "report-100", "j1", T(1)))], 0);
    // Made by hand (not owned): not the CronJob's run.
    c.job(job([], "report-manual", "j0", T(9)), 0);
    expect(c.progress()).toMatchObject({ done: true, outcome: { code: 1 } });
    c.job(owned(job([], "report-105", "j2", T(6))), 0);
    expect(c.progress().done).toBe(false);
    c.job(owned(job([["Complete"]], "report-105", "j2", T(6))), 0);
    expect(c.progress()).toEqual({ done: true, outcome: { code: 0 } });
  });
});
