// -o pretty: JSON log lines (zap, zerolog, logrus, bunyan/pino, slog, ECS...) as
// `[prefix][timestamp ]LEVEL message key=value ...`; every other line exactly as -o default prints it.
//
// Rules:
// - level: the first of "level", "lvl", "severity", "log.level" holding a non-empty string (upper-cased,
//   colored as stern's levelColor), or a numeric "level" (bunyan/pino: 10 TRACE ... 60 FATAL, colored
//   as stern's bunyanLevelColor; other numbers are printed as they are);
// - message: the first of "msg", "message", "log", "text" holding a string;
// - time: the first of "time", "ts", "timestamp", "@timestamp" holding an RFC3339 string or a number of
//   seconds, milliseconds, microseconds or nanoseconds since the epoch (told apart by magnitude; numbers
//   below 1e9 are durations rather than times and stay a field). With -t it replaces the API timestamp;
//   either way it is not repeated among the fields;
// - the other fields in their original order as key=value: strings bare unless empty or holding
//   whitespace, '=', quotes or control characters (then JSON-quoted), numbers exactly as written,
//   true/false/null, objects and arrays as compact JSON.
// Line breaks inside the message are shown as \n so a record stays one output line.

import { OutBuffer } from "../util/out-buffer.ts";
import { paint, type Sgr } from "./color.ts";
import { plainFormatter } from "./plain.ts";
import { terminalSafe } from "./terminal.ts";
import { formatTimestamp, type Instant, parseRfc3339 } from "./timestamp.ts";
import type { FormatOptions, LineFormatter, StreamInfo } from "./types.ts";

const LEVEL_KEYS = ["level", "lvl", "severity", "log.level"];
const MESSAGE_KEYS = ["msg", "message", "log", "text"];
const TIME_KEYS = ["time", "ts", "timestamp", "@timestamp"];

// stern's levelColor (src/template/stern.ts), by lower-cased name.
const LEVEL_SGR: Record<string, Sgr> = {
  debug: "35",
  info: "34",
  warn: "33",
  warning: "33",
  error: "31",
  dpanic: "31",
  panic: "31",
  fatal: "36",
  critical: "36",
};

const BUNYAN_NAMES: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};

const DIM: Sgr = "2";

/** stern's bunyanLevelColor ranges. */
function bunyanSgr(level: number): Sgr {
  const lv = Math.trunc(level);
  return lv < 30 ? "35" : lv < 40 ? "34" : lv < 50 ? "33" : lv < 60 ? "31" : lv < 100 ? "36" : "";
}

type Kind = "string" | "number" | "literal" | "nested";

interface Field {
  key: string;
  /** The value's JSON text, compacted for objects and arrays (numbers keep their exact digits). */
  raw: string;
  kind: Kind;
  /** Set when the field is printed as the level, message or time. */
  used?: boolean;
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** The index just past the string starting at text[i] (a quote). */
function skipString(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    j += c === 0x5c ? 2 : 1;
  }
}

/** The index just past the JSON value starting at text[i]; text is known to be valid JSON. */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return skipString(text, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    let j = i;
    for (;;) {
      const d = text.charCodeAt(j);
      if (d === 0x22) {
        j = skipString(text, j);
        continue;
      }
      if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
  }
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === 0x2c || d === 0x7d || d === 0x5d || isJsonSpace(d)) break;
    j++;
  }
  return j;
}

/** Drops the whitespace outside strings. */
function compact(raw: string): string {
  if (!/[ \t\n\r]/.test(raw)) return raw;
  let out = "";
  let i = 0;
  while (i < raw.length) {
    const c = raw.charCodeAt(i);
    if (c === 0x22) {
      const j = skipString(raw, i);
      out += raw.slice(i, j);
      i = j;
    } else {
      if (!isJsonSpace(c)) out += raw[i];
      i++;
    }
  }
  return out;
}

/**
 * The top-level fields of a JSON object, in their written order with their written text (JSON.parse
 * would move integer-like keys first, merge duplicates and round long numbers). `text` has been
 * validated by JSON.parse, so this scan can be lax.
 */
