// stern as a library: the engine the stern command runs, for programs that tail a cluster's logs
// their own way (their own presenter and line format, their own output). The command line is
// src/cli/main.ts; what is exported here is what docs/library.md shows.

export type { KubeApi, Query, ResponseBody } from "./engine/api.ts";
export { type Clock, systemClock } from "./engine/clock.ts";
export type { EngineOutput, LineOutput, Presenter, StreamEnd } from "./engine/output.ts";
export type { PodScope } from "./engine/podwatch.ts";
export { Sink } from "./engine/sink.ts";
export { type EngineDeps, type RunOutcome, runStern, type SternConfig } from "./engine/stern.ts";
export { LineStop, type StopCause, type StopRule } from "./engine/stop.ts";
export type { ContainerStateName, NameMatcher, TargetFilter } from "./engine/targets.ts";
export {
  createLineFormatter,
  type FormatOptions,
  type LineFormatter,
  type StreamInfo,
} from "./format/index.ts";
export { Zone } from "./format/timestamp.ts";
export { ApiClient, type ClientOptions } from "./kube/client.ts";
export { listContexts, resolveKubeconfig } from "./kube/kubeconfig.ts";
export type { InstanceEnd, Waiting } from "./shared/endings.ts";
export type { Instant } from "./shared/instant.ts";
export type { KubeEvent } from "./shared/kube-event.ts";
export type { DoneFailure, DoneOutcome } from "./shared/outcome.ts";
export type { ContainerStatus, Pod } from "./shared/pod.ts";
export type { Target } from "./shared/target.ts";
export { compileGoRegex, GoRegex } from "./util/goregex.ts";
export { OutBuffer } from "./util/out-buffer.ts";
