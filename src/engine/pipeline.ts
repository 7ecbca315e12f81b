// What happens to a stream's lines once the tail has read them: grouped into multi-line records
// (--multiline), filtered (-i/-e, then --level/--where), formatted and handed to the output (the sink,
// or a --sort lane). One path for every option; what an option does not need costs a branch per line,
// no more. A line is parsed as a structured record only when an option needs it, and then once: the
// record goes to both the filter and the formatter.

import { type Instant, InstantReader, instantKey, parseRfc3339 } from "../shared/instant.ts";
import type { RecordFilter } from "../structured/filter.ts";
import { parseRecord } from "../structured/parse.ts";
import type { LogRecord } from "../structured/record.ts";
import { after, type Clock, systemClock, type Timer } from "./clock.ts";
import { ContextFilter, type ContextOptions } from "./context.ts";
import { MultilineGrouper } from "./multiline.ts";
import type { LineFormatter, LineOutput } from "./output.ts";
import type { LineStop } from "./stop.ts";

/** A pending multi-line record is printed after this much quiet on its stream. */
const MULTILINE_QUIET_MS = 150;

const DROP = Symbol("drop");

export interface PipelineOptions {
  /** Keeps or drops a line by its message buf[start, end) (filters); absent = keep all. */
  keep?: ((buf: Buffer, start: number, end: number) => boolean) | undefined;
  /** Parse each line as a structured record (--level, --where, -o pretty...). */
  parse?: boolean | undefined;
  /** Keeps or drops a line by its record (--level, --where); needs `parse`. */
  keepRecord?: RecordFilter | undefined;
  /** --multiline: continuation lines join the previous line's record before filtering. */
  multiline?: boolean | undefined;
  /** Parse each timestamp (-t, and formats that show time). */
  needsTime: boolean;
  /** -B/--after-context/-C: context lines around -i matches (instead of keep). */
  context?: ContextOptions | undefined;
  /** The clock of the quiet period after which a pending multi-line record is printed. */
  clock?: Clock;
  /** --exit-on/--exit-on-level: each shown line is checked; once one fired it, nothing more is shown. */
  stop?: LineStop | undefined;
}

export class LinePipeline {
  private readonly formatter: LineFormatter;
  private readonly output: LineOutput;
  private readonly keep: PipelineOptions["keep"];
  private readonly parse: boolean;
  private readonly keepRecord: RecordFilter | undefined;
  private readonly needsTime: boolean;
  private readonly grouper: MultilineGrouper | undefined;
  /** Timestamps as strings are needed for --multiline records and --sort keys only. */
  private readonly wantsKeys: boolean;
  /** The last line's timestamp: lines without one (the rest of a cut line) take it. */
  private lastKey = "";
  /** The same on the path that makes no key strings: where it is, not yet parsed. */
  private lastTs: Buffer | undefined;
  private lastTsStart = 0;
  private lastTsEnd = 0;
  /** Timestamps read, the second of the last one kept. */
  private readonly instants = new InstantReader();
  private quietTimer: Timer | undefined;
  private readonly clock: Clock;
  private readonly context: ContextFilter | undefined;
  private readonly stop: LineStop | undefined;

  constructor(formatter: LineFormatter, output: LineOutput, opts: PipelineOptions) {
    this.formatter = formatter;
    this.output = output;
    this.keep = opts.keep;
    this.stop = opts.stop;
    this.parse = opts.parse === true || opts.keepRecord !== undefined || opts.stop?.needsRecord === true;
    this.keepRecord = opts.keepRecord;
    this.needsTime = opts.needsTime;
    this.clock = opts.clock ?? systemClock;
    if (opts.multiline)
      this.grouper = new MultilineGrouper((record, key) => this.deliver(key, record, 0, record.length));
    if (opts.context) this.context = new ContextFilter(opts.context, (k, b, s, e) => this.format(k, b, s, e));
    this.wantsKeys = this.grouper !== undefined || this.context !== undefined || output.wantsKeys;
  }

