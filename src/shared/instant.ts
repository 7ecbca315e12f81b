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
