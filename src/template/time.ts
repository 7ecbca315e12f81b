// Go's time.Time subset: instants with a location, Go reference-time layouts (format and parse).

import { civilFromDays, daysFromCivil, offsetSecondsAt, wallClockFormat } from "../util/calendar.ts";
import { goZoneError } from "../util/zoneinfo.ts";
import { goError } from "./values.ts";

export interface Zone {
  name: string;
  offset: number; // seconds east of UTC
}

export interface GoLocation {
  readonly name: string;
  zoneAt(unixSec: number): Zone;
}

class FixedLocation implements GoLocation {
  readonly name: string;
  private readonly zone: Zone;
  constructor(name: string, zoneName: string, offset: number) {
    this.name = name;
    this.zone = { name: zoneName, offset };
  }
  zoneAt(): Zone {
    return this.zone;
  }
}

export const UTC: GoLocation = new FixedLocation("UTC", "UTC", 0);

export function fixedZone(name: string, offset: number): GoLocation {
  return new FixedLocation(name, name, offset);
}

const ABBR_LOCALES = ["en-US", "en-GB", "en-AU", "en-IN", "ja-JP"];

class IanaLocation implements GoLocation {
  readonly name: string;
  private readonly tz: string;
  private readonly partsFmt: Intl.DateTimeFormat;
  private abbrFmts: Intl.DateTimeFormat[] | undefined;
  private cacheSec = Number.NaN;
  private cacheZone: Zone = { name: "UTC", offset: 0 };
  constructor(name: string, tz: string) {
    this.name = name;
    this.tz = tz;
    this.partsFmt = wallClockFormat(tz);
  }
  zoneAt(unixSec: number): Zone {
    if (unixSec === this.cacheSec) return this.cacheZone;
    const ms = clampMs(unixSec);
    const offset = offsetSecondsAt(this.partsFmt, ms);
    const zone = { name: this.abbr(ms, offset), offset };
    this.cacheSec = unixSec;
    this.cacheZone = zone;
    return zone;
  }
  private abbr(ms: number, offset: number): string {
    this.abbrFmts ??= ABBR_LOCALES.map(
      (l) => new Intl.DateTimeFormat(l, { timeZone: this.tz, timeZoneName: "short" }),
    );
    for (const f of this.abbrFmts) {
      const name = f.formatToParts(new Date(ms)).find((x) => x.type === "timeZoneName")?.value ?? "";
      if (name !== "" && !/^(GMT|UTC)[+-]/.test(name) && !(name === "GMT" && offset !== 0)) return name;
    }
    // Local mean time, before a zone's standard time, is the one offset of seconds: tzdata calls it LMT.
    if (offset % 60 !== 0) return "LMT";
    // tzdata names zones without a common abbreviation by their offset, e.g. "+04" or "+0530".
    const sign = offset < 0 ? "-" : "+";
    const a = Math.abs(offset);
    const h = pad2(Math.floor(a / 3600));
    const m = Math.floor((a % 3600) / 60);
    return m === 0 ? sign + h : sign + h + pad2(m);
  }
}

function clampMs(unixSec: number): number {
  return Math.max(-8.64e15, Math.min(8.64e15, unixSec * 1000));
}

const locations = new Map<string, GoLocation>();
let localLoc: GoLocation | undefined;

export function localLocation(): GoLocation {
  if (localLoc === undefined) {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    // Go names the zone "UTC" when the local zone is UTC.
    localLoc =
      tz === undefined || tz === "UTC" || tz === "Etc/UTC"
        ? new FixedLocation("Local", "UTC", 0)
        : new IanaLocation("Local", tz);
  }
  return localLoc;
}

/** time.LoadLocation: "" and "UTC" are UTC, "Local" is the local zone, others are IANA names. */
export function loadLocation(name: string): GoLocation {
  if (name === "" || name === "UTC") return UTC;
  if (name === "Local") return localLocation();
  const cached = locations.get(name);
  if (cached !== undefined) return cached;
  // Which names load is the system's zoneinfo files' say, as for Go.
  const problem = goZoneError(name);
  if (problem !== undefined) throw goError(problem);
  let loc: GoLocation;
  try {
    loc = new IanaLocation(name, name);
  } catch {
    throw goError(`unknown time zone ${name}`);
  }
  locations.set(name, loc);
  return loc;
}

