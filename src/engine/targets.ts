// Which containers to follow. A target is (namespace, pod, container); each instance of it is known
// by its container ID, so a restart (new ID) is followed again while repeats of one pod update are not.
import type { ContainerState, ContainerStatus, Pod } from "../kube/types.ts";

export type ContainerStateName = "running" | "waiting" | "terminated";
export type ContainerKind = "init" | "regular" | "ephemeral";

/** A compiled pod or container name pattern (a Go regexp: src/util/goregex.ts). */
export interface NameMatcher {
  readonly source: string;
  test(name: string): boolean;
}

export interface TargetFilter {
  podQuery: NameMatcher;
  excludePod: NameMatcher[];
  container: NameMatcher;
  excludeContainer: NameMatcher[];
  initContainers: boolean;
  ephemeralContainers: boolean;
  /** States a container must be in when first seen; empty = all. */
  containerStates: ContainerStateName[];
}

export interface Target {
  /** namespace/pod/container */
  key: string;
  namespace: string;
  podName: string;
  podUID: string;
  container: string;
  kind: ContainerKind;
  containerID: string;
  pod: Pod;
}

/** The container instance whose log the kubelet serves, as its validateContainerLogStatus picks it. */
export function logContainerID(cs: ContainerStatus): string {
  const state = cs.state ?? {};
  if (state.running) return cs.containerID ?? "";
  if (state.terminated) return state.terminated.containerID || cs.lastState?.terminated?.containerID || "";
  return cs.lastState?.terminated?.containerID ?? "";
}

export function stateName(state: ContainerState | undefined): ContainerStateName | undefined {
  if (state?.running) return "running";
  if (state?.terminated) return "terminated";
  if (state?.waiting) return "waiting";
  return undefined;
}

export function podMatches(filter: TargetFilter, podName: string): boolean {
  return filter.podQuery.test(podName) && !filter.excludePod.some((re) => re.test(podName));
}

export function containerMatches(filter: TargetFilter, name: string): boolean {
  return filter.container.test(name) && !filter.excludeContainer.some((re) => re.test(name));
}

/** Statuses in the order stern visits them: init, regular, ephemeral. */
function statusesOf(pod: Pod, filter: TargetFilter): [ContainerStatus, ContainerKind][] {
  const out: [ContainerStatus, ContainerKind][] = [];
  if (filter.initContainers) for (const s of pod.status?.initContainerStatuses ?? []) out.push([s, "init"]);
  for (const s of pod.status?.containerStatuses ?? []) out.push([s, "regular"]);
  if (filter.ephemeralContainers) {
    for (const s of pod.status?.ephemeralContainerStatuses ?? []) out.push([s, "ephemeral"]);
  }
  return out;
}

export class TargetTracker {
  private readonly filter: TargetFilter;
  /** key -> last container ID seen for it ("" while it has none). */
  private readonly seen = new Map<string, string>();

  constructor(filter: TargetFilter) {
    this.filter = filter;
  }

  /**
   * Takes the newest state of a pod and returns the container instances to start following: those
   * seen for the first time in an allowed state, and every new instance of a known one.
   */
  observe(pod: Pod): Target[] {
    const f = this.filter;
    const podName = pod.metadata.name;
    if (!podMatches(f, podName)) return [];
    const namespace = pod.metadata.namespace ?? "";
    const found: Target[] = [];
    for (const [cs, kind] of statusesOf(pod, f)) {
      if (!containerMatches(f, cs.name)) continue;
      const key = `${namespace}/${podName}/${cs.name}`;
      const id = logContainerID(cs);
      const last = this.seen.get(key);
      this.seen.set(key, id);
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

  /** Forgets a deleted pod, so that a new pod of the same name starts afresh. */
  forget(pod: Pod): void {
    const prefix = `${pod.metadata.namespace ?? ""}/${pod.metadata.name}/`;
    for (const key of this.seen.keys()) if (key.startsWith(prefix)) this.seen.delete(key);
  }
}
