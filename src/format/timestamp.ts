// Log line timestamps out: stern's "default" or "short" format, in the --timezone zone (they are read
// in by shared/instant.ts).

import type { Instant } from "../shared/instant.ts";
import { offsetSecondsAt, wallClockFormat } from "../util/calendar.ts";
import { goZoneError } from "../util/zoneinfo.ts";

export type TimestampFormat = "default" | "short";

/** A zone as accepted by --timezone: "Local", "UTC" or an IANA name. Throws for an unknown one. */
export class Zone {
  readonly name: string;
  private fmt: Intl.DateTimeFormat | undefined;
  private cachedBucket = Number.NaN;
  private cachedOffset = 0;

  constructor(name: string) {
    this.name = name;
    // A named zone is checked now (a bad one is a usage error); "Local", the default, is made on first
    // use: building the formatter costs about 15 ms of start-up that most runs (no -t) never need.
    if (name !== "UTC" && name !== "" && name !== "Local") {
      // stern's time.LoadLocation reads the system's zone files: which names load is theirs to say.
      const problem = goZoneError(name);
      if (problem !== undefined) throw new Error(problem);
      this.fmt = Zone.formatter(name);
    }
  }

  private static formatter(name: string): Intl.DateTimeFormat {
    try {
      return wallClockFormat(name === "Local" ? undefined : name);
    } catch {
      throw new Error(`unknown time zone ${name}`);
    }
  }

  /**
   * Offset from UTC in seconds at the given instant (seconds: the local mean times before standard
   * time have them, and Go shows the wall clock they give). Cached per quarter hour: zones change on those.
   */
  offsetSeconds(ms: number): number {
    if (this.name === "UTC" || this.name === "") return 0;
    this.fmt ??= Zone.formatter(this.name);
    const bucket = Math.floor(ms / 900_000);
    if (bucket === this.cachedBucket) return this.cachedOffset;
    const offset = offsetSecondsAt(this.fmt, ms);
    this.cachedBucket = bucket;
    this.cachedOffset = offset;
    return offset;
  }
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Go's "2006": four digits at least, a minus before a year before 1 BC's ("-0001"). */
const year4 = (y: number) => (y < 0 ? `-${String(-y).padStart(4, "0")}` : String(y).padStart(4, "0"));

/** Formats as Go's "2006-01-02T15:04:05.000000000Z07:00" (default) or "01-02 15:04:05" (short). */
export function formatTimestamp(t: Instant, format: TimestampFormat, zone: Zone): string {
  const offset = zone.offsetSeconds(t.ms);
  const d = new Date(Math.floor(t.ms / 1000) * 1000 + offset * 1000);
  const date = `${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  if (format === "short") return `${date} ${time}`;
  let zoneText = "Z";
  if (offset !== 0) {
    // Go: minutes truncated toward zero, so -00:00:30 is "+00:00".
    const minutes = Math.trunc(offset / 60);
    const abs = Math.abs(minutes);
    zoneText = `${minutes < 0 ? "-" : "+"}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  }
  return `${year4(d.getUTCFullYear())}-${date}T${time}.${t.nanos}${zoneText}`;
}
