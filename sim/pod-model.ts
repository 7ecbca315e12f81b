// A pod's runtime state (containers, instances, conditions), rendered as a core/v1 Pod.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { LogInstance } from "./logbuffer.ts";
import type { KubeObject, OwnerReference } from "./store.ts";

export type ContainerStateName = "waiting" | "running" | "terminated";

export interface ContainerSpec {
  name: string;
  state?: ContainerStateName;
  waitingReason?: string;
  /** `Always` on an init container makes it a restartable sidecar. */
  restartPolicy?: "Always";
  image?: string;
  /** Readiness of a running container (default true). */
  ready?: boolean;
  exitCode?: number;
}

export type ContainerKind = "init" | "regular" | "ephemeral";

export interface Terminated {
  exitCode: number;
  reason: string;
  startedAt: string;
  finishedAt: string;
  containerID: string;
  signal?: number;
  message?: string;
}

type State =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: Terminated };

export const rfc3339 = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

export const newContainerId = (): string => `containerd://${randomBytes(32).toString("hex")}`;

export class ContainerRuntime {
  readonly kind: ContainerKind;
  readonly spec: ContainerSpec;
  readonly image: string;
  readonly imageID: string;
  state: State;
  lastTerminated: Terminated | undefined;
  restartCount = 0;
  ready: boolean;
  /** The instance whose log a request reads when not asking for `previous`. */
  current: LogInstance | undefined;
  previous: LogInstance | undefined;

  constructor(kind: ContainerKind, spec: ContainerSpec, now: number) {
    this.kind = kind;
    this.spec = spec;
    this.image = spec.image ?? `registry.example.com/demo/${spec.name}:1.4.2`;
    this.imageID = `${this.image.replace(/:[^:/]*$/, "")}@sha256:${createHash("sha256").update(this.image).digest("hex")}`;
    this.ready = spec.ready ?? true;
    const initial =
      spec.state ?? (kind === "init" && spec.restartPolicy !== "Always" ? "terminated" : "running");
    if (initial === "waiting") {
      this.state = { waiting: { reason: spec.waitingReason ?? "ContainerCreating" } };
    } else {
      this.current = new LogInstance(newContainerId(), now);
      this.state = { running: { startedAt: rfc3339(now) } };
      if (initial === "terminated") this.terminate(now, spec.exitCode ?? 0);
    }
  }

  get name(): string {
    return this.spec.name;
  }

  get isSidecar(): boolean {
    return this.kind === "init" && this.spec.restartPolicy === "Always";
  }

  get running(): boolean {
    return "running" in this.state;
  }

  /** Starts a new instance (new container ID); the old one, if any, becomes lastState. */
  start(now: number, exitCode = 0, reason?: string): LogInstance {
    if (this.running) this.terminate(now, exitCode, reason);
    if ("terminated" in this.state) {
      this.lastTerminated = this.state.terminated;
      this.previous = this.current;
      this.restartCount++;
    }
    this.current = new LogInstance(newContainerId(), now);
    this.state = { running: { startedAt: rfc3339(now) } };
    return this.current;
  }

  terminate(now: number, exitCode = 0, reason?: string, message?: string): void {
    if (!("running" in this.state) || !this.current) return;
    this.current.stop();
    const terminated: Terminated = {
      exitCode,
      reason: reason ?? (exitCode === 0 ? "Completed" : "Error"),
      startedAt: this.state.running.startedAt,
      finishedAt: rfc3339(now),
      containerID: this.current.containerId,
    };
    if (message !== undefined) terminated.message = message;
    this.state = { terminated };
  }

  /** Waiting with a reason (e.g. CrashLoopBackOff); a running instance is terminated first. */
  wait(
    now: number,
    reason: string,
    message?: string,
    ended: { exitCode?: number; reason?: string } = {},
  ): void {
    if (this.running) this.terminate(now, ended.exitCode ?? 1, ended.reason ?? "Error");
    if ("terminated" in this.state) {
      this.lastTerminated = this.state.terminated;
      this.previous = this.current;
      this.current = undefined;
      this.restartCount++;
    }
    this.state = { waiting: message === undefined ? { reason } : { reason, message } };
  }

  /** Completed init containers count as done; sidecars once started. */
  get initDone(): boolean {
    if (this.isSidecar) return this.running;
    return "terminated" in this.state && this.state.terminated.exitCode === 0;
  }

  status(): Record<string, unknown> {
    const s: Record<string, unknown> = {
      name: this.name,
      state: this.state,
      lastState: this.lastTerminated ? { terminated: this.lastTerminated } : {},
      ready: this.running && this.ready,
      restartCount: this.restartCount,
      image: this.image,
      imageID: "waiting" in this.state && !this.lastTerminated ? "" : this.imageID,
      started: this.running,
    };
    const id = "waiting" in this.state ? this.lastTerminated?.containerID : this.current?.containerId;
    if (id) s.containerID = id;
    if (this.kind === "ephemeral") delete s.ready;
    return s;
  }

