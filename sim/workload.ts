// The shared base of every pod-owning object (Deployment, ReplicaSet, StatefulSet, DaemonSet, RC, Job,
// CronJob): pod creation with owner references, status derived from the pods, publication to the store.
import { randomInt, randomUUID } from "node:crypto";
import type { Cluster } from "./cluster.ts";
import type { PodHandle } from "./pod-handle.ts";
import { type ContainerSpec, type PodOptions, rfc3339 } from "./pod-model.ts";
import type { KubeObject, ObjectMeta, OwnerReference, StoreEvent } from "./store.ts";

export type AddPod = (o: PodOptions) => PodHandle;

/** What a workload handle needs from the sim. */
export interface WorkloadContext {
  cluster: Cluster;
  addPod: AddPod;
  /** The live handle of a pod, if the sim made it. */
  podHandle: (namespace: string, name: string) => PodHandle | undefined;
}

/** Options shared by every workload that owns pods. */
export interface PodTemplateOptions {
  namespace?: string;
  name: string;
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  /** Pod-template labels (default `{ app: <name> }`); `{}` makes a template without labels. */
  labels?: Record<string, string>;
  /** Nodes the pods are spread over, round-robin (default node-1, node-2). */
  nodeNames?: string[];
  /** How long a pod created after the first publication waits (ContainerCreating) before running (default 100 ms). */
  startDelayMs?: number;
}

// apimachinery's rand.String alphabet (no vowels, no confusable digits).
const alphabet = "bcdfghjklmnpqrstvwxz2456789";

export const randomSuffix = (n: number): string =>
  Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join("");

export const defaultImage = (c: ContainerSpec): string =>
  c.image ?? `registry.example.com/demo/${c.name}:1.4.2`;

export const nonEmpty = (m: Record<string, string> | undefined): Record<string, string> | undefined =>
  m && Object.keys(m).length > 0 ? { ...m } : undefined;

export function controllerRef(apiVersion: string, kind: string, name: string, uid: string): OwnerReference {
  return { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true };
}

const containerJson = (c: ContainerSpec): Record<string, unknown> => {
  const s: Record<string, unknown> = {
    name: c.name,
    image: defaultImage(c),
    resources: {},
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
    imagePullPolicy: "IfNotPresent",
  };
  if (c.restartPolicy) s.restartPolicy = c.restartPolicy;
  return s;
};

/** A core/v1 PodTemplateSpec as the API server returns it after defaulting. */
export function podTemplate(
  labels: Record<string, string> | undefined,
  containers: ContainerSpec[],
  initContainers: ContainerSpec[] | undefined,
  restartPolicy = "Always",
): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  const l = nonEmpty(labels);
  if (l) metadata.labels = l;
  const spec: Record<string, unknown> = {
    containers: containers.map(containerJson),
    restartPolicy,
    terminationGracePeriodSeconds: 30,
    dnsPolicy: "ClusterFirst",
    securityContext: {},
    schedulerName: "default-scheduler",
  };
  if (initContainers?.length) spec.initContainers = initContainers.map(containerJson);
  return { metadata, spec };
}

/** matchLabels, or `{}` (omitted matchLabels) for an empty map. */
export const labelSelector = (m: Record<string, string> | undefined): Record<string, unknown> => {
  const l = nonEmpty(m);
  return l ? { matchLabels: l } : {};
};

/** A pod counts as ready when every regular container runs and is ready, and it is not being deleted. */
export const podReady = (h: PodHandle): boolean =>
  !h.deleted &&
  h.model.deletionAt === undefined &&
  h.model.ofKind("regular").length > 0 &&
  h.model.ofKind("regular").every((c) => c.running && c.ready);

/** Conditions whose lastTransitionTime only moves when the status changes. */
export class Conditions {
  private readonly items = new Map<
    string,
    { status: string; reason?: string; message?: string; time: string; probe?: boolean }
  >();

  set(type: string, status: "True" | "False", now: number, reason?: string, message?: string): void {
    const prev = this.items.get(type);
    const time = prev && prev.status === status ? prev.time : rfc3339(now);
    this.items.set(type, { status, reason, message, time });
  }

  has(type: string): boolean {
    return this.items.get(type)?.status === "True";
  }

  /** Deployment style: lastUpdateTime + lastTransitionTime. */
  render(style: "deployment" | "job" | "plain" = "plain"): Record<string, unknown>[] {
    return [...this.items].map(([type, c]) => {
      const o: Record<string, unknown> = { type, status: c.status };
      if (style === "deployment") o.lastUpdateTime = c.time;
      if (style === "job") o.lastProbeTime = c.time;
      o.lastTransitionTime = c.time;
      if (c.reason) o.reason = c.reason;
      if (c.message) o.message = c.message;
      return o;
    });
  }
}

export interface SpawnOptions {
  name: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  generateName?: string;
  nodeName?: string;
  restartPolicy?: "Always" | "OnFailure" | "Never";
  /** Containers start in ContainerCreating and run after startDelayMs. */
  starting?: boolean;
  owner?: OwnerReference;
  /** Overrides the template's containers (e.g. already terminated). */
  containers?: ContainerSpec[];
}

/**
 * A pod-owning object. Subclasses render their objects; the base republishes them (deduplicated) a
 * microtask after any change to a pod they own, so status tracks what tests do to the pods.
 */
export abstract class Workload {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string = randomUUID();
  readonly createdAt: number;
  protected readonly cluster: Cluster;
  protected readonly ctx: WorkloadContext;
  protected readonly tmpl: PodTemplateOptions;
  protected handles: PodHandle[] = [];
  protected generation = 1;
  private podCounter = 0;
  private queued = false;
  private unsubscribe: (() => void) | undefined;
  private readonly published = new Map<string, string>();
  private removed = false;

