// One tail per container instance: requests its log, splits it into lines, hands formatted lines to
// the sink, and resumes the stream where it stopped if it ends while the container still runs.
import type { LineFormatter } from "../format/index.ts";
import { OutBuffer } from "../format/out-buffer.ts";
import { type Instant, parseRfc3339 } from "../format/timestamp.ts";
import type { ApiClient, Query, ResponseBody } from "../kube/client.ts";
import { ApiError, ConnectionLostError } from "../kube/errors.ts";
import { backoff, sleep } from "../util/retry.ts";
import { LineSplitter } from "./lines.ts";
import { MultilineGrouper } from "./multiline.ts";
import { QuietCheck } from "./quiet-check.ts";
import { ResumePoint, SECOND_LEN } from "./resume.ts";
import type { Sink } from "./sink.ts";
import type { Target } from "./targets.ts";

/** What the pod watch knows about this instance now. */
export type InstanceState = "running" | "stopped" | "gone";

export interface TailOptions {
  follow: boolean;
  sinceSeconds: number | undefined;
  tailLines: number | undefined;
  /** See SternConfig.quietCheckMs; 0 = off. */
  quietCheckMs: number;
  /** Parse each timestamp (needed by -t and by filters that look at time). */
  needsTime: boolean;
}

export interface TailHooks {
  formatter: LineFormatter;
  sink: Sink;
  /** Latest knowledge of the instance, from the pod watch. */
  state(): InstanceState;
  /** Keeps or drops a line by its message buf[start, end) (filters); absent = keep all. */
  keep?: (buf: Buffer, start: number, end: number) => boolean;
  /** --multiline: joins continuation lines into records before they are filtered and formatted. */
  multiline?: boolean;
  /** --sort: formatted lines go here with their timestamp, instead of straight to the sink. */
  ordered?: OrderedOutput;
  onError(message: string): void;
  onDebug(message: string): void;
}

/** Where --sort puts lines: a lane of the k-way merge, or the follow-mode window sorter. */
export interface OrderedOutput {
  /** Returns false when the reader should wait for whenWritable(). */
  push(key: string, line: Buffer): boolean;
  whenWritable(): Promise<void>;
}

/** A pending multi-line record is printed after this much quiet on its stream. */
const MULTILINE_QUIET_MS = 150;

const SPACE = 32;
const RESUME_AFTER_EOF_MS = 1000;
/** Without --follow a broken stream is resumed this many times before giving up. */
const NO_FOLLOW_RETRIES = 5;

export class Tail {
  readonly target: Target;
  private readonly opts: TailOptions;
  private readonly hooks: TailHooks;
  private readonly abort = new AbortController();
  /** Where a resume starts, and which replayed lines were read already. */
  private readonly resume = new ResumePoint();
  private wake: AbortController | undefined;
  /** Whether the last attempt got a 200 before it ended. */
  private connected = false;
  /** The --multiline/--sort path: the last line's timestamp, and what it needs per stream. */
  private lastKey = "";
  private readonly grouper: MultilineGrouper | undefined;
  private readonly scratch = new OutBuffer(1024);
  private orderedFull = false;
  private quietTimer: NodeJS.Timeout | undefined;

  constructor(target: Target, opts: TailOptions, hooks: TailHooks) {
    this.target = target;
    this.opts = opts;
    this.hooks = hooks;
    if (hooks.multiline) {
      this.grouper = new MultilineGrouper((record, firstTime) =>
        this.deliver(firstTime, record, 0, record.length),
      );
    }
  }

  cancel(): void {
    this.abort.abort();
  }

  get cancelled(): boolean {
    return this.abort.signal.aborted;
  }

  /** Follows the instance until its log ends for good, the tail is cancelled, or it cannot go on. */
  async run(client: ApiClient): Promise<void> {
    try {
      await this.follow(client);
    } finally {
      // What was read is printed, also a multi-line record still waiting for more.
      clearTimeout(this.quietTimer);
      if (this.grouper?.pending) {
        this.grouper.flush();
        this.hooks.sink.commit();
      }
    }
  }