function scanFields(text: string): Field[] {
  const fields: Field[] = [];
  let i = text.indexOf("{") + 1;
  const skipSpace = () => {
    while (isJsonSpace(text.charCodeAt(i))) i++;
  };
  for (;;) {
    skipSpace();
    if (text.charCodeAt(i) === 0x7d) return fields; // "}" of an empty object
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = keyEnd;
    skipSpace();
    i++; // ":"
    skipSpace();
    const valueEnd = skipValue(text, i);
    const c = text.charCodeAt(i);
    const raw = text.slice(i, valueEnd);
    if (c === 0x22) fields.push({ key, raw, kind: "string" });
    else if (c === 0x7b || c === 0x5b) fields.push({ key, raw: compact(raw), kind: "nested" });
    else if (c === 0x74 || c === 0x66 || c === 0x6e) fields.push({ key, raw, kind: "literal" });
    else fields.push({ key, raw, kind: "number" });
    i = valueEnd;
    skipSpace();
    if (text.charCodeAt(i) !== 0x2c) return fields; // "}"
    i++;
  }
}

function find(fields: Field[], key: string): Field | undefined {
  for (const f of fields) if (f.key === key) return f;
  return undefined;
}

function stringValue(f: Field): string {
  return JSON.parse(f.raw) as string;
}

/** A JSON number as a time: seconds, ms, µs or ns since the epoch by magnitude, digits kept exactly. */
export function instantFromNumber(raw: string): Instant | undefined {
  const n = Number(raw);
  // Below 1e9 (2001 in seconds) it is more likely a duration such as a request's time.
  if (!Number.isFinite(n) || n < 1e9 || n >= 1e20) return undefined;
  const scale = n < 1e11 ? 0 : n < 1e14 ? 3 : n < 1e17 ? 6 : 9;
  const text = /^\d+(?:\.\d+)?$/.test(raw) ? raw : n.toFixed(9);
  const dot = text.indexOf(".");
  const intPart = dot < 0 ? text : text.slice(0, dot);
  const digits = intPart + (dot < 0 ? "" : text.slice(dot + 1));
  const point = intPart.length - scale; // n >= 1e9, so the seconds have at least one digit
  const nanos = digits.slice(point).padEnd(9, "0").slice(0, 9);
  return { ms: Number(digits.slice(0, point)) * 1000 + Number(nanos.slice(0, 3)), nanos };
}

/** An RFC3339 time, also with a space or lower-case "t"/"z" as RFC3339 allows. */
export function instantFromString(text: string): Instant | undefined {
  const t = parseRfc3339(text);
  if (t || text.length < 20) return t;
  const sep = text[10];
  const fixed = (sep === " " || sep === "t" ? `${text.slice(0, 10)}T${text.slice(11)}` : text).replace(
    /z$/,
    "Z",
  );
  return fixed === text ? undefined : parseRfc3339(fixed);
}

function timeOf(f: Field): Instant | undefined {
  if (f.kind === "string") return instantFromString(stringValue(f));
  if (f.kind === "number") return instantFromNumber(f.raw);
  return undefined;
}