export class GoTime {
  readonly sec: number; // unix seconds (integer)
  readonly nsec: number; // 0..999999999
  readonly loc: GoLocation;
  constructor(sec: number, nsec: number, loc: GoLocation) {
    this.sec = sec;
    this.nsec = nsec;
    this.loc = loc;
  }
  static unix(sec: number, nsec: number, loc: GoLocation = localLocation()): GoTime {
    const s = sec + Math.floor(nsec / 1e9);
    return new GoTime(s, ((nsec % 1e9) + 1e9) % 1e9, loc);
  }
  isZero(): boolean {
    return this.sec === ZERO_UNIX && this.nsec === 0;
  }
  in(loc: GoLocation): GoTime {
    return new GoTime(this.sec, this.nsec, loc);
  }
  utc(): GoTime {
    return this.in(UTC);
  }
  format(layout: string): string {
    return formatTime(this, layout);
  }
  /** time.Time.String(). */
  toString(): string {
    return formatTime(this, "2006-01-02 15:04:05.999999999 -0700 MST");
  }
}

export const ZERO_UNIX = -62135596800;
export const ZERO_TIME = new GoTime(ZERO_UNIX, 0, UTC);

export const RFC3339 = "2006-01-02T15:04:05Z07:00";
export const RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";

// --- civil calendar --------------------------------------------------------------------------

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function padN(n: number, w: number): string {
  const s = String(Math.abs(n));
  const p = s.length < w ? "0".repeat(w - s.length) + s : s;
  return n < 0 ? `-${p}` : p;
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

export const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
export const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export interface Civil {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  min: number;
  sec: number;
  nsec: number;
  weekday: number; // 0 = Sunday
  yday: number; // 1..366
  zone: Zone;
}

export function civil(t: GoTime): Civil {
  const zone = t.loc.zoneAt(t.sec);
  const local = t.sec + zone.offset;
  const days = Math.floor(local / 86400);
  const secOfDay = local - days * 86400;
  const { y, m, d } = civilFromDays(days);
  const yday = DAYS_BEFORE[m - 1]! + d + (m > 2 && isLeap(y) ? 1 : 0);
  return {
    year: y,
    month: m,
    day: d,
    hour: Math.floor(secOfDay / 3600),
    min: Math.floor((secOfDay % 3600) / 60),
    sec: secOfDay % 60,
    nsec: t.nsec,
    weekday: (((days + 4) % 7) + 7) % 7,
    yday,
    zone,
  };
}

// --- layouts ---------------------------------------------------------------------------------

type Chunk = { kind: "lit"; text: string } | { kind: "std"; std: Std; n?: number; sep?: string };

type Std =
  | "longMonth"
  | "month"
  | "numMonth"
  | "zeroMonth"
  | "longWeekDay"
  | "weekDay"
  | "day"
  | "underDay"
  | "zeroDay"
  | "underYearDay"
  | "zeroYearDay"
  | "hour"
  | "hour12"
  | "zeroHour12"
  | "minute"
  | "zeroMinute"
  | "second"
  | "zeroSecond"
  | "longYear"
  | "year"
  | "PM"
  | "pm"
  | "tz"
  | "iso8601TZ"
  | "iso8601SecondsTZ"
  | "iso8601ShortTZ"
  | "iso8601ColonTZ"
  | "iso8601ColonSecondsTZ"
  | "numTZ"
  | "numSecondsTz"
  | "numShortTZ"
  | "numColonTZ"
  | "numColonSecondsTZ"
  | "fracSecond0"
  | "fracSecond9";

const isLower = (c: string | undefined): boolean => c !== undefined && c >= "a" && c <= "z";
const isDigitCh = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";

const layoutCache = new Map<string, Chunk[]>();

/** Splits a layout into literal text and reference-time elements, as Go's layout rules define them. */
export function parseLayout(layout: string): Chunk[] {
  const cached = layoutCache.get(layout);
  if (cached !== undefined) return cached;
  const out: Chunk[] = [];
  let lit = "";
  const push = (c: Chunk): void => {
    if (lit !== "") out.push({ kind: "lit", text: lit });
    lit = "";
    out.push(c);
  };
  let i = 0;
  while (i < layout.length) {
    const rest = layout.slice(i);
    const c = layout[i]!;
    let std: Std | undefined;
    let len = 0;
    switch (c) {
      case "J":
        if (rest.startsWith("January")) [std, len] = ["longMonth", 7];
        else if (rest.startsWith("Jan") && !isLower(rest[3])) [std, len] = ["month", 3];
        break;
      case "M":
        if (rest.startsWith("Monday")) [std, len] = ["longWeekDay", 6];
        else if (rest.startsWith("Mon") && !isLower(rest[3])) [std, len] = ["weekDay", 3];
        else if (rest.startsWith("MST")) [std, len] = ["tz", 3];
        break;
      case "0":
        if (rest[1] !== undefined && rest[1] >= "1" && rest[1] <= "6") {
          const map: Std[] = ["zeroMonth", "zeroDay", "zeroHour12", "zeroMinute", "zeroSecond", "year"];
          [std, len] = [map[Number(rest[1]) - 1]!, 2];
        } else if (rest.startsWith("002")) [std, len] = ["zeroYearDay", 3];
        break;
      case "1":
        if (rest[1] === "5") [std, len] = ["hour", 2];
        else [std, len] = ["numMonth", 1];
        break;
      case "2":
        if (rest.startsWith("2006")) [std, len] = ["longYear", 4];
        else [std, len] = ["day", 1];
        break;
      case "_":
        if (rest[1] === "2") {
          if (rest.startsWith("_2006")) {
            lit += "_";
            [std, len] = ["longYear", 4];
            i += 1;
          } else [std, len] = ["underDay", 2];
        } else if (rest.startsWith("__2")) [std, len] = ["underYearDay", 3];
        break;
      case "3":
        [std, len] = ["hour12", 1];
        break;
      case "4":
        [std, len] = ["minute", 1];
        break;
      case "5":
        [std, len] = ["second", 1];
        break;
      case "P":
        if (rest[1] === "M") [std, len] = ["PM", 2];
        break;
      case "p":
        if (rest[1] === "m") [std, len] = ["pm", 2];
        break;
      case "-":
        if (rest.startsWith("-070000")) [std, len] = ["numSecondsTz", 7];
        else if (rest.startsWith("-07:00:00")) [std, len] = ["numColonSecondsTZ", 9];
        else if (rest.startsWith("-0700")) [std, len] = ["numTZ", 5];
        else if (rest.startsWith("-07:00")) [std, len] = ["numColonTZ", 6];
        else if (rest.startsWith("-07")) [std, len] = ["numShortTZ", 3];
        break;
      case "Z":
        if (rest.startsWith("Z070000")) [std, len] = ["iso8601SecondsTZ", 7];
        else if (rest.startsWith("Z07:00:00")) [std, len] = ["iso8601ColonSecondsTZ", 9];
        else if (rest.startsWith("Z0700")) [std, len] = ["iso8601TZ", 5];
        else if (rest.startsWith("Z07:00")) [std, len] = ["iso8601ColonTZ", 6];
        else if (rest.startsWith("Z07")) [std, len] = ["iso8601ShortTZ", 3];
        break;
      case ".":
      case ",":
        if (rest[1] === "0" || rest[1] === "9") {
          const ch = rest[1];
          let j = 1;
          while (rest[j] === ch) j++;
          if (!isDigitCh(rest[j])) {
            push({ kind: "std", std: ch === "0" ? "fracSecond0" : "fracSecond9", n: j - 1, sep: c });
            i += j;
            continue;
          }
        }
        break;
    }
    if (std === undefined) {
      lit += c;
      i++;
    } else {
      push({ kind: "std", std });
      i += len;
    }
  }
  if (lit !== "") out.push({ kind: "lit", text: lit });
  layoutCache.set(layout, out);
  return out;
}

function formatTZ(std: Std, offset: number): string {
  if (std.startsWith("iso8601") && offset === 0) return "Z";
  const sign = offset < 0 ? "-" : "+";
  const a = Math.abs(offset);
  const h = pad2(Math.floor(a / 3600));
  const m = pad2(Math.floor((a % 3600) / 60));
  const s = pad2(a % 60);
  switch (std) {
    case "iso8601ShortTZ":
    case "numShortTZ":
      return sign + h;
    case "iso8601TZ":
    case "numTZ":
      return sign + h + m;
    case "iso8601ColonTZ":
    case "numColonTZ":
      return `${sign}${h}:${m}`;
    case "iso8601SecondsTZ":
    case "numSecondsTz":
      return sign + h + m + s;
    default:
      return `${sign}${h}:${m}:${s}`;
  }
}

export function formatTime(t: GoTime, layout: string): string {
  const c = civil(t);
  let out = "";
  for (const ch of parseLayout(layout)) {
    if (ch.kind === "lit") {
      out += ch.text;
      continue;
    }
    switch (ch.std) {
      case "year":
        out += pad2(((c.year % 100) + 100) % 100);
        break;
      case "longYear":
        out += padN(c.year, 4);
        break;
      case "month":
        out += MONTHS[c.month - 1]!.slice(0, 3);
        break;
      case "longMonth":
        out += MONTHS[c.month - 1]!;
        break;
      case "numMonth":
        out += String(c.month);
        break;
      case "zeroMonth":
        out += pad2(c.month);
        break;
      case "weekDay":
        out += DAYS[c.weekday]!.slice(0, 3);
        break;
      case "longWeekDay":
        out += DAYS[c.weekday]!;
        break;
      case "day":
        out += String(c.day);
        break;
      case "underDay":
        out += c.day < 10 ? ` ${c.day}` : String(c.day);
        break;
      case "zeroDay":
        out += pad2(c.day);
        break;
      case "underYearDay":
        out += String(c.yday).padStart(3, " ");
        break;
      case "zeroYearDay":
        out += padN(c.yday, 3);
        break;
      case "hour":
        out += pad2(c.hour);
        break;
      case "hour12":
        out += String(c.hour % 12 === 0 ? 12 : c.hour % 12);
        break;
      case "zeroHour12":
        out += pad2(c.hour % 12 === 0 ? 12 : c.hour % 12);
        break;
      case "minute":
        out += String(c.min);
        break;
      case "zeroMinute":
        out += pad2(c.min);
        break;
      case "second":
        out += String(c.sec);
        break;
      case "zeroSecond":
        out += pad2(c.sec);
        break;
      case "PM":
        out += c.hour >= 12 ? "PM" : "AM";
        break;
      case "pm":
        out += c.hour >= 12 ? "pm" : "am";
        break;
      case "tz":
        if (c.zone.name !== "") out += c.zone.name;
        else {
          const z = Math.trunc(c.zone.offset / 60);
          const a = Math.abs(z);
          out += (z < 0 ? "-" : "+") + pad2(Math.floor(a / 60)) + pad2(a % 60);
        }
        break;
      case "fracSecond0": {
        const digits = padN(c.nsec, 9).slice(0, ch.n);
        out += ch.sep + digits;
        break;
      }
      case "fracSecond9": {
        const digits = padN(c.nsec, 9).slice(0, ch.n).replace(/0+$/, "");
        if (digits !== "") out += ch.sep + digits;
        break;
      }
      default:
        out += formatTZ(ch.std, c.zone.offset);
    }
  }
  return out;
}

// --- parsing -----------------------------------------------------------------------------------
// A port of Go's time.parse (time/format.go, Go 1.26): the value is read as Go reads it, byte by
// byte (as a latin1 string of its Go bytes), with Go's leniencies (one-digit hours, any run of spaces
// for one, case-insensitive names, a fraction after seconds the layout lacks) and Go's quirks (a zone
// name it does not know keeps the wall clock as UTC's, "GMT+3" is three hours east).

const BAD = Symbol("bad");

const isDigitAt = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};

