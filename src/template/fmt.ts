// Go's fmt and strconv formatting for the value model in values.ts.

import { canBackquote, isPrint, quoteGo, quoteRune } from "../util/goquote.ts";
import { goBytes, rawByteAt } from "../util/gostring.ts";
import { GoTime } from "./time.ts";
import {
  compareGoStrings,
  GoColor,
  GoComplex,
  isAnyMap,
  JsonNumber,
  NIL_ANY_MAP,
  StringMap,
  StructValue,
} from "./values.ts";

export function typeName(v: unknown): string {
  switch (typeof v) {
    case "string":
      return "string";
    case "bigint":
      return "int";
    case "number":
      return "float64";
    case "boolean":
      return "bool";
    case "function":
      return "func(...interface {}) interface {}";
    case "undefined":
      return "<nil>";
  }
  if (v === null) return "<nil>";
  if (Array.isArray(v)) return "[]interface {}";
  if (v instanceof StructValue) return v.type.name;
  if (v instanceof StringMap) return "map[string]string";
  if (v instanceof GoColor) return "*color.Color";
  if (v instanceof GoComplex) return "complex128";
  if (v instanceof JsonNumber) return "json.Number";
  if (v instanceof GoTime) return "time.Time";
  if (typeof v === "object" && isAnyMap(v)) return "map[string]interface {}";
  return "interface {}";
}

/** Whether Go's reflect.Kind of v is String (for Sprint spacing and comparisons). */
export function isStringKind(v: unknown): boolean {
  return typeof v === "string" || v instanceof JsonNumber;
}

// Floats: digits/decimal-point form, exact when rounding to a precision.

interface Digits {
  d: string; // significant digits, no trailing zeros ("" for zero)
  dp: number; // value = 0.d × 10^dp
}

function shortestDigits(x: number): Digits {
  if (x === 0) return { d: "", dp: 0 };
  const s = x.toExponential();
  const e = s.indexOf("e");
  const d = (s[0]! + s.slice(2, e)).replace(/0+$/, "");
  return { d, dp: Number(s.slice(e + 1)) + 1 };
}

const f64 = new DataView(new ArrayBuffer(8));

function exactDigits(x: number): Digits {
  if (x === 0) return { d: "", dp: 0 };
  f64.setFloat64(0, x);
  const hi = f64.getUint32(0);
  const lo = f64.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (bexp === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = bexp - 1075;
  }
  let digits: string;
  let dp: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e2)).toString();
    dp = digits.length + e2;
  }
  return { d: digits.replace(/0+$/, ""), dp };
}

/** Rounds to nd significant digits, half to even on exact ties (the digits are exact). */
function roundDigits(x: Digits, nd: number): Digits {
  const { d, dp } = x;
  if (nd >= d.length) return x;
  if (nd < 0) return { d: "", dp: 0 };
  const c = d.charCodeAt(nd) - 48;
  let up: boolean;
  if (c > 5) up = true;
  else if (c < 5) up = false;
  else if (nd + 1 < d.length) up = true;
  else up = nd > 0 && (d.charCodeAt(nd - 1) - 48) % 2 === 1;
  if (!up) return { d: d.slice(0, nd).replace(/0+$/, ""), dp };
  let i = nd - 1;
  while (i >= 0 && d[i] === "9") i--;
  if (i < 0) return { d: "1", dp: dp + 1 };
  return { d: d.slice(0, i) + String.fromCharCode(d.charCodeAt(i) + 1), dp };
}

function fmtE(x: Digits, prec: number, ch: string): string {
  let s = x.d === "" ? "0" : x.d[0]!;
  if (prec > 0) {
    s += ".";
    const frac = x.d.slice(1, 1 + prec);
    s += frac + "0".repeat(prec - frac.length);
  }
  const exp = x.d === "" ? 0 : x.dp - 1;
  const a = Math.abs(exp);
  return `${s}${ch}${exp < 0 ? "-" : "+"}${a < 10 ? `0${a}` : a}`;
}

