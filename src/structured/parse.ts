// One entry point for every structured feature: which format a line is in, chosen per line, and its
// record. JSON objects, logfmt, klog (text and structured) and lines that start with a level; any
// other line is text (null).

import type { Instant } from "../shared/instant.ts";
import { instantFromString, parseJsonRecord } from "./json.ts";
import { severityOfName } from "./levels.ts";
import { scanPairs } from "./pairs.ts";
import { type Field, type Level, type LogRecord, type RecordFormat, valuesOf } from "./record.ts";

const LEVEL_KEYS = ["level", "lvl", "severity"];
const MESSAGE_KEYS = ["msg", "message"];
const TIME_KEYS = ["time", "ts", "t", "timestamp"];

function take(fields: Field[], keys: readonly string[], ok: (f: Field) => boolean): Field | undefined {
  for (const key of keys) {
    const i = fields.findIndex((f) => f.key === key && ok(f));
    if (i >= 0) return fields.splice(i, 1)[0];
  }
  return undefined;
}

function record(
  format: RecordFormat,
  level: Level | undefined,
  message: string | undefined,
  time: Instant | undefined,
  fields: Field[],
  firstEnd: number,
  written?: Field[],
): LogRecord {
  let values: Record<string, unknown> | undefined;
  return {
    format,
    level,
    message,
    time,
    fields,
    firstEnd,
    values() {
      // logfmt's pairs as written; klog and prefixed text get their level and message by these names.
      values ??= written
        ? valuesOf(written, {})
        : valuesOf(fields, {
            ...(level ? { level: level.text.toLowerCase() } : {}),
            ...(message !== undefined ? { msg: message } : {}),
          });
      return values;
    },
  };
}

function nameLevel(name: string): Level {
  return { text: name.toUpperCase(), severity: severityOfName(name) };
}

/** logfmt: level=info msg="..." key=value (logrus, slog, go-kit, Grafana, Prometheus...). */
export function parseLogfmt(text: string, firstEnd: number): LogRecord | undefined {
  const written = scanPairs(text, 0, false);
  if (!written) return undefined;
  const fields = written.slice();
  const level = take(fields, LEVEL_KEYS, (f) => f.value !== "");
  const message = take(fields, MESSAGE_KEYS, () => true);
  let time: Instant | undefined;
  const timeField = take(fields, TIME_KEYS, (f) => {
    time = instantFromString(f.value);
    return time !== undefined;
  });
  return record(
    "logfmt",
    level ? nameLevel(level.value) : undefined,
    message?.value,
    timeField ? time : undefined,
    fields,
    firstEnd,
    written,
  );
}

const KLOG_LEVELS: Record<string, Level> = {
  I: { text: "INFO", severity: severityOfName("info") },
  W: { text: "WARNING", severity: severityOfName("warning") },
  E: { text: "ERROR", severity: severityOfName("error") },
  F: { text: "FATAL", severity: severityOfName("fatal") },
};

// Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg
const KLOG_HEADER = /^([IWEF])\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ ([^ \]]+:\d+)\] /;

/**
 * klog: `E1201 12:00:00.000000       1 controller.go:42] message`, or its structured form whose
 * message is quoted and followed by pairs (`] "Pod updated" pod="kube-system/dns" err="..."`). The
 * header's time has no year and no zone, so the API timestamp stays the line's time; the source
 * location is the field "caller", as zap names it.
 */
export function parseKlog(text: string, firstEnd: number): LogRecord | undefined {
  const m = KLOG_HEADER.exec(text);
  if (!m) return undefined;
  const level = KLOG_LEVELS[m[1] as string];
  const caller: Field = { key: "caller", value: m[2] as string, kind: "string" };
  const rest = m[0].length;
  if (text.charCodeAt(rest) === 0x22) {
    const pairs = scanPairs(`msg=${text.slice(rest)}`, 0, true);
    if (pairs && pairs[0]?.key === "msg" && pairs[0].kind === "string") {
      const message = pairs.shift()?.value;
      return record("klog", level, message, undefined, [...pairs, caller], firstEnd);
    }
  }
  return record("klog", level, text.slice(rest), undefined, [caller], firstEnd);
}

const TIME_PREFIX = /^\[?(\d{4}[-/]\d\d[-/]\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(Z|[+-]\d\d:?\d\d)?)\]?[ \t]+/;
const LEVEL_WORD = /^(?:\[([A-Za-z]+)\]|([A-Za-z]+):|([A-Z]+)(?=[ \t]|$))[ \t]*/;

/**
 * A line that starts with a level, after a time perhaps: `ERROR ...`, `[warn] ...`, `Warning: ...`,
 * `2024-05-01 10:00:00,123 INFO ...` (log4j, Python, Spring Boot, nginx, Rust's tracing). A bare
 * word must be upper-case to count: "error" or "Info" alone begin sentences too.
 */
export function parsePrefixed(text: string, firstEnd: number): LogRecord | undefined {
  let i = 0;
  let time: Instant | undefined;
  const t = TIME_PREFIX.exec(text);
  if (t) {
    i = t[0].length;
    // A time without a zone is left to the API timestamp rather than guessed.
    if (t[2])
      time = instantFromString((t[1] as string).replace(",", ".").replace("/", "-").replace("/", "-"));
  }
  const m = LEVEL_WORD.exec(text.slice(i));
  if (!m) return undefined;
  const name = (m[1] ?? m[2] ?? m[3]) as string;
  const severity = severityOfName(name);
  if (severity === undefined) return undefined;
  const level: Level = { text: name.toUpperCase(), severity };
  return record("text", level, text.slice(i + m[0].length), time, [], firstEnd);
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

/**
 * The record of the line (or --multiline record) buf[start, end), read from its first line; null
 * when it is text in no known format.
 */
export function parseRecord(buf: Buffer, start: number, end: number): LogRecord | null {
  let firstEnd = buf.indexOf(0x0a, start);
  if (firstEnd < 0 || firstEnd > end) firstEnd = end;
  let s = start;
  let e = firstEnd;
  while (s < e && isBlank(buf[s] as number)) s++;
  while (e > s && isBlank(buf[e - 1] as number)) e--;
  if (s === e) return null;
  const text = buf.toString("utf8", s, e);
  const c = text.charCodeAt(0);
  if (c === 0x7b)
    return text.charCodeAt(text.length - 1) === 0x7d ? (parseJsonRecord(text, firstEnd) ?? null) : null;
  if (c === 0x49 || c === 0x57 || c === 0x45 || c === 0x46) {
    const k = parseKlog(text, firstEnd);
    if (k) return k;
  }
  if (text.includes("=")) {
    const l = parseLogfmt(text, firstEnd);
    if (l) return l;
  }
  return parsePrefixed(text, firstEnd) ?? null;
}