/** Go's getnum: one or two digits (two when fixed). */
function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigitAt(s, 0)) throw BAD;
  if (!isDigitAt(s, 1)) {
    if (fixed) throw BAD;
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

/** Go's getnum3: one to three digits (three when fixed). */
function getnum3(s: string, fixed: boolean): [number, string] {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + (s.charCodeAt(i) - 48);
  if (i === 0 || (fixed && i !== 3)) throw BAD;
  return [n, s.slice(i)];
}

/** Go's leadingInt: the digits at the start (undefined past 2^63), and the rest. */
function leadingInt(s: string): [number, string] | undefined {
  let i = 0;
  let x = 0n;
  for (; i < s.length && isDigitAt(s, i); i++) {
    x = x * 10n + BigInt(s.charCodeAt(i) - 48);
    if (x > 1n << 63n) return undefined;
  }
  return [Number(x), s.slice(i)];
}

/** Go's atoi: an optional sign, then digits only. */
function atoi(s: string): number {
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  const r = leadingInt(s);
  if (r === undefined || r[1] !== "") throw BAD;
  return neg ? -r[0] : r[0];
}

/** Go's lookup: the first name of tab the value starts with, ASCII letters matched in either case. */
function lookupName(tab: readonly string[], val: string): [number, string] {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i]!;
    if (val.length >= v.length && matchFold(val, v)) return [i, val.slice(v.length)];
  }
  throw BAD;
}

