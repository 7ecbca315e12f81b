import { describe, expect, it } from "vitest";
import { formatTimestamp, Zone } from "../../../src/format/timestamp.ts";
import { parseRfc3339 } from "../../../src/shared/instant.ts";

describe("parseRfc3339", () => {
  it("keeps all nine fractional digits", () => {
    expect(parseRfc3339("2023-03-12T00:29:33.637476100Z")).toEqual({
      ms: Date.UTC(2023, 2, 12, 0, 29, 33, 637),
      nanos: "637476100",
    });
  });
  it("pads short fractions and takes offsets", () => {
    expect(parseRfc3339("2024-01-01T10:00:00.5+02:00")).toEqual({
      ms: Date.UTC(2024, 0, 1, 8, 0, 0, 500),
      nanos: "500000000",
    });
    expect(parseRfc3339("2024-01-01T10:00:00Z")?.nanos).toBe("000000000");
  });
  it.each(["", "2024-01-01", "2024-01-01 10:00:00Z", "not a time"])("rejects %j", (t) => {
    expect(parseRfc3339(t)).toBeUndefined();
  });
});

describe("formatTimestamp", () => {
  const t = parseRfc3339("2023-03-12T00:29:33.637476100Z")!;
  it("default format in UTC ends with Z", () => {
    expect(formatTimestamp(t, "default", new Zone("UTC"))).toBe("2023-03-12T00:29:33.637476100Z");
  });
  it("default format in a zone carries its offset (stern's example)", () => {
    expect(formatTimestamp(t, "default", new Zone("Asia/Tokyo"))).toBe("2023-03-12T09:29:33.637476100+09:00");
  });
  it("short format", () => {
    expect(formatTimestamp(t, "short", new Zone("Asia/Tokyo"))).toBe("03-12 09:29:33");
  });
  it("negative and half-hour offsets, and daylight saving", () => {
    const summer = parseRfc3339("2024-07-01T12:00:00.000000001Z")!;
    const winter = parseRfc3339("2024-01-01T12:00:00.000000001Z")!;
    const ny = new Zone("America/New_York");
    expect(formatTimestamp(summer, "default", ny)).toBe("2024-07-01T08:00:00.000000001-04:00");
    expect(formatTimestamp(winter, "default", ny)).toBe("2024-01-01T07:00:00.000000001-05:00");
    expect(formatTimestamp(winter, "default", new Zone("Asia/Kolkata"))).toBe(
      "2024-01-01T17:30:00.000000001+05:30",
    );
  });
  it("rejects an unknown zone", () => {
    expect(() => new Zone("Mars/Olympus")).toThrow("unknown time zone Mars/Olympus");
  });
});
