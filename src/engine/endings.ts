// Why a container instance ended and what a container waits for, read from a pod's status (core/v1
// ContainerStatus: state, lastState, restartCount; an evicted pod's status.reason). Pure, and no words:
// those are the output side's (format/ending-text.ts).
import type { InstanceEnd, Waiting } from "../shared/endings.ts";
import type { ContainerStatus, Pod } from "../shared/pod.ts";

/** Waiting reasons of every start: not news, so not reported. */
const ROUTINE_WAITING = new Set(["ContainerCreating", "PodInitializing"]);

/** How the instance with this container ID ended, when the status says it has. */
export function instanceEnd(pod: Pod, cs: ContainerStatus, containerID: string): InstanceEnd | undefined {
  const t =
    cs.state?.terminated?.containerID === containerID
      ? cs.state.terminated
      : cs.lastState?.terminated?.containerID === containerID
        ? cs.lastState.terminated
        : undefined;
  const evicted = pod.status?.reason === "Evicted" ? (pod.status.message ?? "") : undefined;
  if (!t && evicted === undefined) return undefined;
  return {
    exitCode: t?.exitCode,
    signal: t?.signal || undefined,
    reason: t?.reason || undefined,
    message: t?.message?.trim() || undefined,
    restartCount: cs.restartCount ?? 0,
    evicted,
  };
}

/** What the container waits for, unless it is the routine wait of a start. */
export function waitingOf(cs: ContainerStatus): Waiting | undefined {
  const w = cs.state?.waiting;
  if (!w?.reason || ROUTINE_WAITING.has(w.reason)) return undefined;
  return { reason: w.reason, message: w.message?.trim() || undefined, image: cs.image || undefined };
}
