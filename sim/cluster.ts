// The simulated cluster's state: the store, pod models, open log streams and watches.
import { randomUUID } from "node:crypto";
import type { LogStats, LogStream } from "./logbuffer.ts";
import { PodModel, type PodOptions, rfc3339 } from "./pod-model.ts";
import { Store } from "./store.ts";
import type { WatchStream } from "./watch.ts";

export interface StreamFilter {
  namespace?: string;
  pod?: string;
  container?: string;
}

export interface OpenLogStream {
  namespace: string;
  pod: string;
  container: string;
  stream: LogStream;
  /** When the request came (ms since the epoch, wall clock). */
  openedAt: number;
}

export const matchesFilter = (f: StreamFilter | undefined, s: OpenLogStream): boolean =>
  !f ||
  ((f.namespace === undefined || f.namespace === s.namespace) &&
    (f.pod === undefined || f.pod === s.pod) &&
    (f.container === undefined || f.container === s.container));

interface Gate {
  count: number;
  held: LogStream[];
  release: () => void;
}

/** What the kubelet appends to a followed log when the container is gone (docs/reliability.md K3). */
export function kubeletNotFound(containerId: string): string {
  const id = containerId.replace(/^[a-z]+:\/\//, "");
  return `rpc error: code = NotFound desc = an error occurred when try to find container "${id}": not found`;
}

export class Cluster {
  readonly store: Store;
  readonly clock: () => number;
  readonly pods = new Map<string, PodModel>();
  readonly logStreams = new Set<OpenLogStream>();
  readonly watches = new Set<WatchStream>();
  readonly stats: LogStats = { bytesWritten: 0, linesWritten: 0, virtualLinesGenerated: 0, openStreams: 0 };
  /** Grace period of deletions that do not give one (HTTP DELETE without gracePeriodSeconds). */
  defaultGraceMs = 200;
  /**
   * Whether deleting a pod ends its follow streams with the kubelet's NotFound text in the body (K3),
   * when the deletion does not say; a real kubelet did in 2 of 3 runs.
   */
  kubeletErrorOnDelete = false;
  /**
   * How long after a second or later crash `previous=true` answers with the kubelet's "unable to
   * retrieve container logs" text instead of the log (K4); 0: never.
   */
  previousGapMs = 0;
  /** The PodLogsQuerySplitStreams feature gate: whether the log endpoint takes `stream` (KEP-3288). */
  splitStreams = false;
  /** What /version says. */
  gitVersion = "v1.32.4-sim";
  private gate: Gate | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(clock: () => number, watchHistoryLimit: number) {
    this.clock = clock;
    this.store = new Store(watchHistoryLimit);
  }

  now(): number {
    return this.clock();
  }

  addNamespace(name: string): void {
    if (this.store.get("namespaces", undefined, name)) return;
    this.store.put("namespaces", {
      kind: "Namespace",
      apiVersion: "v1",
      metadata: {
        name,
        uid: randomUUID(),
        creationTimestamp: rfc3339(this.now()),
        labels: { "kubernetes.io/metadata.name": name },
      },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
  }

  private ensureNode(name: string): void {
    if (!name || this.store.get("nodes", undefined, name)) return;
    this.putNode(name, {});
  }

  /**
   * Creates or changes a Node (MODIFIED): `labels` beside the ones its kubelet sets (hostname, os,
   * arch), which it keeps; `ready` is its Ready condition (default true).
   */
  putNode(name: string, o: { labels?: Record<string, string>; ready?: boolean }): void {
    const before = this.store.get("nodes", undefined, name);
    const n = Number(name.replace(/\D/g, "")) % 200 || 0;
    const ready = o.ready ?? true;
    this.store.put("nodes", {
      kind: "Node",
      apiVersion: "v1",
      metadata: {
        name,
        uid: before?.metadata.uid ?? randomUUID(),
        creationTimestamp: before?.metadata.creationTimestamp ?? rfc3339(this.now()),
        labels: {
          ...o.labels,
          "kubernetes.io/arch": "amd64",
          "kubernetes.io/hostname": name,
          "kubernetes.io/os": "linux",
        },
      },
      spec: {},
      status: {
        conditions: [
          ready
            ? { type: "Ready", status: "True", reason: "KubeletReady" }
            : { type: "Ready", status: "Unknown", reason: "NodeStatusUnknown" },
        ],
        // The same address pods on it report as their hostIP.
        addresses: [
          { type: "InternalIP", address: `172.18.0.${2 + n}` },
          { type: "Hostname", address: name },
        ],
        nodeInfo: {
          kubeletVersion: this.gitVersion.replace(/-sim$/, ""),
          osImage: "Debian GNU/Linux 12 (bookworm)",
          kernelVersion: "6.8.0-1015-gcp",
          containerRuntimeVersion: "containerd://1.7.24",
          operatingSystem: "linux",
          architecture: "amd64",
        },
      },
    });
  }

  podKey(namespace: string, name: string): string {
    return `${namespace}/${name}`;
  }

  pod(namespace: string, name: string): PodModel | undefined {
    return this.pods.get(this.podKey(namespace, name));
  }

  addPod(o: PodOptions): PodModel {
    const key = this.podKey(o.namespace, o.name);
    if (this.pods.has(key)) throw new Error(`pod ${key} already exists`);
    this.addNamespace(o.namespace);
    const model = new PodModel(o, this.now());
    this.ensureNode(model.nodeName);
    this.pods.set(key, model);
    this.commit(model);
    return model;
  }

  /** Publishes the model's current state: a new resourceVersion and a watch event. */
  commit(model: PodModel): void {
    if (model.deleted) return;
    this.store.put("pods", model.render(this.now()));
  }

  /**
   * Graceful deletion: MODIFIED with deletionTimestamp, then the containers stop (their follow streams
   * end), then DELETED once the grace period is over.
   */
  deletePod(
    namespace: string,
    name: string,
    graceMs = this.defaultGraceMs,
    kubeletError = this.kubeletErrorOnDelete,
  ): Promise<void> {
    const model = this.pod(namespace, name);
    if (!model || model.deleted) return Promise.resolve();
    if (model.deletionAt !== undefined) return new Promise((r) => this.later(graceMs, r));
    const now = this.now();
    model.deletionAt = now + graceMs;
    model.deletionGraceSeconds = Math.ceil(graceMs / 1000);
    const stopAll = () => {
      for (const c of model.containers) {
        // K3: the kubelet's reader fails on the removed container and says so in the body.
        if (kubeletError && c.current?.running) c.current.stop(kubeletNotFound(c.current.containerId));
        c.terminate(this.now(), 0, "Completed");
      }
    };
    const remove = () => {
      stopAll();
      model.deleted = true;
      this.pods.delete(this.podKey(namespace, name));
      this.store.delete("pods", namespace, name);
    };
    if (graceMs <= 0) {
      stopAll();
      this.commit(model);
      remove();
      return Promise.resolve();
    }
    this.commit(model);
    return new Promise((resolve) => {
      this.later(graceMs / 2, () => {
        if (model.deleted) return;
        stopAll();
        this.commit(model);
      });
      this.later(graceMs, () => {
        if (!model.deleted) remove();
        resolve();
      });
    });
  }

  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  registerLogStream(s: OpenLogStream): boolean {
    this.logStreams.add(s);
    const g = this.gate;
    if (!g) return false;
    g.held.push(s.stream);
    if (g.held.length >= g.count) queueMicrotask(() => this.releaseGate());
    return true;
  }

  /** Holds log bodies until `count` log requests are open, then releases them together. */
  setGate(count: number): Promise<void> {
    return new Promise((resolve) => {
      this.gate = { count, held: [], release: resolve };
    });
  }

  get gated(): boolean {
    return this.gate !== undefined;
  }

  releaseGate(): void {
    const g = this.gate;
    if (!g) return;
    this.gate = undefined;
    for (const s of g.held) s.release();
    g.release();
  }

  stopTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
