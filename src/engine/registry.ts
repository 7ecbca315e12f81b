// The one registry of pods and container instances. Pod events come in (from the list and the watch);
// decisions come out: which instances to start following, which pods' streams to stop, and when.
// Every "follow this container?" and "has this instance ended?" question is answered here, from the
// newest state of the pod; nothing else keeps pod state. Pure: no I/O, no timers (a grace period is a
// decision with a delay, carried out by the engine's clock).
import type { InstanceEnd, Waiting } from "../shared/endings.ts";
import type { ContainerStatus, Pod } from "../shared/pod.ts";
import type { ContainerKind, Target } from "../shared/target.ts";
import { conditionMatches, type PodCondition } from "./condition.ts";
import { instanceEnd, waitingOf } from "./endings.ts";
import { ownersOf } from "./events.ts";
import {
  containerMatches,
  logContainerID,
  podMatches,
  stateName,
  statusesOf,
  type TargetFilter,
} from "./targets.ts";

/** What the registry knows about an instance now. */
export type InstanceState = "running" | "stopped" | "gone";

/** Why streams are to stop. */
export type StopReason = "deleted" | "condition" | "unselected";

export type Decision =
  /** Follow this instance; `after` is the key's previous instance, whose stream should end first. */
  | { type: "start"; target: Target; after: Target | undefined }
  /** Stop the streams of this pod, after `delayMs` (a deleted pod's streams may still drain). */
  | { type: "stop"; podUID: string; reason: StopReason; delayMs: number }
  /** The pod changed: its running streams should look at their instance's state again. */
  | { type: "changed"; podUID: string }
  /** A followed container waits for a reason worth telling (said once per reason, until it runs). */
  | { type: "waiting"; target: Target; waiting: Waiting };

/** How long a deleted pod's streams may still run to deliver their last lines. */
export const DELETED_POD_GRACE_MS = 5000;

/** How many deleted pods' names are kept for their last events. */
const REMEMBERED_REMOVED_PODS = 1000;

interface Known {
  pod: Pod;
  /** Which list/watch reported it (one per namespace scope): a relist forgets only its own. */
  scope: number;
}

export class ContainerRegistry {
  private readonly filter: TargetFilter;
  private readonly condition: PodCondition | undefined;
  /** Newest state of every pod, by namespace/name. */
  private readonly pods = new Map<string, Known>();
  /** namespace/pod -> container -> the container ID last seen for it ("" while it has none). */
  private readonly seen = new PerPod<string>();
  /** namespace/pod/container -> the newest instance started for it. */
  private readonly newest = new Map<string, Target>();
  /** How each instance ended, once a pod's status said so. */
  private readonly ends = new WeakMap<Target, InstanceEnd>();
  /** Followed pods deleted lately (namespace/name): their last events still belong to the run. */
  private readonly removed = new Set<string>();
  /** namespace/pod -> container -> the waiting reason last reported for it. */
  private readonly waitingSaid = new PerPod<string>();

  constructor(filter: TargetFilter, condition?: PodCondition) {
    this.filter = filter;
    this.condition = condition;
  }

  /** A pod was added or changed. */
  upsert(pod: Pod, scope = 0): Decision[] {
    const key = podKey(pod);
    const uid = pod.metadata.uid ?? "";
    const before = this.pods.get(key);
    this.pods.set(key, { pod, scope });
    const out: Decision[] = [];
    if (before && before.pod.metadata.uid !== uid) {
      // The same name, another pod (a StatefulSet's replacement): the old one is gone.
      this.forget(before.pod);
      out.push({
        type: "stop",
        podUID: before.pod.metadata.uid ?? "",
        reason: "deleted",
        delayMs: DELETED_POD_GRACE_MS,
      });
    }
    if (this.condition && !conditionMatches(this.condition, pod)) {
      // It does not match (any more): end its streams, and start afresh should it match again.
      this.forget(pod);
      out.push({ type: "stop", podUID: uid, reason: "condition", delayMs: 0 });
      return out;
    }
    out.push({ type: "changed", podUID: uid });
    this.noteStatuses(pod, out);
    for (const target of this.newInstances(pod)) {
      const after = this.newest.get(target.key);
      this.newest.set(target.key, target);
      // An instance first seen after it ended (--no-follow, a relist): how it ended is known now.
      const cs = statusesOf(pod).find(([s]) => s.name === target.container)?.[0];
      if (cs) this.noteEnd(target, pod, cs);
      out.push({ type: "start", target, after });
    }
    return out;
  }

