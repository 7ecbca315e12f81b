// The fast reader of the kubelet's timestamps against the regular-expression one it stands in for.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InstantReader, parseRfc3339 } from "../../../src/shared/instant.ts";

describe("InstantReader", () => {
  it("reads what parseRfc3339 reads, line after line, same seconds or not, any zone or form", () => {
    const stamp = fc.oneof(
      // The kubelet's form, in a few seconds so that many share one.
      fc
        .record({ s: fc.integer({ min: 0, max: 3 }), ns: fc.integer({ min: 0, max: 999_999_999 }) })
        .map(({ s, ns }) => `2026-12-06T10:00:0${s}.${String(ns).padStart(9, "0")}Z`),
      fc.constantFrom(
        "2026-12-06T10:00:01Z",
        "2026-12-06T10:00:01.5+02:00",
        "2026-12-06T10:00:01.123456789+01:00",
        "not a time at all, 30 chars..",
        "2026-12-06T10:00:01.12345678xZ",
        "1969-12-31T23:59:59.999999999Z",
      ),
    );
    fc.assert(
      fc.property(fc.array(stamp, { maxLength: 40 }), (stamps) => {
        const reader = new InstantReader();
        for (const s of stamps) {
          const buf = Buffer.from(`>${s}<`);
          expect(reader.read(buf, 1, 1 + s.length)).toEqual(parseRfc3339(s));
        }
      }),
      { numRuns: 3000 },
    );
  });
});
