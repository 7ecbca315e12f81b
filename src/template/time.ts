// Go's time.Time subset: instants with a location, Go reference-time layouts (format and parse).

import { civilFromDays, daysFromCivil, offsetSecondsAt, wallClockFormat } from "../util/calendar.ts";
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

class ParseFail extends Error {}

function takeDigits(s: string, pos: number, min: number, max: number): [number, number] {
  let j = pos;
  while (j < s.length && j - pos < max && isDigitCh(s[j])) j++;
  if (j - pos < min) throw new ParseFail();
  return [Number(s.slice(pos, j)), j];
}

function takeName(s: string, pos: number, names: readonly string[], len?: number): [number, number] {
  for (let i = 0; i < names.length; i++) {
    const n = len === undefined ? names[i]! : names[i]!.slice(0, len);
    if (s.slice(pos, pos + n.length).toLowerCase() === n.toLowerCase()) return [i, pos + n.length];
  }
  throw new ParseFail();
}

/** time.Parse (in `defLoc` when the value has no zone): enough of Go's rules for common log timestamps. */
export function parseTime(layout: string, value: string, defLoc: GoLocation = UTC): GoTime {
  const chunks = parseLayout(layout);
  let pos = 0;
  let year = 0; // Go: a layout without a year parses to year 0 ("3:04PM" is 0000-01-01)
  let month = 1;
  let day = 1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pmSet: boolean | undefined;
  let offset: number | undefined;
  let zoneName: string | undefined;
  let yday = -1;
  const fail = (): never => {
    throw goError(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse`);
  };
  try {
    for (let ci = 0; ci < chunks.length; ci++) {
      const ch = chunks[ci]!;
      if (ch.kind === "lit") {
        pos = skipLiteral(value, pos, ch.text);
        continue;
      }
      switch (ch.std) {
        case "year": {
          let y: number;
          [y, pos] = takeDigits(value, pos, 2, 2);
          year = y >= 69 ? y + 1900 : y + 2000;
          break;
        }
        case "longYear":
          [year, pos] = takeDigits(value, pos, 4, 4);
          break;
        case "month":
          [month, pos] = takeName(value, pos, MONTHS, 3);
          month++;
          break;
        case "longMonth":
          [month, pos] = takeName(value, pos, MONTHS);
          month++;
          break;
        case "numMonth":
        case "zeroMonth":
          [month, pos] = takeDigits(value, pos, ch.std === "zeroMonth" ? 2 : 1, 2);
          if (month < 1 || month > 12) fail();
          break;
        case "weekDay":
          [, pos] = takeName(value, pos, DAYS, 3);
          break;
        case "longWeekDay":
          [, pos] = takeName(value, pos, DAYS);
          break;
        case "day":
        case "underDay":
        case "zeroDay":
          if (ch.std === "underDay" && value[pos] === " ") pos++;
          [day, pos] = takeDigits(value, pos, ch.std === "zeroDay" ? 2 : 1, 2);
          break;
        case "underYearDay":
        case "zeroYearDay":
          while (ch.std === "underYearDay" && value[pos] === " ") pos++;
          [yday, pos] = takeDigits(value, pos, ch.std === "zeroYearDay" ? 3 : 1, 3);
          break;
        case "hour":
          [hour, pos] = takeDigits(value, pos, 2, 2);
          if (hour > 23) fail();
          break;
        case "hour12":
        case "zeroHour12":
          [hour, pos] = takeDigits(value, pos, ch.std === "zeroHour12" ? 2 : 1, 2);
          if (hour > 12) fail();
          break;
        case "minute":
        case "zeroMinute":
          [min, pos] = takeDigits(value, pos, ch.std === "zeroMinute" ? 2 : 1, 2);
          if (min > 59) fail();
          break;
        case "second":
        case "zeroSecond": {
          [sec, pos] = takeDigits(value, pos, ch.std === "zeroSecond" ? 2 : 1, 2);
          if (sec > 59) fail();
          // A fraction after seconds is accepted even when the layout has none.
          const next = chunks[ci + 1];
          const nextIsFrac =
            next?.kind === "std" && (next.std === "fracSecond0" || next.std === "fracSecond9");
          if (!nextIsFrac && (value[pos] === "." || value[pos] === ",") && isDigitCh(value[pos + 1])) {
            let j = pos + 1;
            while (isDigitCh(value[j])) j++;
            nsec = fracToNanos(value.slice(pos + 1, j));
            pos = j;
          }
          break;
        }
        case "fracSecond0": {
          if (value[pos] !== ch.sep) fail();
          const n = ch.n ?? 0;
          const digits = value.slice(pos + 1, pos + 1 + n);
          if (digits.length !== n || !/^\d*$/.test(digits)) fail();
          nsec = fracToNanos(digits);
          pos += 1 + n;
          break;
        }
        case "fracSecond9": {
          if ((value[pos] === "." || value[pos] === ",") && isDigitCh(value[pos + 1])) {
            let j = pos + 1;
            while (isDigitCh(value[j])) j++;
            nsec = fracToNanos(value.slice(pos + 1, j));
            pos = j;
          }
          break;
        }
        case "PM":
        case "pm": {
          const s = value.slice(pos, pos + 2).toUpperCase();
          if (s !== "AM" && s !== "PM") fail();
          pmSet = s === "PM";
          pos += 2;
          break;
        }
        case "tz": {
          if (value.startsWith("UTC", pos)) {
            zoneName = "UTC";
            offset = 0;
            pos += 3;
            break;
          }
          const m = /^(?:[A-Z]{3,5}|[+-]\d\d(?:\d\d)?)/.exec(value.slice(pos));
          if (m === null) fail();
          zoneName = m![0];
          pos += zoneName.length;
          break;
        }
        default: {
          if (ch.std.startsWith("iso8601") && value[pos] === "Z") {
            offset = 0;
            zoneName = "UTC";
            pos++;
            break;
          }
          const sign = value[pos];
          if (sign !== "+" && sign !== "-") fail();
          pos++;
          let h = 0;
          let m = 0;
          let s = 0;
          [h, pos] = takeDigits(value, pos, 2, 2);
          const colon = ch.std.includes("Colon");
          if (!ch.std.includes("Short")) {
            if (colon && value[pos++] !== ":") fail();
            [m, pos] = takeDigits(value, pos, 2, 2);
            if (ch.std.includes("Seconds") || ch.std === "numSecondsTz") {
              if (colon && value[pos++] !== ":") fail();
              [s, pos] = takeDigits(value, pos, 2, 2);
            }
          }
          offset = (sign === "-" ? -1 : 1) * (h * 3600 + m * 60 + s);
        }
      }
    }
  } catch (e) {
    if (e instanceof ParseFail) fail();
    throw e;
  }
  if (pos !== value.length) {
    throw goError(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(value.slice(pos))}`);
  }
  if (pmSet !== undefined) {
    if (pmSet && hour < 12) hour += 12;
    else if (!pmSet && hour === 12) hour = 0;
  }
  if (yday >= 0) {
    const leap = isLeap(year);
    let m = 1;
    while (m < 12 && yday > DAYS_BEFORE[m]! + (m >= 2 && leap ? 1 : 0)) m++;
    month = m;
    day = yday - DAYS_BEFORE[m - 1]! - (m > 2 && leap ? 1 : 0);
  }
  const dim = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day < 1 || day > dim) {
    throw goError(`parsing time ${JSON.stringify(value)}: day out of range`);
  }
  const wall = daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
  if (offset !== undefined) {
    const loc = offset === 0 && zoneName === "UTC" ? UTC : fixedZone(zoneName ?? "", offset);
    return new GoTime(wall - offset, nsec, offset === 0 && zoneName === undefined ? UTC : loc);
  }
  if (zoneName !== undefined) {
    // An unknown abbreviation: Go records it with a zero offset.
    return new GoTime(wall, nsec, fixedZone(zoneName, 0));
  }
  return dateIn(wall, nsec, defLoc);
}

/** time.Date: a wall clock (as unix-like seconds) interpreted in loc. */
export function dateIn(wall: number, nsec: number, loc: GoLocation): GoTime {
  let off = loc.zoneAt(wall).offset;
  // Re-check once around DST transitions.
  const off2 = loc.zoneAt(wall - off).offset;
  if (off2 !== off) off = off2;
  return new GoTime(wall - off, nsec, loc);
}

/** Go's skip(): a space in the layout matches any run of spaces (at least one) in the value. */
function skipLiteral(value: string, pos: number, prefix: string): number {
  let i = 0;
  while (i < prefix.length) {
    if (prefix[i] === " ") {
      if (pos < value.length && value[pos] !== " ") throw new ParseFail();
      while (prefix[i] === " ") i++;
      while (value[pos] === " ") pos++;
      continue;
    }
    if (value[pos] !== prefix[i]) throw new ParseFail();
    i++;
    pos++;
  }
  return pos;
}

function fracToNanos(digits: string): number {
  return Number(`${digits}000000000`.slice(0, 9));
}
