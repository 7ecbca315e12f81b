// The command line as stern's parser (spf13/pflag under cobra) reads it, rule for rule: `--name=v`,
// `--name v`, `-n v`, `-nv`, `-n=v`, clusters of shorthands (`-Ad`), `--` ending the flags, flags
// anywhere among the arguments, a flag with an optional value (NoOptDefVal: booleans, --timestamps)
// never taking the next word, and the values checked as Go checks them (strconv, time, encoding/csv),
// with pflag's error texts. test/oracle/pflag.test.ts compares it with pflag itself.

import { parseGoDuration } from "../util/duration.ts";
import { quoteGo, quoteRune } from "../util/goquote.ts";

export type PflagType = "bool" | "string" | "int" | "float" | "duration" | "stringArray" | "stringSlice";

export interface PflagSpec {
  name: string;
  short?: string;
  type: PflagType;
  /** The value of the flag given without one ("true" for booleans). */
  noOptDefVal?: string;
}

/** A flag's value as pflag holds it: int64 as bigint, float32 widened, a duration in nanoseconds. */
export type PflagValue = boolean | string | bigint | number | string[] | { durationNs: bigint; text: string };

export interface PflagResult {
  /** The flags set, by name, with their values, in the order first set. */
  changed: Map<string, PflagValue>;
  /** The arguments that are not flags. */
  args: string[];
  /** How many of args came before "--" (-1 without "--"), as pflag's ArgsLenAtDash. */
  argsLenAtDash: number;
}

export class PflagError extends Error {}

function invalid(spec: PflagSpec, value: string, cause: string): PflagError {
  const flagName = spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
  return new PflagError(`invalid argument ${quoteGo(value)} for ${quoteGo(flagName)} flag: ${cause}`);
}

/** Sets one flag from its text, as pflag's Value.Set: lists replace their default, then append. */
function set(spec: PflagSpec, text: string, changed: Map<string, PflagValue>): void {
  const prev = changed.get(spec.name);
  let value: PflagValue;
  try {
    value = parseValue(spec.type, text, prev);
  } catch (err) {
    throw invalid(spec, text, (err as Error).message);
  }
  changed.set(spec.name, value);
}

export function parseValue(type: PflagType, text: string, prev?: PflagValue): PflagValue {
  switch (type) {
    case "bool":
      return parseGoBool(text);
    case "int":
      return parseGoInt(text);
    case "float":
      return parseGoFloat32(text);
    case "duration":
      return { durationNs: parseGoDuration(text), text };
    case "stringArray":
      return [...((prev as string[] | undefined) ?? []), text];
    case "stringSlice":
      return [...((prev as string[] | undefined) ?? []), ...readCsvRecord(text)];
    default:
      return text;
  }
}

/** Parses argv (without the program name) against the flags. Throws PflagError as pflag fails. */
export function parsePflag(argv: readonly string[], specs: readonly PflagSpec[]): PflagResult {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  const changed = new Map<string, PflagValue>();
  const args: string[] = [];
  let argsLenAtDash = -1;
  let i = 0;
  while (i < argv.length) {
    const s = argv[i++] as string;
    if (s.length < 2 || s[0] !== "-") {
      args.push(s);
      continue;
    }
    if (s[1] === "-") {
      if (s.length === 2) {
        argsLenAtDash = args.length;
        args.push(...argv.slice(i));
        break;
      }
      const body = s.slice(2);
      if (body[0] === "-" || body[0] === "=") throw new PflagError(`bad flag syntax: ${s}`);
      const eq = body.indexOf("=");
      const name = eq === -1 ? body : body.slice(0, eq);
      const spec = byName.get(name);
      if (!spec) throw new PflagError(`unknown flag: --${name}`);
      let value: string;
      if (eq !== -1) value = body.slice(eq + 1);
      else if (spec.noOptDefVal) value = spec.noOptDefVal;
      else if (i < argv.length) value = argv[i++] as string;
      else throw new PflagError(`flag needs an argument: ${s}`);
      set(spec, value, changed);
      continue;
    }
    // A cluster of shorthands: each letter a flag, until one takes the rest (or the next word).
    let shorthands = s.slice(1);
    while (shorthands.length > 0) {
      const c = String.fromCodePoint(shorthands.codePointAt(0) as number);
      // pflag works on bytes: a non-ASCII letter is never a shorthand; its first byte is named.
      const spec = byShort.get(c);
      if (!spec) {
        const first = Buffer.from(shorthands, "utf8")[0] as number;
        throw new PflagError(`unknown shorthand flag: ${quoteRune(first)} in -${shorthands}`);
      }
      const rest = shorthands.slice(c.length);
      let value: string;
      if (rest.length > 1 && rest[0] === "=") {
        value = rest.slice(1);
        shorthands = "";
      } else if (spec.noOptDefVal) {
        value = spec.noOptDefVal;
        shorthands = rest;
      } else if (rest.length > 0) {
        value = rest;
        shorthands = "";
      } else if (i < argv.length) {
        value = argv[i++] as string;
        shorthands = "";
      } else {
        throw new PflagError(
          `flag needs an argument: ${quoteRune(c.codePointAt(0) as number)} in -${shorthands}`,
        );
      }
      set(spec, value, changed);
    }
  }
  return { changed, args, argsLenAtDash };
}

