// StatefulSets, DaemonSets, stand-alone ReplicaSets, ReplicationControllers and Services.

import type { PodHandle } from "./pod-handle.ts";
import { rfc3339 } from "./pod-model.ts";
import { matchesLabels, parseLabelSelector } from "./selectors.ts";
import type { KubeObject } from "./store.ts";
import {
  labelSelector,
  nonEmpty,
  type PodTemplateOptions,
  podReady,
  randomSuffix,
  replicaCounts,
  Workload,
  type WorkloadContext,
} from "./workload.ts";

export interface ReplicaSetOptions extends PodTemplateOptions {
  replicas?: number;
}

/** A ReplicaSet without a Deployment: pods `<name>-<5 chars>`, selector = the template labels. */
export class ReplicaSetHandle extends Workload {
  readonly resource = "replicasets";
  readonly kind = "ReplicaSet";
  readonly apiVersion = "apps/v1";
  private readonly replicas: number;

  constructor(o: ReplicaSetOptions, ctx: WorkloadContext) {
    super(o, ctx);
    this.replicas = o.replicas ?? 1;
    this.publish();
    for (let i = 0; i < this.replicas; i++) {
      this.spawn({
        name: `${this.name}-${randomSuffix(5)}`,
        generateName: `${this.name}-`,
        labels: this.labels,
      });
    }
    this.publish();
  }

  protected render(): [string, KubeObject][] {
    const c = replicaCounts(this.handles);
    return [
      [
        this.resource,
        {
          kind: this.kind,
          apiVersion: this.apiVersion,
          metadata: this.meta({ labels: this.labels }),
          spec: {
            replicas: this.replicas,
            selector: labelSelector(this.labels),
            template: this.template(this.labels),
          },
          status: {
            replicas: c.replicas,
            fullyLabeledReplicas: c.replicas,
            readyReplicas: c.ready,
            availableReplicas: c.available,
            observedGeneration: this.generation,
          },
        },
      ],
    ];
  }
}

export interface ReplicationControllerOptions extends PodTemplateOptions {
  replicas?: number;
  /** spec.selector (default: the template labels). */
  selector?: Record<string, string>;
  /**
   * false: no spec.template and no pods. The real API server rejects this (spec.template is required);
   * it exists to test stern's "nil template" error.
   */
  template?: false;
}

/** A core/v1 ReplicationController: pods `<name>-<5 chars>`, map selector. */
export class ReplicationControllerHandle extends Workload {
  readonly resource = "replicationcontrollers";
  readonly kind = "ReplicationController";
  readonly apiVersion = "v1";
  private readonly replicas: number;
  private readonly o: ReplicationControllerOptions;

  constructor(o: ReplicationControllerOptions, ctx: WorkloadContext) {
    super(o, ctx);
    this.o = o;
    this.replicas = o.replicas ?? 1;
    this.publish();
    if (o.template !== false) {
      for (let i = 0; i < this.replicas; i++) {
        this.spawn({
          name: `${this.name}-${randomSuffix(5)}`,
          generateName: `${this.name}-`,
          labels: this.labels,
        });
      }
    }
    this.publish();
  }

  get selector(): Record<string, string> {
    return { ...(this.o.selector ?? this.labels) };
  }

  protected render(): [string, KubeObject][] {
    const c = replicaCounts(this.handles);
    const spec: Record<string, unknown> = { replicas: this.replicas };
    const sel = nonEmpty(this.selector);
    if (sel) spec.selector = sel;
    if (this.o.template !== false) spec.template = this.template(this.labels);
    return [
      [
        this.resource,
        {
          kind: this.kind,
          apiVersion: this.apiVersion,
          metadata: this.meta({ labels: this.labels }),
          spec,
          status: {
            replicas: c.replicas,
            fullyLabeledReplicas: c.replicas,
            readyReplicas: c.ready,
            availableReplicas: c.available,
            observedGeneration: this.generation,
          },
        },
      ],
    ];
  }
}

export interface StatefulSetOptions extends PodTemplateOptions {
  replicas?: number;
  /** spec.serviceName (default: the StatefulSet's name). */
  serviceName?: string;
}

/** An apps/v1 StatefulSet: pods `<name>-0`, `<name>-1`, … with the per-pod labels the controller sets. */
export class StatefulSetHandle extends Workload {
  readonly resource = "statefulsets";
  readonly kind = "StatefulSet";
  readonly apiVersion = "apps/v1";
  private replicas: number;
  private readonly o: StatefulSetOptions;
  private readonly revision = `${randomSuffix(10)}`;

