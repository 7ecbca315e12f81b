// text/template's predefined functions over the value model.

import { decodeGoBytes, goByteLength, goBytes, rawByteAt } from "../util/gostring.ts";
import { sprint, sprintf, sprintln, typeName } from "./fmt.ts";
import { GoTime } from "./time.ts";
import {
  GoColor,
  GoError,
  goError,
  isAnyMap,
  JsonNumber,
  NIL_ANY_MAP,
  StringMap,
  StructValue,
} from "./values.ts";

/** Go's truth for if/with/and/or/not: zero values and empty collections are false. */
export function truth(v: unknown): boolean {
  switch (typeof v) {
    case "string":
      return v.length > 0;
    case "boolean":
      return v;
    case "bigint":
      return v !== 0n;
    case "number":
      return v !== 0;
    case "undefined":
      return false;
    case "function":
      return true;
  }
  if (v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof StringMap) return v.size > 0;
  if (v instanceof JsonNumber) return v.text.length > 0;
  if (v instanceof StructValue || v instanceof GoTime || v instanceof GoColor) return true;
  for (const _ in v as object) return true;
  return false;
}

const ASCII = /^[\x00-\x7f]*$/;

function byteLength(s: string): number {
  return ASCII.test(s) ? s.length : goByteLength(s);
}

export function length(v: unknown): bigint {
  if (v === undefined) throw goError("reflect: call of reflect.Value.Type on zero Value");
  if (v === null) throw goError("len of nil pointer");
  if (typeof v === "string") return BigInt(byteLength(v));
  if (Array.isArray(v)) return BigInt(v.length);
  if (v instanceof StringMap) return BigInt(v.size);
  if (v instanceof JsonNumber) return BigInt(byteLength(v.text));
  if (typeof v === "object" && isAnyMap(v)) return BigInt(Object.keys(v).length);
  throw goError(`len of type ${typeName(v)}`);
}

function indexArg(index: unknown, cap: number): number {
  if (typeof index === "bigint") {
    if (index < 0n || index > BigInt(cap)) throw goError(`index out of range: ${index}`);
    return Number(index);
  }
  if (index === undefined || index === null) throw goError("cannot index slice/array with nil");
  throw goError(`cannot index slice/array with type ${typeName(index)}`);
}

function mapKey(index: unknown): string {
  if (typeof index === "string") return index;
  if (index === undefined || index === null) throw goError("value is nil; should be of type string");
  throw goError(`value has type ${typeName(index)}; should be string`);
}

export function index(item: unknown, indexes: readonly unknown[]): unknown {
  if (item === undefined || item === null) throw goError("index of untyped nil");
  for (const idx of indexes) {
    if (item === null || item === undefined) throw goError("index of nil pointer");
    if (Array.isArray(item)) {
      const x = indexArg(idx, item.length);
      if (x === item.length) throw goError(`index out of range: ${x}`);
      item = item[x];
    } else if (typeof item === "string" || item instanceof JsonNumber) {
      const bytes = goBytes(typeof item === "string" ? item : item.text);
      const x = indexArg(idx, bytes.length);
      if (x === bytes.length) throw goError("reflect: string index out of range");
      item = BigInt(bytes[x]!);
    } else if (item instanceof StringMap) {
      item = item.get(mapKey(idx)) ?? "";
    } else if (typeof item === "object" && isAnyMap(item)) {
      const k = mapKey(idx);
      item = Object.hasOwn(item, k) ? item[k] : null;
    } else throw goError(`can't index item of type ${typeName(item)}`);
  }
  return item;
}

export function slice(item: unknown, indexes: readonly unknown[]): unknown {
  if (item === undefined || item === null) throw goError("slice of untyped nil");
  if (indexes.length > 3) throw goError(`too many slice indexes: ${indexes.length}`);
  let len: number;
  let bytes: Buffer | undefined;
  // A json.Number is a string too (tryParseJSON's numbers): sliced as one, it stays a json.Number.
  const number = item instanceof JsonNumber;
  if (number) item = (item as JsonNumber).text;
  if (typeof item === "string") {
    if (indexes.length === 3) throw goError("cannot 3-index slice a string");
    if (ASCII.test(item)) len = item.length;
    else {
      bytes = goBytes(item);
      len = bytes.length;
    }
  } else if (Array.isArray(item)) len = item.length;
  else throw goError(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len, len];
  indexes.forEach((x, i) => {
    idx[i] = indexArg(x, len);
  });
  if (idx[0]! > idx[1]!) throw goError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw goError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  // Go slices bytes: a cut through a character leaves its bytes, which travel as raw bytes.
  const out =
    bytes !== undefined
      ? decodeGoBytes(bytes, idx[0], idx[1])
      : (item as string | unknown[]).slice(idx[0], idx[1]);
  return number ? new JsonNumber(out as string) : out;
}

// --- comparisons ---------------------------------------------------------------------------------

type Kind = "bool" | "int" | "float" | "string" | "invalid";

function basicKind(v: unknown): Kind {
  switch (typeof v) {
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float";
    case "string":
      return "string";
  }
  return v instanceof JsonNumber ? "string" : "invalid";
}

