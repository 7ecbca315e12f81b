// Go's encoding/json for the value model: Marshal/MarshalIndent and decoding with Go's error wording.

import { quoteGo } from "../util/goquote.ts";
import { withReplacement } from "../util/gostring.ts";
import { formatValue, typeName } from "./fmt.ts";
import { GoTime, RFC3339_NANO } from "./time.ts";
import {
  compareGoStrings,
  GoColor,
  goError,
  isAnyMap,
  JsonNumber,
  NIL_ANY_MAP,
  StringMap,
  StructValue,
} from "./values.ts";

// --- encoding -----------------------------------------------------------------------------------

const NEEDS_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]/;
const HEX = "0123456789abcdef";

/** A Go JSON string literal with HTML-safe escaping, as json.Marshal writes it. */
export function jsonQuote(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20) {
      switch (c) {
        case 8:
          esc = "\\b";
          break;
        case 9:
          esc = "\\t";
          break;
        case 10:
          esc = "\\n";
          break;
        case 12:
          esc = "\\f";
          break;
        case 13:
          esc = "\\r";
          break;
        default:
          esc = `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
      }
    } else if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = "\\\\";
    else if (c === 0x3c) esc = "\\u003c";
    else if (c === 0x3e) esc = "\\u003e";
    else if (c === 0x26) esc = "\\u0026";
    else if (c === 0x2028) esc = "\\u2028";
    else if (c === 0x2029) esc = "\\u2029";
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      esc = "\\ufffd";
    } else if (c >= 0xdc00 && c <= 0xdfff) esc = "\\ufffd";
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return `${out + s.slice(start)}"`;
}

function jsonFloat(x: number): string {
  if (!Number.isFinite(x)) throw goError(`json: unsupported value: ${formatValue(x)}`);
  // JS number-to-string uses the same shortest digits and the same 1e-6/1e21 exponent thresholds.
  return Object.is(x, -0) ? "-0" : String(x);
}

const VALID_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === "" || v === 0 || v === 0n) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof StringMap) return v.size === 0;
  if (v instanceof JsonNumber) return v.text === "";
  if (typeof v === "object" && isAnyMap(v)) return Object.keys(v).length === 0;
  return false;
}

function encode(v: unknown): string {
  switch (typeof v) {
    case "string":
      return jsonQuote(v);
    case "bigint":
      return v.toString();
    case "number":
      return jsonFloat(v);
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return "null";
    case "function":
      throw goError(`json: unsupported type: ${typeName(v)}`);
  }
  if (v === null) return "null";
  if (Array.isArray(v)) {
    let out = "[";
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ",";
      out += encode(v[i]);
    }
    return `${out}]`;
  }
  if (v instanceof StructValue) {
    let out = "{";
    let first = true;
    const fields = v.type.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (f.skipJson) continue;
      const fv = v.values[i];
      if (f.omitEmpty && isEmptyValue(fv)) continue;
      out += `${first ? "" : ","}${jsonQuote(f.json)}:${encode(fv)}`;
      first = false;
    }
    return `${out}}`;
  }
  if (v instanceof StringMap) {
    if (v.map === null) return "null";
    let out = "{";
    v.keys().forEach((k, i) => {
      out += `${i > 0 ? "," : ""}${jsonQuote(k)}:${jsonQuote(v.get(k)!)}`;
    });
    return `${out}}`;
  }
  if (v instanceof JsonNumber) {
    const s = v.text === "" ? "0" : v.text;
    if (!VALID_NUMBER.test(s)) throw goError(`json: invalid number literal ${quoteGo(s)}`);
    return s;
  }
  if (v instanceof GoTime) return jsonQuote(v.format(RFC3339_NANO));
  if (v instanceof GoColor) return "{}";
  if (v === NIL_ANY_MAP) return "null";
  if (typeof v === "object" && isAnyMap(v)) {
    let out = "{";
    Object.keys(v)
      .sort(compareGoStrings)
      .forEach((k, i) => {
        out += `${i > 0 ? "," : ""}${jsonQuote(k)}:${encode(v[k])}`;
      });
    return `${out}}`;
  }
  throw goError(`json: unsupported type: ${typeName(v)}`);
}

/** json.Marshal. Throws GoError for unsupported values. */
export function marshal(v: unknown): string {
  return encode(v);
}

/** json.MarshalIndent(v, "", indent). */
export function marshalIndent(v: unknown, indent: string): string {
  return indentJSON(encode(v), indent);
}