  constructor(o: StatefulSetOptions, ctx: WorkloadContext) {
    super(o, ctx);
    this.o = o;
    this.replicas = o.replicas ?? 1;
    this.publish();
    for (let i = 0; i < this.replicas; i++) this.podAt(i, false);
    this.publish();
  }

  /** controller-revision-hash of the current revision (`<name>-<hash>`). */
  get revisionName(): string {
    return `${this.name}-${this.revision}`;
  }

  /** The live pod with the given ordinal. */
  pod(ordinal: number): PodHandle | undefined {
    return this.pods.find((p) => p.name === `${this.name}-${ordinal}`);
  }

  private podAt(i: number, starting: boolean): PodHandle {
    const name = `${this.name}-${i}`;
    return this.spawn({
      name,
      starting,
      labels: {
        ...this.labels,
        "apps.kubernetes.io/pod-index": String(i),
        "controller-revision-hash": this.revisionName,
        "statefulset.kubernetes.io/pod-name": name,
      },
    });
  }

  /** Deletes the pod with that ordinal and, once it is gone, creates it again (same name, new UID). */
  async recreatePod(ordinal: number, o: { graceMs?: number } = {}): Promise<PodHandle> {
    const old = this.pod(ordinal);
    if (old) await old.delete(o);
    const h = this.podAt(ordinal, true);
    this.publish();
    return h;
  }

  /** Scales up (new highest ordinals, starting) or down (highest ordinals deleted first). */
  async scale(replicas: number, o: { graceMs?: number } = {}): Promise<void> {
    const from = this.replicas;
    this.replicas = replicas;
    this.publish();
    for (let i = from; i < replicas; i++) this.podAt(i, true);
    for (let i = from - 1; i >= replicas; i--) await this.pod(i)?.delete(o);
    this.publish();
  }

  protected render(): [string, KubeObject][] {
    const c = replicaCounts(this.handles);
    return [
      [
        this.resource,
        {
          kind: this.kind,
          apiVersion: this.apiVersion,
          metadata: this.meta({ labels: this.labels }),
          spec: {
            replicas: this.replicas,
            selector: labelSelector(this.labels),
            template: this.template(this.labels),
            serviceName: this.o.serviceName ?? this.name,
            podManagementPolicy: "OrderedReady",
            updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
            revisionHistoryLimit: 10,
            persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
          },
          status: {
            observedGeneration: this.generation,
            replicas: c.replicas,
            readyReplicas: c.ready,
            currentReplicas: c.replicas,
            updatedReplicas: c.replicas,
            currentRevision: this.revisionName,
            updateRevision: this.revisionName,
            collisionCount: 0,
            availableReplicas: c.available,
          },
        },
      ],
    ];
  }
}

export interface DaemonSetOptions extends PodTemplateOptions {
  /** One pod per node (default: every node the cluster knows, plus node-1 and node-2). */
  nodeNames?: string[];
}

/** An apps/v1 DaemonSet: one pod `<name>-<5 chars>` per node. */
export class DaemonSetHandle extends Workload {
  readonly resource = "daemonsets";
  readonly kind = "DaemonSet";
  readonly apiVersion = "apps/v1";
  private readonly nodes: string[];
  private readonly revision = randomSuffix(10);

  constructor(o: DaemonSetOptions, ctx: WorkloadContext) {
    super(o, ctx);
    const known = ctx.cluster.store.list("nodes").map((n) => n.metadata.name);
    this.nodes = o.nodeNames ?? [...new Set([...known, "node-1", "node-2"])].sort();
    this.publish();
    for (const n of this.nodes) this.spawnOn(n, false);
    this.publish();
  }

  /** The live pod on a node. */
  podOn(node: string): PodHandle | undefined {
    return this.pods.find((p) => p.model.nodeName === node);
  }

  private spawnOn(node: string, starting: boolean): PodHandle {
    return this.spawn({
      name: `${this.name}-${randomSuffix(5)}`,
      generateName: `${this.name}-`,
      nodeName: node,
      starting,
      labels: {
        ...this.labels,
        "controller-revision-hash": this.revision,
        "pod-template-generation": String(this.generation),
      },
    });
  }

  /** A node joins: the DaemonSet starts a pod on it. */
  addNode(node: string): PodHandle {
    if (!this.nodes.includes(node)) this.nodes.push(node);
    const h = this.spawnOn(node, true);
    this.publish();
    return h;
  }