  /** A log line: its timestamp is buf[ts, tsEnd) (empty when it has none), its message buf[msg, end). */
  line(buf: Buffer, ts: number, tsEnd: number, msg: number, end: number): void {
    if (!this.wantsKeys) {
      // The common case, kept lean: no strings made per line unless a timestamp is shown.
      if (tsEnd > ts) {
        // Kept by reference, parsed only if a line without one (the rest of a cut line) comes next.
        this.lastTs = buf;
        this.lastTsStart = ts;
        this.lastTsEnd = tsEnd;
      }
      const record = this.filter(buf, msg, end);
      if (record === DROP) return;
      const time = this.needsTime ? this.timeOf(buf, ts, tsEnd) : undefined;
      if (this.stop?.fired) return;
      this.formatter.append(this.output.out, time, buf, msg, end, record);
      this.stop?.shown(buf, msg, end, record);
      return;
    }
    if (tsEnd > ts) this.lastKey = buf.toString("latin1", ts, tsEnd);
    if (this.grouper) this.grouper.push(this.lastKey, buf, msg, end);
    else this.deliver(this.lastKey, buf, msg, end);
  }

  /** A line whose time the caller knows (--stdin under -t): its own timestamp, or when it was read. */
  timedLine(time: Instant, buf: Buffer, msg: number, end: number): void {
    if (!this.wantsKeys) {
      const record = this.filter(buf, msg, end);
      if (record === DROP) return;
      this.formatter.append(this.output.out, time, buf, msg, end, record);
      return;
    }
    this.lastKey = instantKey(time);
    if (this.grouper) this.grouper.push(this.lastKey, buf, msg, end);
    else this.deliver(this.lastKey, buf, msg, end);
  }

  /** A line's time; a line without a timestamp takes the last line's, as on the keys path. */
  private timeOf(buf: Buffer, ts: number, tsEnd: number): Instant | undefined {
    if (tsEnd > ts) return this.instants.read(buf, ts, tsEnd);
    const last = this.lastTs;
    return last ? this.instants.read(last, this.lastTsStart, this.lastTsEnd) : undefined;
  }

  /** The end of a chunk: whether to read on now (false: wait for whenWritable()). */
  endChunk(): boolean {
    if (this.grouper?.pending) {
      // A record may go on in the next chunk; print it if nothing comes for a moment.
      this.quietTimer?.cancel();
      this.quietTimer = after(this.clock, MULTILINE_QUIET_MS, () => {
        this.grouper?.flush();
        this.output.commit();
      });
    }
    return this.output.commit();
  }

  whenWritable(): Promise<void> {
    return this.output.whenWritable();
  }

  /** The stream is over: what was read is printed, a record still waiting for more lines too. */
  close(): void {
    this.quietTimer?.cancel();
    this.grouper?.flush();
    this.output.commit();
    this.output.end();
  }

  /**
   * The filters: DROP, or the line's record for the formatter (undefined when nothing needs it).
   * -i/-e come first, so a line they drop is never parsed.
   */
  private filter(buf: Buffer, start: number, end: number): LogRecord | null | undefined | typeof DROP {
    if (this.keep && !this.keep(buf, start, end)) return DROP;
    if (!this.parse) return undefined;
    const record = parseRecord(buf, start, end);
    return this.keepRecord && !this.keepRecord(record) ? DROP : record;
  }

  /** Filters, formats and hands over one message (or multi-line record) with its timestamp key. */
  private deliver(key: string, buf: Buffer, start: number, end: number): void {
    if (this.context) {
      // Context lines decide with -i/-e themselves; --level/--where apply to what they print.
      this.context.line(key, buf, start, end);
      return;
    }
    const record = this.filter(buf, start, end);
    if (record === DROP) return;
    this.emit(key, buf, start, end, record);
  }

  /** A line the context filter prints (a match, its context, or "--"). */
  private format(key: string, buf: Buffer, start: number, end: number): void {
    const record = this.parse ? parseRecord(buf, start, end) : undefined;
    if (record !== undefined && this.keepRecord && !this.keepRecord(record)) return;
    this.emit(key, buf, start, end, record);
  }

  private emit(
    key: string,
    buf: Buffer,
    start: number,
    end: number,
    record: LogRecord | null | undefined,
  ): void {
    if (this.stop?.fired) return;
    const time: Instant | undefined = this.needsTime && key !== "" ? parseRfc3339(key) : undefined;
    const out = this.output.out;
    const before = out.len;
    this.formatter.append(out, time, buf, start, end, record);
    if (out.len !== before || !this.output.wantsKeys) this.output.lineDone(key);
    this.stop?.shown(buf, start, end, record);
  }
}
