// The engine's output side, as interfaces: where one stream's formatted lines go, and what the engine
// tells whoever presents it. Colours, prefixes and the "+"/"-" lines are the presenter's business.
import type { InstanceEnd, Waiting } from "../shared/endings.ts";
import type { Instant } from "../shared/instant.ts";
import type { KubeEvent } from "../shared/kube-event.ts";
import type { Target } from "../shared/target.ts";
import type { LogRecord } from "../structured/record.ts";
import type { OutBuffer } from "../util/out-buffer.ts";
import type { Sink } from "./sink.ts";

/**
 * What the pipeline calls to turn one line into output bytes. Declared here, by its caller, so that the
 * engine needs nothing of the format layer: format/types.ts declares the same shape for what it builds,
 * and the cli, which hands one to the other, is where the compiler checks that they fit.
 */
export interface LineFormatter {
  /**
   * Appends the output for the log line whose message is buf[start, end) to `out` (the byte at
   * `end`, when there is one, is the line's newline). `record` is the line's structured record when
   * the pipeline has parsed it already (null: it is text); undefined when it has not.
   */
  append(
    out: OutBuffer,
    time: Instant | undefined,
    buf: Buffer,
    start: number,
    end: number,
    record?: LogRecord | null,
  ): void;
}

/** Where one stream's formatted lines go: the shared sink, or a --sort lane. */
export interface LineOutput {
  /** A formatter appends one line's bytes here, then lineDone() is called. */
  readonly out: OutBuffer;
  /** Whether lineDone needs each line's timestamp (the --sort lanes order by it). */
  readonly wantsKeys: boolean;
  lineDone(key: string): void;
  /** After a chunk: false when the reader should wait for whenWritable(). */
  commit(): boolean;
  whenWritable(): Promise<void>;
  /** The stream is over. */
  end(): void;
}

/** Why a stream ended: its log is complete, its pod or instance is gone, or the run stopped. */
export type StreamEnd = "completed" | "gone" | "stopped" | "failed";

export interface Presenter {
  /** The formatter of one instance's lines (its colours, prefix and format). */
  formatterFor(target: Target): LineFormatter;
  streamStarted(target: Target): void;
  /** `end`: how the instance ended, when the pod's status has said so. */
  streamEnded(target: Target, why: StreamEnd, end?: InstanceEnd): void;
  /** A followed container waits for a reason worth telling (CrashLoopBackOff, ImagePullBackOff...). */
  waiting(target: Target, waiting: Waiting): void;
  /** --events: the output line (with its newline) of one Kubernetes event. */
  formatEvent(event: KubeEvent): string;
  /** The kubelet or the API server wrote this text into the target's log body (K3): not a log line. */
  serverText(target: Target, text: string): void;
  /**
   * The target's container logged lines between these two timestamps (RFC 3339, of the lines read
   * either side) that no request can return any more: they were in a rotated log file.
   */
  linesLost(target: Target, after: string, before: string): void;
  /** `waiting` containers wait for a free log stream: `limit` are open at once at most. */
  streamsQueued(waiting: number, limit: number): void;
  /** A problem to report on stderr (one line, no newline). */
  error(message: string): void;
  debug(message: string): void;
}

export interface EngineOutput {
  sink: Sink;
  presenter: Presenter;
}

/** The plain case: lines go straight into the shared sink. */
export function sinkOutput(sink: Sink): LineOutput {
  return {
    out: sink.out,
    wantsKeys: false,
    lineDone() {},
    commit: () => sink.commit(),
    whenWritable: () => sink.whenWritable(),
    end() {},
  };
}
