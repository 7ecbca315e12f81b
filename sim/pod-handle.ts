// The scripting handle for one pod: logs, container lifecycle, status changes.
import type { Cluster } from "./cluster.ts";
import { recordEvent } from "./events.ts";
import { type FixedLines, toLogTime } from "./logbuffer.ts";
import type { ContainerSpec, PodModel } from "./pod-model.ts";
import type { KubeObject } from "./store.ts";

export interface EmitOptions {
  lines: number;
  /** Lines per second (default 10). */
  rate?: number;
  make?: (i: number) => string;
}

export interface EmitHandle {
  stop(): void;
  /** Resolves once every line was produced (or stop() was called). */
  done: Promise<void>;
  readonly emitted: number;
}

export interface FastOptions {
  lines: number;
  /** Approximate bytes per line, newline excluded (default 100). */
  lineBytes?: number;
  make?: (i: number) => string;
  /** Terminate the container once the first reader has read every line (default false). */
  terminateAfter?: boolean;
  /** Bytes per write at most (1 = a line per write; default 64 KB). */
  frameBytes?: number;
}

export interface TerminateOptions {
  exitCode?: number;
  /** Completed (exit 0), Error (otherwise) by default; OOMKilled (exit 137), ContainerCannotRun, ... */
  reason?: string;
  /** The termination message (from terminationMessagePath). */
  message?: string;
}

export interface WaitOptions {
  /** The kubelet's message; CrashLoopBackOff, ImagePullBackOff and ErrImagePull get the real one by default. */
  message?: string;
  /** How a running instance ends first (default exit 1, Error). */
  exitCode?: number;
  endReason?: string;
  /** CrashLoopBackOff's back-off, as the kubelet doubles it (default "10s"). */
  backOff?: string;
}

const pad = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(8);

export function fastLine(bytes: number): (i: number) => string {
  return (i) => {
    const head = `line ${String(i).padStart(9, "0")} `;
    return head + pad.slice(0, Math.max(0, bytes - head.length));
  };
}

/** fastLine's lines as bytes: a copy of one line with its number written over. */
function fastLineBytes(bytes: number): FixedLines {
  const template = Buffer.from(fastLine(bytes)(0));
  return {
    length: template.length,
    write(buf, at, i) {
      template.copy(buf, at);
      for (let d = at + 13; d >= at + 5; d--, i = Math.floor(i / 10)) buf[d] = 48 + (i % 10);
    },
  };
}

export class PodHandle {
  readonly model: PodModel;
  private readonly cluster: Cluster;
  private readonly emitters: Set<EmitHandle>;

  constructor(model: PodModel, cluster: Cluster, emitters: Set<EmitHandle>) {
    this.model = model;
    this.cluster = cluster;
    this.emitters = emitters;
  }

  get name(): string {
    return this.model.name;
  }

  get namespace(): string {
    return this.model.namespace;
  }

  get uid(): string {
    return this.model.uid;
  }

  get deleted(): boolean {
    return this.model.deleted;
  }

  /** The pod as the API serves it now. */
  get json(): KubeObject | undefined {
    return this.cluster.store.get("pods", this.namespace, this.name);
  }

  /** The current instance's container ID (`containerd://…`), if it ever started. */
  containerId(container: string): string | undefined {
    return this.model.mustContainer(container).current?.containerId;
  }

  private instance(container: string) {
    const c = this.model.mustContainer(container);
    if (!c.current) throw new Error(`container ${container} of pod ${this.name} has not started`);
    return c.current;
  }

  /** Appends lines to the current instance, stamped with the clock. */
  log(container: string, ...lines: string[]): this {
    const inst = this.instance(container);
    for (const l of lines) inst.append(toLogTime(this.cluster.now()), l);
    return this;
  }

  /** Appends lines to the current instance's stderr (what stream=Stderr reads), stamped with the clock. */
  logStderr(container: string, ...lines: string[]): this {
    const inst = this.instance(container);
    for (const l of lines) inst.append(toLogTime(this.cluster.now()), l, "stderr");
    return this;
  }

  /** Appends lines with an explicit time: ms since the epoch, or RFC 3339 with up to 9 fractional digits. */
  logAt(container: string, time: number | string, ...lines: string[]): this {
    const inst = this.instance(container);
    const at = toLogTime(time);
    for (const l of lines) inst.append(at, l);
    return this;
  }