  specJson(): Record<string, unknown> {
    const s: Record<string, unknown> = {
      name: this.name,
      image: this.image,
      resources: {},
      terminationMessagePath: "/dev/termination-log",
      terminationMessagePolicy: "File",
      imagePullPolicy: "IfNotPresent",
    };
    if (this.spec.restartPolicy) s.restartPolicy = this.spec.restartPolicy;
    return s;
  }
}

export interface PodOptions {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  nodeName?: string;
  phase?: string;
  restartPolicy?: "Always" | "OnFailure" | "Never";
  ownerReferences?: OwnerReference[];
  initContainers?: ContainerSpec[];
  containers: ContainerSpec[];
  ephemeralContainers?: ContainerSpec[];
  serviceAccountName?: string;
  hostNetwork?: boolean;
  generateName?: string;
}

interface Condition {
  status: "True" | "False";
  reason?: string;
  message?: string;
  lastTransitionTime: string;
}

let ipCounter = 10;

export class PodModel {
  readonly namespace: string;
  readonly name: string;
  readonly uid = randomUUID();
  labels: Record<string, string>;
  annotations: Record<string, string>;
  nodeName: string;
  readonly createdAt: number;
  deletionAt: number | undefined;
  deletionGraceSeconds: number | undefined;
  phaseOverride: string | undefined;
  /** status.reason and status.message: "Evicted" and the kubelet's why. */
  statusReason: { reason: string; message: string } | undefined;
  readonly restartPolicy: string;
  readonly ownerReferences: OwnerReference[] | undefined;
  readonly containers: ContainerRuntime[] = [];
  readonly podIP: string;
  readonly serviceAccountName: string;
  readonly hostNetwork: boolean;
  readonly generateName: string | undefined;
  private readonly conditionOverrides = new Map<string, Omit<Condition, "lastTransitionTime">>();
  private readonly conditionTimes = new Map<string, { status: string; time: string }>();
  deleted = false;

  constructor(o: PodOptions, now: number) {
    this.namespace = o.namespace;
    this.name = o.name;
    this.labels = { ...o.labels };
    this.annotations = { ...o.annotations };
    this.nodeName = o.nodeName ?? "node-1";
    this.createdAt = now;
    this.phaseOverride = o.phase;
    this.restartPolicy = o.restartPolicy ?? "Always";
    this.ownerReferences = o.ownerReferences;
    this.serviceAccountName = o.serviceAccountName ?? "default";
    this.hostNetwork = o.hostNetwork ?? false;
    this.generateName = o.generateName;
    const n = ipCounter++;
    this.podIP = `10.244.${(n >> 8) & 255}.${n & 255}`;
    const names = new Set<string>();
    const add = (kind: ContainerKind, specs: ContainerSpec[] | undefined) => {
      for (const s of specs ?? []) {
        if (names.has(s.name)) throw new Error(`duplicate container name ${s.name} in pod ${o.name}`);
        names.add(s.name);
        this.containers.push(new ContainerRuntime(kind, s, now));
      }
    };
    add("init", o.initContainers);
    add("regular", o.containers);
    add("ephemeral", o.ephemeralContainers);
  }

  get scheduled(): boolean {
    return this.nodeName !== "";
  }

  ofKind(kind: ContainerKind): ContainerRuntime[] {
    return this.containers.filter((c) => c.kind === kind);
  }

  container(name: string): ContainerRuntime | undefined {
    return this.containers.find((c) => c.name === name);
  }

  mustContainer(name: string): ContainerRuntime {
    const c = this.container(name);
    if (!c) throw new Error(`pod ${this.namespace}/${this.name} has no container ${name}`);
    return c;
  }

  addContainer(kind: ContainerKind, spec: ContainerSpec, now: number): ContainerRuntime {
    if (this.container(spec.name)) throw new Error(`duplicate container name ${spec.name}`);
    const c = new ContainerRuntime(kind, spec, now);
    this.containers.push(c);
    return c;
  }

  setCondition(type: string, status: "True" | "False", reason?: string, message?: string): void {
    this.conditionOverrides.set(type, { status, reason, message });
  }

  phase(): string {
    if (this.phaseOverride) return this.phaseOverride;
    if (!this.scheduled) return "Pending";
    const regular = this.ofKind("regular");
    const inits = this.ofKind("init");
    if (!inits.every((c) => c.initDone)) return "Pending";
    const terminated = regular.filter((c) => "terminated" in c.state);
    if (regular.length > 0 && terminated.length === regular.length) {
      const ok = terminated.every((c) => "terminated" in c.state && c.state.terminated.exitCode === 0);
      if (this.restartPolicy === "Never") return ok ? "Succeeded" : "Failed";
      if (this.restartPolicy === "OnFailure" && ok) return "Succeeded";
      return "Running";
    }
    if (regular.some((c) => c.running || c.restartCount > 0 || "terminated" in c.state)) return "Running";
    return "Pending";
  }

