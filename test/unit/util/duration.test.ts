// Go's time.ParseDuration: the one parser of durations (flags, the config file). Go's own
// time.ParseDuration checks it through pflag in test/oracle/pflag.test.ts; these are its landmarks.
import { describe, expect, it } from "vitest";
import { goDurationMs, parseGoDuration } from "../../../src/util/duration.ts";

describe("parseGoDuration", () => {
  it.each([
    ["48h", 48n * 3_600_000_000_000n],
    ["48h0m0s", 48n * 3_600_000_000_000n],
    ["1h30m", 5_400_000_000_000n],
    ["1.5h", 5_400_000_000_000n],
    ["10s", 10_000_000_000n],
    ["300ms", 300_000_000n],
    ["2us", 2000n],
    ["1µs", 1000n],
    ["5m", 300_000_000_000n],
    ["0", 0n],
    ["-1m", -60_000_000_000n],
    [".5s", 500_000_000n],
    ["1.000000001s", 1_000_000_001n],
  ])("%s", (input, ns) => {
    expect(parseGoDuration(input)).toBe(ns);
  });

  it.each([
    ["", 'time: invalid duration ""'],
    ["10", 'time: missing unit in duration "10"'],
    ["h", 'time: invalid duration "h"'],
    ["1x", 'time: unknown unit "x" in duration "1x"'],
    ["1h 30m", 'time: unknown unit "h " in duration "1h 30m"'],
    ["s10", 'time: invalid duration "s10"'],
    ["1..5s", 'time: missing unit in duration "1..5s"'],
    ["--1s", 'time: invalid duration "--1s"'],
    ["9999999999h", 'time: invalid duration "9999999999h"'],
  ])("rejects %j as Go does (texts checked with go run)", (input, message) => {
    expect(() => parseGoDuration(input)).toThrow(message);
  });

  it("in milliseconds, fractions kept", () => {
    expect(goDurationMs("2us")).toBe(0.002);
    expect(goDurationMs("48h0m0s")).toBe(172_800_000);
  });
});
