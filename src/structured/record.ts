// What a structured log line is made of, whatever its format: level, message, time and the other
// fields. Every structured feature (-o pretty, --fields, --level, --where, templates' .Fields) reads
// lines through parseRecord, so a format is understood in one place and a line is parsed once.

import type { Instant } from "../shared/instant.ts";

export type RecordFormat = "json" | "logfmt" | "klog" | "text";

/** How a field's value was written: strings decoded, numbers with their exact digits. */
export type FieldKind = "string" | "number" | "literal" | "json";

export interface Field {
  /** Nested JSON objects are flattened: {"a":{"b":1}} is the field "a.b". */
  key: string;
  /** Strings decoded; numbers, true/false/null as written; arrays and empty objects as compact JSON. */
  value: string;
  kind: FieldKind;
}

export interface Level {
  /** As shown: upper-cased name ("WARN", "ERROR"), a bunyan number's name, or a number as written. */
  text: string;
  /** The place on the common scale (levels.ts); undefined for a name or number of no known library. */
  severity: number | undefined;
  /** A numeric level (pino/bunyan/GELF): colored by range rather than by name. */
  number?: number;
}

export interface LogRecord {
  format: RecordFormat;
  level: Level | undefined;
  message: string | undefined;
  /** The time the line itself gives, when it gives one with its zone. */
  time: Instant | undefined;
  /** The other fields, in their written order. */
  fields: Field[];
  /** --multiline: the record's first line ends here; its continuation lines are buf[firstEnd, end). */
  firstEnd: number;
  /** The values --where sees (typed: numbers are numbers); made on first use. */
  values(): Record<string, unknown>;
}

/** A logfmt or klog value as --where sees it: numbers and booleans typed, the rest strings. */
export function typedValue(f: Field): unknown {
  if (f.kind === "number") return Number(f.value);
  if (f.kind === "literal") return f.value === "null" ? null : f.value === "true";
  if (f.kind === "json") {
    try {
      return JSON.parse(f.value) as unknown;
    } catch {
      return f.value;
    }
  }
  return f.value;
}

/** The kind of an unquoted logfmt or klog value. */
export function bareKind(text: string): FieldKind {
  if (text === "true" || text === "false" || text === "null") return "literal";
  if (/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text)) return "number";
  return "string";
}

/**
 * Fields as an object for --where; dotted keys (logfmt's "req.method") become nested objects so that
 * `req.method == "GET"` reads them as it reads nested JSON.
 */
export function valuesOf(fields: readonly Field[], extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(extra)) out[k] = v;
  for (const f of fields) {
    const value = typedValue(f);
    if (!(f.key in out)) out[f.key] = value;
    const dot = f.key.indexOf(".");
    if (dot <= 0) continue;
    let node = out;
    const parts = f.key.split(".");
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i] as string;
      const next = node[p];
      if (next === undefined) {
        const child = Object.create(null) as Record<string, unknown>;
        node[p] = child;
        node = child;
      } else if (typeof next === "object" && next !== null && !Array.isArray(next)) {
        node = next as Record<string, unknown>;
      } else {
        node = undefined as unknown as Record<string, unknown>;
        break;
      }
    }
    const last = parts[parts.length - 1] as string;
    if (node && !(last in node)) node[last] = value;
  }
  return out;
}