  private async follow(client: ApiClient): Promise<void> {
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
      // A connection found dead was reported once for all its streams, which resume at once.
      const lost = outcome instanceof ConnectionLostError;
      const wait = lost ? 0 : backoff(failures);
      if (!lost)
        this.hooks.onDebug(`${this.describe()}: ${outcome.message}; resuming in ${Math.round(wait)} ms`);
      await this.sleep(wait);
    }
  }

  /** One request, read to its end: "eof" when the server ended it, else what went wrong. */
  private async attempt(client: ApiClient): Promise<"eof" | Error> {
    let res: ResponseBody;
    this.connected = false;
    try {
      res = await client.stream(this.logPath(), this.query(), this.abort.signal);
    } catch (err) {
      return err as Error;
    }
    this.connected = true;
    return this.consume(res, client);
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
    const since = this.resume.beginResume();
    if (since !== undefined) {
      q.sinceTime = since;
      return q;
    }
    if (this.opts.sinceSeconds !== undefined) q.sinceSeconds = this.opts.sinceSeconds;
    if (this.opts.tailLines !== undefined) q.tailLines = this.opts.tailLines;
    return q;
  }

  /** Reads one response to its end: "eof" when the server ended it, else the error that broke it. */
  private async consume(res: ResponseBody, client: ApiClient): Promise<"eof" | Error> {
    const splitter = new LineSplitter();
    const { formatter, sink, keep } = this.hooks;
    const needsTime = this.opts.needsTime;
    const resume = this.resume;
    const out = sink.out;
    // --multiline and --sort take the slower path, which needs each line's timestamp as a string.
    const special = this.grouper !== undefined || this.hooks.ordered !== undefined;
    const onLine = (buf: Buffer, start: number, end: number, continued: boolean) => {
      if (continued) {
        // The rest of a line longer than MAX_LINE_BYTES: no timestamp of its own.
        if (special) this.deliver(this.lastKey, buf, start, end);
        else formatter.append(out, undefined, buf, start, end);
        return;
      }
      // The kubelet's timestamp is fixed-width ("2006-01-02T15:04:05.000000000Z "): look there first.
      let sp = start + 30;
      if (buf[sp] !== SPACE) sp = buf.indexOf(SPACE, start);
      if (sp === -1 || sp >= end || sp - start < SECOND_LEN) {
        // No timestamp: the API always sends one, so this is not a kubelet line; show it as it is.
        if (special) this.deliver(this.lastKey, buf, start, end);
        else formatter.append(out, undefined, buf, start, end);
        return;
      }
      if (resume.observe(buf, start, sp, sp + 1, end)) return;
      if (special) {
        this.lastKey = buf.toString("latin1", start, sp);
        if (this.grouper) this.grouper.push(this.lastKey, buf, sp + 1, end);
        else this.deliver(this.lastKey, buf, sp + 1, end);
        return;
      }
      if (keep && !keep(buf, sp + 1, end)) return;
      let time: Instant | undefined;
      if (needsTime) time = parseRfc3339(buf.toString("latin1", start, sp));
      formatter.append(out, time, buf, sp + 1, end);
    };
    let stale: string | undefined;
    const check =
      this.opts.follow && this.opts.quietCheckMs > 0 && !res.healthChecked
        ? new QuietCheck(this.opts.quietCheckMs, {
            lastTimestamp: () => this.lastTimestamp(client),
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
    try {
      for await (const chunk of res) {
        check?.activity();
        splitter.push(chunk as Buffer, onLine);
        resume.endChunk();
        if (special) await this.afterChunk();
        else if (!sink.commit()) await sink.whenWritable();
      }
    } catch (err) {
      // A broken stream: drop the partial last line, the resume reads it again whole.
      return stale !== undefined ? new Error(stale) : (err as Error);
    } finally {
      check?.stop();
    }
    if (stale !== undefined) return new Error(stale);
    if (!res.complete) return new Error("the connection closed before the response ended");
    if (!this.opts.follow || this.hooks.state() !== "running") {
      splitter.flush(onLine);
      resume.endChunk();
      this.grouper?.flush();
      sink.commit();
    }
    return "eof";
  }

  /** The timestamp of the log's last line now, asked on a request of its own (for QuietCheck). */
  private async lastTimestamp(client: ApiClient): Promise<string | undefined> {
    const q: Query = { container: this.target.container, timestamps: true, tailLines: 1 };
    const body = await client.stream(this.logPath(), q, this.abort.signal);
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("latin1");
    const sp = text.indexOf(" ");
    return sp > 0 ? text.slice(0, sp) : undefined;
  }

  /** Filters, formats and hands over one message (or multi-line record) on the --multiline/--sort path. */
  private deliver(key: string, buf: Buffer, start: number, end: number): void {
    const { formatter, keep, ordered, sink } = this.hooks;
    if (keep && !keep(buf, start, end)) return;
    const time = this.opts.needsTime && key !== "" ? parseRfc3339(key) : undefined;
    if (!ordered) {
      formatter.append(sink.out, time, buf, start, end);
      return;
    }
    const scratch = this.scratch;
    formatter.append(scratch, time, buf, start, end);
    if (scratch.len === 0) return;
    // A copy of its exact size (small ones come from Node's buffer pool); the scratch is reused.
    const line = Buffer.allocUnsafe(scratch.len);
    scratch.buf.copy(line, 0, 0, scratch.len);
    scratch.clear();
    if (!ordered.push(key, line)) this.orderedFull = true;
  }

  private async afterChunk(): Promise<void> {
    const { sink, ordered } = this.hooks;
    if (this.grouper?.pending) {
      // A record may go on in the next chunk; print it if nothing comes for a moment.
      clearTimeout(this.quietTimer);
      this.quietTimer = setTimeout(() => {
        this.grouper?.flush();
        sink.commit();
      }, MULTILINE_QUIET_MS);
    }
    // The merge writes to the sink while other streams push: the sink's backpressure holds everyone.
    if (!sink.commit()) await sink.whenWritable();
    if (ordered && this.orderedFull) {
      this.orderedFull = false;
      await ordered.whenWritable();
    }
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