function fmtF(x: Digits, prec: number): string {
  let s: string;
  if (x.dp > 0) {
    s = x.d.slice(0, x.dp);
    s += "0".repeat(x.dp - s.length);
  } else s = "0";
  if (prec > 0) {
    // Fraction digit k (0-based) is d[dp + k]: zeros before the digits, the digits, zeros after.
    const lead = Math.min(prec, Math.max(0, -x.dp));
    const digits = x.d.slice(Math.max(0, x.dp), Math.max(0, x.dp + prec));
    s += `.${"0".repeat(lead)}${digits}${"0".repeat(prec - lead - digits.length)}`;
  }
  return s;
}

/**
 * strconv's 'x'/'X' ("0x1.8p+00": the shortest hex mantissa, or `prec` digits rounded half to even)
 * and 'b' ("4503599627370496p-51", no precision) of a float64.
 */
function formatFloatBits(x: number, fmt: string, prec: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const neg = bits >> 63n === 1n;
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  exp -= 1023;
  const sign = neg ? "-" : "";
  if (fmt === "b") {
    const e = exp - 52;
    return `${sign}${mant}p${e >= 0 ? "+" : "-"}${Math.abs(e)}`;
  }
  if (mant === 0n) exp = 0;
  mant <<= 8n;
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & ((1n << 60n) - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  let out = `${sign}0${fmt}${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  if ((prec < 0 && mant !== 0n) || prec > 0) {
    out += ".";
    let n = 0;
    while (prec < 0 ? mant !== 0n : n < prec && mant !== 0n) {
      const d = Number((mant >> 60n) & 15n).toString(16);
      out += fmt === "X" ? d.toUpperCase() : d;
      mant = (mant << 4n) & ((1n << 64n) - 1n);
      n++;
    }
    if (prec > n) out += "0".repeat(prec - n);
  }
  const e = Math.abs(exp);
  return `${out}${fmt === "X" ? "P" : "p"}${exp < 0 ? "-" : "+"}${String(e).padStart(2, "0")}`;
}

/** strconv.FormatFloat(x, fmt, prec, 64) for fmt in e, E, f, g, G, x, X, b. */
export function formatFloat(x: number, fmt: string, prec: number): string {
  if ((fmt === "x" || fmt === "X" || fmt === "b") && Number.isFinite(x)) return formatFloatBits(x, fmt, prec);
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return "+Inf";
  if (x === Number.NEGATIVE_INFINITY) return "-Inf";
  const neg = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  let body: string;
  if (prec < 0) {
    const digs = shortestDigits(ax);
    switch (fmt) {
      case "e":
      case "E":
        body = fmtE(digs, Math.max(digs.d.length - 1, 0), fmt);
        break;
      case "f":
        body = fmtF(digs, Math.max(digs.d.length - digs.dp, 0));
        break;
      default: {
        const exp = digs.dp - 1;
        if (digs.d !== "" && (exp < -4 || exp >= 6)) {
          body = fmtE(digs, Math.max(digs.d.length - 1, 0), fmt === "G" ? "E" : "e");
        } else body = fmtF(digs, Math.max(digs.d.length - digs.dp, 0));
      }
    }
  } else {
    const exact = exactDigits(ax);
    switch (fmt) {
      case "e":
      case "E":
        body = fmtE(roundDigits(exact, prec + 1), prec, fmt);
        break;
      case "f":
        body = fmtF(roundDigits(exact, exact.dp + prec), prec);
        break;
      default: {
        let p = prec === 0 ? 1 : prec;
        const digs = roundDigits(exact, p);
        let eprec = p;
        if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
        const exp = digs.dp - 1;
        if (digs.d !== "" && (exp < -4 || exp >= eprec)) {
          if (p > digs.d.length) p = digs.d.length;
          body = fmtE(digs, Math.max(p - 1, 0), fmt === "G" ? "E" : "e");
        } else {
          if (p > digs.dp) p = digs.d.length;
          body = fmtF(digs, Math.max(p - digs.dp, 0));
        }
      }
    }
  }
  return neg ? `-${body}` : body;
}

/** %v of a float64. */
export function formatFloatV(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return Object.is(x, -0) ? "-0" : String(x);
  return formatFloat(x, "g", -1);
}

// --- %v -----------------------------------------------------------------------------------------

/** Sprint of one value (%v), as fmt.Fprint prints it. */
export function formatValue(v: unknown): string {
  if (typeof v === "string") return v;
  const p = new Printer();
  p.printArg(v, "v");
  return p.buf;
}

export function sprint(args: readonly unknown[]): string {
  const p = new Printer();
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const isStr = isStringKind(a);
    if (i > 0 && !isStr && !prevString) p.buf += " ";
    p.printArg(a, "v");
    prevString = isStr;
  }
  return p.buf;
}

export function sprintln(args: readonly unknown[]): string {
  const p = new Printer();
  for (let i = 0; i < args.length; i++) {
    if (i > 0) p.buf += " ";
    p.printArg(args[i], "v");
  }
  return `${p.buf}\n`;
}

export function sprintf(format: string, args: readonly unknown[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.buf;
}

/** Go's utf8.RuneCountInString: a raw byte (see gostring.ts) counts one, as a pair of surrogates. */
function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff || rawByteAt(s, i) >= 0) n++;
  }
  return n;
}

class Printer {
  buf = "";
  // flags
  plus = false;
  minus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  widPresent = false;
  prec = 0;
  precPresent = false;
  erroring = false;
  arg: unknown = undefined;

  clearFlags(): void {
    this.plus = this.minus = this.sharp = this.space = this.zero = false;
    this.plusV = this.sharpV = false;
    this.wid = this.prec = 0;
    this.widPresent = this.precPresent = false;
  }

  private padding(n: number): string {
    if (n <= 0) return "";
    return (this.zero && !this.minus ? "0" : " ").repeat(n);
  }

  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s;
      return;
    }
    const w = this.wid - runeCount(s);
    if (this.minus) this.buf += s + " ".repeat(Math.max(w, 0));
    else this.buf += this.padding(w) + s;
  }

  private truncate(s: string): string {
    if (this.precPresent) {
      let n = 0;
      let i = 0;
      for (const ch of s) {
        if (n === this.prec) return s.slice(0, i);
        n++;
        i += ch.length;
      }
    }
    return s;
  }

  printArg(arg: unknown, verb: string): void {
    this.arg = arg;
    if (arg === null || arg === undefined) {
      if (verb === "T" || verb === "v") this.pad("<nil>");
      else this.badVerb(verb);
      return;
    }
    if (verb === "T") {
      this.fmtS(typeName(arg));
      return;
    }
    switch (typeof arg) {
      case "string":
        this.fmtString(arg, verb);
        return;
      case "bigint":
        this.fmtInteger(arg, verb);
        return;
      case "number":
        this.fmtFloat(arg, verb);
        return;
      case "boolean":
        if (verb === "t" || verb === "v") this.pad(arg ? "true" : "false");
        else this.badVerb(verb);
        return;
    }
    if (arg instanceof GoComplex) {
      this.fmtComplex(arg, verb);
      return;
    }
    if (!this.handleMethods(arg, verb)) this.printValue(arg, verb, 0);
  }

  /** fmt's fmtC: "(" real, imaginary with its sign, "i)". */
  private fmtComplex(c: GoComplex, verb: string): void {
    if (!"vbgGxXfFeE".includes(verb)) {
      this.badVerb(verb);
      return;
    }
    const oldPlus = this.plus;
    const oldWid = this.wid;
    const oldWidPresent = this.widPresent;
    this.widPresent = false;
    let out = "(";
    const save = this.buf;
    this.buf = "";
    this.fmtFloat(c.re, verb);
    out += this.buf;
    this.buf = "";
    this.plus = true;
    this.fmtFloat(c.im, verb);
    out += `${this.buf}i)`;
    this.buf = save;
    this.plus = oldPlus;
    this.wid = oldWid;
    this.widPresent = oldWidPresent;
    this.pad(out);
  }

  /** Stringers (json.Number, time.Time) format their String() for %v %s %x %X %q. */
  private handleMethods(arg: unknown, verb: string): boolean {
    if (this.erroring) return false;
    if (arg instanceof GoTime || arg instanceof JsonNumber) {
      if (this.sharpV) return false;
      if (verb === "v" || verb === "s" || verb === "x" || verb === "X" || verb === "q") {
        this.fmtString(arg.toString(), verb);
        return true;
      }
    }
    return false;
  }

  private printValue(v: unknown, verb: string, depth: number): void {
    if (depth > 0 && v !== null && v !== undefined) {
      this.arg = v;
      if (this.handleMethods(v, verb)) return;
    }
    this.arg = undefined;
    if (v === null || v === undefined) {
      this.buf += "<nil>";
      return;
    }
    switch (typeof v) {
      case "string":
        this.withArg(v, () => this.fmtString(v, verb));
        return;
      case "bigint":
        this.withArg(v, () => this.fmtInteger(v, verb));
        return;
      case "number":
        this.withArg(v, () => this.fmtFloat(v, verb));
        return;
      case "boolean":
        if (verb === "t" || verb === "v") this.pad(v ? "true" : "false");
        else this.withArg(v, () => this.badVerb(verb));
        return;
      case "function":
        this.buf += "0xc000010000";
        return;
    }
    if (v instanceof JsonNumber) {
      this.withArg(v, () => this.fmtString(v.text, verb));
      return;
    }
    if (v instanceof GoTime) {
      this.buf += v.toString();
      return;
    }
    if (Array.isArray(v)) {
      if (this.sharpV) {
        this.buf += "[]interface {}{";
        v.forEach((e, i) => {
          if (i > 0) this.buf += ", ";
          this.printValue(e, verb, depth + 1);
        });
        this.buf += "}";
        return;
      }
      this.buf += "[";
      v.forEach((e, i) => {
        if (i > 0) this.buf += " ";
        this.printValue(e, verb, depth + 1);
      });
      this.buf += "]";
      return;
    }
    if (v instanceof StringMap) {
      if (this.sharpV && v.map === null) {
        this.buf += "map[string]string(nil)";
        return;
      }
      this.buf += this.sharpV ? "map[string]string{" : "map[";
      v.keys().forEach((k, i) => {
        if (i > 0) this.buf += this.sharpV ? ", " : " ";
        this.printValue(k, verb, depth + 1);
        this.buf += ":";
        this.printValue(v.get(k), verb, depth + 1);
      });
      this.buf += this.sharpV ? "}" : "]";
      return;
    }
    if (v instanceof StructValue) {
      if (this.sharpV) this.buf += v.type.name;
      this.buf += "{";
      v.type.fields.forEach((f, i) => {
        if (i > 0) this.buf += this.sharpV ? ", " : " ";
        if (this.plusV || this.sharpV) this.buf += `${f.go}:`;
        this.printValue(v.values[i], verb, depth + 1);
      });
      this.buf += "}";
      return;
    }
    if (v instanceof GoColor) {
      if (depth > 0) {
        this.buf += "0xc000010000";
        return;
      }
      this.buf += `&{[${v.params.join(" ")}] <nil>}`;
      return;
    }
    if (typeof v === "object" && isAnyMap(v)) {
      if (this.sharpV) {
        this.buf += "map[string]interface {}";
        if (v === NIL_ANY_MAP) {
          this.buf += "(nil)";
          return;
        }
        this.buf += "{";
      } else this.buf += "map[";
      Object.keys(v)
        .sort(compareGoStrings)
        .forEach((k, i) => {
          if (i > 0) this.buf += this.sharpV ? ", " : " ";
          this.printValue(k, verb, depth + 1);
          this.buf += ":";
          this.printValue(v[k], verb, depth + 1);
        });
      this.buf += this.sharpV ? "}" : "]";
      return;
    }
    this.buf += String(v);
  }

  private withArg(v: unknown, f: () => void): void {
    const old = this.arg;
    this.arg = v;
    f();
    this.arg = old;
  }

  badVerb(verb: string): void {
    this.erroring = true;
    const a = this.arg;
    this.buf += `%!${verb}(`;
    if (a === null || a === undefined) this.buf += "<nil>";
    else {
      this.buf += `${typeName(a)}=`;
      const saved = this.saveFlags();
      this.clearFlags();
      this.printArg(a, "v");
      this.restoreFlags(saved);
    }
    this.buf += ")";
    this.erroring = false;
  }

  private saveFlags(): [boolean[], number] {
    return [[this.plus, this.minus, this.sharp, this.space, this.zero, this.plusV, this.sharpV], this.wid];
  }
  private restoreFlags([f, wid]: [boolean[], number]): void {
    [this.plus, this.minus, this.sharp, this.space, this.zero, this.plusV, this.sharpV] = f as [
      boolean,
      boolean,
      boolean,
      boolean,
      boolean,
      boolean,
      boolean,
    ];
    this.wid = wid;
  }

  fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  private fmtString(s: string, verb: string): void {
    switch (verb) {
      case "v":
        if (this.sharpV) this.fmtQ(s);
        else this.fmtS(s);
        return;
      case "s":
        this.fmtS(s);
        return;
      case "x":
      case "X":
        this.fmtSx(s, verb);
        return;
      case "q":
        this.fmtQ(s);
        return;
      default:
        this.badVerb(verb);
    }
  }

  private fmtSx(s: string, verb: string): void {
    let bytes: Uint8Array = goBytes(s);
    if (this.precPresent && this.prec < bytes.length) bytes = bytes.subarray(0, this.prec);
    const prefix = verb === "x" ? "0x" : "0X";
    let out = "";
    bytes.forEach((b, i) => {
      if (this.space) {
        if (i > 0) out += " ";
        if (this.sharp) out += prefix;
      } else if (this.sharp && i === 0) out += prefix;
      const h = b.toString(16).padStart(2, "0");
      out += verb === "X" ? h.toUpperCase() : h;
    });
    if (bytes.length === 0) {
      this.pad("");
      return;
    }
    this.pad(out);
  }

  private fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.sharp && canBackquote(s)) {
      this.pad(`\`${s}\``);
      return;
    }
    this.pad(quoteGo(s, this.plus));
  }

  private fmtInteger(n: bigint, verb: string): void {
    switch (verb) {
      case "v":
      case "d":
        this.fmtInt(n, 10, verb, false);
        return;
      case "b":
        this.fmtInt(n, 2, verb, false);
        return;
      case "o":
      case "O":
        this.fmtInt(n, 8, verb, false);
        return;
      case "x":
        this.fmtInt(n, 16, verb, false);
        return;
      case "X":
        this.fmtInt(n, 16, verb, true);
        return;
      case "c":
        this.pad(String.fromCodePoint(validRune(n)));
        return;
      case "q":
        this.pad(quoteRune(validRune(n), this.plus));
        return;
      case "U": {
        // Go's fmtUnicode: the value as uint64 (-1 is U+FFFFFFFFFFFFFFFF), a precision past 4 pads
        // with zeros, and width never does.
        const u = BigInt.asUintN(64, n);
        const prec = this.precPresent && this.prec > 4 ? this.prec : 4;
        let s = `U+${u.toString(16).toUpperCase().padStart(prec, "0")}`;
        if (this.sharp && u <= 0x10ffffn && isPrint(Number(u))) s += ` '${String.fromCodePoint(Number(u))}'`;
        const oldZero = this.zero;
        this.zero = false;
        this.pad(s);
        this.zero = oldZero;
        return;
      }
      default:
        this.badVerb(verb);
    }
  }

  private fmtInt(n: bigint, base: number, verb: string, upper: boolean): void {
    const negative = n < 0n;
    const u = negative ? -n : n;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.buf += this.padding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && !this.minus && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let digits = u.toString(base);
    if (upper) digits = digits.toUpperCase();
    if (digits.length < prec) digits = "0".repeat(prec - digits.length) + digits;
    if (this.sharp) {
      if (base === 2) digits = `0b${digits}`;
      else if (base === 8 && digits[0] !== "0") digits = `0${digits}`;
      else if (base === 16) digits = (upper ? "0X" : "0x") + digits;
    }
    if (verb === "O") digits = `0o${digits}`;
    if (negative) digits = `-${digits}`;
    else if (this.plus) digits = `+${digits}`;
    else if (this.space) digits = ` ${digits}`;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(digits);
    this.zero = oldZero;
  }

  private fmtFloat(x: number, verb: string): void {
    let fmt: string;
    let prec: number;
    switch (verb) {
      case "v":
        fmt = "g";
        prec = -1;
        break;
      case "g":
      case "G":
        fmt = verb;
        prec = -1;
        break;
      case "e":
      case "E":
      case "f":
        fmt = verb;
        prec = 6;
        break;
      case "F":
        fmt = "f";
        prec = 6;
        break;
      case "x":
      case "X":
      case "b":
        fmt = verb;
        prec = -1;
        break;
      default:
        this.badVerb(verb);
        return;
    }
    if (this.precPresent) prec = this.prec;
    let num = fmt === "g" && prec < 0 ? formatFloatV(x) : formatFloat(x, fmt, prec);
    if (num[0] !== "-" && num[0] !== "+") num = `+${num}`;
    if (this.space && num[0] === "+" && !this.plus) num = ` ${num.slice(1)}`;
    if (num[1] === "I" || num[1] === "N") {
      const oldZero = this.zero;
      this.zero = false;
      if (num[1] === "N" && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = oldZero;
      return;
    }
    if (this.sharp && fmt !== "b") num = sharpFloat(num, fmt, prec);
    if (this.plus || num[0] !== "+") {
      if (this.zero && !this.minus && this.widPresent && this.wid > num.length) {
        this.buf += num[0] + "0".repeat(this.wid - num.length) + num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  doPrintf(format: string, a: readonly unknown[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    let reordered = false;
    let goodArgNum = true;
    let i = 0;
    const argNumber = (idx: number): void => {
      if (i >= end || format[i] !== "[") return;
      reordered = true;
      const close = format.indexOf("]", i + 1);
      if (end - i < 3 || close < 0) {
        i += 1;
        goodArgNum = false;
        return;
      }
      const num = format.slice(i + 1, close);
      i = close + 1;
      if (!/^\d+$/.test(num)) {
        goodArgNum = false;
        return;
      }
      const n = Number(num) - 1;
      if (n >= 0 && n < a.length) {
        argNum = n;
        afterIndex = true;
      } else {
        goodArgNum = false;
        argNum = idx;
      }
    };
    // Go's parsenum: a number already past 1e6 before its next digit ends the format (%!(NOVERB)).
    const parseNum = (): [number, boolean] => {
      let num = 0;
      let isNum = false;
      for (; i < end && format[i]! >= "0" && format[i]! <= "9"; i++) {
        if (num > 1e6) {
          i = end;
          return [0, false];
        }
        num = num * 10 + (format.charCodeAt(i) - 48);
        isNum = true;
      }
      return [num, isNum];
    };
    const intFromArg = (): [number, boolean] => {
      if (argNum < a.length) {
        const v = a[argNum];
        argNum++;
        if (typeof v === "bigint" && v >= -1000000n && v <= 1000000n) return [Number(v), true];
        return [0, false];
      }
      return [0, false];
    };
    while (i < end) {
      goodArgNum = true;
      const pct = format.indexOf("%", i);
      if (pct < 0) {
        this.buf += format.slice(i);
        break;
      }
      if (pct > i) this.buf += format.slice(i, pct);
      i = pct + 1;
      this.clearFlags();
      flags: for (; i < end; i++) {
        switch (format[i]) {
          case "#":
            this.sharp = true;
            break;
          case "0":
            this.zero = !this.minus;
            break;
          case "+":
            this.plus = true;
            break;
          case "-":
            this.minus = true;
            this.zero = false;
            break;
          case " ":
            this.space = true;
            break;
          default:
            break flags;
        }
      }
      afterIndex = false;
      argNumber(argNum);
      if (i < end && format[i] === "*") {
        i++;
        [this.wid, this.widPresent] = intFromArg();
        if (!this.widPresent) this.buf += "%!(BADWIDTH)";
        if (this.wid < 0) {
          this.wid = -this.wid;
          this.minus = true;
          this.zero = false;
        }
        afterIndex = false;
      } else {
        [this.wid, this.widPresent] = parseNum();
        if (afterIndex && this.widPresent) goodArgNum = false;
      }
      if (i + 1 < end && format[i] === ".") {
        i++;
        if (afterIndex) goodArgNum = false;
        afterIndex = false;
        argNumber(argNum);
        if (i < end && format[i] === "*") {
          i++;
          [this.prec, this.precPresent] = intFromArg();
          if (this.prec < 0) {
            this.prec = 0;
            this.precPresent = false;
          }
          if (!this.precPresent) this.buf += "%!(BADPREC)";
          afterIndex = false;
        } else {
          [this.prec, this.precPresent] = parseNum();
          if (!this.precPresent) {
            this.prec = 0;
            this.precPresent = true;
          }
        }
      }
      if (!afterIndex) argNumber(argNum);
      if (i >= end) {
        this.buf += "%!(NOVERB)";
        break;
      }
      const verb = String.fromCodePoint(format.codePointAt(i)!);
      i += verb.length;
      if (verb === "%") {
        this.buf += "%";
        continue;
      }
      if (!goodArgNum) {
        this.buf += `%!${verb}(BADINDEX)`;
        continue;
      }
      if (argNum >= a.length) {
        this.buf += `%!${verb}(MISSING)`;
        continue;
      }
      if (verb === "v") {
        this.sharpV = this.sharp;
        this.sharp = false;
        this.plusV = this.plus;
        this.plus = false;
      }
      this.printArg(a[argNum], verb);
      argNum++;
    }
    if (!reordered && argNum < a.length) {
      this.clearFlags();
      this.buf += "%!(EXTRA ";
      for (let j = argNum; j < a.length; j++) {
        if (j > argNum) this.buf += ", ";
        const arg = a[j];
        if (arg === null || arg === undefined) this.buf += "<nil>";
        else {
          this.buf += `${typeName(arg)}=`;
          this.printArg(arg, "v");
        }
      }
      this.buf += ")";
    }
  }
}

/**
 * Go's # on a float (`num` signed, "+1.5e+00"): a decimal point always, and for %g/%G/%v/%x the
 * trailing zeros kept, up to the precision (6 when none) in significant digits.
 */
function sharpFloat(num: string, fmt: string, prec: number): string {
  let digits = fmt === "g" || fmt === "G" || fmt === "x" ? (prec === -1 ? 6 : prec) : 0;
  let body = num;
  let tail = "";
  let hasPoint = false;
  let sawNonzero = false;
  for (let i = 1; i < body.length; i++) {
    const c = body[i];
    if (c === ".") hasPoint = true;
    else if (c === "p" || c === "P" || ((c === "e" || c === "E") && fmt !== "x" && fmt !== "X")) {
      tail = body.slice(i);
      body = body.slice(0, i);
    } else {
      if (c !== "0") sawNonzero = true;
      if (sawNonzero) digits--;
    }
  }
  if (!hasPoint) {
    if (body.length === 2 && body[1] === "0") digits--;
    body += ".";
  }
  return `${body}${digits > 0 ? "0".repeat(digits) : ""}${tail}`;
}

function validRune(n: bigint): number {
  if (n < 0n || n > 0x10ffffn) return 0xfffd;
  const c = Number(n);
  return c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
}