const syntaxError = (fn: string, s: string) =>
  new Error(`strconv.${fn}: parsing ${quoteGo(s)}: invalid syntax`);
const rangeError = (fn: string, s: string) =>
  new Error(`strconv.${fn}: parsing ${quoteGo(s)}: value out of range`);

/** strconv.ParseBool. */
export function parseGoBool(s: string): boolean {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  throw syntaxError("ParseBool", s);
}

/** strconv's underscoreOK: underscores only between digits, or after a base prefix. */
function underscoreOK(text: string): boolean {
  let s = text;
  let saw = "^";
  let i = 0;
  if (s[0] === "-" || s[0] === "+") s = s.slice(1);
  let hexDigits = false;
  if (s.length >= 2 && s[0] === "0" && "bBoOxX".includes(s[1] as string)) {
    i = 2;
    saw = "0";
    hexDigits = s[1] === "x" || s[1] === "X";
  }
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if ((c >= "0" && c <= "9") || (hexDigits && /[a-fA-F]/.test(c))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

const MAX_U64 = (1n << 64n) - 1n;

/** strconv.ParseUint(s, 0, 64) as ParseInt uses it; throws "syntax" or "range". */
function parseUint0(s0: string): bigint {
  if (s0 === "") throw new Error("syntax");
  let s = s0;
  let base = 10n;
  if (s[0] === "0") {
    const p = s[1]?.toLowerCase();
    if (s.length >= 3 && (p === "b" || p === "o" || p === "x")) {
      base = p === "b" ? 2n : p === "o" ? 8n : 16n;
      s = s.slice(2);
    } else {
      base = 8n;
      s = s.slice(1);
    }
  }
  let n = 0n;
  let underscores = false;
  for (const c of s) {
    if (c === "_") {
      underscores = true;
      continue;
    }
    const d = BigInt(Number.parseInt(c, 36));
    if (!/[0-9a-zA-Z]/.test(c) || d >= base) throw new Error("syntax");
    n = n * base + d;
    if (n > MAX_U64) throw new Error("range");
  }
  if (underscores && !underscoreOK(s0)) throw new Error("syntax");
  return n;
}

/** strconv.ParseInt(s, 0, 64): Go's literal prefixes (0x, 0o, 0b, a leading 0 for octal) and underscores. */
export function parseGoInt(s: string): bigint {
  if (s === "") throw syntaxError("ParseInt", s);
  const neg = s[0] === "-";
  const digits = s[0] === "+" || s[0] === "-" ? s.slice(1) : s;
  let un: bigint;
  try {
    un = parseUint0(digits);
  } catch (err) {
    throw (err as Error).message === "range" ? rangeError("ParseInt", s) : syntaxError("ParseInt", s);
  }
  const cutoff = 1n << 63n;
  if ((!neg && un >= cutoff) || (neg && un > cutoff)) throw rangeError("ParseInt", s);
  return neg ? -un : un;
}

/** strconv.ParseFloat(s, 32), widened to a double as Go's float64(float32). */
export function parseGoFloat32(s: string): number {
  const special = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (special) return special[1] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^nan$/i.test(s)) return Number.NaN;
  const m = /^[+-]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d[\d_]*)?$/.exec(s);
  if (!m || (s.includes("_") && !underscoreOK(s.replace(/[eE].*$/, "")))) throw syntaxError("ParseFloat", s);
  const v = Math.fround(Number(s.replaceAll("_", "")));
  if (!Number.isFinite(v)) throw rangeError("ParseFloat", s);
  return v;
}

