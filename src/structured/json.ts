// JSON log lines (zap, zerolog, logrus, slog, pino/bunyan, ECS, Google Cloud...).
//
// - level: the first of "level", "lvl", "severity", "log.level" holding a non-empty string, or a
//   numeric "level" (pino/bunyan 10-60, GELF's syslog 0-7);
// - message: the first of "msg", "message", "log", "text" holding a string;
// - time: the first of "time", "ts", "timestamp", "@timestamp" holding an RFC3339 string or a number of
//   seconds, ms, µs or ns since the epoch (by magnitude; below 1e9 it is a duration and stays a field);
// - the other fields in their written order with their written text (JSON.parse would move
//   integer-like keys first, merge duplicates and round long numbers); nested objects flattened.

import { type Instant, parseRfc3339 } from "../shared/instant.ts";
import { bunyanName, severityOfName, severityOfNumber } from "./levels.ts";
import type { Field, FieldKind, Level, LogRecord } from "./record.ts";

const LEVEL_KEYS = ["level", "lvl", "severity", "log.level"];
const MESSAGE_KEYS = ["msg", "message", "log", "text"];
const TIME_KEYS = ["time", "ts", "timestamp", "@timestamp"];

interface RawField {
  key: string;
  /** The value's JSON text. */
  raw: string;
  kind: FieldKind | "object";
  /** A string with escapes, decoded by JSON.parse; without, its text is between the quotes. */
  escaped: boolean;
  used?: boolean;
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

// JSON's grammar, checked while the members are read: JSON.parse would allocate the whole object and
// cost as much again, and only --where needs the values (it parses them then, once).

function wsEnd(t: string, i: number): number {
  while (isJsonSpace(t.charCodeAt(i))) i++;
  return i;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Set by validString when the string has an escape (most have none: then it is its own text). */
let sawEscape = false;

/** The index past the valid string at t[i] (a quote), or -1. */
function validString(t: string, i: number): number {
  for (let j = i + 1; j < t.length; ) {
    const c = t.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return -1;
    if (c !== 0x5c) {
      j++;
      continue;
    }
    sawEscape = true;
    const e = t.charCodeAt(j + 1);
    if (e === 0x75) {
      for (let k = j + 2; k < j + 6; k++) if (!isHex(t.charCodeAt(k))) return -1;
      j += 6;
    } else if (
      e === 0x22 ||
      e === 0x5c ||
      e === 0x2f ||
      e === 0x62 ||
      e === 0x66 ||
      e === 0x6e ||
      e === 0x72 ||
      e === 0x74
    ) {
      j += 2;
    } else return -1;
  }
  return -1;
}

function digitsEnd(t: string, i: number): number {
  const from = i;
  for (let c = t.charCodeAt(i); c >= 0x30 && c <= 0x39; c = t.charCodeAt(i)) i++;
  return i > from ? i : -1;
}

function validNumber(t: string, i: number): number {
  if (t.charCodeAt(i) === 0x2d) i++;
  i = t.charCodeAt(i) === 0x30 ? i + 1 : digitsEnd(t, i);
  if (i < 0) return -1;
  if (t.charCodeAt(i) === 0x2e) {
    i = digitsEnd(t, i + 1);
    if (i < 0) return -1;
  }
  const e = t.charCodeAt(i);
  if (e !== 0x65 && e !== 0x45) return i;
  i++;
  const sign = t.charCodeAt(i);
  return digitsEnd(t, sign === 0x2b || sign === 0x2d ? i + 1 : i);
}

/** The index past the valid JSON value at t[i], or -1 (nesting deeper than 100 counts as invalid). */
export function validValue(t: string, i: number, depth = 0): number {
  const c = t.charCodeAt(i);
  if (c === 0x22) return validString(t, i);
  if (c === 0x7b || c === 0x5b) {
    if (depth > 100) return -1;
    const close = c === 0x7b ? 0x7d : 0x5d;
    i = wsEnd(t, i + 1);
    if (t.charCodeAt(i) === close) return i + 1;
    for (;;) {
      if (c === 0x7b) {
        if (t.charCodeAt(i) !== 0x22) return -1;
        i = wsEnd(t, validString(t, i));
        if (t.charCodeAt(i) !== 0x3a) return -1;
        i = wsEnd(t, i + 1);
      }
      i = validValue(t, i, depth + 1);
      if (i < 0) return -1;
      i = wsEnd(t, i);
      const d = t.charCodeAt(i);
      if (d === close) return i + 1;
      if (d !== 0x2c) return -1;
      i = wsEnd(t, i + 1);
    }
  }
  if (c === 0x74) return t.startsWith("true", i) ? i + 4 : -1;
  if (c === 0x66) return t.startsWith("false", i) ? i + 5 : -1;
  if (c === 0x6e) return t.startsWith("null", i) ? i + 4 : -1;
  return validNumber(t, i);
}

/** Drops the whitespace outside strings (the value is valid JSON). */
function compact(raw: string): string {
  if (!/[ \t\n\r]/.test(raw)) return raw;
  let out = "";
  let i = 0;
  while (i < raw.length) {
    const c = raw.charCodeAt(i);
    if (c === 0x22) {
      const j = validString(raw, i);
      out += raw.slice(i, j);
      i = j;
    } else {
      if (!isJsonSpace(c)) out += raw[i];
      i++;
    }
  }
  return out;
}

function decodeString(f: RawField): string {
  return f.escaped ? (JSON.parse(f.raw) as string) : f.raw.slice(1, -1);
}

/** Where scanObject's object ended. */
let objectEnd = 0;

/**
 * The members of the JSON object at text[i] ("{") in their written order with their written text
 * (JSON.parse would move integer-like keys first, merge duplicates and round long numbers), checking
 * JSON's grammar on the way; undefined when it is not valid. It ends at objectEnd.
 */
function scanObject(t: string, i: number): RawField[] | undefined {
  const fields: RawField[] = [];
  i = wsEnd(t, i + 1);
  if (t.charCodeAt(i) === 0x7d) {
    objectEnd = i + 1;
    return fields;
  }
  for (;;) {
    if (t.charCodeAt(i) !== 0x22) return undefined;
    sawEscape = false;
    const keyEnd = validString(t, i);
    if (keyEnd < 0) return undefined;
    const key = sawEscape ? (JSON.parse(t.slice(i, keyEnd)) as string) : t.slice(i + 1, keyEnd - 1);
    i = wsEnd(t, keyEnd);
    if (t.charCodeAt(i) !== 0x3a) return undefined;
    i = wsEnd(t, i + 1);
    const c = t.charCodeAt(i);
    sawEscape = false;
    const valueEnd = validValue(t, i, 1);
    if (valueEnd < 0) return undefined;
    const kind: RawField["kind"] =
      c === 0x22
        ? "string"
        : c === 0x7b
          ? "object"
          : c === 0x5b
            ? "json"
            : c === 0x74 || c === 0x66 || c === 0x6e
              ? "literal"
              : "number";
    fields.push({ key, raw: t.slice(i, valueEnd), kind, escaped: sawEscape });
    i = wsEnd(t, valueEnd);
    const d = t.charCodeAt(i);
    if (d === 0x7d) {
      objectEnd = i + 1;
      return fields;
    }
    if (d !== 0x2c) return undefined;
    i = wsEnd(t, i + 1);
  }
}

/** A member's value as a field (or fields: an object is flattened into "key.sub"). */
function flatten(f: RawField, prefix: string, out: Field[]): void {
  const key = prefix + f.key;
  if (f.kind === "object") {
    const members = scanObject(f.raw, 0) ?? [];
    if (members.length === 0) {
      out.push({ key, value: "{}", kind: "json" });
      return;
    }
    for (const m of members) flatten(m, `${key}.`, out);
    return;
  }
  if (f.kind === "string") out.push({ key, value: decodeString(f), kind: "string" });
  else out.push({ key, value: f.kind === "json" ? compact(f.raw) : f.raw, kind: f.kind });
}

function find(fields: RawField[], key: string): RawField | undefined {
  for (const f of fields) if (f.key === key) return f;
  return undefined;
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

function levelOf(fields: RawField[]): Level | undefined {
  for (const key of LEVEL_KEYS) {
    const f = find(fields, key);
    if (!f) continue;
    if (f.kind === "string") {
      const v = decodeString(f);
      if (v === "") continue;
      f.used = true;
      return { text: v.toUpperCase(), severity: severityOfName(v) };
    }
    if (f.kind === "number" && key === "level") {
      f.used = true;
      const n = Number(f.raw);
      return { text: bunyanName(n) ?? f.raw, severity: severityOfNumber(n), number: n };
    }
  }
  return undefined;
}

function messageOf(fields: RawField[]): string | undefined {
  for (const key of MESSAGE_KEYS) {
    const f = find(fields, key);
    if (f?.kind !== "string") continue;
    f.used = true;
    return decodeString(f);
  }
  return undefined;
}

function timeOf(fields: RawField[]): Instant | undefined {
  for (const key of TIME_KEYS) {
    const f = find(fields, key);
    if (!f) continue;
    const t =
      f.kind === "string"
        ? instantFromString(decodeString(f))
        : f.kind === "number"
          ? instantFromNumber(f.raw)
          : undefined;
    if (t) {
      f.used = true;
      return t;
    }
  }
  return undefined;
}

/** The record of the JSON object text (the first line of a record, trimmed), or undefined. */
export function parseJsonRecord(text: string, firstEnd: number): LogRecord | undefined {
  // The caller has seen "{" first and "}" last; valid to its end, it is one object.
  if (text.charCodeAt(0) !== 0x7b) return undefined;
  const members = scanObject(text, 0);
  if (!members || objectEnd !== text.length || members.length === 0) return undefined;
  const level = levelOf(members);
  const message = messageOf(members);
  const time = timeOf(members);
  const fields: Field[] = [];
  for (const m of members) if (!m.used) flatten(m, "", fields);
  let values: Record<string, unknown> | undefined;
  return {
    format: "json",
    level,
    message,
    time,
    fields,
    firstEnd,
    values: () => {
      values ??= JSON.parse(text) as Record<string, unknown>;
      return values;
    },
  };
}
