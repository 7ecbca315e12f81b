// --stdin: lines from standard input through the same pipeline as log lines (filters, --multiline,
// structured records), into the formatter the caller built for them. Under -t a line that starts with
// an RFC 3339 timestamp and a space keeps that time (and the rest is its message); any other line is
// stamped with the time it was read (stern #379, PR #380).
import type { Readable } from "node:stream";
import { type Instant, parseGoRfc3339 } from "../shared/instant.ts";
import { LineSplitter } from "./lines.ts";
import { type LineFormatter, sinkOutput } from "./output.ts";
import { LinePipeline, type PipelineOptions } from "./pipeline.ts";
import type { Sink } from "./sink.ts";

export interface StdinOptions {
  /** -t: every line gets a time. */
  timestamps: boolean;
  /** The wall clock (tests); Date.now with the sub-millisecond digits of performance.now otherwise. */
  now?: () => Instant;
}

const SPACE = 32;
const DASH = 45;
const T = 84;

export async function runStdin(
  input: Readable,
  formatter: LineFormatter,
  filters: Omit<PipelineOptions, "needsTime">,
  sink: Sink,
  opts: StdinOptions = { timestamps: false },
): Promise<void> {
  const pipeline = new LinePipeline(formatter, sinkOutput(sink), { ...filters, needsTime: opts.timestamps });
  const splitter = new LineSplitter();
  const now = opts.now ?? wallClockNow;
  let last: Instant | undefined;
  const onLine = opts.timestamps
    ? (buf: Buffer, start: number, end: number, continued: boolean) => {
        // The rest of a line cut for its length has that line's time.
        if (continued && last) return pipeline.timedLine(last, buf, start, end);
        // stern's splitLogLineIfTimestamped: the first word, if Go parses it as RFC3339Nano ("-" and
        // "T" where they must be are checked first, so most lines are never decoded).
        const sp = buf.indexOf(SPACE, start);
        if (sp !== -1 && sp < end && buf[start + 4] === DASH && buf[start + 10] === T) {
          const time = parseGoRfc3339(buf.toString("latin1", start, sp));
          if (time) {
            last = time;
            return pipeline.timedLine(time, buf, sp + 1, end);
          }
        }
        last = now();
        pipeline.timedLine(last, buf, start, end);
      }
    : (buf: Buffer, start: number, end: number) => pipeline.line(buf, start, start, start, end);
  for await (const chunk of input) {
    splitter.push(chunk as Buffer, onLine);
    if (!pipeline.endChunk()) await pipeline.whenWritable();
  }
  splitter.flush(onLine);
  pipeline.close();
}

/** Go's time.Now(): the wall clock to well under a microsecond (the rest of the nine digits is noise). */
function wallClockNow(): Instant {
  const t = performance.timeOrigin + performance.now();
  const sec = Math.floor(t / 1000);
  const ns = Math.min(999_999_999, Math.round((t - sec * 1000) * 1e6));
  return { ms: sec * 1000 + Math.floor(ns / 1e6), nanos: String(ns).padStart(9, "0") };
}
