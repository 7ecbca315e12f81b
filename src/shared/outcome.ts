// How a --until-done run ended, as data: the engine decides it from pod and Job states
// (engine/until-done.ts); the output side puts a failure in words (format/outcome.ts).
import type { InstanceEnd } from "./endings.ts";

export interface DoneOutcome {
  /** The exit code: 0, or a failed container's exit code (1 when none tells one). */
  code: number;
  /** What failed, when something did. */
  failure?: DoneFailure;
}

export interface DoneFailure {
  /** The Job whose Failed condition decided (job/ and cronjob/ queries). */
  job?: { namespace: string; name: string; reason: string | undefined; message: string | undefined };
  /** The pod that failed. */
  pod?: { namespace: string; name: string; reason: string | undefined; message: string | undefined };
  /** The failed container the exit code is from, and how it ended. */
  container?: { name: string; end: InstanceEnd };
}
