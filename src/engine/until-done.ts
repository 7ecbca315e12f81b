// --until-done: whether every matched pod has finished, and with what outcome. A Job decides by its own
// condition (Complete: 0; Failed: the exit code of its last failed container), so that the moment
// between a failed pod and its retry is not taken for the end; other queries decide by their pods (0
// when every one succeeded, else the first failed container's exit code). Pure: the engine feeds it
// the pods and Jobs its watches saw.
import type { InstanceEnd } from "../shared/endings.ts";
import type { DoneFailure, DoneOutcome } from "../shared/outcome.ts";
import type { ContainerState, ObjectMeta, Pod } from "../shared/pod.ts";
import { statusesOf } from "./targets.ts";

/** The parts of a batch/v1 Job read here. */
export interface JobObject {
  metadata: ObjectMeta & { creationTimestamp?: string };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export type Progress = { done: false } | { done: true; outcome: DoneOutcome };

const NOT_DONE: Progress = { done: false };

export interface DoneInput {
  /** The matched pods that exist now. */
  pods: readonly Pod[];
  /** The newest state of every matched pod seen in the run, deleted ones too. */
  seen: readonly Pod[];
  /** The Jobs that decide (job/ and cronjob/ queries); undefined: the pods decide. */
  jobs?: readonly JobObject[];
  /**
   * When a failed container instance (by its container ID) was first seen, in any increasing unit:
   * finishedAt has whole seconds, so this orders the failures of one second.
   */
  seenAt?: (containerID: string) => number | undefined;
}

/** A pod has finished when its phase says so: every container terminated and none will restart. */
export function podFinished(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

/** "Complete" or "Failed" once the Job controller has said so; undefined while it runs. */
export function jobFinished(job: JobObject): "Complete" | "Failed" | undefined {
  for (const c of job.status?.conditions ?? []) {
    if (c.status === "True" && (c.type === "Complete" || c.type === "Failed")) return c.type;
  }
  return undefined;
}

export function untilDoneProgress(input: DoneInput): Progress {
  const seenAt = input.seenAt ?? (() => undefined);
  const order = (a: FailedContainer, b: FailedContainer) =>
    compare(a.finishedAt, b.finishedAt) ||
    (seenAt(a.containerID) ?? Number.POSITIVE_INFINITY) -
      (seenAt(b.containerID) ?? Number.POSITIVE_INFINITY) ||
    0;
  return input.jobs ? byJobs(input.jobs, input.seen, order) : byPods(input.pods, input.seen, order);
}

type Order = (a: FailedContainer, b: FailedContainer) => number;

function byPods(pods: readonly Pod[], seen: readonly Pod[], order: Order): Progress {
  // Nothing matched yet: the pods are still to come.
  if (seen.length === 0 || !pods.every(podFinished)) return NOT_DONE;
  const failed = seen.filter((p) => p.status?.phase === "Failed");
  const first = failed[0];
  if (!first) return { done: true, outcome: { code: 0 } };
  const containers = failed.flatMap(failedContainers).sort(order);
  const c = containers[0];
  if (!c) return { done: true, outcome: { code: 1, failure: { pod: podOf(first) } } };
  return { done: true, outcome: { code: c.code, failure: { pod: podOf(c.pod), container: c.container } } };
}

function byJobs(jobs: readonly JobObject[], seen: readonly Pod[], order: Order): Progress {
  if (jobs.length === 0 || !jobs.every((j) => jobFinished(j) !== undefined)) return NOT_DONE;
  const job = jobs.find((j) => jobFinished(j) === "Failed");
  if (!job) return { done: true, outcome: { code: 0 } };
  const cond = job.status?.conditions?.find((c) => c.type === "Failed" && c.status === "True");
  const failure: DoneFailure = {
    job: {
      namespace: job.metadata.namespace ?? "",
      name: job.metadata.name,
      reason: cond?.reason || undefined,
      message: cond?.message || undefined,
    },
  };
  const uid = job.metadata.uid ?? "";
  const last = seen
    .filter((p) => ownedBy(p, uid))
    .flatMap(failedContainers)
    .sort((a, b) => order(b, a))[0];
  if (!last) return { done: true, outcome: { code: 1, failure } };
  return {
    done: true,
    outcome: { code: last.code, failure: { ...failure, pod: podOf(last.pod), container: last.container } },
  };
}

/** The Job a CronJob's run is: its newest Job (by creation, then by the scheduled minute in its name). */
export function newestJob(jobs: readonly JobObject[]): JobObject | undefined {
  let newest: JobObject | undefined;
  for (const j of jobs) {
    if (!newest) newest = j;
    else {
      const order =
        compare(j.metadata.creationTimestamp ?? "", newest.metadata.creationTimestamp ?? "") ||
        j.metadata.name.length - newest.metadata.name.length ||
        compare(j.metadata.name, newest.metadata.name);
      if (order > 0) newest = j;
    }
  }
  return newest;
}

/** A pod the Job made: its owner reference, or the controller-uid label the Job controller sets. */
export function ownedBy(pod: Pod, jobUid: string): boolean {
  if (jobUid === "") return false;
  if (pod.metadata.ownerReferences?.some((r) => r.uid === jobUid)) return true;
  const labels = pod.metadata.labels ?? {};
  return (labels["batch.kubernetes.io/controller-uid"] ?? labels["controller-uid"]) === jobUid;
}

interface FailedContainer {
  pod: Pod;
  containerID: string;
  container: { name: string; end: InstanceEnd };
  code: number;
  finishedAt: string;
}

/** A pod's containers whose current or last instance ended in failure. */
export function failedContainers(pod: Pod): FailedContainer[] {
  const out: FailedContainer[] = [];
  for (const [cs] of statusesOf(pod)) {
    for (const state of [cs.state, cs.lastState]) {
      const t = state?.terminated;
      if (!t || !failed(state)) continue;
      out.push({
        pod,
        containerID: t.containerID ?? "",
        container: {
          name: cs.name,
          end: {
            exitCode: t.exitCode,
            signal: t.signal || undefined,
            reason: t.reason || undefined,
            message: t.message?.trim() || undefined,
            restartCount: cs.restartCount ?? 0,
            evicted: undefined,
          },
        },
        code: exitCodeOf(t.exitCode, t.signal),
        finishedAt: t.finishedAt ?? "",
      });
    }
  }
  return out;
}

function failed(state: ContainerState | undefined): boolean {
  const t = state?.terminated;
  return t !== undefined && ((t.exitCode !== undefined && t.exitCode !== 0) || (t.signal ?? 0) > 0);
}

/** A code a process can exit with: the container's, 128 + its signal, or 1. */
export function exitCodeOf(exitCode: number | undefined, signal: number | undefined): number {
  if (exitCode !== undefined && Number.isInteger(exitCode) && exitCode >= 1 && exitCode <= 255)
    return exitCode;
  if (signal !== undefined && signal > 0 && signal < 128) return 128 + signal;
  return 1;
}

function podOf(pod: Pod): NonNullable<DoneFailure["pod"]> {
  return {
    namespace: pod.metadata.namespace ?? "",
    name: pod.metadata.name,
    reason: pod.status?.reason || undefined,
    message: pod.status?.message || undefined,
  };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
