// --condition name[=value]: only pods whose condition has that status (case-insensitive, as stern).
import type { Pod } from "../shared/pod.ts";

const NAMES = [
  "ContainersReady",
  "Initialized",
  "Ready",
  "PodScheduled",
  "DisruptionTarget",
  "PodReadyToStartContainers",
];
const VALUES = ["True", "False", "Unknown"];

export interface PodCondition {
  type: string;
  status: string;
}

export function parseCondition(text: string): PodCondition {
  const lower = text.toLowerCase();
  const eq = lower.indexOf("=");
  const name = eq === -1 ? lower : lower.slice(0, eq);
  const value = eq === -1 ? "true" : lower.slice(eq + 1);
  const type = NAMES.find((n) => n.toLowerCase() === name);
  if (!type) throw new Error(`condition should be one of '${NAMES.join("', '")}'`);
  const status = VALUES.find((v) => v.toLowerCase() === value);
  if (!status) throw new Error(`condition value should be one of '${VALUES.join("', '")}'`);
  return { type, status };
}

/** A pod without the condition does not match. */
export function conditionMatches(c: PodCondition, pod: Pod): boolean {
  const found = pod.status?.conditions?.find((pc) => pc.type === c.type);
  return found !== undefined && found.status === c.status;
}