  /** A pod was deleted. */
  remove(pod: Pod): Decision[] {
    const key = podKey(pod);
    const known = this.pods.get(key);
    if (known && known.pod.metadata.uid !== pod.metadata.uid) return [];
    this.pods.delete(key);
    this.forget(pod);
    if (podMatches(this.filter, pod.metadata.name)) {
      this.removed.add(key);
      if (this.removed.size > REMEMBERED_REMOVED_PODS)
        this.removed.delete(this.removed.values().next().value ?? "");
    }
    // Its containers have stopped and its streams end on their own; the ones that do not are cut.
    return [
      { type: "stop", podUID: pod.metadata.uid ?? "", reason: "deleted", delayMs: DELETED_POD_GRACE_MS },
    ];
  }

  /** A pod the run no longer selects (relabelled for --ignore, its node no longer matching): its streams end now. */
  drop(pod: Pod): Decision[] {
    const key = podKey(pod);
    if (this.pods.get(key)?.pod.metadata.uid !== pod.metadata.uid) return [];
    this.pods.delete(key);
    this.forget(pod);
    return [{ type: "stop", podUID: pod.metadata.uid ?? "", reason: "unselected", delayMs: 0 }];
  }

  /** A full list of one scope: what it holds is upserted, what it lacks was deleted meanwhile. */
  resync(pods: Pod[], scope = 0): Decision[] {
    const out: Decision[] = [];
    const present = new Set<string>();
    for (const pod of pods) {
      present.add(podKey(pod));
      out.push(...this.upsert(pod, scope));
    }
    for (const [key, known] of [...this.pods]) {
      if (known.scope === scope && !present.has(key)) out.push(...this.remove(known.pod));
    }
    return out;
  }

  /** Whether this pod (this one, not another of its name) is known. */
  knows(pod: Pod): boolean {
    return this.pods.get(podKey(pod))?.pod.metadata.uid === pod.metadata.uid;
  }

  /** The instance's state in the newest pod: running, stopped (its log is complete), or gone. */
  state(target: Target): InstanceState {
    const known = this.pods.get(`${target.namespace}/${target.podName}`);
    if (!known || known.pod.metadata.uid !== target.podUID) return "gone";
    const cs = statusesOf(known.pod).find(([s]) => s.name === target.container)?.[0];
    if (!cs) return "gone";
    if (cs.state?.running && cs.containerID === target.containerID) return "running";
    return logContainerID(cs) === target.containerID ? "stopped" : "gone";
  }

  /**
   * Whether events about this object belong to the run (--events): a followed pod (or one deleted
   * lately), or an owner of a followed pod (its ReplicaSet, Deployment, Job, StatefulSet...).
   */
  followsObject(namespace: string, kind: string, name: string): boolean {
    const key = `${namespace}/${name}`;
    if (kind === "Pod") return (this.pods.has(key) && podMatches(this.filter, name)) || this.removed.has(key);
    const owner = `${kind}/${name}`;
    for (const { pod } of this.pods.values()) {
      if ((pod.metadata.namespace ?? "") !== namespace || !podMatches(this.filter, pod.metadata.name))
        continue;
      if (ownersOf(pod).includes(owner)) return true;
    }
    return false;
  }

  /** How the instance ended, when a pod status has said so (before or after its stream ended). */
  ended(target: Target): InstanceEnd | undefined {
    return this.ends.get(target);
  }

