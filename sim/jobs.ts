// batch/v1 Jobs and CronJobs: CronJob → Job → Pod, with the labels, names and owner references the
// controllers set, and Job status derived from its pods.
import { recordEvent } from "./events.ts";
import type { PodHandle } from "./pod-handle.ts";
import { rfc3339 } from "./pod-model.ts";
import type { KubeObject, OwnerReference, StoreEvent } from "./store.ts";
import {
  Conditions,
  controllerRef,
  nonEmpty,
  type PodTemplateOptions,
  podReady,
  randomSuffix,
  Workload,
  type WorkloadContext,
} from "./workload.ts";

export interface JobOptions extends PodTemplateOptions {
  /** spec.completions (default 1). */
  completions?: number;
  /** spec.parallelism (default 1). */
  parallelism?: number;
  /**
   * Each pod's containers terminate (exit 0, reason Completed) this long after the pod is created;
   * default: they run until `complete()`.
   */
  completeAfterMs?: number;
  /**
   * spec.backoffLimit (default 6): failed pods (restartPolicy Never) or container restarts (OnFailure)
   * are retried until there are more than this many; then the Job fails (BackoffLimitExceeded).
   */
  backoffLimit?: number;
  /** How long the Job controller waits before it replaces a failed pod (default 100 ms; a real one waits 10 s, doubling). */
  backoffDelayMs?: number;
  /** The pod template's restartPolicy (default Never). */
  restartPolicy?: "Never" | "OnFailure";
}

/** How a CronJob makes a Job (not part of the public options). */
interface JobOrigin {
  owner?: OwnerReference;
  /** metadata.labels of the Job (jobTemplate.metadata.labels); default: the pod-template labels. */
  jobLabels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Its pods exist already terminated (exit 0): a Job that finished before the test looked. */
  finished?: boolean;
}

/** A batch/v1 Job: pods `<job>-<5 chars>` with the job-name/controller-uid labels; they complete. */
export class JobHandle extends Workload {
  readonly resource = "jobs";
  readonly kind = "Job";
  readonly apiVersion = "batch/v1";
  private readonly o: JobOptions;
  private readonly origin: JobOrigin;
  private readonly conditions = new Conditions();
  private completionTime: number | undefined;
  /** Replacement pods scheduled after a failure, not created yet. */
  private pending = 0;
  /** OnFailure: the restarts the Job counts against its backoff limit. */
  private restarts = 0;
  /** The Job failed (OnFailure: decided by fail(), when its restarts pass the limit). */
  private failedOut = false;

  constructor(o: JobOptions, ctx: WorkloadContext, origin: JobOrigin = {}) {
    super(o, ctx);
    this.o = o;
    this.origin = origin;
    const want = Math.min(this.parallelism, this.completions);
    this.publish();
    for (let i = 0; i < (origin.finished ? this.completions : want); i++) this.newPod(false);
    if (origin.finished) this.reconcile();
    this.publish();
  }

  get completions(): number {
    return this.o.completions ?? 1;
  }

  get parallelism(): number {
    return this.o.parallelism ?? 1;
  }

  /** The user's template labels plus the four the Job controller adds. */
  get podLabels(): Record<string, string> {
    return {
      ...this.labels,
      "batch.kubernetes.io/controller-uid": this.uid,
      "batch.kubernetes.io/job-name": this.name,
      "controller-uid": this.uid,
      "job-name": this.name,
    };
  }

  get finished(): boolean {
    return this.conditions.has("Complete") || this.conditions.has("Failed");
  }

  get succeeded(): boolean {
    return this.conditions.has("Complete");
  }

  get finishedAt(): number | undefined {
    return this.completionTime;
  }

