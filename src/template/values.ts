// How Go values are represented in JS (see README.md):
//   string → string, int → bigint, float64 → number, bool → boolean, nil → null/undefined,
//   []interface{} → Array, map[string]interface{} → plain object, map[string]string → StringMap,
//   structs → StructValue, *color.Color → GoColor, json.Number → JsonNumber, time.Time → GoTime.
// `undefined` doubles as Go's invalid reflect.Value ("<no value>").
import { AnsiStyle } from "../util/ansi.ts";

/**
 * A fatih/color `*color.Color`: SGR attributes such as "96" or "92;1" ("" = none). `enabled` false is
 * fatih's NoColor: the attributes stay (templates print them), its Sprint methods write plain text.
 */
export class GoColor extends AnsiStyle {
  readonly enabled: boolean;
  constructor(sgr: string, enabled = true) {
    super(sgr);
    this.enabled = enabled;
  }
  /** Its Sprint: colored unless color is off. */
  sprint(s: string): string {
    return this.enabled ? this.wrap(s) : s;
  }
}

export function colorFromAttrs(attrs: readonly number[]): GoColor {
  return new GoColor(attrs.join(";"));
}

/** A complex128, from a template constant such as `1i`: printed "(0+1i)". */
export class GoComplex {
  readonly re: number;
  readonly im: number;
  constructor(re: number, im: number) {
    this.re = re;
    this.im = im;
  }
}

/** Go's encoding/json Number: a string kind that prints and marshals as its literal text. */
export class JsonNumber {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

/** A Go map[string]string (pod labels/annotations). `null` entries make a nil map. */
export class StringMap {
  readonly map: ReadonlyMap<string, string> | null;
  private sortedKeys: string[] | undefined;
  constructor(entries: Record<string, string> | ReadonlyMap<string, string> | null | undefined) {
    if (entries == null) this.map = null;
    else if (entries instanceof Map) this.map = entries;
    else this.map = new Map(Object.entries(entries as Record<string, string>));
  }
  get size(): number {
    return this.map === null ? 0 : this.map.size;
  }
  get(key: string): string | undefined {
    return this.map?.get(key);
  }
  keys(): string[] {
    if (this.sortedKeys === undefined) this.sortedKeys = [...(this.map?.keys() ?? [])].sort(compareGoStrings);
    return this.sortedKeys;
  }
}

export interface FieldSpec {
  go: string;
  json: string;
  omitEmpty?: boolean;
  skipJson?: boolean;
}

/** A Go struct type; `make` builds values cheaply (an array of field values in declaration order). */
export class StructType {
  readonly name: string;
  readonly fields: readonly FieldSpec[];
  readonly index: ReadonlyMap<string, number>;
  constructor(name: string, fields: readonly FieldSpec[]) {
    this.name = name;
    this.fields = fields;
    this.index = new Map(fields.map((f, i) => [f.go, i]));
  }
  make(values: unknown[] | Record<string, unknown>): StructValue {
    if (Array.isArray(values)) return new StructValue(this, values);
    const rec = values;
    return new StructValue(
      this,
      this.fields.map((f) => rec[f.go]),
    );
  }
}

export class StructValue {
  readonly type: StructType;
  readonly values: unknown[];
  constructor(type: StructType, values: unknown[]) {
    this.type = type;
    this.values = values;
  }
}

export function defineStruct(typeName: string, fields: FieldSpec[]): StructType {
  return new StructType(typeName, fields);
}

/** A nil map[string]interface{} (e.g. tryParseJSON's failure result): empty, false, marshals as null. */
export const NIL_ANY_MAP: Record<string, unknown> = Object.freeze(
  Object.create(null) as Record<string, unknown>,
);

export function isAnyMap(v: object): v is Record<string, unknown> {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Byte-wise (UTF-8) string order as Go's sort.Strings, which differs from UTF-16 order only for surrogates. */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const sx = x >= 0xd800 && x <= 0xdfff;
      const sy = y >= 0xd800 && y <= 0xdfff;
      if (sx !== sy) return sx ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}

export function sortedKeys(obj: Record<string, unknown>): string[] {
  return Object.keys(obj).sort(compareGoStrings);
}

export class GoError extends Error {}

/** Thrown from functions to mimic a Go (value, error) return; the message is the Go error text. */
export function goError(msg: string): GoError {
  return new GoError(msg);
}