  /** Records how followed instances ended, and decides which waiting reasons to report. */
  private noteStatuses(pod: Pod, out: Decision[]): void {
    if (!podMatches(this.filter, pod.metadata.name)) return;
    const namespace = pod.metadata.namespace ?? "";
    const pk = podKey(pod);
    for (const [cs, kind] of statusesOf(pod)) {
      if (!this.follows(kind, cs.name)) continue;
      const key = `${namespace}/${pod.metadata.name}/${cs.name}`;
      const newest = this.newest.get(key);
      if (newest && newest.podUID === pod.metadata.uid) this.noteEnd(newest, pod, cs);
      const waiting = waitingOf(cs);
      if (!waiting) {
        if (cs.state?.running) this.waitingSaid.delete(pk, cs.name);
        continue;
      }
      if (this.waitingSaid.get(pk, cs.name) === waiting.reason) continue;
      this.waitingSaid.set(pk, cs.name, waiting.reason);
      out.push({
        type: "waiting",
        target: {
          key,
          namespace,
          podName: pod.metadata.name,
          podUID: pod.metadata.uid ?? "",
          container: cs.name,
          kind,
          containerID: "",
          pod,
        },
        waiting,
      });
    }
  }

  private noteEnd(target: Target, pod: Pod, cs: ContainerStatus): void {
    const end = instanceEnd(pod, cs, target.containerID);
    if (end) this.ends.set(target, end);
  }

  private follows(kind: ContainerKind, name: string): boolean {
    const f = this.filter;
    if (kind === "init" && !f.initContainers) return false;
    if (kind === "ephemeral" && !f.ephemeralContainers) return false;
    return containerMatches(f, name);
  }

  /** The instances to start following: first seen in an allowed state, and every new instance. */
  private newInstances(pod: Pod): Target[] {
    const f = this.filter;
    const podName = pod.metadata.name;
    if (!podMatches(f, podName)) return [];
    const namespace = pod.metadata.namespace ?? "";
    const pk = podKey(pod);
    const found: Target[] = [];
    for (const [cs, kind] of statusesOf(pod)) {
      if (!this.follows(kind, cs.name)) continue;
      const key = `${namespace}/${podName}/${cs.name}`;
      const id = logContainerID(cs);
      const last = this.seen.get(pk, cs.name);
      this.seen.set(pk, cs.name, id);
      if (id === "" || id === last) continue;
      if (last === undefined && f.containerStates.length > 0) {
        // Only containers that existed before we looked are filtered by state: a new one may pass
        // through "running" too fast to be seen in it.
        const state = stateName(cs.state);
        if (state === undefined || !f.containerStates.includes(state)) continue;
      }
      found.push({
        key,
        namespace,
        podName,
        podUID: pod.metadata.uid ?? "",
        container: cs.name,
        kind,
        containerID: id,
        pod,
      });
    }
    return found;
  }

  /** Forgets a pod's containers, so that a new pod of the same name starts afresh. */
  private forget(pod: Pod): void {
    this.seen.forget(podKey(pod));
    this.waitingSaid.forget(podKey(pod));
  }
}

/** Values per container, kept by pod: a pod's are forgotten at once, not found by a scan of all. */
class PerPod<V> {
  private readonly pods = new Map<string, Map<string, V>>();

  get(pod: string, container: string): V | undefined {
    return this.pods.get(pod)?.get(container);
  }

  set(pod: string, container: string, v: V): void {
    const m = this.pods.get(pod);
    if (m) m.set(container, v);
    else this.pods.set(pod, new Map([[container, v]]));
  }

  delete(pod: string, container: string): void {
    const m = this.pods.get(pod);
    if (!m) return;
    m.delete(container);
    if (m.size === 0) this.pods.delete(pod);
  }

  forget(pod: string): void {
    this.pods.delete(pod);
  }
}

function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ""}/${pod.metadata.name}`;
}
