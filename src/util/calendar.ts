// Proleptic Gregorian day arithmetic, and a time zone's offset from UTC read from Intl (the only zone
// database Node has). Shared by log timestamps (-t, --timezone) and the template time functions.

/** Days since 1970-01-01 → proleptic Gregorian date (era-based algorithm). */
export function civilFromDays(days: number): { y: number; m: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** Proleptic Gregorian date → days since 1970-01-01. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** A formatter of the wall clock in `tz` (undefined: this machine's zone). Throws for an unknown zone. */
export function wallClockFormat(tz: string | undefined): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    era: "short",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
}

/** Seconds east of UTC of `wallClock`'s zone at the instant `ms`: its wall clock less UTC's. */
export function offsetSecondsAt(wallClock: Intl.DateTimeFormat, ms: number): number {
  const p: Record<string, string> = {};
  for (const part of wallClock.formatToParts(new Date(ms))) p[part.type] = part.value;
  let year = Number(p.year);
  if (p.era === "BC" || p.era === "B") year = 1 - year;
  const wall =
    daysFromCivil(year, Number(p.month), Number(p.day)) * 86400 +
    Number(p.hour) * 3600 +
    Number(p.minute) * 60 +
    Number(p.second);
  return wall - Math.floor(ms / 1000);
}