function matchFold(s1: string, s2: string): boolean {
  for (let i = 0; i < s2.length; i++) {
    let c1 = s1.charCodeAt(i);
    let c2 = s2.charCodeAt(i);
    if (c1 !== c2) {
      c1 |= 0x20;
      c2 |= 0x20;
      if (c1 !== c2 || c1 < 0x61 || c1 > 0x7a) return false;
    }
  }
  return true;
}

const SHORT_MONTHS = MONTHS.map((m) => m.slice(0, 3));
const SHORT_DAYS = DAYS.map((d) => d.slice(0, 3));

/** Go's parseNanoseconds: value[0] is '.' or ','; value[1:nbytes] the digits (a sign is taken too). */
function parseNanoseconds(value: string, nbytes: number): [number, string] {
  if (value[0] !== "." && value[0] !== ",") throw BAD;
  if (nbytes > 10) {
    value = value.slice(0, 10);
    nbytes = 10;
  }
  let ns = atoi(value.slice(1, nbytes));
  if (ns < 0) return [0, "fractional second"];
  for (let i = 0; i < 10 - nbytes; i++) ns *= 10;
  return [ns, ""];
}

/** Go's parseSignedOffset: "+3", "-11" (hours up to 23); the length taken, 0 when none. */
function parseSignedOffset(value: string): number {
  const sign = value[0];
  if (sign !== "-" && sign !== "+") return 0;
  const r = leadingInt(value.slice(1));
  if (r === undefined || r[1] === value.slice(1) || r[0] > 23) return 0;
  return value.length - r[1].length;
}