const NEEDS_QUOTES = /[\s="'\x00-\x1f\x7f-\x9f]/;
// JSON.stringify leaves these as they are; escaped, a quoted value has no control character left.
const MORE_ESCAPES = /[\x7f-\x9f\u2028\u2029]/g;

function fieldText(text: string): string {
  if (text !== "" && !NEEDS_QUOTES.test(text)) return text;
  return JSON.stringify(text).replace(
    MORE_ESCAPES,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function levelText(fields: Field[], colored: boolean, safe: (t: string) => string): string | undefined {
  for (const key of LEVEL_KEYS) {
    const f = find(fields, key);
    if (!f) continue;
    if (f.kind === "string") {
      const v = stringValue(f);
      if (v === "") continue;
      f.used = true;
      const name = safe(v.toUpperCase());
      const sgr = LEVEL_SGR[v.toLowerCase()];
      return colored && sgr !== undefined && Object.hasOwn(LEVEL_SGR, v.toLowerCase())
        ? paint(sgr, name)
        : name;
    }
    if (f.kind === "number" && key === "level") {
      f.used = true;
      const n = Number(f.raw);
      const name = BUNYAN_NAMES[n] ?? f.raw;
      return colored ? paint(bunyanSgr(n), name) : name;
    }
  }
  return undefined;
}

function messageText(fields: Field[]): string | undefined {
  for (const key of MESSAGE_KEYS) {
    const f = find(fields, key);
    if (f?.kind !== "string") continue;
    f.used = true;
    return stringValue(f).replace(/\r?\n|\r/g, (m) => (m === "\r" ? "\\r" : "\\n"));
  }
  return undefined;
}

function timeField(fields: Field[]): Instant | undefined {
  for (const key of TIME_KEYS) {
    const f = find(fields, key);
    if (!f) continue;
    const t = timeOf(f);
    if (t) {
      f.used = true;
      return t;
    }
  }
  return undefined;
}

/** Whether buf[start, end) may be a JSON object: first and last non-blank bytes are "{" and "}". */
function looksLikeObject(buf: Buffer, start: number, end: number): boolean {
  let i = start;
  while (i < end && isJsonSpace(buf[i] as number)) i++;
  let j = end - 1;
  while (j > i && isJsonSpace(buf[j] as number)) j--;
  return j > i && buf[i] === 0x7b && buf[j] === 0x7d;
}

/** The fields of the JSON object in buf[start, end), or undefined when it is not one. */
function parseObject(buf: Buffer, start: number, end: number): Field[] | undefined {
  if (!looksLikeObject(buf, start, end)) return undefined;
  const text = buf.toString("utf8", start, end);
  try {
    JSON.parse(text); // validation only: the first and last bytes already make it an object
  } catch {
    return undefined;
  }
  return scanFields(text);
}

/**
 * The stream's prefix exactly as -o default writes it. Taken from plainFormatter itself (a line with
 * an empty message, minus its newline) so the two can never disagree.
 */
export function defaultPrefix(opts: FormatOptions, info: StreamInfo): string {
  const out = new OutBuffer(256);
  plainFormatter({ ...opts, output: "default", timestamps: undefined }, info).append(
    out,
    undefined,
    Buffer.alloc(0),
    0,
    0,
  );
  return out.buf.toString("utf8", 0, out.len - 1);
}

export function prettyFormatter(opts: FormatOptions, info: StreamInfo, colored: boolean): LineFormatter {
  const plain = plainFormatter({ ...opts, output: "default" }, info);
  const prefix = defaultPrefix(opts, info);
  const tsFormat = opts.timestamps;
  const key = colored ? (k: string) => paint(DIM, fieldText(k)) : fieldText;
  // The terminal wrapper sees the raw line, where an escape sequence may still be spelled "\u001b":
  // the texts decoded here get the same treatment (keys and values are quoted and escaped instead).
  const terminal = opts.terminal;
  const safe = terminal ? (t: string) => terminalSafe(t, terminal === "keep-colors") : (t: string) => t;
  return {
    append(out, time, buf, start, end) {
      const fields = parseObject(buf, start, end);
      if (!fields || fields.length === 0) {
        plain.append(out, time, buf, start, end);
        return;
      }
      const parts: string[] = [];
      const t = timeField(fields) ?? time;
      if (tsFormat !== undefined && t) parts.push(formatTimestamp(t, tsFormat, opts.zone));
      const level = levelText(fields, colored, safe);
      if (level !== undefined) parts.push(level);
      const message = messageText(fields);
      if (message) parts.push(safe(message));
      for (const f of fields) {
        if (f.used) continue;
        parts.push(`${key(f.key)}=${f.kind === "string" ? fieldText(stringValue(f)) : f.raw}`);
      }
      out.putString(`${prefix}${parts.join(" ")}\n`);
    },
  };
}
