// stern's template functions (cmd/cmd.go `funs`) over the value model.

import { quoteGo } from "../util/goquote.ts";
import { goBytes } from "../util/gostring.ts";
import { formatValue, sprintf } from "./fmt.ts";
import { decodeFirstObject, jsonQuote, jsonValid, marshal, marshalIndent, unmarshalObject } from "./json.ts";
import type { FuncSig, ParamType } from "./parse.ts";
import { GoTime, loadLocation, localLocation, RFC3339_NANO, tryParseTime, UTC, ZERO_TIME } from "./time.ts";
import { GoColor, type GoError, goError, isAnyMap, JsonNumber, NIL_ANY_MAP } from "./values.ts";

export type GoFunc = (...args: unknown[]) => unknown;
export type FuncMap = Record<string, GoFunc>;

const signatures = new WeakMap<GoFunc, FuncSig>();

/**
 * Declares a function's Go parameter types so that arguments are checked and converted as
 * text/template does for typed Go functions. Functions without a signature take `...interface{}`.
 */
export function goFunc<F extends GoFunc>(params: ParamType[], variadic: ParamType | null, fn: F): F {
  signatures.set(fn, { params, variadic });
  return fn;
}

export function signatureOf(fn: GoFunc): FuncSig | undefined {
  return signatures.get(fn);
}

// --- time conversion (stern's toTimeE, then spf13/cast's ToTimeE) --------------------------------

function parseUnixTimeNanoString(num: string): GoTime | undefined {
  const parts = num.split(".");
  if (parts.length > 2) return undefined;
  if (!/^[+-]?\d+$/.test(parts[0]!)) return undefined;
  const sec = Number(parts[0]);
  let nsec = 0;
  if (parts.length === 2) {
    let frac = parts[1]!;
    frac = frac.length > 9 ? frac.slice(0, 9) : frac.padEnd(9, "0");
    if (!/^[+-]?\d+$/.test(frac)) return undefined;
    nsec = Number(frac);
  }
  return GoTime.unix(sec, nsec);
}

const NONE = 0;
const NAMED = 1;
const NUMERIC = 2;
const TIME_ONLY = 4;

/** spf13/cast 1.10's StringToDate layouts (internal/time.go TimeFormats), in its order. */
const CAST_FORMATS: [string, number][] = [
  ["2006-01-02", NONE],
  ["2006-01-02T15:04:05Z07:00", NUMERIC],
  ["2006-01-02T15:04:05", NONE],
  ["Mon, 02 Jan 2006 15:04:05 -0700", NUMERIC],
  ["Mon, 02 Jan 2006 15:04:05 MST", NAMED],
  ["02 Jan 06 15:04 -0700", NUMERIC],
  ["02 Jan 06 15:04 MST", NAMED],
  ["Monday, 02-Jan-06 15:04:05 MST", NAMED],
  ["2006-01-02 15:04:05.999999999 -0700 MST", 3],
  ["2006-01-02T15:04:05-0700", NUMERIC],
  ["2006-01-02 15:04:05Z0700", NUMERIC],
  ["2006-01-02 15:04:05", NONE],
  ["Mon Jan _2 15:04:05 2006", NONE],
  ["Mon Jan _2 15:04:05 MST 2006", NAMED],
  ["Mon Jan 02 15:04:05 -0700 2006", NUMERIC],
  ["2006-01-02 15:04:05Z07:00", NUMERIC],
  ["02 Jan 2006", NONE],
  ["2006-01-02 15:04:05 -07:00", NUMERIC],
  ["2006-01-02 15:04:05 -0700", NUMERIC],
  ["3:04PM", TIME_ONLY],
  ["Jan _2 15:04:05", TIME_ONLY],
  ["Jan _2 15:04:05.000", TIME_ONLY],
  ["Jan _2 15:04:05.000000", TIME_ONLY],
  ["Jan _2 15:04:05.000000000", TIME_ONLY],
];

function stringToDate(s: string): GoTime {
  const bytes = goBytes(s).toString("latin1");
  const local = localLocation();
  for (const [layout, typ] of CAST_FORMATS) {
    const t = tryParseTime(layout, bytes, UTC, local);
    if (t === undefined) continue;
    if (typ <= NAMED) {
      // The wall clock is kept and read in UTC, dropping any named zone.
      const off = t.loc.zoneAt(t.sec).offset;
      return new GoTime(t.sec + off, t.nsec, UTC);
    }
    return t;
  }
  throw goError(`unable to parse date: ${s}`);
}

function goSyntax(v: unknown): string {
  if (typeof v === "string") return quoteGo(v);
  if (v instanceof JsonNumber) return quoteGo(v.text);
  return formatValue(v);
}

function castError(v: unknown): GoError {
  const t =
    v instanceof JsonNumber
      ? "json.Number"
      : typeof v === "number"
        ? "float64"
        : typeof v === "boolean"
          ? "bool"
          : "interface {}";
  return goError(
    `unable to cast ${goSyntax(v)} of type ${isAnyMap(v as object) && typeof v === "object" ? "map[string]interface {}" : t} to time.Time`,
  );
}

function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === ".") {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === "0") foundZero = true;
    else return s;
  }
  return s;
}

/** stern's toTimeE. */
export function toTimeE(a: unknown): GoTime {
  if (typeof a === "string" || a instanceof JsonNumber) {
    const t = parseUnixTimeNanoString(typeof a === "string" ? a : a.text);
    if (t !== undefined) return t;
  }
  if (a instanceof GoTime) return a;
  if (typeof a === "string") return stringToDate(a);
  if (a instanceof JsonNumber) {
    const s = trimZeroDecimal(a.text);
    if (!/^[+-]?\d+$/.test(s)) throw castError(a);
    return GoTime.unix(Number(s), 0);
  }
  if (typeof a === "bigint") return GoTime.unix(Number(a), 0);
  if (a === null || a === undefined) return ZERO_TIME;
  throw castError(a);
}