  /** Produces lines over time into whatever instance is running (lines are lost while none is). */
  emit(container: string, o: EmitOptions): EmitHandle {
    const c = this.model.mustContainer(container);
    const rate = o.rate ?? 10;
    const make = o.make ?? ((i: number) => `line ${i + 1}`);
    let emitted = 0;
    let timer: NodeJS.Timeout | undefined;
    let finish: () => void = () => {};
    const done = new Promise<void>((r) => {
      finish = r;
    });
    const started = Date.now();
    const handle: EmitHandle = {
      stop: () => {
        if (timer) clearInterval(timer);
        timer = undefined;
        this.emitters.delete(handle);
        finish();
      },
      done,
      get emitted() {
        return emitted;
      },
    };
    const tick = () => {
      const due = Math.min(o.lines, Math.floor(((Date.now() - started) / 1000) * rate) + 1);
      while (emitted < due) {
        const inst = c.current;
        if (inst?.running && !this.model.deleted) inst.append(toLogTime(this.cluster.now()), make(emitted));
        emitted++;
      }
      if (emitted >= o.lines) handle.stop();
    };
    this.emitters.add(handle);
    timer = setInterval(tick, Math.max(5, Math.min(250, 1000 / rate)));
    tick();
    return handle;
  }

  /**
   * Benchmark mode: the current instance gets `lines` lines that are generated per reader as fast
   * as it reads them (nothing is stored), before any line written with log().
   */
  emitFast(container: string, o: FastOptions): this {
    const inst = this.instance(container);
    inst.virtual = {
      count: o.lines,
      t: this.cluster.now(),
      make: o.make ?? fastLine(o.lineBytes ?? 100),
      fixed: o.make ? undefined : fastLineBytes(o.lineBytes ?? 100),
      onRead: o.terminateAfter ? () => this.terminate(container) : undefined,
      ...(o.frameBytes !== undefined ? { frameBytes: o.frameBytes } : {}),
    };
    return this;
  }

  /**
   * Log rotation as the kubelet does it: the current instance's lines so far move to a rotated file
   * that no request serves again (a resume with sinceTime gets only the new file's lines). Open follow
   * streams read the old file to its end, then, as the kubelet was seen doing (docs/reliability.md K2):
   * - `"end"`: end (kubelets before 1.29, and still seen after);
   * - `"continue"`: go on into the new file (1.29+, and what most rotations look like);
   * - `"stall"`: stay open and healthy and deliver nothing more, while the container writes on (the
   *   reader was left on the renamed file); they end only when the instance stops;
   * - `"skip"`: stall until the next rotation, then go on from the start of the file current then,
   *   silently skipping the file between;
   * - `"pause"`: stall for `pauseMs` (default 10 s, the kubelet's rotation period), then go on with no gap.
   * Returns the streams affected.
   */
  rotateLog(
    container: string,
    o: { streams: "end" | "continue" | "stall" | "skip" | "pause"; pauseMs?: number },
  ): number {
    const inst = this.instance(container);
    const at = inst.rotate();
    if (o.streams === "continue") return 0;
    let hit = 0;
    for (const s of this.cluster.logStreams) {
      if (s.stream.instance !== inst || s.stream.finished) continue;
      if (o.streams === "end") s.stream.endAt(at);
      else
        s.stream.stallAt(
          at,
          o.streams === "pause" ? (o.pauseMs ?? 10_000) : o.streams === "skip" ? "skip" : "never",
        );
      hit++;
    }
    return hit;
  }

  /** waiting -> running: a new instance with a new container ID (MODIFIED). */
  start(container: string): this {
    this.model.mustContainer(container).start(this.cluster.now());
    return this.commit();
  }

  /** running -> terminated; follow streams of that instance end after draining (MODIFIED). */
  terminate(container: string, o: TerminateOptions = {}): this {
    this.model.mustContainer(container).terminate(this.cluster.now(), o.exitCode ?? 0, o.reason, o.message);
    return this.commit();
  }

  /** A new running instance: new container ID, restartCount+1, lastState.terminated (MODIFIED). */
  restart(container: string, o: TerminateOptions = {}): this {
    this.model.mustContainer(container).start(this.cluster.now(), o.exitCode ?? 1, o.reason);
    return this.commit();
  }