  protected render(): [string, KubeObject][] {
    const live = this.pods;
    const ready = live.filter(podReady).length;
    const template = this.template(this.labels);
    return [
      [
        this.resource,
        {
          kind: this.kind,
          apiVersion: this.apiVersion,
          metadata: this.meta({
            labels: this.labels,
            annotations: { "deprecated.daemonset.template.generation": String(this.generation) },
          }),
          spec: {
            selector: labelSelector(this.labels),
            template,
            updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
            revisionHistoryLimit: 10,
          },
          status: {
            currentNumberScheduled: live.length,
            numberMisscheduled: 0,
            desiredNumberScheduled: this.nodes.length,
            numberReady: ready,
            observedGeneration: this.generation,
            updatedNumberScheduled: live.length,
            numberAvailable: ready,
            ...(this.nodes.length - ready > 0 ? { numberUnavailable: this.nodes.length - ready } : {}),
          },
        },
      ],
    ];
  }
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: "TCP" | "UDP" | "SCTP";
  nodePort?: number;
}

export interface ServiceOptions {
  namespace?: string;
  name: string;
  /** spec.selector; undefined = a Service without a selector. */
  selector?: Record<string, string>;
  /** Default one port 80 → 8080/TCP. */
  ports?: ServicePort[];
  type?: "ClusterIP" | "NodePort" | "LoadBalancer";
  /** Default 10.96.x.y; "None" = headless. */
  clusterIP?: string;
  labels?: Record<string, string>;
}

let serviceIpCounter = 10;

/** A core/v1 Service. It owns no pods; `pods` are the sim's pods its selector matches now. */
export class ServiceHandle {
  readonly namespace: string;
  readonly name: string;
  readonly uid = crypto.randomUUID();
  readonly clusterIP: string;
  private readonly o: ServiceOptions;
  private readonly ctx: WorkloadContext;
  private readonly createdAt: number;

  constructor(o: ServiceOptions, ctx: WorkloadContext) {
    this.o = o;
    this.ctx = ctx;
    this.namespace = o.namespace ?? "default";
    this.name = o.name;
    this.createdAt = ctx.cluster.now();
    const n = serviceIpCounter++;
    this.clusterIP = o.clusterIP ?? `10.96.${(n >> 8) & 255}.${n & 255}`;
    ctx.cluster.addNamespace(this.namespace);
    this.publish();
  }

  get selector(): Record<string, string> | undefined {
    return this.o.selector ? { ...this.o.selector } : undefined;
  }

  get json(): KubeObject | undefined {
    return this.ctx.cluster.store.get("services", this.namespace, this.name);
  }

  /** The sim's pods in the namespace that the selector matches (none without a selector). */
  get pods(): PodHandle[] {
    const sel = nonEmpty(this.o.selector);
    if (!sel) return [];
    const req = parseLabelSelector(
      Object.entries(sel)
        .map(([k, v]) => `${k}=${v}`)
        .join(","),
    );
    return this.ctx.cluster.store
      .list("pods", this.namespace)
      .filter((p) => matchesLabels(req, p.metadata.labels))
      .map((p) => this.ctx.podHandle(this.namespace, p.metadata.name))
      .filter((h): h is PodHandle => h !== undefined);
  }

  private publish(): void {
    const type = this.o.type ?? "ClusterIP";
    const ports = (this.o.ports ?? [{ port: 80, targetPort: 8080 }]).map((p, i, all) => {
      const out: Record<string, unknown> = {};
      if (p.name || all.length > 1) out.name = p.name ?? `port-${i}`;
      out.protocol = p.protocol ?? "TCP";
      out.port = p.port;
      out.targetPort = p.targetPort ?? p.port;
      if (type !== "ClusterIP") out.nodePort = p.nodePort ?? 30000 + ((p.port * 7 + i) % 2768);
      return out;
    });
    const spec: Record<string, unknown> = { ports };
    const sel = nonEmpty(this.o.selector);
    if (sel) spec.selector = sel;
    Object.assign(spec, {
      clusterIP: this.clusterIP,
      clusterIPs: [this.clusterIP],
      type,
      sessionAffinity: "None",
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      internalTrafficPolicy: "Cluster",
    });
    if (type !== "ClusterIP") spec.externalTrafficPolicy = "Cluster";
    const metadata: KubeObject["metadata"] = {
      name: this.name,
      namespace: this.namespace,
      uid: this.uid,
      creationTimestamp: rfc3339(this.createdAt),
    };
    const labels = nonEmpty(this.o.labels);
    if (labels) metadata.labels = labels;
    this.ctx.cluster.store.put("services", {
      kind: "Service",
      apiVersion: "v1",
      metadata,
      spec,
      status: { loadBalancer: {} },
    });
  }

  delete(): void {
    this.ctx.cluster.store.delete("services", this.namespace, this.name);
  }
}
