// Which lines the view shows: the sources not muted, a text filter (a Go regexp, or its inverse),
// a least level and a --where expression. Levels are read from a line only when a filter needs them,
// and then once (cached in the store).
import { parseRecord } from "../structured/parse.ts";
import type { WhereTest } from "../structured/where.ts";
import type { GoRegex } from "../util/goregex.ts";
import type { Sources } from "./sources.ts";
import { LEVEL_UNKNOWN, LineKind, type LineStore, NO_LEVEL } from "./store.ts";

export interface FilterSpec {
  /** The text filter, compiled, and whether it keeps the lines that do not match. */
  text?: { regex: GoRegex; invert: boolean } | undefined;
  /** The least severity shown (structured/levels.ts scale); lines without a level are kept unless strict. */
  minLevel?: number | undefined;
  levelStrict?: boolean | undefined;
  where?: WhereTest | undefined;
}

/** The level of a line (cached): its severity, or NO_LEVEL. */
export function levelOf(store: LineStore, i: number): number {
  let level = store.level(i);
  if (level === LEVEL_UNKNOWN) {
    const bytes = store.bytes(i);
    const severity = parseRecord(bytes, 0, bytes.length)?.level?.severity;
    level = severity === undefined ? NO_LEVEL : Math.max(1, Math.min(254, severity));
    store.setLevel(i, level);
  }
  return level;
}

/** The test of one line under a spec: log lines take every filter; news (events, +/-) the text only. */
export function lineTest(store: LineStore, sources: Sources, spec: FilterSpec): (i: number) => boolean {
  const { text, minLevel, levelStrict, where } = spec;
  const matches = text
    ? (buf: Buffer, start: number, end: number) => text.regex.testBytes(buf, start, end)
    : undefined;
  return (i) => {
    if (!sources.shows(store.source(i))) return false;
    if (text && matches && store.test(i, matches) === text.invert) return false;
    if (store.kind(i) !== LineKind.Log) return true;
    if (minLevel !== undefined) {
      const level = levelOf(store, i);
      if (level === NO_LEVEL ? levelStrict === true : level < minLevel) return false;
    }
    if (where) {
      const b = store.bytes(i);
      const record = parseRecord(b, 0, b.length);
      if (!record || !where(record)) return false;
    }
    return true;
  };
}

/** Whether a spec shows every line of shown sources (then no line need be tested). */
export function isEmpty(spec: FilterSpec): boolean {
  return !spec.text && spec.minLevel === undefined && !spec.where;
}
