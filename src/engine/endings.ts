// Why a container instance ended and what a container waits for, read from a pod's status (core/v1
// ContainerStatus: state, lastState, restartCount; an evicted pod's status.reason). Pure.
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

/** Whether an end is a failure (shown in red): a non-zero exit, a kill, an eviction. */
export function endFailed(end: InstanceEnd): boolean {
  return (
    end.evicted !== undefined ||
    (end.exitCode !== undefined && end.exitCode !== 0) ||
    (end.reason !== undefined && end.reason !== "Completed")
  );
}

/** "exit 137, OOMKilled, restart 3"; "evicted: The node was low on resource: memory." */
export function describeEnd(end: InstanceEnd): string {
  const parts: string[] = [];
  if (end.exitCode !== undefined) parts.push(`exit ${end.exitCode}`);
  if (end.signal !== undefined) parts.push(`signal ${end.signal}`);
  if (end.reason !== undefined) parts.push(end.reason);
  if (end.message !== undefined) parts.push(cut(oneLine(end.message)));
  if (end.evicted !== undefined) parts.push(end.evicted ? `evicted: ${oneLine(end.evicted)}` : "evicted");
  if (end.restartCount > 0) parts.push(`restart ${end.restartCount}`);
  return parts.join(", ");
}

/** "CrashLoopBackOff: back-off 5m0s restarting failed container=..."; the image when the message lacks it. */
export function describeWaiting(w: Waiting): string {
  let text = w.reason;
  if (w.message !== undefined) text += `: ${oneLine(w.message)}`;
  const aboutImage = /Image|InvalidImageName/.test(w.reason);
  if (aboutImage && w.image !== undefined && !(w.message ?? "").includes(w.image))
    text += ` (image ${w.image})`;
  return text;
}

/** Reasons that mean the container cannot run as it is (shown in red); the rest are yellow. */
export function waitingFailed(w: Waiting): boolean {
  return /BackOff|Err|Error|Invalid/.test(w.reason);
}

/** A termination message may be a whole stack trace: the line says how it starts. */
const MESSAGE_CHARS = 160;

function cut(text: string): string {
  return text.length > MESSAGE_CHARS ? `${text.slice(0, MESSAGE_CHARS)}…` : text;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}
