// One tail per container instance: requests its log, splits it into lines, hands formatted lines to
// the sink, and resumes the stream where it stopped if it ends while the container still runs.
import type { IncomingMessage } from "node:http";
import type { LineFormatter } from "../format/index.ts";
import { type Instant, parseRfc3339 } from "../format/timestamp.ts";
import type { ApiClient, Query } from "../kube/client.ts";
import { ApiError } from "../kube/errors.ts";
import { backoff, sleep } from "../util/retry.ts";
import { LineSplitter } from "./lines.ts";
import type { Sink } from "./sink.ts";
import type { Target } from "./targets.ts";

/** What the pod watch knows about this instance now. */
export type InstanceState = "running" | "stopped" | "gone";

export interface TailOptions {
  follow: boolean;
  sinceSeconds: number | undefined;
  tailLines: number | undefined;
  /** Parse each timestamp (needed by -t and by filters that look at time). */
  needsTime: boolean;
}

export interface TailHooks {
  formatter: LineFormatter;
  sink: Sink;
  /** Latest knowledge of the instance, from the pod watch. */
  state(): InstanceState;
  /** Keeps or drops a line (filters); absent = keep all. */
  keep?: (message: Buffer) => boolean;
  onError(message: string): void;
  onDebug(message: string): void;
}

const SECOND_LEN = 19; // "2006-01-02T15:04:05"
const SPACE = 32;
const RESUME_AFTER_EOF_MS = 1000;
/** Without --follow a broken stream is resumed this many times before giving up. */
const NO_FOLLOW_RETRIES = 5;

export class Tail {
  readonly target: Target;
  private readonly opts: TailOptions;
  private readonly hooks: TailHooks;
  private readonly abort = new AbortController();
  /**
   * Where a resume starts: the second of the last line read and how many lines of that second were
   * read. Kept until newer lines arrive, so a resume that fails before reading anything loses nothing.
   */
  private lastSecond = Buffer.alloc(0);
  private linesInLastSecond = 0;
  /** Lines of lastSecond the current response sends again, to be skipped. */
  private toSkip = 0;
  private wake: AbortController | undefined;
  /** Whether the last attempt got a 200 before it ended. */
  private connected = false;

  constructor(target: Target, opts: TailOptions, hooks: TailHooks) {
    this.target = target;
    this.opts = opts;
    this.hooks = hooks;
  }

  cancel(): void {
    this.abort.abort();
  }

  get cancelled(): boolean {
    return this.abort.signal.aborted;
  }

  /** Follows the instance until its log ends for good, the tail is cancelled, or it cannot go on. */
  async run(client: ApiClient): Promise<void> {
    let failures = 0;
    for (;;) {
      if (this.cancelled) return;
      const outcome = await this.attempt(client);
      if (this.cancelled) return;
      if (outcome === "eof") {
        failures = 0;
        if (!this.opts.follow || this.hooks.state() !== "running") return;
        // The stream ended while the container runs (log rotation, an idle proxy, a server timeout).
        this.hooks.onDebug(`${this.describe()}: log stream ended while the container runs; resuming`);
        await this.sleep(RESUME_AFTER_EOF_MS);
        // Gone (deleted, or replaced by a new instance): the API would now serve another instance.
        // Stopped meanwhile: the next read returns its last lines and ends.
        if (this.hooks.state() === "gone") return;
        continue;
      }
      if (outcome instanceof ApiError && !retryable(outcome)) {
        this.hooks.onError(`${this.describe()}: ${outcome.message}`);
        return;
      }
      // Back off on failures in a row; a stream that was open before it broke resumes at once.
      failures = this.connected ? 1 : failures + 1;
      const gone = this.opts.follow && this.hooks.state() === "gone";
      if (gone || (!this.opts.follow && failures > NO_FOLLOW_RETRIES)) {
        this.hooks.onError(
          `${this.describe()}: ${outcome.message}; giving up${gone ? " (the container is gone)" : ""}`,
        );
        return;
      }
      const wait = backoff(failures);
      this.hooks.onDebug(`${this.describe()}: ${outcome.message}; resuming in ${Math.round(wait)} ms`);
      await this.sleep(wait);
    }
  }

