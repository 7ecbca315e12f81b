// startSim(): the high-level API that tests and the demo script a cluster with.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateCerts, type SimCerts } from "./certs.ts";
import { Cluster } from "./cluster.ts";
import { DeploymentHandle, type DeploymentOptions } from "./deployments.ts";
import { type EventSpec, recordEvent } from "./events.ts";
import { Faults } from "./faults.ts";
import { IngressHandle, type IngressOptions } from "./ingress.ts";
import { CronJobHandle, type CronJobOptions, JobHandle, type JobOptions } from "./jobs.ts";
import { renderKubeconfig } from "./kubeconfig.ts";
import type { LogStats } from "./logbuffer.ts";
import { SimNetwork } from "./network.ts";
import { type EmitHandle, PodHandle } from "./pod-handle.ts";
import type { ContainerSpec, PodOptions } from "./pod-model.ts";
import { type DenyRule, type RequestRecord, SimServer } from "./server.ts";
import type { KubeObject, OwnerReference } from "./store.ts";
import type { WorkloadContext } from "./workload.ts";
import {
  DaemonSetHandle,
  type DaemonSetOptions,
  ReplicaSetHandle,
  type ReplicaSetOptions,
  ReplicationControllerHandle,
  type ReplicationControllerOptions,
  ServiceHandle,
  type ServiceOptions,
  StatefulSetHandle,
  type StatefulSetOptions,
} from "./workloads.ts";

export interface SimOptions {
  namespaces?: string[];
  token?: string;
  port?: number;
  contexts?: { name: string; namespace: string }[];
  currentContext?: string;
  /** Interval of BOOKMARK events on watches that allow them (default 1000 ms; 0 = never). */
  bookmarkIntervalMs?: number;
  /** Events kept for watches that resume from a resourceVersion (default 1000). */
  watchHistoryLimit?: number;
  /** Also accept the generated client certificate, and write the kubeconfig with it. */
  clientCertAuth?: boolean;
  /** Milliseconds since the epoch, for log timestamps, ages and sinceSeconds. */
  clock?: () => number;
  /** The user named in 403 messages for the token (default system:serviceaccount:default:stern). */
  userName?: string;
  deny?: DenyRule[];
  /** Default grace period of deletePod (default 200 ms). */
  deleteGraceMs?: number;
  /** HTTP/2 streams one connection may have open (default 1000; Go's server default is 250). */
  maxConcurrentStreams?: number;
  /**
   * Put a relay in front of the server, for the faults of the network between (faults.blackhole(),
   * faults.freeze()): clients connect to it, on `port`. Off by default: it costs a copy of every byte.
   */
  network?: boolean;
  /** Serve plain HTTP/1.1 without TLS or authentication, as `kubectl proxy` does (default false). */
  plainHttp?: boolean;
  /**
   * The kubelet's own text in log bodies (docs/reliability.md): `onDelete` ends a deleted pod's follow
   * streams with its NotFound text (K3; default false); `previousGapMs` is how long after a second or
   * later crash `previous=true` answers with "unable to retrieve container logs" instead (K4; default 0).
   */
  kubelet?: { errorTextOnDelete?: boolean; previousGapMs?: number };
  /**
   * The API server's feature gates: `PodLogsQuerySplitStreams` (KEP-3288, alpha in 1.32, off by
   * default) lets the log endpoint take `stream=Stdout|Stderr`; without it `stream` is rejected (422).
   */
  featureGates?: { PodLogsQuerySplitStreams?: boolean };
  /** What /version says (default "v1.32.4-sim"). */
  serverVersion?: string;
}

export interface AddPodOptions {
  namespace?: string;
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Default "node-1"; "" = unscheduled. */
  nodeName?: string;
  phase?: string;
  restartPolicy?: "Always" | "OnFailure" | "Never";
  ownerReferences?: OwnerReference[];
  initContainers?: ContainerSpec[];
  containers: ContainerSpec[];
  ephemeralContainers?: ContainerSpec[];
  serviceAccountName?: string;
  hostNetwork?: boolean;
}

export interface WriteKubeconfigOptions {
  token?: string;
  userName?: string;
  clusterName?: string;
  contexts?: { name: string; namespace: string }[];
  currentContext?: string;
  clientCert?: boolean;
  /** Server URL override (e.g. to point at a closed port). */
  server?: string;
}

export class Sim {
  readonly cluster: Cluster;
  readonly faults: Faults;
  readonly certs: SimCerts;
  readonly token: string;
  readonly kubeconfigPath: string;
  readonly dir: string;
  private readonly server: SimServer;
  private readonly network: SimNetwork | undefined;
  private readonly tokens: Map<string, string>;
  private readonly denyRules: DenyRule[];
  private readonly emitters = new Set<EmitHandle>();
  private readonly handles = new Map<string, PodHandle>();
  private readonly opts: SimOptions;
  private readonly workloadCtx: WorkloadContext;
  bookmarkIntervalMs: number;

