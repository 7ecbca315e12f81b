// The pure rules the registry decides targets with (a Target itself is in shared/target.ts): a target is
// (namespace, pod, container); each instance of it is known by its container ID, so a restart (new ID)
// is followed again while repeats of one pod update are not.
import type { ContainerState, ContainerStatus, Pod } from "../shared/pod.ts";
import type { ContainerKind, Target } from "../shared/target.ts";

export type ContainerStateName = "running" | "waiting" | "terminated";

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
export function statusesOf(pod: Pod): [ContainerStatus, ContainerKind][] {
  const out: [ContainerStatus, ContainerKind][] = [];
  for (const s of pod.status?.initContainerStatuses ?? []) out.push([s, "init"]);
  for (const s of pod.status?.containerStatuses ?? []) out.push([s, "regular"]);
  for (const s of pod.status?.ephemeralContainerStatuses ?? []) out.push([s, "ephemeral"]);
  return out;
}

/** The instance before the target's, when its container has restarted (from lastState). */
export function previousInstance(target: Target): Target | undefined {
  const cs = statusesOf(target.pod).find(([s]) => s.name === target.container)?.[0];
  const id = cs?.lastState?.terminated?.containerID;
  if (!id) return undefined;
  return { ...target, containerID: id, previous: true };
}

/**
 * The instances whose logs a new target means reading, in order: with --previous, the instance before
 * the first one seen of a restarted container (only those without follow), then the target itself.
 * `after`: the key's instance before this one, when the run has seen one.
 */
export function instancesToRead(
  target: Target,
  after: Target | undefined,
  o: { previous?: boolean | undefined; follow: boolean },
): Target[] {
  const before = o.previous && !after ? previousInstance(target) : undefined;
  if (o.previous && !o.follow && !before) return [];
  // A container waiting to restart serves its last instance as its log: read once, as the previous.
  const same = before?.containerID === target.containerID;
  const current = !before || (o.follow && !same) ? target : undefined;
  return [before, current].filter((t): t is Target => t !== undefined);
}