/** Go's parseTimeZone: the length of a zone name at the start of value, or 0. */
function parseTimeZone(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith("ChST") || value.startsWith("MeST")) return 4;
  if (value.startsWith("GMT")) return value.length === 3 ? 3 : 3 + parseSignedOffset(value.slice(3));
  if (value[0] === "+" || value[0] === "-") return parseSignedOffset(value);
  let nUpper = 0;
  for (; nUpper < 6 && nUpper < value.length; nUpper++) {
    const c = value.charCodeAt(nUpper);
    if (c < 65 || c > 90) break;
  }
  switch (nUpper) {
    case 5:
      return value[4] === "T" ? 5 : 0;
    case 4:
      return value[3] === "T" || value.startsWith("WITA") ? 4 : 0;
    case 3:
      return 3;
    default:
      return 0;
  }
}

/** Go's skip: the layout's literal text; a space in it takes any run of spaces (one at least). */
function skip(value: string, prefix: string): string {
  let i = 0;
  while (i < prefix.length) {
    if (prefix[i] === " ") {
      if (value.length > 0 && value[0] !== " ") throw BAD;
      while (prefix[i] === " ") i++;
      value = value.replace(/^ +/, "");
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[i]) throw BAD;
    i++;
    value = value.slice(1);
  }
  return value;
}

/**
 * time.Parse(layout, value) (time.ParseInLocation with defLoc), for callers that try layout after
 * layout (spf13/cast): the value as a latin1 string of its Go bytes; undefined where Go fails (its
 * error is not made: stern shows cast's). `local` is where names and offsets are looked up (Go's Local).
 */
export function tryParseTime(
  layout: string,
  avalue: string,
  defLoc: GoLocation,
  local: GoLocation,
): GoTime | undefined {
  try {
    return parseBytes(layout, avalue, defLoc, local);
  } catch (e) {
    if (e === BAD) return undefined;
    throw e;
  }
}

