// --level and --where: which lines to keep, decided on their structured records.

import type { LogRecord } from "./record.ts";
import type { WhereTest } from "./where.ts";

export interface RecordFilterOptions {
  /** --level: the least severity kept (levels.ts scale). */
  minSeverity?: number | undefined;
  /** --level-strict: a line without a known level is dropped instead of kept. */
  levelStrict?: boolean | undefined;
  /** --where, compiled. */
  where?: WhereTest | undefined;
}

export type RecordFilter = (record: LogRecord | null) => boolean;

/** The filter for these options, or undefined when none is on (then no line need be parsed for it). */
export function recordFilter(o: RecordFilterOptions): RecordFilter | undefined {
  const min = o.minSeverity;
  const strict = o.levelStrict === true;
  const where = o.where;
  if (min === undefined && !where) return undefined;
  return (record) => {
    if (min !== undefined) {
      const severity = record?.level?.severity;
      if (severity === undefined ? strict : severity < min) return false;
    }
    return where === undefined || (record !== null && where(record));
  };
}