  /**
   * Waiting with a reason, e.g. CrashLoopBackOff; a running instance terminates first (MODIFIED). The
   * kubelet's events come with it: BackOff for CrashLoopBackOff, Failed and BackOff for image pulls.
   */
  wait(container: string, reason = "CrashLoopBackOff", o: WaitOptions = {}): this {
    const c = this.model.mustContainer(container);
    const image = c.image;
    const pod = `${this.name}_${this.namespace}(${this.uid})`;
    const message =
      o.message ??
      (reason === "CrashLoopBackOff"
        ? `back-off ${o.backOff ?? "10s"} restarting failed container=${container} pod=${pod}`
        : reason === "ImagePullBackOff"
          ? `Back-off pulling image "${image}"`
          : reason === "ErrImagePull"
            ? `failed to pull and unpack image "${image}": not found`
            : undefined);
    c.wait(this.cluster.now(), reason, message, { exitCode: o.exitCode, reason: o.endReason });
    this.commit();
    const fieldPath = `spec.${c.kind === "init" ? "initContainers" : "containers"}{${container}}`;
    if (reason === "CrashLoopBackOff") {
      this.event("Warning", "BackOff", `Back-off restarting failed container ${container} in pod ${pod}`, {
        fieldPath,
      });
    } else if (reason === "ImagePullBackOff" || reason === "ErrImagePull") {
      this.event("Warning", "Failed", `Failed to pull image "${image}": ${message ?? reason}`, { fieldPath });
      this.event("Normal", "BackOff", `Back-off pulling image "${image}"`, { fieldPath });
    } else if (message !== undefined) {
      this.event("Warning", "Failed", `Error: ${message}`, { fieldPath });
    }
    return this;
  }

  /**
   * Eviction as the kubelet does it: every container killed (exit 137), phase Failed, status.reason
   * Evicted with the message, and a Warning Evicted event.
   */
  evict(message = "The node was low on resource: memory."): this {
    const now = this.cluster.now();
    for (const c of this.model.containers) c.terminate(now, 137, "Error");
    this.model.phaseOverride = "Failed";
    this.model.statusReason = { reason: "Evicted", message };
    this.commit();
    this.event("Warning", "Evicted", message);
    return this;
  }

  /** Records an event about this pod (core/v1 and events.k8s.io/v1); a repeat raises its count. */
  event(
    type: "Normal" | "Warning",
    reason: string,
    message: string,
    o: { fieldPath?: string; at?: number } = {},
  ): this {
    recordEvent(this.cluster, {
      involvedObject: {
        kind: "Pod",
        apiVersion: "v1",
        name: this.name,
        namespace: this.namespace,
        uid: this.uid,
        ...(o.fieldPath ? { fieldPath: o.fieldPath } : {}),
      },
      type,
      reason,
      message,
      source: { component: "kubelet", host: this.model.nodeName },
      ...(o.at !== undefined ? { at: o.at } : {}),
    });
    return this;
  }

  setReady(container: string, ready: boolean): this {
    this.model.mustContainer(container).ready = ready;
    return this.commit();
  }

  /** Overrides the computed phase (undefined: computed again from the containers). */
  setPhase(phase: string | undefined): this {
    this.model.phaseOverride = phase;
    return this.commit();
  }

  setCondition(type: string, status: "True" | "False", reason?: string, message?: string): this {
    this.model.setCondition(type, status, reason, message);
    return this.commit();
  }

  setLabels(labels: Record<string, string>): this {
    this.model.labels = { ...labels };
    return this.commit();
  }

  setAnnotations(annotations: Record<string, string>): this {
    this.model.annotations = { ...annotations };
    return this.commit();
  }

  /** Adds a running ephemeral container (as `kubectl debug` does) (MODIFIED). */
  addEphemeralContainer(spec: ContainerSpec): this {
    this.model.addContainer("ephemeral", spec, this.cluster.now());
    return this.commit();
  }

  /** `kubeletError`: the followed streams end with the kubelet's NotFound text (K3); see Cluster. */
  delete(o: { graceMs?: number; kubeletError?: boolean } = {}): Promise<void> {
    return this.cluster.deletePod(this.namespace, this.name, o.graceMs, o.kubeletError);
  }

  private commit(): this {
    this.cluster.commit(this.model);
    return this;
  }
}
