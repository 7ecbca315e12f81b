import { describe, expect, it } from "vitest";
import { parseGoDuration } from "../../../src/util/duration.ts";

describe("parseGoDuration", () => {
  it.each([
    ["48h", 48 * 3_600_000],
    ["48h0m0s", 48 * 3_600_000],
    ["1h30m", 5_400_000],
    ["1.5h", 5_400_000],
    ["10s", 10_000],
    ["300ms", 300],
    ["2us", 0.002],
    ["1µs", 0.001],
    ["5m", 300_000],
    ["0", 0],
    ["-1m", -60_000],
    [".5s", 500],
  ])("%s", (input, ms) => {
    expect(parseGoDuration(input)).toBeCloseTo(ms, 6);
  });

  it.each(["", "10", "h", "1x", "1h 30m", "s10", "1..5s", "--1s"])("rejects %j", (input) => {
    expect(() => parseGoDuration(input)).toThrow(`invalid duration "${input}"`);
  });
});