const isNilMap = (v: unknown): boolean => (v instanceof StringMap && v.map === null) || v === NIL_ANY_MAP;

const strOf = (v: unknown): string => (typeof v === "string" ? v : (v as JsonNumber).text);

const BAD_COMPARISON = "incompatible types for comparison";
const BAD_COMPARISON_TYPE = "invalid type for comparison";

export function eq(arg1: unknown, rest: readonly unknown[]): boolean {
  if (rest.length === 0) throw goError("missing argument for comparison");
  const a1 = arg1 === null ? undefined : arg1;
  const k1 = basicKind(a1);
  for (const raw of rest) {
    const a = raw === null ? undefined : raw;
    const k2 = basicKind(a);
    let t = false;
    if (k1 !== k2) {
      if (a1 !== undefined && a !== undefined) throw goError(BAD_COMPARISON);
    } else {
      switch (k1) {
        case "bool":
        case "int":
        case "float":
          t = a1 === a;
          break;
        case "string":
          t = strOf(a1) === strOf(a);
          break;
        default:
          if (a1 === undefined || a === undefined) t = a1 === a;
          // Maps compare only with nil: two nil maps are equal, as Go's eq (isNil on both) says.
          else if (isNilMap(a1) || isNilMap(a)) t = isNilMap(a1) && isNilMap(a);
          else if (typeof a1 === "object" && !(a1 instanceof StructValue) && !(a1 instanceof GoColor)) {
            throw goError(`non-comparable type ${sprint([a])}: ${typeName(a)}`);
          } else t = a1 === a;
      }
    }
    if (t) return true;
  }
  return false;
}

export function lt(a1: unknown, a2: unknown): boolean {
  const k1 = basicKind(a1);
  if (k1 === "invalid") throw goError(BAD_COMPARISON_TYPE);
  const k2 = basicKind(a2);
  if (k2 === "invalid") throw goError(BAD_COMPARISON_TYPE);
  if (k1 !== k2) throw goError(BAD_COMPARISON);
  switch (k1) {
    case "bool":
      throw goError(BAD_COMPARISON_TYPE);
    case "string":
      return Buffer.compare(goBytes(strOf(a1)), goBytes(strOf(a2))) < 0;
    default:
      return (a1 as number | bigint) < (a2 as number | bigint);
  }
}

export function le(a1: unknown, a2: unknown): boolean {
  return lt(a1, a2) || eq(a1, [a2]);
}

// --- escaping ------------------------------------------------------------------------------------

/** The string form of html/js/urlquery arguments (a lone string is used as is). */
export function evalArgs(args: readonly unknown[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return sprint(args.map((a) => (a === null || a === undefined ? "<no value>" : a)));
}

export function htmlEscape(s: string): string {
  return s.replace(/["'&<>\0]/g, (c) => {
    switch (c) {
      case '"':
        return "&#34;";
      case "'":
        return "&#39;";
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      default:
        return "\uFFFD";
    }
  });
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

export function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      switch (ch) {
        case "\\":
          out += "\\\\";
          continue;
        case "'":
          out += "\\'";
          continue;
        case '"':
          out += '\\"';
          continue;
        case "<":
          out += "\\u003C";
          continue;
        case ">":
          out += "\\u003E";
          continue;
        case "&":
          out += "\\u0026";
          continue;
        case "=":
          out += "\\u003D";
          continue;
      }
      out += c < 0x20 ? `\\u00${c.toString(16).toUpperCase().padStart(2, "0")}` : ch;
      continue;
    }
    // A byte that is not UTF-8 is Go's RuneError, printable: its byte is written as it is.
    out +=
      PRINTABLE.test(ch) || rawByteAt(ch, 0) >= 0
        ? ch
        : `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return out;
}

export function queryEscape(s: string): string {
  let out = "";
  for (const b of goBytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export function callBuiltin(name: string, argv: unknown[], calleeName: string): unknown {
  switch (name) {
    case "not":
      return !truth(argv[0]);
    case "len":
      return length(argv[0]);
    case "index":
      return index(argv[0], argv.slice(1));
    case "slice":
      return slice(argv[0], argv.slice(1));
    case "print":
      return sprint(argv);
    case "printf":
      return sprintf(argv[0] as string, argv.slice(1));
    case "println":
      return sprintln(argv);
    case "html":
      return htmlEscape(evalArgs(argv));
    case "js":
      return jsEscape(evalArgs(argv));
    case "urlquery":
      return queryEscape(evalArgs(argv));
    case "eq":
      return eq(argv[0], argv.slice(1));
    case "ne":
      return !eq(argv[0], [argv[1]]);
    case "lt":
      return lt(argv[0], argv[1]);
    case "le":
      return le(argv[0], argv[1]);
    case "gt":
      return !le(argv[0], argv[1]);
    case "ge":
      return !lt(argv[0], argv[1]);
    case "call": {
      const fn = argv[0];
      if (fn === undefined || fn === null) throw goError("call of nil");
      if (typeof fn !== "function") throw goError(`non-function ${calleeName} of type ${typeName(fn)}`);
      return (fn as (...a: unknown[]) => unknown)(...argv.slice(1).map((a) => (a === undefined ? null : a)));
    }
  }
  throw new GoError(`unknown builtin ${name}`);
}
