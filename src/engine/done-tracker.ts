// --until-done's bookkeeping: the newest state of every matched pod and of the Jobs that decide, from
// the engine's watches, one scope at a time (a relist forgets only its own scope's). What it means is
// until-done.ts's.
import type { Pod } from "../shared/pod.ts";
import type { PodScope } from "./podwatch.ts";
import {
  failedContainers,
  type JobObject,
  newestJob,
  type Progress,
  untilDoneProgress,
} from "./until-done.ts";

interface Seen<T> {
  obj: T;
  scope: number;
  /** Still there (a deleted pod's last state still counts for the outcome). */
  present: boolean;
}

export class DoneTracker {
  private readonly scopes: readonly PodScope[];
  private readonly matches: (pod: Pod) => boolean;
  private readonly pods = new Map<string, Seen<Pod>>();
  private readonly jobs = new Map<string, Seen<JobObject>>();
  /** Failed container instances (by container ID) in the order they were first seen. */
  private readonly failures = new Map<string, number>();

  /** `matches`: whether a pod of its scope is one the query matched (the pod query and --exclude-pod). */
  constructor(scopes: readonly PodScope[], matches: (pod: Pod) => boolean) {
    this.scopes = scopes;
    this.matches = matches;
  }

  /** Whether Jobs decide: the query was a job/ or cronjob/ one. */
  get byJobs(): boolean {
    return this.scopes.some((s) => s.workload !== undefined);
  }

  pod(pod: Pod, scope: number): void {
    if (!this.matches(pod)) return;
    this.pods.set(key(pod.metadata), { obj: pod, scope, present: true });
    for (const f of failedContainers(pod)) {
      if (f.containerID !== "" && !this.failures.has(f.containerID))
        this.failures.set(f.containerID, this.failures.size);
    }
  }

  podGone(pod: Pod): void {
    const seen = this.pods.get(key(pod.metadata));
    if (seen) seen.present = false;
  }

  /** A full list of a scope's pods: the ones it lacks were deleted meanwhile. */
  podList(pods: readonly Pod[], scope: number): void {
    const listed = new Set(pods.map((p) => key(p.metadata)));
    for (const [k, seen] of this.pods) if (seen.scope === scope && !listed.has(k)) seen.present = false;
    for (const p of pods) this.pod(p, scope);
  }

  job(job: JobObject, scope: number): void {
    this.jobs.set(key(job.metadata), { obj: job, scope, present: true });
  }

  /** A deleted Job (its TTL after finishing) keeps deciding with its last state. */
  jobGone(job: JobObject): void {
    const seen = this.jobs.get(key(job.metadata));
    if (seen) seen.present = false;
  }

  jobList(jobs: readonly JobObject[], scope: number): void {
    for (const j of jobs) this.job(j, scope);
  }

  progress(): Progress {
    const all = [...this.pods.values()];
    const pods = all.filter((s) => s.present).map((s) => s.obj);
    const seen = all.map((s) => s.obj);
    const seenAt = (id: string) => this.failures.get(id);
    if (!this.byJobs) return untilDoneProgress({ pods, seen, seenAt });
    const deciding: JobObject[] = [];
    for (const [i, scope] of this.scopes.entries()) {
      const w = scope.workload;
      if (!w) continue;
      const mine = [...this.jobs.values()].filter((s) => s.scope === i).map((s) => s.obj);
      // A CronJob's run is its newest Job; a Job query's Jobs are the ones of its name.
      const jobs =
        w.kind === "cronjob"
          ? [newestJob(mine.filter((j) => j.metadata.ownerReferences?.some((r) => r.uid === w.uid)))]
          : mine.filter((j) => j.metadata.name === w.name);
      const found = jobs.filter((j): j is JobObject => j !== undefined);
      // Every scope's run must be known before the run can be done.
      if (found.length === 0) return { done: false };
      deciding.push(...found);
    }
    return untilDoneProgress({ pods, seen, jobs: deciding, seenAt });
  }
}

const key = (m: { namespace?: string; name: string }): string => `${m.namespace ?? ""}/${m.name}`;