function parseBytes(layout: string, avalue: string, defLoc: GoLocation, local: GoLocation): GoTime {
  const chunks = parseLayout(layout);
  let rest = avalue;
  let rangeErr = "";
  let amSet = false;
  let pmSet = false;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let z: GoLocation | undefined;
  let zoneOffset = -1;
  let zoneName = "";
  for (let ci = 0; ci < chunks.length; ci++) {
    const ch = chunks[ci]!;
    if (ch.kind === "lit") {
      rest = skip(rest, ch.text);
      continue;
    }
    let v = rest;
    switch (ch.std) {
      case "year": {
        if (v.length < 2) throw BAD;
        year = atoi(v.slice(0, 2));
        v = v.slice(2);
        year += year >= 69 ? 1900 : 2000;
        break;
      }
      case "longYear":
        if (v.length < 4 || !isDigitAt(v, 0)) throw BAD;
        year = atoi(v.slice(0, 4));
        v = v.slice(4);
        break;
      case "month":
        [month, v] = lookupName(SHORT_MONTHS, v);
        month++;
        break;
      case "longMonth":
        [month, v] = lookupName(MONTHS, v);
        month++;
        break;
      case "numMonth":
      case "zeroMonth":
        [month, v] = getnum(v, ch.std === "zeroMonth");
        if (month <= 0 || month > 12) rangeErr = "month";
        break;
      case "weekDay":
        [, v] = lookupName(SHORT_DAYS, v);
        break;
      case "longWeekDay":
        [, v] = lookupName(DAYS, v);
        break;
      case "day":
      case "underDay":
      case "zeroDay":
        if (ch.std === "underDay" && v[0] === " ") v = v.slice(1);
        [day, v] = getnum(v, ch.std === "zeroDay");
        break;
      case "underYearDay":
      case "zeroYearDay":
        for (let i = 0; i < 2; i++) if (ch.std === "underYearDay" && v[0] === " ") v = v.slice(1);
        [yday, v] = getnum3(v, ch.std === "zeroYearDay");
        break;
      case "hour":
        [hour, v] = getnum(v, false);
        if (hour >= 24) rangeErr = "hour";
        break;
      case "hour12":
      case "zeroHour12":
        [hour, v] = getnum(v, ch.std === "zeroHour12");
        if (hour > 12) rangeErr = "hour";
        break;
      case "minute":
      case "zeroMinute":
        [min, v] = getnum(v, ch.std === "zeroMinute");
        if (min >= 60) rangeErr = "minute";
        break;
      case "second":
      case "zeroSecond": {
        [sec, v] = getnum(v, ch.std === "zeroSecond");
        if (sec >= 60) {
          rangeErr = "second";
          break;
        }
        // A fraction in the value where the layout has none next (Go looks past literal text).
        if (v.length >= 2 && (v[0] === "." || v[0] === ",") && isDigitAt(v, 1)) {
          const next = chunks.slice(ci + 1).find((c) => c.kind === "std");
          if (next?.kind === "std" && (next.std === "fracSecond0" || next.std === "fracSecond9")) break;
          let n = 2;
          while (n < v.length && isDigitAt(v, n)) n++;
          [nsec, rangeErr] = parseNanoseconds(v, n);
          v = v.slice(n);
        }
        break;
      }
      case "PM":
      case "pm": {
        if (v.length < 2) throw BAD;
        const p = v.slice(0, 2);
        v = v.slice(2);
        const [pm, am] = ch.std === "PM" ? ["PM", "AM"] : ["pm", "am"];
        if (p === pm) pmSet = true;
        else if (p === am) amSet = true;
        else throw BAD;
        break;
      }
      case "tz": {
        if (v.startsWith("UTC")) {
          z = UTC;
          v = v.slice(3);
          break;
        }
        const n = parseTimeZone(v);
        if (n === 0) throw BAD;
        zoneName = v.slice(0, n);
        v = v.slice(n);
        break;
      }
      case "fracSecond0": {
        const ndigit = 1 + (ch.n ?? 0);
        if (v.length < ndigit) throw BAD;
        [nsec, rangeErr] = parseNanoseconds(v, ndigit);
        v = v.slice(ndigit);
        break;
      }
      case "fracSecond9": {
        if (v.length < 2 || (v[0] !== "." && v[0] !== ",") || !isDigitAt(v, 1)) break;
        // Every digit, even past nanoseconds (Go 1.20: those are ignored).
        let i = 0;
        while (i + 1 < v.length && isDigitAt(v, i + 1)) i++;
        [nsec, rangeErr] = parseNanoseconds(v, 1 + i);
        v = v.slice(1 + i);
        break;
      }
      default: {
        // The numeric zones: Z0700 and friends take "Z" for UTC.
        if (ch.std.startsWith("iso8601") && v[0] === "Z") {
          v = v.slice(1);
          z = UTC;
          break;
        }
        let sign: string;
        let hh: string;
        let mm = "00";
        let ss = "00";
        const std = ch.std;
        if (std === "iso8601ColonTZ" || std === "numColonTZ") {
          if (v.length < 6 || v[3] !== ":") throw BAD;
          [sign, hh, mm, v] = [v.slice(0, 1), v.slice(1, 3), v.slice(4, 6), v.slice(6)];
        } else if (std === "numShortTZ" || std === "iso8601ShortTZ") {
          if (v.length < 3) throw BAD;
          [sign, hh, v] = [v.slice(0, 1), v.slice(1, 3), v.slice(3)];
        } else if (std === "iso8601ColonSecondsTZ" || std === "numColonSecondsTZ") {
          if (v.length < 9 || v[3] !== ":" || v[6] !== ":") throw BAD;
          [sign, hh, mm, ss, v] = [v.slice(0, 1), v.slice(1, 3), v.slice(4, 6), v.slice(7, 9), v.slice(9)];
        } else if (std === "iso8601SecondsTZ" || std === "numSecondsTz") {
          if (v.length < 7) throw BAD;
          [sign, hh, mm, ss, v] = [v.slice(0, 1), v.slice(1, 3), v.slice(3, 5), v.slice(5, 7), v.slice(7)];
        } else {
          if (v.length < 5) throw BAD;
          [sign, hh, mm, v] = [v.slice(0, 1), v.slice(1, 3), v.slice(3, 5), v.slice(5)];
        }
        const [hr] = getnum(hh, true);
        const [mi] = getnum(mm, true);
        const [se] = getnum(ss, true);
        // > rather than >=: offsets of 24 hours, 60 minutes or 60 seconds are written.
        if (hr > 24) rangeErr = "time zone offset hour";
        if (mi > 60) rangeErr = "time zone offset minute";
        if (se > 60) rangeErr = "time zone offset second";
        zoneOffset = (hr * 60 + mi) * 60 + se;
        if (sign === "-") zoneOffset = -zoneOffset;
        else if (sign !== "+") throw BAD;
      }
    }
    rest = v;
    // Go's range errors ("hour out of range") fail the parse as its syntax errors do.
    if (rangeErr !== "") throw BAD;
  }
  if (rest !== "") throw BAD;
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) yday--;
    }
    if (yday < 1 || yday > 365) throw BAD;
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1;
      if (DAYS_BEFORE[m]! < yday) m++;
      d = yday - DAYS_BEFORE[m - 1]!;
    }
    if (month >= 0 && month !== m) throw BAD;
    month = m;
    if (day >= 0 && day !== d) throw BAD;
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  const dim = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day < 1 || day > dim) throw BAD;

  const wall = daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
  if (z !== undefined) return dateIn(wall, nsec, z);
  if (zoneOffset !== -1) {
    // The instant is the offset's; the zone is Local's when it has that offset then.
    const t = wall - zoneOffset;
    const lz = local.zoneAt(t);
    const loc =
      lz.offset === zoneOffset && (zoneName === "" || lz.name === zoneName)
        ? local
        : fixedZone(zoneName, zoneOffset);
    return new GoTime(t, nsec, loc);
  }
  if (zoneName !== "") {
    // A name Local uses: its offset. Otherwise a made-up zone, with the wall clock read as UTC's
    // (GMT+3 gets three hours' offset, but the instant is still UTC's).
    const known = lookupZoneName(local, zoneName, wall);
    if (known !== undefined) return new GoTime(wall - known, nsec, local);
    let offset = 0;
    if (zoneName.length > 3 && zoneName.startsWith("GMT")) offset = atoi(zoneName.slice(3)) * 3600;
    return new GoTime(wall, nsec, fixedZone(zoneName, offset));
  }
  return dateIn(wall, nsec, defLoc);
}

/**
 * Go's Location.lookupName: the offset of a zone named `name` that the location uses around `unix`
 * (Go searches every zone of its tzdata; here the zone in effect then and half a year either side).
 */
function lookupZoneName(loc: GoLocation, name: string, unix: number): number | undefined {
  for (const t of [unix, unix - 182 * 86400, unix + 182 * 86400]) {
    const z = loc.zoneAt(t);
    if (z.name === name) {
      const at = loc.zoneAt(unix - z.offset);
      return at.name === name ? at.offset : z.offset;
    }
  }
  return undefined;
}

/** time.Date: a wall clock (as unix-like seconds) interpreted in loc. */
export function dateIn(wall: number, nsec: number, loc: GoLocation): GoTime {
  let off = loc.zoneAt(wall).offset;
  // Re-check once around DST transitions.
  const off2 = loc.zoneAt(wall - off).offset;
  if (off2 !== off) off = off2;
  return new GoTime(wall - off, nsec, loc);
}