  private constructor(opts: SimOptions, certs: SimCerts) {
    this.opts = opts;
    this.certs = certs;
    this.cluster = new Cluster(
      opts.clock ?? (() => performance.timeOrigin + performance.now()),
      opts.watchHistoryLimit ?? 1000,
    );
    this.network = opts.network ? new SimNetwork(() => this.server.port) : undefined;
    this.faults = new Faults(this.cluster, this.network);
    this.token =
      opts.token ?? `sim-${Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString("hex")}`;
    this.tokens = new Map([[this.token, opts.userName ?? "system:serviceaccount:default:stern"]]);
    this.denyRules = [...(opts.deny ?? [])];
    this.bookmarkIntervalMs = opts.bookmarkIntervalMs ?? 1000;
    this.server = new SimServer({
      certs,
      cluster: this.cluster,
      faults: this.faults,
      tokens: this.tokens,
      clientCertAuth: opts.clientCertAuth ?? false,
      denyRules: this.denyRules,
      requestLogLimit: 20_000,
      bookmarkIntervalMs: () => this.bookmarkIntervalMs,
      maxConcurrentStreams: opts.maxConcurrentStreams ?? 1000,
      plainHttp: opts.plainHttp ?? false,
    });
    this.dir = mkdtempSync(join(tmpdir(), "stern-sim-"));
    this.kubeconfigPath = join(this.dir, "kubeconfig");
    this.cluster.defaultGraceMs = opts.deleteGraceMs ?? 200;
    this.cluster.kubeletErrorOnDelete = opts.kubelet?.errorTextOnDelete ?? false;
    this.cluster.previousGapMs = opts.kubelet?.previousGapMs ?? 0;
    this.cluster.splitStreams = opts.featureGates?.PodLogsQuerySplitStreams ?? false;
    if (opts.serverVersion) this.cluster.gitVersion = opts.serverVersion;
    for (const ns of opts.namespaces ?? ["default"]) this.cluster.addNamespace(ns);
    this.workloadCtx = {
      cluster: this.cluster,
      addPod: (p) => this.addPod(p),
      podHandle: (ns, name) => this.pod(ns, name),
    };
  }

  static async start(opts: SimOptions = {}): Promise<Sim> {
    const sim = new Sim(opts, await generateCerts());
    if (sim.network) {
      await sim.server.listen(0);
      await sim.network.listen(opts.port ?? 0);
    } else {
      await sim.server.listen(opts.port ?? 0);
    }
    sim.writeKubeconfig(sim.kubeconfigPath, { clientCert: opts.clientCertAuth ?? false });
    return sim;
  }

  /** The port clients connect to (the network relay's, when there is one). */
  get port(): number {
    return this.network?.port ?? this.server.port;
  }

  get url(): string {
    return `${this.opts.plainHttp ? "http" : "https"}://127.0.0.1:${this.port}`;
  }

  get caPem(): string {
    return this.certs.caPem;
  }

  get requests(): RequestRecord[] {
    return this.server.requests;
  }

  clearRequests(): void {
    this.server.requests.length = 0;
  }

  get stats(): Readonly<LogStats & { openWatches: number }> {
    return { ...this.cluster.stats, openWatches: this.cluster.watches.size };
  }

  /** Writes another kubeconfig for this server; an unknown token there gets 401s. */
  writeKubeconfig(path: string, o: WriteKubeconfigOptions = {}): string {
    const contexts = o.contexts ??
      this.opts.contexts ?? [{ name: "sim", namespace: this.opts.namespaces?.[0] ?? "default" }];
    const text = renderKubeconfig({
      server: o.server ?? this.url,
      caPem: this.certs.caPem,
      clusterName: o.clusterName,
      userName: o.userName,
      token: o.token ?? this.token,
      clientCert: o.clientCert
        ? { certPem: this.certs.clientCertPem, keyPem: this.certs.clientKeyPem }
        : undefined,
      contexts,
      currentContext: o.currentContext ?? this.opts.currentContext,
      plain: this.opts.plainHttp ?? false,
    });
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  }

  /** Accepts another bearer token, as the given user. */
  addToken(token: string, user: string): void {
    this.tokens.set(token, user);
  }

  /** Stops accepting a token (as when it expires): requests with it get 401. */
  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  /** 403 for matching requests, e.g. `{ namespace: "kube-system", verb: "list", resource: "pods" }`. */
  deny(rule: DenyRule): void {
    this.denyRules.push(rule);
  }

  clearDeny(): void {
    this.denyRules.length = 0;
  }

  addNamespace(name: string): void {
    this.cluster.addNamespace(name);
  }

  /** Records an event about any object (core/v1 and events.k8s.io/v1); a repeat raises its count. */
  recordEvent(e: EventSpec): void {
    recordEvent(this.cluster, e);
  }

