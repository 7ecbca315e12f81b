// An instant as log lines carry it (the kubelet's RFC3339Nano prefix, a record's time field): whole
// milliseconds for arithmetic, plus the nine digits of the fraction, which a millisecond would lose.

export interface Instant {
  /** Milliseconds since the epoch (UTC), whole milliseconds. */
  ms: number;
  /** The fraction of the second as 9 digits. */
  nanos: string;
}

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

export function parseRfc3339(text: string): Instant | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const frac = (m[7] ?? "").padEnd(9, "0");
  let ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const zone = m[8]!;
  if (zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    ms -= sign * (+zone.slice(1, 3) * 60 + +zone.slice(4, 6)) * 60_000;
  }
  return { ms: ms + +frac.slice(0, 3), nanos: frac };
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
