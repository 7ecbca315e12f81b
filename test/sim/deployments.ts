// Deployments and their ReplicaSets, with realistically named pods and rolling replacement.
import { randomInt, randomUUID } from "node:crypto";
import type { Cluster } from "./cluster.ts";
import type { PodHandle } from "./pod-handle.ts";
import { type ContainerSpec, type PodOptions, rfc3339 } from "./pod-model.ts";

export interface DeploymentOptions {
  namespace?: string;
  name: string;
  replicas?: number;
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  labels?: Record<string, string>;
  nodeNames?: string[];
  /** How long a new pod's containers wait (ContainerCreating) before running (default 100 ms). */
  startDelayMs?: number;
}

// apimachinery's rand.String alphabet (no vowels, no confusable digits).
const alphabet = "bcdfghjklmnpqrstvwxz2456789";

export const randomSuffix = (n: number): string =>
  Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join("");

type AddPod = (o: PodOptions) => PodHandle;

export class DeploymentHandle {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  private readonly o: DeploymentOptions;
  private readonly cluster: Cluster;
  private readonly addPod: AddPod;
  private readonly uid = randomUUID();
  private hash = randomSuffix(10);
  private rsUid = randomUUID();
  private generation = 1;
  private handles: PodHandle[] = [];
  private readonly createdAt: number;
  private podCounter = 0;

  constructor(o: DeploymentOptions, cluster: Cluster, addPod: AddPod) {
    this.o = o;
    this.cluster = cluster;
    this.addPod = addPod;
    this.namespace = o.namespace ?? "default";
    this.name = o.name;
    this.labels = o.labels ?? { app: o.name };
    this.createdAt = cluster.now();
    cluster.addNamespace(this.namespace);
    this.publishReplicaSet();
    for (let i = 0; i < (o.replicas ?? 1); i++) this.handles.push(this.newPod(false));
    this.publish();
  }

  get pods(): PodHandle[] {
    return this.handles.filter((h) => !h.deleted);
  }

  get replicaSetName(): string {
    return `${this.name}-${this.hash}`;
  }

  get podTemplateHash(): string {
    return this.hash;
  }

  private newPod(starting: boolean): PodHandle {
    const rs = this.replicaSetName;
    const nodes = this.o.nodeNames ?? ["node-1", "node-2"];
    const containers = this.o.containers.map((c) => (starting ? { ...c, state: "waiting" as const } : c));
    const h = this.addPod({
      namespace: this.namespace,
      name: `${rs}-${randomSuffix(5)}`,
      generateName: `${rs}-`,
      labels: { ...this.labels, "pod-template-hash": this.hash },
      nodeName: nodes[this.podCounter++ % nodes.length],
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          name: rs,
          uid: this.rsUid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      initContainers: this.o.initContainers,
      containers,
    });
    if (starting) {
      this.cluster.later(this.o.startDelayMs ?? 100, () => {
        if (h.deleted) return;
        for (const c of this.o.containers)
          if ((c.state ?? "running") === "running") h.model.mustContainer(c.name).start(this.cluster.now());
        this.cluster.commit(h.model);
        this.publish();
      });
    }
    return h;
  }

  /** Replaces one pod (default: the oldest): the new pod starts, then the old one is deleted gracefully. */
  async replacePod(podName?: string, o: { graceMs?: number } = {}): Promise<PodHandle> {
    const old = podName ? this.pods.find((p) => p.name === podName) : this.pods[0];
    if (!old) throw new Error(`deployment ${this.name} has no pod ${podName ?? ""}`);
    const fresh = this.newPod(true);
    this.handles.push(fresh);
    this.publish();
    await new Promise((r) => setTimeout(r, (this.o.startDelayMs ?? 100) + 10));
    await old.delete(o);
    this.publish();
    return fresh;
  }

  /** A new template revision: a new ReplicaSet, then each old pod replaced in turn. */
  async rollout(o: { graceMs?: number } = {}): Promise<void> {
    const old = this.pods;
    this.hash = randomSuffix(10);
    this.rsUid = randomUUID();
    this.generation++;
    this.publishReplicaSet();
    for (const p of old) await this.replacePod(p.name, o);
  }

  private publishReplicaSet(): void {
    this.cluster.store.put("replicasets", {
      kind: "ReplicaSet",
      apiVersion: "apps/v1",
      metadata: {
        name: this.replicaSetName,
        namespace: this.namespace,
        uid: this.rsUid,
        creationTimestamp: rfc3339(this.cluster.now()),
        labels: { ...this.labels, "pod-template-hash": this.hash },
        ownerReferences: [
          {
            apiVersion: "apps/v1",
            kind: "Deployment",
            name: this.name,
            uid: this.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas: this.o.replicas ?? 1,
        selector: { matchLabels: { ...this.labels, "pod-template-hash": this.hash } },
        template: this.template(),
      },
      status: {
        replicas: this.o.replicas ?? 1,
        readyReplicas: this.o.replicas ?? 1,
        availableReplicas: this.o.replicas ?? 1,
      },
    });
  }

  private template() {
    return {
      metadata: { labels: { ...this.labels, "pod-template-hash": this.hash } },
      spec: {
        containers: this.o.containers.map((c) => ({
          name: c.name,
          image: c.image ?? `registry.example.com/demo/${c.name}:1.4.2`,
        })),
      },
    };
  }

  private publish(): void {
    const pods = this.pods;
    const ready = pods.filter((p) => p.model.ofKind("regular").every((c) => c.running && c.ready)).length;
    const replicas = this.o.replicas ?? 1;
    this.cluster.store.put("deployments", {
      kind: "Deployment",
      apiVersion: "apps/v1",
      metadata: {
        name: this.name,
        namespace: this.namespace,
        uid: this.uid,
        generation: this.generation,
        creationTimestamp: rfc3339(this.createdAt),
        labels: { ...this.labels },
      },
      spec: {
        replicas,
        selector: { matchLabels: { ...this.labels } },
        template: { metadata: { labels: { ...this.labels } }, spec: this.template().spec },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
      },
      status: {
        observedGeneration: this.generation,
        replicas: pods.length,
        updatedReplicas: pods.filter((p) => p.model.labels["pod-template-hash"] === this.hash).length,
        readyReplicas: ready,
        availableReplicas: ready,
      },
    });
  }
}
