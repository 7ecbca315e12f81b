// What --dry-run tells, as data: the streams a run would open and the requests in all. The engine
// plans it (engine/plan.ts); the output side lays it out (format/plan.ts).
import type { InstanceEnd } from "./endings.ts";
import type { Target } from "./target.ts";

/** A container instance's state as the pod's status says it. */
export type PlannedState =
  | { name: "running" }
  | { name: "waiting"; reason: string | undefined }
  | { name: "terminated"; end: InstanceEnd | undefined }
  | { name: "unknown" };

export interface PlannedStream {
  /** The container instance (`previous` for --previous's read of the instance before). */
  target: Target;
  state: PlannedState;
}

/** The requests a run would make besides what the plan itself read. */
export interface PlannedRequests {
  /** Log streams: one per instance read. */
  logs: number;
  /** At most this many log streams are open at once (--max-log-requests; all with --sort --no-follow). */
  logsAtOnce: number;
  /** LISTs: pods per scope, nodes, Jobs, events. */
  lists: number;
  /** WATCHes, while following: pods per scope, nodes, Jobs, events. */
  watches: number;
  /** --stream's checks of the server (its version, one small log request). */
  checks: number;
}

export interface RunPlan {
  streams: PlannedStream[];
  requests: PlannedRequests;
}
