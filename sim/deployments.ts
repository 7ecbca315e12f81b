// Deployments and their ReplicaSets, with realistically named pods and rolling replacement.
import { randomUUID } from "node:crypto";
import type { PodHandle } from "./pod-handle.ts";
import { rfc3339 } from "./pod-model.ts";
import type { KubeObject } from "./store.ts";
import {
  Conditions,
  controllerRef,
  labelSelector,
  type PodTemplateOptions,
  podReady,
  randomSuffix,
  Workload,
  type WorkloadContext,
} from "./workload.ts";

export interface DeploymentOptions extends PodTemplateOptions {
  replicas?: number;
}

interface Revision {
  hash: string;
  uid: string;
  createdAt: number;
  revision: number;
}

export class DeploymentHandle extends Workload {
  readonly resource = "deployments";
  readonly kind = "Deployment";
  readonly apiVersion = "apps/v1";
  private readonly o: DeploymentOptions;
  private readonly revisions: Revision[] = [];
  private readonly conditions = new Conditions();

  constructor(o: DeploymentOptions, ctx: WorkloadContext) {
    super(o, ctx);
    this.o = o;
    this.newRevision();
    this.publish();
    for (let i = 0; i < this.replicas; i++) this.newPod(false);
    this.publish();
  }

  get replicas(): number {
    return this.o.replicas ?? 1;
  }

  private get current(): Revision {
    const r = this.revisions.at(-1);
    if (!r) throw new Error("no revision");
    return r;
  }

  get replicaSetName(): string {
    return `${this.name}-${this.current.hash}`;
  }

  get podTemplateHash(): string {
    return this.current.hash;
  }

  /** Names of all its ReplicaSets, oldest first (old ones are scaled to 0 by a rollout). */
  get replicaSetNames(): string[] {
    return this.revisions.map((r) => `${this.name}-${r.hash}`);
  }

  protected override owns(uid: string): boolean {
    return this.revisions.some((r) => r.uid === uid);
  }

  private newRevision(): void {
    this.revisions.push({
      hash: randomSuffix(10),
      uid: randomUUID(),
      createdAt: this.cluster.now(),
      revision: this.revisions.length + 1,
    });
  }

  private newPod(starting: boolean): PodHandle {
    const rs = this.replicaSetName;
    return this.spawn({
      name: `${rs}-${randomSuffix(5)}`,
      generateName: `${rs}-`,
      labels: { ...this.labels, "pod-template-hash": this.current.hash },
      starting,
      owner: controllerRef("apps/v1", "ReplicaSet", rs, this.current.uid),
    });
  }

  /** Replaces one pod (default: the oldest): the new pod starts, then the old one is deleted gracefully. */
  async replacePod(podName?: string, o: { graceMs?: number } = {}): Promise<PodHandle> {
    const old = podName ? this.pods.find((p) => p.name === podName) : this.pods[0];
    if (!old) throw new Error(`deployment ${this.name} has no pod ${podName ?? ""}`);
    const fresh = this.newPod(true);
    this.publish();
    await new Promise((r) => setTimeout(r, (this.o.startDelayMs ?? 100) + 10));
    await old.delete(o);
    this.publish();
    return fresh;
  }

  /** A new template revision: a new ReplicaSet, then each old pod replaced in turn. */
  async rollout(o: { graceMs?: number } = {}): Promise<void> {
    const old = this.pods;
    this.generation++;
    this.newRevision();
    this.publish();
    for (const p of old) await this.replacePod(p.name, o);
  }

  private podsOf(r: Revision): PodHandle[] {
    return this.pods.filter((p) => p.model.ownerReferences?.some((ref) => ref.uid === r.uid));
  }

  private renderReplicaSet(r: Revision): KubeObject {
    const isCurrent = r === this.current;
    const labels = { ...this.labels, "pod-template-hash": r.hash };
    const pods = this.podsOf(r);
    const ready = pods.filter(podReady).length;
    const replicas = isCurrent ? this.replicas : 0;
    return {
      kind: "ReplicaSet",
      apiVersion: "apps/v1",
      metadata: {
        name: `${this.name}-${r.hash}`,
        namespace: this.namespace,
        uid: r.uid,
        generation: isCurrent ? 1 : 2,
        creationTimestamp: rfc3339(r.createdAt),
        labels,
        annotations: {
          "deployment.kubernetes.io/desired-replicas": String(this.replicas),
          "deployment.kubernetes.io/max-replicas": String(this.replicas + Math.ceil(this.replicas / 4)),
          "deployment.kubernetes.io/revision": String(r.revision),
        },
        ownerReferences: [controllerRef("apps/v1", "Deployment", this.name, this.uid)],
      },
      spec: {
        replicas,
        selector: labelSelector(labels),
        template: this.template(labels),
      },
      status: {
        replicas: pods.length,
        fullyLabeledReplicas: pods.length,
        readyReplicas: ready,
        availableReplicas: ready,
        observedGeneration: isCurrent ? 1 : 2,
      },
    };
  }

  protected render(): [string, KubeObject][] {
    const pods = this.pods;
    const ready = pods.filter(podReady).length;
    const updated = this.podsOf(this.current).length;
    const now = this.cluster.now();
    const rsName = this.replicaSetName;
    if (ready >= this.replicas) {
      this.conditions.set(
        "Available",
        "True",
        now,
        "MinimumReplicasAvailable",
        "Deployment has minimum availability.",
      );
    } else {
      this.conditions.set(
        "Available",
        "False",
        now,
        "MinimumReplicasUnavailable",
        "Deployment does not have minimum availability.",
      );
    }
    const progressing =
      updated >= this.replicas && pods.length === updated
        ? `ReplicaSet "${rsName}" has successfully progressed.`
        : `ReplicaSet "${rsName}" is progressing.`;
    this.conditions.set(
      "Progressing",
      "True",
      now,
      progressing.includes("success") ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
      progressing,
    );
    const status: Record<string, unknown> = {
      observedGeneration: this.generation,
      replicas: pods.length,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: ready,
    };
    if (pods.length - ready > 0) status.unavailableReplicas = pods.length - ready;
    status.conditions = this.conditions.render("deployment");
    const deployment: KubeObject = {
      kind: this.kind,
      apiVersion: this.apiVersion,
      metadata: this.meta({
        labels: this.labels,
        annotations: { "deployment.kubernetes.io/revision": String(this.current.revision) },
      }),
      spec: {
        replicas: this.replicas,
        selector: labelSelector(this.labels),
        template: this.template(this.labels),
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status,
    };
    return [
      ...this.revisions.map((r): [string, KubeObject] => ["replicasets", this.renderReplicaSet(r)]),
      [this.resource, deployment],
    ];
  }
}
