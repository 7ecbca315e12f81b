// --exit-on and --exit-on-level: the shown line that ends the run. One LineStop is shared by every
// stream (and every cluster's engine): the first line that fires it is the last line printed, and its
// signal stops the engines.
import { isAscii } from "node:buffer";
import type { LogRecord } from "../structured/record.ts";
import type { GoRegex } from "../util/goregex.ts";

export interface StopRule {
  /** A shown line matching one of these ends the run. */
  patterns: readonly GoRegex[];
  /** A shown line at this severity or above (levels.ts scale) ends the run; its record must be parsed. */
  minSeverity?: number | undefined;
}

/** What ended the run: a line that matched a pattern, or one at the level (with its severity). */
export type StopCause = { kind: "match"; pattern: string } | { kind: "level"; severity: number };

export class LineStop {
  private readonly rule: StopRule;
  private readonly abort = new AbortController();
  private cause: StopCause | undefined;

  constructor(rule: StopRule) {
    this.rule = rule;
  }

  /** Aborts once a line fired the rule. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Whether the run is over: no line is to be shown any more. */
  get fired(): StopCause | undefined {
    return this.cause;
  }

  /** Whether the lines need their structured records (for their level). */
  get needsRecord(): boolean {
    return this.rule.minSeverity !== undefined;
  }

  /**
   * A line was shown: its message buf[start, end) and record (when parsed). Returns true when it is
   * the line that ends the run.
   */
  shown(buf: Buffer, start: number, end: number, record: LogRecord | null | undefined): boolean {
    if (this.cause) return false;
    const cause = stopCause(this.rule, buf, start, end, record);
    if (!cause) return false;
    this.cause = cause;
    this.abort.abort();
    return true;
  }
}

/** Whether a line fires the rule, and how: its level first (the failure), then the patterns. Pure. */
export function stopCause(
  rule: StopRule,
  buf: Buffer,
  start: number,
  end: number,
  record: LogRecord | null | undefined,
): StopCause | undefined {
  const severity = record?.level?.severity;
  if (rule.minSeverity !== undefined && severity !== undefined && severity >= rule.minSeverity) {
    return { kind: "level", severity };
  }
  if (rule.patterns.length === 0) return undefined;
  const bytes = buf.subarray(start, end);
  const text = isAscii(bytes) ? bytes.toString("latin1") : undefined;
  for (const re of rule.patterns) {
    if (text !== undefined ? re.testAscii(text) : re.testBytes(buf, start, end)) {
      return { kind: "match", pattern: re.source };
    }
  }
  return undefined;
}