  /** One request, read to its end: "eof" when the server ended it, else what went wrong. */
  private async attempt(client: ApiClient): Promise<"eof" | Error> {
    let res: IncomingMessage;
    this.connected = false;
    try {
      res = await client.stream(this.logPath(), this.query(), this.abort.signal);
    } catch (err) {
      return err as Error;
    }
    this.connected = true;
    return this.consume(res);
  }

  private describe(): string {
    const t = this.target;
    return `${t.namespace}/${t.podName}/${t.container}`;
  }

  private logPath(): string {
    const t = this.target;
    return `/api/v1/namespaces/${encodeURIComponent(t.namespace)}/pods/${encodeURIComponent(t.podName)}/log`;
  }

  private query(): Query {
    const q: Query = { container: this.target.container, follow: this.opts.follow, timestamps: true };
    if (this.linesInLastSecond > 0) {
      // Resume: the API takes whole seconds, so re-read that second and skip what was already read.
      q.sinceTime = `${this.lastSecond.toString("latin1")}Z`;
      this.toSkip = this.linesInLastSecond;
      return q;
    }
    if (this.opts.sinceSeconds !== undefined) q.sinceSeconds = this.opts.sinceSeconds;
    if (this.opts.tailLines !== undefined) q.tailLines = this.opts.tailLines;
    return q;
  }

  /** Reads one response to its end: "eof" when the server ended it, else the error that broke it. */
  private async consume(res: IncomingMessage): Promise<"eof" | Error> {
    const splitter = new LineSplitter();
    const { formatter, sink, keep } = this.hooks;
    const needsTime = this.opts.needsTime;
    let out: Buffer[] = [];
    let bytes = 0;
    const onLine = (buf: Buffer, start: number, end: number, continued: boolean) => {
      if (continued) {
        // The rest of a line longer than MAX_LINE_BYTES: no timestamp of its own.
        bytes += formatter.append(out, undefined, buf.subarray(start, end));
        return;
      }
      const sp = buf.indexOf(SPACE, start);
      if (sp === -1 || sp >= end || sp - start < SECOND_LEN) {
        // No timestamp: the API always sends one, so this is not a kubelet line; show it as it is.
        bytes += formatter.append(out, undefined, buf.subarray(start, end));
        return;
      }
      if (
        this.lastSecond.length === SECOND_LEN &&
        buf.compare(this.lastSecond, 0, SECOND_LEN, start, start + SECOND_LEN) === 0
      ) {
        if (this.toSkip > 0) {
          this.toSkip--;
          return;
        }
        this.linesInLastSecond++;
      } else {
        this.lastSecond = Buffer.from(buf.subarray(start, start + SECOND_LEN));
        this.linesInLastSecond = 1;
        this.toSkip = 0;
      }
      const message = buf.subarray(sp + 1, end);
      if (keep && !keep(message)) return;
      let time: Instant | undefined;
      if (needsTime) time = parseRfc3339(buf.toString("latin1", start, sp));
      bytes += formatter.append(out, time, message);
    };
    try {
      for await (const chunk of res) {
        splitter.push(chunk as Buffer, onLine);
        if (bytes > 0) {
          const writable = sink.write(out, bytes);
          out = [];
          bytes = 0;
          if (!writable) await sink.whenWritable();
        }
      }
    } catch (err) {
      // A broken stream: drop the partial last line, the resume reads it again whole.
      return err as Error;
    }
    if (!res.complete) return new Error("the connection closed before the response ended");
    if (!this.opts.follow || this.hooks.state() !== "running") {
      splitter.flush(onLine);
      if (bytes > 0) sink.write(out, bytes);
    }
    return "eof";
  }

  /** News about the pod arrived: stop waiting and look at its state again. */
  poke(): void {
    this.wake?.abort();
  }

  private async sleep(ms: number): Promise<void> {
    const wake = new AbortController();
    this.wake = wake;
    await sleep(ms, AbortSignal.any([this.abort.signal, wake.signal]));
    this.wake = undefined;
  }
}

function retryable(err: ApiError): boolean {
  return err.code === 429 || err.code >= 500;
}