  addPod(o: AddPodOptions): PodHandle {
    const opts: PodOptions = { ...o, namespace: o.namespace ?? "default" };
    const model = this.cluster.addPod(opts);
    const h = new PodHandle(model, this.cluster, this.emitters);
    this.handles.set(`${opts.namespace}/${o.name}`, h);
    return h;
  }

  pod(namespace: string, name: string): PodHandle | undefined {
    const h = this.handles.get(`${namespace}/${name}`);
    return h && !h.deleted ? h : undefined;
  }

  getPod(namespace: string, name: string): KubeObject | undefined {
    return this.cluster.store.get("pods", namespace, name);
  }

  /** `kubeletError`: followed streams end with the kubelet's NotFound text (K3); see SimOptions.kubelet. */
  deletePod(
    namespace: string,
    name: string,
    o: { graceMs?: number; kubeletError?: boolean } = {},
  ): Promise<void> {
    const done = this.cluster.deletePod(namespace, name, o.graceMs, o.kubeletError);
    return done.then(() => {
      this.handles.delete(`${namespace}/${name}`);
    });
  }

  /** An apps/v1 Deployment, its ReplicaSet (`<name>-<hash>`) and pods `<name>-<hash>-<5 chars>`. */
  addDeployment(o: DeploymentOptions): DeploymentHandle {
    return new DeploymentHandle(o, this.workloadCtx);
  }

  /** A stand-alone apps/v1 ReplicaSet: pods `<name>-<5 chars>`. */
  addReplicaSet(o: ReplicaSetOptions): ReplicaSetHandle {
    return new ReplicaSetHandle(o, this.workloadCtx);
  }

  /** An apps/v1 StatefulSet: pods `<name>-0` … `<name>-<replicas-1>`. */
  addStatefulSet(o: StatefulSetOptions): StatefulSetHandle {
    return new StatefulSetHandle(o, this.workloadCtx);
  }

  /** An apps/v1 DaemonSet: one pod per node. */
  addDaemonSet(o: DaemonSetOptions): DaemonSetHandle {
    return new DaemonSetHandle(o, this.workloadCtx);
  }

  /** A batch/v1 Job: pods `<name>-<5 chars>` that complete after `completeAfterMs` or on `complete()`. */
  addJob(o: JobOptions): JobHandle {
    return new JobHandle(o, this.workloadCtx);
  }

  /** A batch/v1 CronJob; `jobs` finished Jobs at once, `runJob()` for a running one. */
  addCronJob(o: CronJobOptions): CronJobHandle {
    return new CronJobHandle(o, this.workloadCtx);
  }

  /** A core/v1 Service (no selector = a Service without one). */
  addService(o: ServiceOptions): ServiceHandle {
    return new ServiceHandle(o, this.workloadCtx);
  }

  /** A core/v1 ReplicationController (`template: false` = none, and no pods). */
  addReplicationController(o: ReplicationControllerOptions): ReplicationControllerHandle {
    return new ReplicationControllerHandle(o, this.workloadCtx);
  }

  /** A networking.k8s.io/v1 Ingress: its rules' and default backend's Services. */
  addIngress(o: IngressOptions): IngressHandle {
    return new IngressHandle(o, this.workloadCtx);
  }

  /**
   * A Node with these labels (its kubelet's own, hostname/os/arch, besides); an existing one (nodes
   * are made for the pods placed on them) gets them, a MODIFIED event for node watches.
   */
  addNode(name: string, o: { labels?: Record<string, string>; ready?: boolean } = {}): void {
    this.cluster.putNode(name, o);
  }

  /** Replaces a node's labels (its kubelet's stay), as `kubectl label node` would (MODIFIED). */
  labelNode(name: string, labels: Record<string, string>): void {
    if (!this.cluster.store.get("nodes", undefined, name)) throw new Error(`no node ${name}`);
    this.cluster.putNode(name, { labels });
  }

  /** Any stored object (e.g. `getObject("statefulsets", "default", "db")`). */
  getObject(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.cluster.store.get(resource, namespace, name);
  }

  /** Holds every new log body until `count` log requests are open, then releases them together. */
  gateLogs(count: number): Promise<void> {
    return this.cluster.setGate(count);
  }

  releaseLogs(): void {
    this.cluster.releaseGate();
  }

  /** Client connections open now (an HTTP/2 client carries many requests on one). */
  get connections(): number {
    return this.server.connections;
  }

  /** Stops and starts the server on the same port with the same state and certs; connections drop. */
  async restart(): Promise<void> {
    const port = this.server.port;
    await this.server.close();
    await this.server.listen(port);
  }

  async stop(): Promise<void> {
    for (const e of [...this.emitters]) e.stop();
    this.cluster.stopTimers();
    this.cluster.releaseGate();
    await this.network?.close();
    await this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function startSim(opts: SimOptions = {}): Promise<Sim> {
  return Sim.start(opts);
}
