// Log line timestamps out: stern's "default" or "short" format, in the --timezone zone (they are read
// in by shared/instant.ts).

import type { Instant } from "../shared/instant.ts";
import { offsetSecondsAt, wallClockFormat } from "../util/calendar.ts";

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