/** json.Indent over compact, valid JSON. */
export function indentJSON(src: string, indent: string): string {
  let out = "";
  let depth = 0;
  let needIndent = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === "\\" ? 2 : 1;
      if (needIndent) {
        out += `\n${indent.repeat(depth)}`;
        needIndent = false;
      }
      out += src.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === " " || c === "\t" || c === "\n" || c === "\r") continue;
    if (needIndent && c !== "]" && c !== "}") {
      out += `\n${indent.repeat(depth)}`;
      needIndent = false;
    }
    switch (c) {
      case "{":
      case "[":
        out += c;
        depth++;
        needIndent = true;
        break;
      case ",":
        out += c;
        needIndent = true;
        break;
      case ":":
        out += ": ";
        break;
      case "}":
      case "]":
        depth--;
        if (needIndent) needIndent = false;
        else out += `\n${indent.repeat(depth)}`;
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

// --- decoding -----------------------------------------------------------------------------------

class SyntaxErr extends Error {}

const EOF_MSG = "unexpected end of JSON input";

function quoteChar(s: string, i: number): string {
  const c = s.charCodeAt(i);
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  // Go's scanner reports the first byte of a multi-byte character as a Latin-1 rune.
  const b = c < 0x80 ? c : new TextEncoder().encode(s[i]!)[0]!;
  const q = JSON.stringify(String.fromCharCode(b));
  let inner = q.slice(1, -1);
  if (b === 0x7f || (b >= 0x80 && b < 0xa0)) inner = `\\x${b.toString(16).padStart(2, "0")}`;
  else if (b < 0x20) {
    inner =
      { 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r" }[b] ??
      `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return `'${inner}'`;
}

function fail(s: string, i: number, ctx: string): never {
  if (i >= s.length) throw new SyntaxErr(EOF_MSG);
  throw new SyntaxErr(`invalid character ${quoteChar(s, i)} ${ctx}`);
}

function skipWs(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else return i;
  }
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

function scanString(s: string, i: number): number {
  i++;
  for (;;) {
    if (i >= s.length) throw new SyntaxErr(EOF_MSG);
    const c = s.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      i++;
      const e = s[i];
      if (e === "u") {
        for (let k = 1; k <= 4; k++) {
          if (!/[0-9a-fA-F]/.test(s[i + k] ?? "")) fail(s, i + k, "in \\u hexadecimal character escape");
        }
        i += 5;
        continue;
      }
      if (e === undefined || !'"\\/bfnrt'.includes(e)) fail(s, i, "in string escape code");
      i++;
      continue;
    }
    if (c < 0x20) fail(s, i, "in string literal");
    i++;
  }
}

function scanNumber(s: string, i: number): number {
  if (s[i] === "-") {
    i++;
    if (!isDigit(s, i)) fail(s, i, "in numeric literal");
  }
  if (s[i] === "0") i++;
  else while (isDigit(s, i)) i++;
  if (s[i] === ".") {
    i++;
    if (!isDigit(s, i)) fail(s, i, "after decimal point in numeric literal");
    while (isDigit(s, i)) i++;
  }
  if (s[i] === "e" || s[i] === "E") {
    i++;
    if (s[i] === "+" || s[i] === "-") i++;
    if (!isDigit(s, i)) fail(s, i, "in exponent of numeric literal");
    while (isDigit(s, i)) i++;
  }
  return i;
}

function scanLiteral(s: string, i: number, word: string): number {
  for (let k = 1; k < word.length; k++) {
    if (s[i + k] !== word[k]) fail(s, i + k, `in literal ${word} (expecting '${word[k]}')`);
  }
  return i + word.length;
}

function scanValue(s: string, i: number): number {
  i = skipWs(s, i);
  switch (s[i]) {
    case "{": {
      i = skipWs(s, i + 1);
      if (s[i] === "}") return i + 1;
      for (;;) {
        if (s[i] !== '"') fail(s, i, "looking for beginning of object key string");
        i = skipWs(s, scanString(s, i));
        if (s[i] !== ":") fail(s, i, "after object key");
        i = skipWs(s, scanValue(s, i + 1));
        if (s[i] === ",") {
          i = skipWs(s, i + 1);
          continue;
        }
        if (s[i] === "}") return i + 1;
        fail(s, i, "after object key:value pair");
      }
    }
    case "[": {
      i = skipWs(s, i + 1);
      if (s[i] === "]") return i + 1;
      for (;;) {
        i = skipWs(s, scanValue(s, i));
        if (s[i] === ",") {
          i++;
          continue;
        }
        if (s[i] === "]") return i + 1;
        fail(s, i, "after array element");
      }
    }
    case '"':
      return scanString(s, i);
    case "t":
      return scanLiteral(s, i, "true");
    case "f":
      return scanLiteral(s, i, "false");
    case "n":
      return scanLiteral(s, i, "null");
    default:
      if (s[i] === "-" || isDigit(s, i)) return scanNumber(s, i);
      fail(s, i, "looking for beginning of value");
  }
}

/** The Go syntax error for invalid JSON text, or undefined if it is valid. */
export function jsonSyntaxError(s: string): string | undefined {
  try {
    const end = skipWs(s, scanValue(s, 0));
    if (end < s.length) fail(s, end, "after top-level value");
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxErr) return e.message;
    throw e;
  }
}

/** json.Valid. */
export function jsonValid(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return jsonSyntaxError(s) === undefined;
  }
}

function kindWord(v: unknown): string {
  if (Array.isArray(v)) return "array";
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "bool";
  }
  return "object";
}

const MAP_TYPE = "map[string]interface {}";

function asObject(v: unknown): Record<string, unknown> {
  if (v === null) return NIL_ANY_MAP;
  if (typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  throw goError(`json: cannot unmarshal ${kindWord(v)} into Go value of type ${MAP_TYPE}`);
}

/** json.Unmarshal into a map[string]interface{} (numbers become float64). Throws GoError. */
export function unmarshalObject(raw: string): Record<string, unknown> {
  // Go's decoder reads bytes that are not UTF-8 inside strings as U+FFFD.
  const text = withReplacement(raw);
  let v: unknown;
  let outOfRange: string | undefined;
  // A number beyond float64 is Go's UnmarshalTypeError, reported once the whole text parsed.
  const reviver: SourceReviver = (_k, value, ctx) => {
    if (typeof value === "number" && !Number.isFinite(value) && outOfRange === undefined)
      outOfRange = ctx?.source;
    return value;
  };
  try {
    v = JSON.parse(text, reviver as (this: unknown, key: string, value: unknown) => unknown);
  } catch {
    throw goError(jsonSyntaxError(text) ?? EOF_MSG);
  }
  const obj = asObject(surrogatesReplaced(text, v));
  if (outOfRange !== undefined) {
    throw goError(`json: cannot unmarshal number ${outOfRange} into Go value of type float64`);
  }
  return obj;
}

type SourceReviver = (key: string, value: unknown, ctx?: { source?: string }) => unknown;

const numberReviver: SourceReviver = (_k, value, ctx) =>
  typeof value === "number" && ctx?.source !== undefined ? new JsonNumber(ctx.source) : value;

function parseWithNumbers(text: string): unknown {
  const t = withReplacement(text);
  return surrogatesReplaced(
    t,
    JSON.parse(t, numberReviver as (this: unknown, key: string, value: unknown) => unknown),
  );
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/**
 * Go's decoder reads an escaped surrogate that is not half of a pair ("\ud800") as U+FFFD, where
 * JSON.parse keeps it alone; the value is rebuilt only when the text has such an escape.
 */
function surrogatesReplaced(text: string, v: unknown): unknown {
  return SURROGATE_ESCAPE.test(text) ? replaceLone(v) : v;
}

function replaceLone(v: unknown): unknown {
  if (typeof v === "string") return withReplacement(v);
  if (Array.isArray(v)) return v.map(replaceLone);
  if (v === null || typeof v !== "object" || v instanceof JsonNumber) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    // defineProperty: a "__proto__" key stays a key.
    Object.defineProperty(out, withReplacement(k), {
      value: replaceLone(x),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * json.NewDecoder(...).UseNumber().Decode(&map): the first JSON value of the text (trailing data is
 * ignored), numbers as json.Number. Returns undefined on any error.
 */
export function decodeFirstObject(text: string): Record<string, unknown> | undefined {
  let v: unknown;
  try {
    v = parseWithNumbers(text);
  } catch {
    let end: number;
    try {
      end = scanValue(text, 0);
    } catch {
      return undefined;
    }
    try {
      v = parseWithNumbers(text.slice(0, end));
    } catch {
      return undefined;
    }
  }
  if (v === null) return NIL_ANY_MAP;
  if (typeof v !== "object" || Array.isArray(v)) return undefined;
  return v as Record<string, unknown>;
}