function toTime(a: unknown): GoTime {
  try {
    return toTimeE(a);
  } catch {
    return ZERO_TIME;
  }
}

// --- functions -----------------------------------------------------------------------------------

const LEVEL_COLORS: Record<string, GoColor> = {
  debug: new GoColor("35"),
  info: new GoColor("34"),
  warn: new GoColor("33"),
  warning: new GoColor("33"),
  error: new GoColor("31"),
  dpanic: new GoColor("31"),
  panic: new GoColor("31"),
  fatal: new GoColor("36"),
  critical: new GoColor("36"),
};

/**
 * stern's extractJSONPart (PR #373): the key as it is at the top level first, else a dotted path
 * through nested objects; a missing key or a value that is not an object on the way is nil.
 */
function extractPart(obj: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(obj, key)) return obj[key];
  let current: unknown = obj;
  for (const segment of key.split(".")) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return null;
    const m = current as Record<string, unknown>;
    if (!Object.hasOwn(m, segment)) return null;
    current = m[segment];
  }
  return current;
}

function extractParts(obj: Record<string, unknown>, parts: unknown[]): string {
  return parts.map((k) => formatValue(extractPart(obj, k as string))).join(", ");
}

/** stern's template functions; with colorEnabled false the color functions return plain text. */
export function sternFuncs(opts: { colorEnabled: boolean }): FuncMap {
  const on = opts.colorEnabled;
  const paint = (c: GoColor, s: string): string => (on ? c.wrap(s) : s);
  const colorFn = (sgr: string): GoFunc => {
    const c = new GoColor(sgr);
    return goFunc(["string"], "any", (format, ...a) =>
      paint(c, a.length === 0 ? (format as string) : sprintf(format as string, a)),
    );
  };
  return {
    json: goFunc(["any"], null, (v) => marshal(v)),
    tryParseJSON: goFunc(["string"], null, (text) => decodeFirstObject(text as string) ?? NIL_ANY_MAP),
    parseJSON: goFunc(["string"], null, (text) => unmarshalObject(text as string)),
    extractJSONParts: goFunc(["string"], "string", (text, ...parts) =>
      extractParts(unmarshalObject(text as string), parts),
    ),
    tryExtractJSONParts: goFunc(["string"], "string", (text, ...parts) => {
      let obj: Record<string, unknown>;
      try {
        obj = unmarshalObject(text as string);
      } catch {
        return text;
      }
      return extractParts(obj, parts);
    }),
    extjson: goFunc(["string"], null, (v) => {
      const s = v as string;
      if (jsonValid(s)) return s.endsWith("\n") ? s.slice(0, -1) : s;
      return jsonQuote(s);
    }),
    prettyJSON: goFunc(["any"], null, (v) => {
      let data: Record<string, unknown>;
      if (typeof v === "string") {
        try {
          data = unmarshalObject(v);
        } catch {
          return v;
        }
      } else if (v !== null && typeof v === "object" && !Array.isArray(v) && isAnyMap(v)) {
        data = v as Record<string, unknown>;
      } else return formatValue(v);
      try {
        return marshalIndent(data, "  ");
      } catch {
        return formatValue(v);
      }
    }),
    toRFC3339Nano: goFunc(["any"], null, (ts) => toTime(ts).format(RFC3339_NANO)),
    toUTC: goFunc(["any"], null, (ts) => toTime(ts).utc()),
    toTimestamp: goFunc(["any", "string"], "string", (ts, layout, ...tz) => {
      const t = toTimeE(ts);
      const loc = loadLocation((tz[0] as string | undefined) ?? "");
      return t.in(loc).format(layout as string);
    }),
    color: goFunc(["color", "string"], null, (c, text) => paint(c as GoColor, text as string)),
    colorCustom: goFunc(["string"], "attr", (text, ...attrs) => {
      if (!on) return text;
      // fatih/color writes empty SGR sequences for a color without attributes.
      if (attrs.length === 0) return `\x1b[m${text as string}\x1b[m`;
      return new GoColor(attrs.map((a) => String(a)).join(";")).wrap(text as string);
    }),
    colorBlack: colorFn("30"),
    colorRed: colorFn("31"),
    colorGreen: colorFn("32"),
    colorYellow: colorFn("33"),
    colorBlue: colorFn("34"),
    colorMagenta: colorFn("35"),
    colorCyan: colorFn("36"),
    colorWhite: colorFn("37"),
    levelColor: goFunc(["any"], null, (v) => {
      if (typeof v !== "string") return "";
      const c = LEVEL_COLORS[v.toLowerCase()];
      if (c === undefined || !Object.hasOwn(LEVEL_COLORS, v.toLowerCase())) return v;
      return paint(c, v);
    }),
    bunyanLevelColor: goFunc(["any"], null, (v) => {
      let lv: number;
      if (v instanceof JsonNumber) {
        if (!/^[+-]?\d+$/.test(v.text)) return "";
        lv = Number(v.text);
      } else if (typeof v === "number") lv = Math.trunc(v);
      else return "";
      const sgr = lv < 30 ? "35" : lv < 40 ? "34" : lv < 50 ? "33" : lv < 60 ? "31" : lv < 100 ? "36" : "";
      if (sgr === "") return String(lv);
      return paint(new GoColor(sgr), String(lv));
    }),
  };
}
