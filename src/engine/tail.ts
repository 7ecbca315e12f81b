// One tail per container instance, and all it does is stream: request the log, resume it where it
// stopped when it ends, breaks or stalls while the container runs, retry with back-off, and pause
// while the output is behind. Each line read (replays of what was read before skipped) goes to the
// pipeline. A line without the timestamp that was asked for is not the container's: it is the
// kubelet (or the API server) speaking in the body (docs/reliability.md K3), and goes to the hooks.
import type { Target } from "../shared/target.ts";
import { backoff } from "../util/retry.ts";
import {
  type ApiFailure,
  isApiFailure,
  isConnectionLost,
  type KubeApi,
  type Query,
  type ResponseBody,
} from "./api.ts";
import type { Clock } from "./clock.ts";
import { LineSplitter } from "./lines.ts";
import type { StreamEnd } from "./output.ts";
import type { LinePipeline } from "./pipeline.ts";
import type { InstanceState } from "./registry.ts";
import { compareStamps, ResumePoint, SECOND_LEN } from "./resume.ts";
import { type ProbeBudget, StallWatch } from "./stall-watch.ts";
import { LineWindow, type WindowOptions } from "./window.ts";

export interface TailOptions {
  follow: boolean;
  sinceSeconds: number | undefined;
  tailLines: number | undefined;
  /** See SternConfig.quietCheckMs: the silence after which a quiet stream is checked; 0 = never checked. */
  quietCheckMs: number;
  /** Read the previous instance (previous=true; never followed). */
  previous?: boolean;
  /** --since-time (RFC3339), instead of sinceSeconds. */
  sinceTime?: string;
  /** --head, --until, --limit-bytes: where this container's lines stop. */
  window?: WindowOptions;
  /** --stream: one of the container's streams (`stream=Stdout|Stderr`). */
  stream?: "Stdout" | "Stderr";
}

export interface TailHooks {
  /** The registry's latest knowledge of the instance. */
  state(): InstanceState;
  onError(message: string): void;
  onDebug(message: string): void;
  /** Text the kubelet or the API server wrote into the log body (one line, as sent): not a log line. */
  onServerText(text: string): void;
  /**
   * The container logged lines this stream could not deliver: they were in a log file rotated away
   * before they could be read. `after` and `before` are the timestamps of the lines read either side.
   */
  onLinesLost(after: string, before: string): void;
}

