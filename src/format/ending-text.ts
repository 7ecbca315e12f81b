// The words for how a container instance ended and what a container waits for, and which of them are
// failures (shown in red): "exit 137, OOMKilled, restart 3", "CrashLoopBackOff: back-off 5m0s ...".
import type { InstanceEnd, Waiting } from "../shared/endings.ts";

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