  /** e.g. "statefulsets". */
  abstract readonly resource: string;
  abstract readonly kind: string;
  abstract readonly apiVersion: string;

  constructor(tmpl: PodTemplateOptions, ctx: WorkloadContext) {
    this.tmpl = tmpl;
    this.ctx = ctx;
    this.cluster = ctx.cluster;
    this.namespace = tmpl.namespace ?? "default";
    this.name = tmpl.name;
    this.createdAt = ctx.cluster.now();
    ctx.cluster.addNamespace(this.namespace);
    this.unsubscribe = ctx.cluster.store.subscribe((e) => {
      if (this.concerns(e)) this.requeue();
    });
  }

  /** The pods it made that still exist (deleting ones included until they are gone). */
  get pods(): PodHandle[] {
    return this.handles.filter((h) => !h.deleted);
  }

  /** The object as the API serves it now. */
  get json(): KubeObject | undefined {
    return this.cluster.store.get(this.resource, this.namespace, this.name);
  }

  get deleted(): boolean {
    return this.removed;
  }

  /** The template labels (default `{ app: name }`). */
  get labels(): Record<string, string> {
    return { ...(this.tmpl.labels ?? { app: this.name }) };
  }

  /** Whether a store event should trigger a republish (default: a pod this object controls). */
  protected concerns(e: StoreEvent): boolean {
    if (e.resource !== "pods") return false;
    const owned = (o: KubeObject | undefined) => o?.metadata.ownerReferences?.some((r) => this.owns(r.uid));
    return owned(e.object) || owned(e.prev) === true;
  }

  protected owns(uid: string): boolean {
    return uid === this.uid;
  }

  protected meta(extra: Partial<ObjectMeta> = {}): ObjectMeta {
    const m: ObjectMeta = {
      name: this.name,
      namespace: this.namespace,
      uid: this.uid,
      generation: this.generation,
      creationTimestamp: rfc3339(this.createdAt),
      ...extra,
    };
    if (m.labels && Object.keys(m.labels).length === 0) delete m.labels;
    if (m.annotations && Object.keys(m.annotations).length === 0) delete m.annotations;
    return m;
  }

  protected template(labels: Record<string, string> | undefined, restartPolicy = "Always") {
    return podTemplate(labels, this.tmpl.containers, this.tmpl.initContainers, restartPolicy);
  }

  protected nextNode(): string {
    const nodes = this.tmpl.nodeNames ?? ["node-1", "node-2"];
    return nodes[this.podCounter++ % nodes.length] ?? "node-1";
  }

  protected get selfRef(): OwnerReference {
    return controllerRef(this.apiVersion, this.kind, this.name, this.uid);
  }

  /** Creates a pod owned by this object (or `o.owner`). */
  protected spawn(o: SpawnOptions): PodHandle {
    const containers = (o.containers ?? this.tmpl.containers).map((c) =>
      o.starting ? { ...c, state: "waiting" as const } : c,
    );
    const h = this.ctx.addPod({
      namespace: this.namespace,
      name: o.name,
      generateName: o.generateName,
      labels: o.labels,
      annotations: o.annotations,
      nodeName: o.nodeName ?? this.nextNode(),
      restartPolicy: o.restartPolicy,
      ownerReferences: [o.owner ?? this.selfRef],
      initContainers: this.tmpl.initContainers,
      containers,
    });
    this.handles.push(h);
    if (o.starting) {
      this.cluster.later(this.tmpl.startDelayMs ?? 100, () => {
        if (h.deleted) return;
        for (const c of this.tmpl.containers) {
          const rt = h.model.mustContainer(c.name);
          if ((c.state ?? "running") === "running" && "waiting" in rt.state) rt.start(this.cluster.now());
        }
        this.cluster.commit(h.model);
      });
    }
    return h;
  }

  /** The objects to publish: [resource, object] pairs. */
  protected abstract render(): [string, KubeObject][];

  /** Runs before each republish (e.g. a Job creating its next pod). */
  protected reconcile(): void {}

  protected requeue(): void {
    if (this.queued || this.removed) return;
    this.queued = true;
    // Never write to the store from inside a store listener: watchers would see events out of order.
    queueMicrotask(() => {
      this.queued = false;
      if (this.removed) return;
      this.reconcile();
      this.publish();
    });
  }

  /** Writes every rendered object that changed (one MODIFIED event each). */
  publish(): void {
    if (this.removed) return;
    for (const [resource, o] of this.render()) {
      const key = `${resource}/${o.metadata.name}`;
      const s = JSON.stringify(o);
      if (this.published.get(key) === s) continue;
      this.published.set(key, s);
      this.cluster.store.put(resource, o);
    }
  }

  /** Background cascading deletion: the objects go at once, the pods are deleted gracefully. */
  async delete(o: { graceMs?: number } = {}): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    this.unsubscribe?.();
    for (const key of this.published.keys()) {
      const i = key.indexOf("/");
      this.cluster.store.delete(key.slice(0, i), this.namespace, key.slice(i + 1));
    }
    await Promise.all([...this.pods.map((p) => p.delete(o)), ...this.cascade(o)]);
  }

  /** Further deletions (e.g. a CronJob's Jobs). */
  protected cascade(_o: { graceMs?: number }): Promise<void>[] {
    return [];
  }

  /** Forgets a published object (after deleting it from the store). */
  protected forget(resource: string, name: string): void {
    this.published.delete(`${resource}/${name}`);
  }
}

/** Replica counts over a set of pods, as the controllers report them. */
export function replicaCounts(pods: PodHandle[]) {
  const live = pods.filter((p) => !p.deleted);
  const ready = live.filter(podReady).length;
  return { replicas: live.length, ready, available: ready };
}
