// Log line timestamps: the kubelet's RFC3339Nano prefix in, stern's "default" or "short" format out,
// in the --timezone zone.

import { offsetSecondsAt, wallClockFormat } from "../util/calendar.ts";

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

export type TimestampFormat = "default" | "short";

/** A zone as accepted by --timezone: "Local", "UTC" or an IANA name. Throws for an unknown one. */
export class Zone {
  readonly name: string;
  private fmt: Intl.DateTimeFormat | undefined;
  private cachedBucket = Number.NaN;
  private cachedOffsetMin = 0;

  constructor(name: string) {
    this.name = name;
    // A named zone is checked now (a bad one is a usage error); "Local", the default, is made on first
    // use: building the formatter costs about 15 ms of start-up that most runs (no -t) never need.
    if (name !== "UTC" && name !== "" && name !== "Local") this.fmt = Zone.formatter(name);
  }

  private static formatter(name: string): Intl.DateTimeFormat {
    try {
      return wallClockFormat(name === "Local" ? undefined : name);
    } catch {
      throw new Error(`unknown time zone ${name}`);
    }
  }

  /** Offset from UTC in minutes at the given instant. Cached per quarter hour: zones change on those. */
  offsetMinutes(ms: number): number {
    if (this.name === "UTC" || this.name === "") return 0;
    this.fmt ??= Zone.formatter(this.name);
    const bucket = Math.floor(ms / 900_000);
    if (bucket === this.cachedBucket) return this.cachedOffsetMin;
    const offset = Math.round(offsetSecondsAt(this.fmt, ms) / 60);
    this.cachedBucket = bucket;
    this.cachedOffsetMin = offset;
    return offset;
  }
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Formats as Go's "2006-01-02T15:04:05.000000000Z07:00" (default) or "01-02 15:04:05" (short). */
export function formatTimestamp(t: Instant, format: TimestampFormat, zone: Zone): string {
  const offset = zone.offsetMinutes(t.ms);
  const d = new Date(Math.floor(t.ms / 1000) * 1000 + offset * 60_000);
  const date = `${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  if (format === "short") return `${date} ${time}`;
  let zoneText = "Z";
  if (offset !== 0) {
    const abs = Math.abs(offset);
    zoneText = `${offset < 0 ? "-" : "+"}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  }
  return `${String(d.getUTCFullYear()).padStart(4, "0")}-${date}T${time}.${t.nanos}${zoneText}`;
}
