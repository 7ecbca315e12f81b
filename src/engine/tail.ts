// One tail per container instance, and all it does is stream: request the log, resume it where it
// stopped when it ends or breaks while the container runs, retry with back-off, and pause while the
// output is behind. Each line read (replays of what was read before skipped) goes to the pipeline.
import type { Query, ResponseBody } from "../kube/client.ts";
import { ApiError, ConnectionLostError } from "../kube/errors.ts";
import { readBody } from "../kube/read-body.ts";
import { backoff } from "../util/retry.ts";
import type { KubeApi } from "./api.ts";
import type { Clock } from "./clock.ts";
import { LineSplitter } from "./lines.ts";
import type { StreamEnd } from "./output.ts";
import type { LinePipeline } from "./pipeline.ts";
import { QuietCheck } from "./quiet-check.ts";
import type { InstanceState } from "./registry.ts";
import { ResumePoint, SECOND_LEN } from "./resume.ts";
import type { Target } from "./targets.ts";
import { LineWindow, type WindowOptions } from "./window.ts";

export interface TailOptions {
  follow: boolean;
  sinceSeconds: number | undefined;
  tailLines: number | undefined;
  /** See SternConfig.quietCheckMs; 0 = off. */
  quietCheckMs: number;
  /** Read the previous instance (previous=true; never followed). */
  previous?: boolean;
  /** --since-time (RFC3339), instead of sinceSeconds. */
  sinceTime?: string;
  /** --head, --until, --limit-bytes: where this container's lines stop. */
  window?: WindowOptions;
}

export interface TailHooks {
  /** The registry's latest knowledge of the instance. */
  state(): InstanceState;
  onError(message: string): void;
  onDebug(message: string): void;
}

const SPACE = 32;
/** After a clean end while the container runs: the watch may be about to say it stopped or restarted. */
const RESUME_AFTER_EOF_MS = 1000;
/** Without --follow a broken stream is resumed this many times before giving up. */
const NO_FOLLOW_RETRIES = 5;

export class Tail {
  readonly target: Target;
  private readonly opts: TailOptions;
  private readonly api: KubeApi;
  private readonly clock: Clock;
  private readonly pipeline: LinePipeline;
  private readonly hooks: TailHooks;
  private readonly abort = new AbortController();
  /** Where a resume starts, and which replayed lines were read already. */
  private readonly resume = new ResumePoint();
  private wake: AbortController | undefined;
  /** Whether the last attempt got a 200 before it ended. */
  private connected = false;
  private readonly window: LineWindow | undefined;

  constructor(
    target: Target,
    opts: TailOptions,
    deps: { api: KubeApi; clock: Clock; pipeline: LinePipeline },
    hooks: TailHooks,
  ) {
    this.target = target;
    this.opts = opts;
    this.api = deps.api;
    this.clock = deps.clock;
    this.pipeline = deps.pipeline;
    this.hooks = hooks;
    this.window = opts.window ? new LineWindow(opts.window) : undefined;
  }

  /** Whether there is nothing more to read (--head, --until, --limit-bytes). */
  private get done(): boolean {
    return this.window?.closed === true;
  }

  cancel(): void {
    this.abort.abort();
  }

  get cancelled(): boolean {
    return this.abort.signal.aborted;
  }

  /** News about the pod arrived: stop waiting and look at its state again. */
  poke(): void {
    this.wake?.abort();
  }

  /** Follows the instance until its log ends for good, the tail is cancelled, or it cannot go on. */
  async run(): Promise<StreamEnd> {
    try {
      return await this.follow();
    } finally {
      this.pipeline.close();
    }
  }

  private async follow(): Promise<StreamEnd> {
    let failures = 0;
    for (;;) {
      if (this.cancelled) return "stopped";
      const outcome = await this.attempt();
      if (this.cancelled) return "stopped";
      if (outcome === "eof" || this.done) {
        failures = 0;
        if (!this.opts.follow || this.done) return "completed";
        const state = this.hooks.state();
        if (state !== "running") return state === "gone" ? "gone" : "completed";
        // The stream ended while the container runs (log rotation, an idle proxy, a server timeout).
        this.hooks.onDebug(`${this.describe()}: log stream ended while the container runs; resuming`);
        await this.sleep(RESUME_AFTER_EOF_MS);
        // Gone (deleted, or replaced by a new instance): the API would now serve another instance.
        // Stopped meanwhile: the next read returns its last lines and ends.
        if (this.hooks.state() === "gone") return "gone";
        continue;
      }
      if (outcome instanceof ApiError && !retryable(outcome)) {
        this.hooks.onError(`${this.describe()}: ${outcome.message}`);
        return "failed";
      }
      // Back off on failures in a row; a stream that was open before it broke resumes at once.
      failures = this.connected ? 1 : failures + 1;
      const gone = this.opts.follow && this.hooks.state() === "gone";
      if (gone || (!this.opts.follow && failures > NO_FOLLOW_RETRIES)) {
        this.hooks.onError(
          `${this.describe()}: ${outcome.message}; giving up${gone ? " (the container is gone)" : ""}`,
        );
        return "failed";
      }
      // A connection found dead was reported once for all its streams, which resume at once.
      const lost = outcome instanceof ConnectionLostError;
      const wait = lost ? 0 : backoff(failures);
      if (!lost)
        this.hooks.onDebug(`${this.describe()}: ${outcome.message}; resuming in ${Math.round(wait)} ms`);
      await this.sleep(wait);
    }
  }