  private newPod(starting: boolean): PodHandle {
    const h = this.spawn({
      name: `${this.name}-${randomSuffix(5)}`,
      generateName: `${this.name}-`,
      labels: this.podLabels,
      restartPolicy: this.o.restartPolicy ?? "Never",
      starting,
      containers: this.origin.finished
        ? this.tmpl.containers.map((c) => ({ ...c, state: "terminated" as const, exitCode: 0 }))
        : undefined,
    });
    const after = this.o.completeAfterMs;
    if (after !== undefined && !this.origin.finished) {
      const delay = after + (starting ? (this.tmpl.startDelayMs ?? 100) : 0);
      this.cluster.later(delay, () => this.finishPod(h, 0));
    }
    return h;
  }

  private finishPod(h: PodHandle, exitCode: number): void {
    if (h.deleted) return;
    const now = this.cluster.now();
    for (const c of h.model.ofKind("regular")) {
      if ("waiting" in c.state) c.start(now);
      c.terminate(now, exitCode);
    }
    this.cluster.commit(h.model);
  }

  private active(): PodHandle[] {
    return this.pods.filter((p) => {
      const phase = p.model.phase();
      return phase !== "Succeeded" && phase !== "Failed" && p.model.deletionAt === undefined;
    });
  }

  /** Every active pod's containers terminate with exit 0 (Completed); the Job completes when enough did. */
  complete(): this {
    for (const p of this.active()) this.finishPod(p, 0);
    return this;
  }

  get backoffLimit(): number {
    return this.o.backoffLimit ?? 6;
  }

  /**
   * Every active pod's attempt fails with the exit code (Error). With restartPolicy Never the pods
   * end Failed and the Job replaces them after backoffDelayMs, until more than backoffLimit have
   * failed; with OnFailure their containers restart in place, until more than backoffLimit restarts.
   * Then the Job fails (BackoffLimitExceeded) and its active pods are deleted.
   */
  fail(exitCode = 1): this {
    const onFailure = (this.o.restartPolicy ?? "Never") === "OnFailure";
    for (const p of this.active()) {
      if (!onFailure) {
        this.finishPod(p, exitCode);
        continue;
      }
      this.restarts++;
      if (this.restarts > this.backoffLimit) {
        this.finishPod(p, exitCode);
        this.failedOut = true;
        continue;
      }
      const now = this.cluster.now();
      for (const c of p.model.ofKind("regular")) c.start(now, exitCode, "Error");
      this.cluster.commit(p.model);
    }
    return this;
  }

  private failedEvent = false;

  private count(phase: string): number {
    return this.pods.filter((p) => p.model.phase() === phase).length;
  }

  protected override reconcile(): void {
    if (this.finished) return;
    const now = this.cluster.now();
    const succeeded = this.count("Succeeded");
    if (succeeded >= this.completions) {
      this.conditions.set(
        "SuccessCriteriaMet",
        "True",
        now,
        "CompletionsReached",
        "Reached expected number of succeeded pods",
      );
      this.conditions.set(
        "Complete",
        "True",
        now,
        "CompletionsReached",
        "Reached expected number of succeeded pods",
      );
      this.completionTime = now;
      return;
    }
    const failed = this.count("Failed");
    if (this.failedOut || failed > this.backoffLimit) {
      const msg = "Job has reached the specified backoff limit";
      this.conditions.set("FailureTarget", "True", now, "BackoffLimitExceeded", msg);
      this.conditions.set("Failed", "True", now, "BackoffLimitExceeded", msg);
      // As the job controller does: what still runs is deleted.
      for (const p of this.active()) void p.delete();
      if (!this.failedEvent) {
        // As the job controller records it, once.
        this.failedEvent = true;
        recordEvent(this.cluster, {
          involvedObject: {
            kind: "Job",
            apiVersion: "batch/v1",
            name: this.name,
            namespace: this.namespace,
            uid: this.uid,
          },
          type: "Warning",
          reason: "BackoffLimitExceeded",
          message: msg,
          source: { component: "job-controller" },
        });
      }
      return;
    }
    const need =
      Math.min(this.parallelism, this.completions - succeeded) - this.active().length - this.pending;
    for (let i = 0; i < need; i++) {
      if (failed === 0) {
        this.newPod(true);
        continue;
      }
      // A failed pod's replacement comes after the controller's back-off.
      this.pending++;
      this.cluster.later(this.o.backoffDelayMs ?? 100, () => {
        this.pending--;
        if (this.finished || this.deleted) return;
        this.newPod(true);
        this.publish();
      });
    }
  }

