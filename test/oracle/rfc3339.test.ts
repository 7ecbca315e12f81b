// Go is the reference for the timestamps --stdin keeps under -t: test/oracle/rfc3339/main.go runs
// time.Parse(time.RFC3339Nano, word) on generated words (valid ones, every one-character edit of them,
// every field at and past its limits) and formats what it takes as stern's UpdateTimezoneAndFormat does.
import { describe, expect, it } from "vitest";
import { formatTimestamp, Zone } from "../../src/format/timestamp.ts";
import { parseGoRfc3339 } from "../../src/shared/instant.ts";
import { goMinor, runOracle } from "./go.ts";

interface Result {
  ok: boolean;
  unix: number;
  nsec: number;
  out: string[];
}

const ZONES = [
  "UTC",
  "Asia/Tokyo",
  "America/New_York",
  "Asia/Kolkata",
  "America/St_Johns",
  "Australia/Lord_Howe",
  "Europe/Paris",
];

const BASES = [
  "2026-08-20T10:00:00.123456789Z",
  "2024-02-29T23:59:59+05:30",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59.999999999-00:00",
  "1970-01-01T00:00:00,5+24:00",
  "2026-08-20T7:04:05Z",
  "1969-12-31T23:59:59.9999999999999-23:59",
];

const EDITS = ["0", "9", "5", "-", ":", "T", "t", "Z", "z", ".", ",", "+", "/", "x", " "];

function generated(): string[] {
  const out = new Set<string>(BASES);
  for (const b of BASES) {
    for (let i = 0; i <= b.length; i++) {
      out.add(b.slice(0, i) + b.slice(i + 1)); // deleted
      out.add(b.slice(0, i) + b[i] + b.slice(i)); // doubled
      for (const c of EDITS) {
        out.add(b.slice(0, i) + c + b.slice(i + 1)); // replaced
        out.add(b.slice(0, i) + c + b.slice(i)); // inserted
      }
    }
  }
  const two = (n: number) => String(n).padStart(2, "0");
  for (const y of ["2023", "2024", "1900", "2000", "0004"])
    for (let m = 0; m <= 13; m++)
      for (const d of [0, 1, 28, 29, 30, 31, 32]) out.add(`${y}-${two(m)}-${two(d)}T12:00:00Z`);
  for (let h = 0; h <= 25; h++) {
    out.add(`2026-08-20T${h}:00:00Z`);
    out.add(`2026-08-20T${two(h)}:00:00Z`);
  }
  for (const ms of ["59", "60", "61", "9", "099"]) {
    out.add(`2026-08-20T10:${ms}:00Z`);
    out.add(`2026-08-20T10:00:${ms}Z`);
  }
  for (let n = 0; n <= 12; n++)
    for (const sep of [".", ","]) out.add(`2026-08-20T10:00:00${sep}${"123456789123".slice(0, n)}Z`);
  for (const sign of ["+", "-", " ", ""])
    for (const oh of ["00", "01", "09", "14", "23", "24", "25", "99", "1"])
      for (const om of ["00", "30", "45", "59", "60", "61", "5"])
        out.add(`2026-08-20T10:00:00${sign}${oh}:${om}`);
  for (const z of ["+0100", "+01", "+01:00:00", "Z07:00", "ZZ", "UTC", "GMT", ""])
    out.add(`2026-08-20T10:00:00${z}`);
  return [...out];
}

/**
 * Go 1.20 and later (stern's) read any number of fraction digits and ignore those past nanoseconds;
 * Debian's Go 1.19 takes nine and fails on the rest. For an older oracle the run is cut to nine digits,
 * which is what the newer parser reads of it.
 */
function asOlderGo(value: string): string {
  if (goMinor() >= 20) return value;
  return value.replace(/^([^.,]*:\d\d[.,]\d{9})\d+/, "$1");
}

/**
 * Go 1.20 reads a zone offset's hour and minute as two digits (golang/go#55876: "--4:00" was taken
 * before) and Go 1.23 fails an hour past 24 or a minute past 60 (golang/go#67470). An older oracle
 * takes such words; stern's Go does not.
 */
function newerGoRejects(value: string): boolean {
  if (goMinor() >= 23) return false;
  const m = /[+-](..):(..)$/.exec(value);
  if (!m) return false;
  const [hh, mm] = [m[1] as string, m[2] as string];
  return !/^\d\d$/.test(hh) || !/^\d\d$/.test(mm) || Number(hh) > 24 || Number(mm) > 60;
}

describe("--stdin's timestamps, against Go's time.Parse(time.RFC3339Nano) and stern's formats", () => {
  const values = generated();
  const go = runOracle<Result[]>("rfc3339", { values: values.map(asOlderGo), zones: ZONES });
  const zones = ZONES.map((z) => new Zone(z));

  it(`reads and shows all ${values.length} words as Go does`, () => {
    const differ: { value: string; go: Result; mine: Result }[] = [];
    values.forEach((value, i) => {
      const t = parseGoRfc3339(value);
      const mine: Result = t
        ? {
            ok: true,
            unix: Math.floor(t.ms / 1000),
            nsec: Number(t.nanos),
            out: zones.flatMap((z) => [formatTimestamp(t, "default", z), formatTimestamp(t, "short", z)]),
          }
        : { ok: false, unix: 0, nsec: 0, out: [] };
      const want = newerGoRejects(value) ? { ok: false, unix: 0, nsec: 0, out: [] } : (go[i] as Result);
      if (JSON.stringify(mine) !== JSON.stringify(want)) differ.push({ value, go: want, mine });
    });
    expect(values.filter((_, i) => go[i]?.ok).length).toBeGreaterThan(500);
    expect(differ.length, JSON.stringify(differ.slice(0, 20), null, 1)).toBe(0);
  });
});