  /** One request, read to its end: "eof" when the server ended it, else what went wrong. */
  private async attempt(): Promise<"eof" | Error> {
    let res: ResponseBody;
    this.connected = false;
    try {
      res = await this.api.stream(this.logPath(), this.query(), this.abort.signal);
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
    if (this.opts.previous) q.previous = true;
    const since = this.resume.beginResume();
    if (since !== undefined) {
      q.sinceTime = since;
      return q;
    }
    if (this.opts.sinceTime !== undefined) q.sinceTime = this.opts.sinceTime;
    else if (this.opts.sinceSeconds !== undefined) q.sinceSeconds = this.opts.sinceSeconds;
    if (this.opts.tailLines !== undefined) q.tailLines = this.opts.tailLines;
    return q;
  }

  /** Reads one response to its end: "eof" when the server ended it, else the error that broke it. */
  private async consume(res: ResponseBody): Promise<"eof" | Error> {
    const splitter = new LineSplitter();
    const { pipeline, resume, window } = this;
    const onLine = (buf: Buffer, start: number, end: number, continued: boolean) => {
      if (continued) {
        // The rest of a line longer than MAX_LINE_BYTES: no timestamp of its own.
        if (!window?.closed) pipeline.line(buf, start, start, start, end);
        return;
      }
      // The kubelet's timestamp is fixed-width ("2006-01-02T15:04:05.000000000Z "): look there first.
      let sp = start + 30;
      if (buf[sp] !== SPACE) sp = buf.indexOf(SPACE, start);
      if (sp === -1 || sp >= end || sp - start < SECOND_LEN) {
        // No timestamp: the API always sends one, so this is not a kubelet line; show it as it is.
        const last = window ? window.take(buf, start, start, start, end) : end;
        if (last >= 0) pipeline.line(buf, start, start, start, last);
        return;
      }
      if (resume.observe(buf, start, sp, sp + 1, end)) return;
      const last = window ? window.take(buf, start, sp, sp + 1, end) : end;
      if (last >= 0) pipeline.line(buf, start, sp, sp + 1, last);
    };
    let stale: string | undefined;
    const check =
      this.opts.follow && this.opts.quietCheckMs > 0 && !res.healthChecked
        ? new QuietCheck(this.opts.quietCheckMs, {
            lastTimestamp: () => this.lastTimestamp(),
            isUnread: (ts) => {
              if (!resume.positioned) return undefined;
              const b = Buffer.from(ts, "latin1");
              return b.length >= SECOND_LEN && resume.isAfterRead(b, 0, b.length);
            },
            onStale: (why) => {
              stale = why;
              res.destroy();
            },
          })
        : undefined;
    let windowClosed = false;
    try {
      await readBody(res, (buf, start, end) => {
        check?.activity();
        splitter.push(buf, onLine, start, end);
        resume.endChunk();
        if (window?.closed) {
          // Past --head or --until: nothing more of this stream is wanted.
          windowClosed = true;
          res.destroy();
          return undefined;
        }
        return pipeline.endChunk() ? undefined : pipeline.whenWritable();
      });
    } catch (err) {
      if (windowClosed) {
        pipeline.endChunk();
        return "eof";
      }
      // A broken stream: drop the partial last line, the resume reads it again whole.
      return stale !== undefined ? new Error(stale) : (err as Error);
    } finally {
      check?.stop();
    }
    if (windowClosed) return "eof";
    if (stale !== undefined) return new Error(stale);
    if (!res.complete) return new Error("the connection closed before the response ended");
    if (!this.opts.follow || this.hooks.state() !== "running") {
      splitter.flush(onLine);
      resume.endChunk();
      pipeline.endChunk();
    }
    return "eof";
  }

  /** The timestamp of the log's last line now, asked on a request of its own (for QuietCheck). */
  private async lastTimestamp(): Promise<string | undefined> {
    const q: Query = { container: this.target.container, timestamps: true, tailLines: 1 };
    const body = await this.api.stream(this.logPath(), q, this.abort.signal);
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("latin1");
    const sp = text.indexOf(" ");
    return sp > 0 ? text.slice(0, sp) : undefined;
  }

  private async sleep(ms: number): Promise<void> {
    const wake = new AbortController();
    this.wake = wake;
    await this.clock.sleep(ms, AbortSignal.any([this.abort.signal, wake.signal]));
    this.wake = undefined;
  }
}

function retryable(err: ApiError): boolean {
  return err.code === 429 || err.code >= 500;
}