  protected render(): [string, KubeObject][] {
    const active = this.active().length;
    const succeeded = this.count("Succeeded");
    const failed = this.count("Failed");
    const template = this.template(this.podLabels, this.o.restartPolicy ?? "Never");
    const status: Record<string, unknown> = {};
    const conds = this.conditions.render("job");
    if (conds.length) status.conditions = conds;
    status.startTime = rfc3339(this.createdAt);
    if (this.completionTime !== undefined) status.completionTime = rfc3339(this.completionTime);
    if (active) status.active = active;
    if (succeeded) status.succeeded = succeeded;
    if (failed) status.failed = failed;
    status.terminating = this.pods.filter((p) => p.model.deletionAt !== undefined).length;
    status.uncountedTerminatedPods = {};
    status.ready = this.pods.filter(podReady).length;
    return [
      [
        this.resource,
        {
          kind: this.kind,
          apiVersion: this.apiVersion,
          metadata: this.meta({
            labels: this.origin.jobLabels ?? this.podLabels,
            annotations: this.origin.annotations,
            ownerReferences: this.origin.owner ? [this.origin.owner] : undefined,
          }),
          spec: {
            parallelism: this.parallelism,
            completions: this.completions,
            podReplacementPolicy: "TerminatingOrFailed",
            backoffLimit: this.o.backoffLimit ?? 6,
            selector: { matchLabels: { "batch.kubernetes.io/controller-uid": this.uid } },
            template,
            completionMode: "NonIndexed",
            suspend: false,
          },
          status,
        },
      ],
    ];
  }
}

export interface CronJobOptions extends JobOptions {
  /** Default "*\/5 * * * *". */
  schedule?: string;
  timeZone?: string;
  suspend?: boolean;
  /** Finished Jobs that exist from the start, scheduled in the past (default 0); the history limit applies. */
  jobs?: number;
  /** Default 3: older successful Jobs (and their pods) are deleted. */
  successfulJobsHistoryLimit?: number;
  /** Default 1. */
  failedJobsHistoryLimit?: number;
  /** jobTemplate.metadata.labels (default none: the Jobs then carry the pod-template labels). */
  jobLabels?: Record<string, string>;
}

const scheduledAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/** A batch/v1 CronJob. Its Jobs are `<cronjob>-<minutes since the epoch of the scheduled time>`. */
export class CronJobHandle extends Workload {
  readonly resource = "cronjobs";
  readonly kind = "CronJob";
  readonly apiVersion = "batch/v1";
  private readonly o: CronJobOptions;
  private readonly jobHandles: { job: JobHandle; minute: number; rv: string }[] = [];

  constructor(o: CronJobOptions, ctx: WorkloadContext) {
    super(o, ctx);
    this.o = o;
    const step = Number(/^\*\/(\d+)\s/.exec(this.schedule)?.[1] ?? 60);
    const nowMin = Math.floor(ctx.cluster.now() / 60_000);
    const n = o.jobs ?? 0;
    this.publish();
    for (let i = 0; i < n; i++) this.makeJob(nowMin - (n - i) * step, true);
    this.reconcile();
    this.publish();
  }

  get schedule(): string {
    return this.o.schedule ?? "*/5 * * * *";
  }

  /** Its Jobs that still exist, oldest first. */
  get jobs(): JobHandle[] {
    return this.jobHandles.filter((j) => !j.job.deleted).map((j) => j.job);
  }

  /** The pods of all its Jobs. */
  override get pods(): PodHandle[] {
    return this.jobs.flatMap((j) => j.pods);
  }