  private conditions(now: number): Record<string, unknown>[] {
    const regular = this.ofKind("regular");
    const notReady = regular.filter((c) => !(c.running && c.ready)).map((c) => c.name);
    const notInit = this.ofKind("init")
      .filter((c) => !c.initDone)
      .map((c) => c.name);
    const phase = this.phase();
    const computed: [string, Omit<Condition, "lastTransitionTime">][] = [];
    if (this.scheduled) {
      computed.push(["PodReadyToStartContainers", { status: "True" }]);
      computed.push([
        "Initialized",
        notInit.length === 0
          ? { status: "True" }
          : {
              status: "False",
              reason: "ContainersNotInitialized",
              message: `containers with incomplete status: [${notInit.join(" ")}]`,
            },
      ]);
      const ready: Omit<Condition, "lastTransitionTime"> =
        phase === "Succeeded" || phase === "Failed"
          ? { status: "False", reason: "PodCompleted" }
          : notReady.length === 0
            ? { status: "True" }
            : {
                status: "False",
                reason: "ContainersNotReady",
                message: `containers with unready status: [${notReady.join(" ")}]`,
              };
      computed.push(["Ready", ready]);
      computed.push(["ContainersReady", ready]);
      computed.push(["PodScheduled", { status: "True" }]);
    } else {
      computed.push([
        "PodScheduled",
        {
          status: "False",
          reason: "Unschedulable",
          message: "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.",
        },
      ]);
    }
    for (const [type, c] of this.conditionOverrides) {
      const i = computed.findIndex(([t]) => t === type);
      if (i >= 0) computed[i] = [type, c];
      else computed.push([type, c]);
    }
    return computed.map(([type, c]) => {
      const seen = this.conditionTimes.get(type);
      let time = seen?.time ?? rfc3339(this.createdAt);
      if (seen && seen.status !== c.status) time = rfc3339(now);
      this.conditionTimes.set(type, { status: c.status, time });
      const out: Record<string, unknown> = {
        type,
        status: c.status,
        lastProbeTime: null,
        lastTransitionTime: time,
      };
      if (c.reason) out.reason = c.reason;
      if (c.message) out.message = c.message;
      return out;
    });
  }

  render(now: number): KubeObject {
    const metadata: KubeObject["metadata"] = {
      name: this.name,
      namespace: this.namespace,
      uid: this.uid,
      creationTimestamp: rfc3339(this.createdAt),
    };
    if (this.generateName) metadata.generateName = this.generateName;
    if (Object.keys(this.labels).length > 0) metadata.labels = { ...this.labels };
    if (Object.keys(this.annotations).length > 0) metadata.annotations = { ...this.annotations };
    if (this.ownerReferences) metadata.ownerReferences = this.ownerReferences.map((r) => ({ ...r }));
    if (this.deletionAt !== undefined) {
      metadata.deletionTimestamp = rfc3339(this.deletionAt);
      metadata.deletionGracePeriodSeconds = this.deletionGraceSeconds ?? 0;
    }
    const spec: Record<string, unknown> = {
      containers: this.ofKind("regular").map((c) => c.specJson()),
      restartPolicy: this.restartPolicy,
      terminationGracePeriodSeconds: 30,
      dnsPolicy: "ClusterFirst",
      serviceAccountName: this.serviceAccountName,
      serviceAccount: this.serviceAccountName,
      securityContext: {},
      schedulerName: "default-scheduler",
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
    };
    if (this.scheduled) spec.nodeName = this.nodeName;
    if (this.hostNetwork) spec.hostNetwork = true;
    const inits = this.ofKind("init");
    if (inits.length > 0) spec.initContainers = inits.map((c) => c.specJson());
    const eph = this.ofKind("ephemeral");
    if (eph.length > 0) spec.ephemeralContainers = eph.map((c) => c.specJson());

    const status: Record<string, unknown> = {
      phase: this.phase(),
      conditions: this.conditions(now),
      qosClass: "BestEffort",
    };
    if (this.statusReason) Object.assign(status, this.statusReason);
    if (this.scheduled) {
      const hostIP = `172.18.0.${2 + (Number(this.nodeName.replace(/\D/g, "")) % 200 || 0)}`;
      Object.assign(status, {
        hostIP,
        hostIPs: [{ ip: hostIP }],
        podIP: this.podIP,
        podIPs: [{ ip: this.podIP }],
        startTime: rfc3339(this.createdAt),
      });
      if (inits.length > 0) status.initContainerStatuses = inits.map((c) => c.status());
      status.containerStatuses = this.ofKind("regular").map((c) => c.status());
      if (eph.length > 0) status.ephemeralContainerStatuses = eph.map((c) => c.status());
    }
    return { kind: "Pod", apiVersion: "v1", metadata, spec, status };
  }
}
