// A target: one container of one pod, the unit the engine streams and the presenter names. Which
// containers become targets, and when, is the engine's (engine/targets.ts, engine/registry.ts).
import type { Pod } from "./pod.ts";

export type ContainerKind = "init" | "regular" | "ephemeral";

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
  /** --previous: the instance before containerID's, read with previous=true. */
  previous?: true;
}