  /** The Job the controller would create now (a later minute if that name is taken); it runs. */
  runJob(o: { at?: number } = {}): JobHandle {
    let minute = Math.floor((o.at ?? this.cluster.now()) / 60_000);
    while (this.jobHandles.some((j) => j.minute === minute)) minute++;
    const job = this.makeJob(minute, false);
    this.publish();
    return job;
  }

  private makeJob(minute: number, finished: boolean): JobHandle {
    const job = new JobHandle(
      { ...this.o, namespace: this.namespace, name: `${this.name}-${minute}`, labels: this.labels },
      this.ctx,
      {
        owner: controllerRef(this.apiVersion, this.kind, this.name, this.uid),
        jobLabels: nonEmpty(this.o.jobLabels),
        annotations: { [scheduledAnnotation]: rfc3339(minute * 60_000) },
        finished,
      },
    );
    this.jobHandles.push({ job, minute, rv: job.json?.metadata.resourceVersion ?? "" });
    return job;
  }

  protected override concerns(e: StoreEvent): boolean {
    if (e.resource !== "jobs") return false;
    return (e.object.metadata.ownerReferences ?? []).some((r) => r.uid === this.uid);
  }

  protected override reconcile(): void {
    const prune = (ok: boolean, limit: number) => {
      const done = this.jobHandles.filter((j) => !j.job.deleted && j.job.finished && j.job.succeeded === ok);
      for (const j of done.slice(0, Math.max(0, done.length - limit))) void j.job.delete();
    };
    prune(true, this.o.successfulJobsHistoryLimit ?? 3);
    prune(false, this.o.failedJobsHistoryLimit ?? 1);
  }

  protected override cascade(o: { graceMs?: number }): Promise<void>[] {
    return this.jobs.map((j) => j.delete(o));
  }

  protected render(): [string, KubeObject][] {
    const live = this.jobHandles.filter((j) => !j.job.deleted);
    const status: Record<string, unknown> = {};
    const active = live.filter((j) => !j.job.finished);
    if (active.length) {
      status.active = active.map((j) => ({
        kind: "Job",
        namespace: this.namespace,
        name: j.job.name,
        uid: j.job.uid,
        apiVersion: "batch/v1",
        resourceVersion: j.rv,
      }));
    }
    const last = this.jobHandles.at(-1);
    if (last) status.lastScheduleTime = rfc3339(last.minute * 60_000);
    const ok = this.jobHandles.filter((j) => j.job.succeeded && j.job.finishedAt !== undefined).at(-1);
    if (ok?.job.finishedAt !== undefined) status.lastSuccessfulTime = rfc3339(ok.job.finishedAt);
    const jobTemplateMeta: Record<string, unknown> = {};
    const jl = nonEmpty(this.o.jobLabels);
    if (jl) jobTemplateMeta.labels = jl;
    const jobSpec: Record<string, unknown> = {
      template: this.template(this.labels, this.o.restartPolicy ?? "Never"),
    };
    if (this.o.completions !== undefined) jobSpec.completions = this.o.completions;
    if (this.o.parallelism !== undefined) jobSpec.parallelism = this.o.parallelism;
    if (this.o.backoffLimit !== undefined) jobSpec.backoffLimit = this.o.backoffLimit;
    const spec: Record<string, unknown> = { schedule: this.schedule };
    if (this.o.timeZone) spec.timeZone = this.o.timeZone;
    Object.assign(spec, {
      concurrencyPolicy: "Allow",
      suspend: this.o.suspend ?? false,
      jobTemplate: { metadata: jobTemplateMeta, spec: jobSpec },
      successfulJobsHistoryLimit: this.o.successfulJobsHistoryLimit ?? 3,
      failedJobsHistoryLimit: this.o.failedJobsHistoryLimit ?? 1,
    });
    return [
      [
        this.resource,
        {
          kind: this.kind,
          apiVersion: this.apiVersion,
          metadata: this.meta(),
          spec,
          status,
        },
      ],
    ];
  }
}
