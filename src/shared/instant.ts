// An instant as log lines carry it (the kubelet's RFC3339Nano prefix, a record's time field): whole
// milliseconds for arithmetic, plus the nine digits of the fraction, which a millisecond would lose.

export interface Instant {
  /** Milliseconds since the epoch (UTC), whole milliseconds. */
  ms: number;
  /** The fraction of the second as 9 digits. */
  nanos: string;
}

// Years beyond 0000-9999 only in keys made by instantKey (a --stdin timestamp with an offset).
const RFC3339 = /^(-?\d{4,5})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** 400 Gregorian years, in ms: Date.UTC reads years 0-99 as 1900-1999, so they are counted from 400 on. */
const ERA_MS = 146097 * 86_400_000;

function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  return Date.UTC(y + 400, mo - 1, d, h, mi, s) - ERA_MS;
}

/** The kubelet's timestamps (and keys made by instantKey). */
export function parseRfc3339(text: string): Instant | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const frac = (m[7] ?? "").padEnd(9, "0");
  let ms = utcMs(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const zone = m[8]!;
  if (zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    ms -= sign * (+zone.slice(1, 3) * 60 + +zone.slice(4, 6)) * 60_000;
  }
  return { ms: ms + +frac.slice(0, 3), nanos: frac };
}

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};

/** Two digits at i, or -1 (Go's getnum with fixed). */
function two(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

const DAYS_IN = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Go's time.Parse(time.RFC3339Nano, text), which is more lenient than RFC 3339: a one-digit hour, a
 * comma before the fraction, any number of fraction digits (cut to nine), zone offsets up to 24:60.
 * undefined where Go fails.
 */
export function parseGoRfc3339(text: string): Instant | undefined {
  // 2006
  if (text.length < 4 || digit(text, 0) < 0) return undefined;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = digit(text, i);
    if (d < 0) return undefined;
    year = year * 10 + d;
  }
  // -01-02T
  if (text[4] !== "-") return undefined;
  const month = two(text, 5);
  if (month < 1 || month > 12 || text[7] !== "-") return undefined;
  const day = two(text, 8);
  if (day < 0 || text[10] !== "T") return undefined;
  // 15 (one or two digits): 04:05
  let i = 11;
  let hour = digit(text, i);
  if (hour < 0) return undefined;
  i++;
  const h2 = digit(text, i);
  if (h2 >= 0) {
    hour = hour * 10 + h2;
    i++;
  }
  if (hour >= 24 || text[i] !== ":") return undefined;
  const min = two(text, i + 1);
  if (min < 0 || min >= 60 || text[i + 3] !== ":") return undefined;
  const sec = two(text, i + 4);
  if (sec < 0 || sec >= 60) return undefined;
  i += 6;
  // .999999999: any number of digits after '.' or ',', the first nine kept
  let nanos = "000000000";
  if ((text[i] === "." || text[i] === ",") && digit(text, i + 1) >= 0) {
    let j = i + 1;
    while (digit(text, j) >= 0) j++;
    nanos = text.slice(i + 1, Math.min(j, i + 10)).padEnd(9, "0");
    i = j;
  }
  // Z07:00
  let offsetMin = 0;
  if (text[i] === "Z") i++;
  else {
    if (text.length - i < 6 || text[i + 3] !== ":") return undefined;
    const sign = text[i];
    const oh = two(text, i + 1);
    const om = two(text, i + 4);
    if (oh < 0 || om < 0 || oh > 24 || om > 60 || (sign !== "+" && sign !== "-")) return undefined;
    offsetMin = (sign === "-" ? -1 : 1) * (oh * 60 + om);
    i += 6;
  }
  if (i !== text.length) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day < 1 || day > (month === 2 && leap ? 29 : DAYS_IN[month - 1]!)) return undefined;
  const ms = utcMs(year, month, day, hour, min, sec) - offsetMin * 60_000;
  return { ms: ms + Number(nanos.slice(0, 3)), nanos };
}

const pad = (n: number, w: number): string => String(n).padStart(w, "0");

/** An instant as an RFC 3339 key in UTC with nine digits, which parseRfc3339 reads back. */
export function instantKey(t: Instant): string {
  const d = new Date(Math.floor(t.ms / 1000) * 1000);
  const y = d.getUTCFullYear();
  const date = `${y < 0 ? "-" : ""}${pad(Math.abs(y), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  return `${date}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${t.nanos}Z`;
}

/**
 * Reads the kubelet's timestamps ("2006-01-02T15:04:05.000000000Z") off the bytes of a stream's
 * lines. Lines come many to a second: the second's milliseconds are kept, and a line of the same
 * second costs a byte comparison and its fraction's digits instead of a regular expression and a
 * date. Anything else is parseRfc3339's.
 */
export class InstantReader {
  private readonly second = Buffer.alloc(19);
  private secondMs = Number.NaN;

  read(buf: Buffer, start: number, end: number): Instant | undefined {
    if (
      end - start === 30 &&
      buf[start + 29] === 0x5a &&
      buf[start + 19] === 0x2e &&
      this.sameSecond(buf, start)
    ) {
      let ms = 0;
      for (let k = start + 20; k < start + 29; k++) {
        const d = (buf[k] as number) - 48;
        if (d < 0 || d > 9) return this.slow(buf, start, end);
        if (k < start + 23) ms = ms * 10 + d;
      }
      return { ms: this.secondMs + ms, nanos: buf.toString("latin1", start + 20, start + 29) };
    }
    return this.slow(buf, start, end);
  }

  private sameSecond(buf: Buffer, start: number): boolean {
    if (Number.isNaN(this.secondMs)) return false;
    const s = this.second;
    for (let k = 18; k >= 0; k--) if (s[k] !== buf[start + k]) return false;
    return true;
  }

  private slow(buf: Buffer, start: number, end: number): Instant | undefined {
    const t = parseRfc3339(buf.toString("latin1", start, end));
    if (t && end - start === 30 && buf[start + 29] === 0x5a) {
      // Keep the second, for the lines that follow.
      buf.copy(this.second, 0, start, start + 19);
      this.secondMs = t.ms - (((t.ms % 1000) + 1000) % 1000);
    } else this.secondMs = Number.NaN;
    return t;
  }
}