/** The first record of encoding/csv's Reader on `text`, as pflag's string slices read their values. */
export function readCsvRecord(text: string): string[] {
  if (text === "") return [];
  const bytes = Buffer.from(text, "utf8");
  const lines: Buffer[] = [];
  for (let from = 0; from < bytes.length; ) {
    const nl = bytes.indexOf(0x0a, from);
    const end = nl === -1 ? bytes.length : nl + 1;
    let line = bytes.subarray(from, end);
    // \r\n ends a line as \n does; a \r before the end of input is dropped.
    if (line.length >= 2 && line[line.length - 2] === 0x0d && line[line.length - 1] === 0x0a) {
      line = Buffer.concat([line.subarray(0, line.length - 2), Buffer.from("\n")]);
    } else if (nl === -1 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    lines.push(line);
    from = end;
  }
  let lineNo = 0;
  // Empty lines before the record are skipped; none left is io.EOF.
  while (lineNo < lines.length && (lines[lineNo] as Buffer).toString() === "\n") lineNo++;
  if (lineNo >= lines.length || (lines[lineNo] as Buffer).length === 0) throw new Error("EOF");
  const recLine = lineNo + 1;
  let line = lines[lineNo++] as Buffer;
  const nlLen = (b: Buffer) => (b.length > 0 && b[b.length - 1] === 0x0a ? 1 : 0);
  const parseError = (l: number, col: number, what: string) =>
    new Error(
      recLine !== l
        ? `record on line ${recLine}; parse error on line ${l}, column ${col}: ${what}`
        : `parse error on line ${l}, column ${col}: ${what}`,
    );
  const fields: string[] = [];
  let col = 1;
  let posLine = recLine;
  for (;;) {
    if (line.length === 0 || line[0] !== 0x22) {
      const comma = line.indexOf(0x2c);
      const field = comma >= 0 ? line.subarray(0, comma) : line.subarray(0, line.length - nlLen(line));
      const q = field.indexOf(0x22);
      if (q >= 0) throw parseError(posLine, col + q, 'bare " in non-quoted-field');
      fields.push(field.toString("utf8"));
      if (comma < 0) return fields;
      line = line.subarray(comma + 1);
      col += comma + 1;
      continue;
    }
    line = line.subarray(1);
    col += 1;
    const parts: Buffer[] = [];
    for (;;) {
      const q = line.indexOf(0x22);
      if (q >= 0) {
        parts.push(line.subarray(0, q));
        line = line.subarray(q + 1);
        col += q + 1;
        if (line[0] === 0x22) {
          parts.push(Buffer.from('"'));
          line = line.subarray(1);
          col += 1;
        } else if (line[0] === 0x2c) {
          line = line.subarray(1);
          col += 1;
          fields.push(Buffer.concat(parts).toString("utf8"));
          break;
        } else if (nlLen(line) === line.length) {
          fields.push(Buffer.concat(parts).toString("utf8"));
          return fields;
        } else throw parseError(posLine, col - 1, 'extraneous or missing " in quoted-field');
      } else if (line.length > 0) {
        parts.push(line);
        col += line.length;
        const next = lines[lineNo++];
        if (next === undefined) {
          line = Buffer.alloc(0);
          continue;
        }
        line = next;
        posLine++;
        col = 1;
      } else throw parseError(posLine, col, 'extraneous or missing " in quoted-field');
    }
  }
}