/** What the kubelet says when the container it was reading is gone (K3). */
const CONTAINER_GONE = /code = NotFound|not found/;
/** The kubelet's "try again shortly": the instance the status names was just removed (K4). */
const NOT_YET = /^unable to retrieve container logs for /;
/** After the kubelet said the container is gone, the watch has this long to say so too. */
const GONE_WAIT_MS = 5000;
/** K4 lasts up to ~10 s: this many tries with back-off (0.5 s doubling) cover it. */
const NOT_YET_RETRIES = 6;
/** The kubelet's text is one line; a longer one is cut. */
const SERVER_TEXT_MAX = 1024;

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
  /** Follow streams: the check that tells a stalled stream from a quiet one. */
  private readonly watch: StallWatch | undefined;
  /**
   * The timestamp of a line the container is known to have written (a probe saw it) that this tail
   * has not read yet: a stream that delivers a later line without it skipped lines.
   */
  private expected: Buffer | undefined;
  /** The resume after a stall or a skip: its first lines show whether the current file still has them. */
  private resumingGap = false;
  /** What the server wrote at the very end of the last body, without a timestamp. */
  private serverText: string | undefined;

  constructor(
    target: Target,
    opts: TailOptions,
    deps: { api: KubeApi; clock: Clock; pipeline: LinePipeline; probes?: ProbeBudget },
    hooks: TailHooks,
  ) {
    this.target = target;
    this.opts = opts;
    this.api = deps.api;
    this.clock = deps.clock;
    this.pipeline = deps.pipeline;
    this.hooks = hooks;
    this.window = opts.window ? new LineWindow(opts.window) : undefined;
    if (opts.follow && opts.quietCheckMs > 0)
      this.watch = new StallWatch(deps.clock, opts.quietCheckMs, deps.probes);
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
    let notYet = 0;
    for (;;) {
      if (this.cancelled) return "stopped";
      this.serverText = undefined;
      const outcome = await this.attempt();
      if (this.cancelled) return "stopped";
      const said = this.serverText;
      if (said !== undefined && NOT_YET.test(said) && !this.done) {
        // K4: the kubelet cannot serve this instance yet; it can shortly.
        if (++notYet > NOT_YET_RETRIES) {
          this.hooks.onServerText(said);
          return "failed";
        }
        this.hooks.onDebug(`${this.describe()}: the kubelet says "${said}"; trying again`);
        await this.sleep(backoff(notYet));
        continue;
      }
      if (said !== undefined) this.hooks.onServerText(said);
      if (outcome === "eof" || this.done) {
        failures = 0;
        if (!this.opts.follow || this.done) return "completed";
        // The kubelet says the container is gone: the pod watch is about to say so too.
        if (said !== undefined && CONTAINER_GONE.test(said)) await this.sleep(GONE_WAIT_MS);
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
      if (isApiFailure(outcome) && !retryable(outcome)) {
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
      // A connection found dead was reported once for all its streams, and a stalled stream was
      // found by this tail: both resume at once.
      const now = isConnectionLost(outcome) || outcome instanceof StalledError;
      const wait = now ? 0 : backoff(failures);
      if (outcome instanceof StalledError || !now)
        this.hooks.onDebug(`${this.describe()}: ${outcome.message}; resuming in ${Math.round(wait)} ms`);
      if (wait > 0) await this.sleep(wait);
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
    if (this.opts.stream) q.stream = this.opts.stream;
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
    /** Whether the server stamps this log's lines (a server that ignores timestamps=true does not). */
    let stamped = resume.positioned;
    let stale: Error | undefined;
    const stop = (err: Error) => {
      stale ??= err;
      res.destroy();
    };
    const onLine = (buf: Buffer, start: number, end: number, continued: boolean) => {
      if (stale) return; // the rest of a chunk after a skip was found: read again on the resume
      if (continued) {
        // The rest of a line longer than MAX_LINE_BYTES: no timestamp of its own.
        if (!window?.closed) pipeline.line(buf, start, start, start, end);
        return;
      }
      // The kubelet's timestamp is fixed-width ("2006-01-02T15:04:05.000000000Z "): look there first.
      let sp = start + 30;
      if (buf[sp] !== SPACE) sp = buf.indexOf(SPACE, start);
      if (sp === -1 || sp >= end || sp - start < SECOND_LEN || !isDigit(buf[start])) {
        if (stamped) {
          // Asked for timestamps and got none: the kubelet or the API server is speaking.
          this.hooks.onServerText(serverText(buf, start, end));
          return;
        }
        const last = window ? window.take(buf, start, start, start, end) : end;
        if (last >= 0) pipeline.line(buf, start, start, start, last);
        return;
      }
      stamped = true;
      if (this.expected && this.skipped(buf, start, sp, stop)) return;
      if (resume.observe(buf, start, sp, sp + 1, end)) return;
      const last = window ? window.take(buf, start, sp, sp + 1, end) : end;
      if (last >= 0) pipeline.line(buf, start, sp, sp + 1, last);
    };
    const watching = new AbortController();
    void this.watch?.run(
      {
        lastTimestamp: (signal) => this.lastTimestamp(signal),
        isUnread: (ts) => {
          if (!resume.positioned) return undefined;
          const b = Buffer.from(ts, "latin1");
          return b.length >= SECOND_LEN && resume.isAfterRead(b, 0, b.length);
        },
        onUnread: (ts) => {
          this.expected ??= Buffer.from(ts, "latin1");
        },
        onStalled: (why) => {
          if (this.hooks.state() !== "running") return;
          this.resumingGap = true;
          stop(new StalledError(why));
        },
      },
      AbortSignal.any([watching.signal, this.abort.signal]),
    );
    let windowClosed = false;
    try {
      await res.read((buf, start, end) => {
        this.watch?.activity();
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
      return stale ?? (err as Error);
    } finally {
      watching.abort();
    }
    if (windowClosed) return "eof";
    if (stale) return stale;
    if (!res.complete) return new Error("the connection closed before the response ended");
    const final = !this.opts.follow || this.hooks.state() !== "running";
    splitter.flush((buf, start, end, continued) => {
      // The kubelet's own error text ends a body without a newline (K3), stamped or not.
      if (!continued && !startsStamped(buf, start, end)) this.serverText = serverText(buf, start, end);
      // A last line without its newline: read again whole on the resume, unless there is none.
      else if (final) onLine(buf, start, end, continued);
    });
    if (final) {
      resume.endChunk();
      pipeline.endChunk();
    }
    return "eof";
  }

  /**
   * A line came while a line the container wrote (seen by a probe) was still expected. Returns true
   * when this line is to be dropped: the stream skipped the expected line (K2: the kubelet's reader
   * went on in a later file) and is resumed, to read what the current file still has.
   */
  private skipped(buf: Buffer, ts: number, tsEnd: number, stop: (err: Error) => void): boolean {
    const expected = this.expected as Buffer;
    const order = compareStamps(buf, ts, tsEnd, expected, 0, expected.length);
    if (order < 0) return false;
    if (order === 0 || this.resumingGap) {
      // Delivered; or this is the resume, and the line is not in the current file any more.
      if (order > 0) {
        const after = this.resume.lastRead();
        if (after !== undefined) this.hooks.onLinesLost(after, buf.toString("latin1", ts, tsEnd));
      }
      this.expected = undefined;
      this.resumingGap = false;
      return false;
    }
    this.resumingGap = true;
    stop(new StalledError("the stream skipped lines the container wrote"));
    return true;
  }

  /** The timestamp of the log's last line now, asked on a request of its own (for the stall watch). */
  private async lastTimestamp(signal: AbortSignal): Promise<string | undefined> {
    if (this.hooks.state() !== "running") return undefined;
    // The timestamp is at the start of the line: its first bytes are enough, however long the line.
    const q: Query = { container: this.target.container, timestamps: true, tailLines: 1, limitBytes: 64 };
    const body = await this.api.stream(this.logPath(), q, signal);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of body) {
      chunks.push(c as Buffer);
      size += (c as Buffer).length;
      if (size >= 64) break;
    }
    const text = Buffer.concat(chunks).toString("latin1");
    const stamp = /^\d[^ \n]*/.exec(text)?.[0];
    return stamp !== undefined && stamp.length >= SECOND_LEN ? stamp : undefined;
  }

  /** Waits ms; news about the pod (poke) cuts it short. */
  private async sleep(ms: number): Promise<void> {
    const wake = new AbortController();
    this.wake = wake;
    await this.clock.sleep(ms, AbortSignal.any([this.abort.signal, wake.signal]));
    this.wake = undefined;
  }
}

/** This tail found its stream stalled or skipping (see StallWatch): it resumes at once. */
class StalledError extends Error {}

function retryable(err: ApiFailure): boolean {
  return err.code === 429 || err.code >= 500;
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 48 && b <= 57;
}

function startsStamped(buf: Buffer, start: number, end: number): boolean {
  const sp = buf.indexOf(SPACE, start);
  return sp !== -1 && sp < end && sp - start >= SECOND_LEN && isDigit(buf[start]);
}

/** One line of the server's text, as sent (cut when long); the output side makes it safe to show. */
function serverText(buf: Buffer, start: number, end: number): string {
  return buf.toString("utf8", start, Math.min(end, start + SERVER_TEXT_MAX)).trimEnd();
}
