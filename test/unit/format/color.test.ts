import { describe, expect, it } from "vitest";
import {
  DEFAULT_PALETTE,
  fnv1,
  paint,
  parsePalette,
  pickColors,
  shouldColor,
} from "../../../src/format/color.ts";

describe("fnv1", () => {
  // Reference values of Go's hash/fnv New32 (FNV-1, 32 bit).
  it.each([
    ["", 0x811c9dc5],
    ["a", 0x050c5d7e],
    ["foobar", 0x31f0b262],
  ])("%j", (text, hash) => {
    expect(fnv1(text)).toBe(hash);
  });
});

describe("pickColors", () => {
  it("takes pod and container colors from one pair chosen by the pod name", () => {
    const pair = pickColors(DEFAULT_PALETTE, "foobar", "app", false);
    expect(pair).toEqual(DEFAULT_PALETTE[0x31f0b262 % 6]);
    expect(pair.pod.startsWith("9")).toBe(true);
    expect(pair.container).toBe(String(Number(pair.pod) - 60));
  });
  it("with --diff-container takes the container color from the container name", () => {
    const pair = pickColors(DEFAULT_PALETTE, "foobar", "a", true);
    expect(pair.pod).toBe((DEFAULT_PALETTE[0x31f0b262 % 6] as { pod: string }).pod);
    expect(pair.container).toBe((DEFAULT_PALETTE[0x050c5d7e % 6] as { container: string }).container);
  });
  it("is stable for a name", () => {
    expect(pickColors(DEFAULT_PALETTE, "web-1", "c", false)).toEqual(
      pickColors(DEFAULT_PALETTE, "web-1", "d", false),
    );
  });
});

describe("paint", () => {
  it("writes SGR like fatih/color", () => {
    expect(paint("92;1", "+")).toBe("\x1b[92;1m+\x1b[0;22m");
    expect(paint("", "x")).toBe("x");
  });
});

describe("parsePalette", () => {
  it("pairs pod and container colors", () => {
    expect(parsePalette(["91", "38;2;255;97;136"], ["31", "32"])).toEqual([
      { pod: "91", container: "31" },
      { pod: "38;2;255;97;136", container: "32" },
    ]);
  });
  it("uses pod colors for containers when none are given", () => {
    expect(parsePalette(["91"], [])).toEqual([{ pod: "91", container: "91" }]);
  });
  it("rejects bad input with stern's messages", () => {
    expect(() => parsePalette([], ["31"])).toThrow("pod-colors must not be empty");
    expect(() => parsePalette(["91", "92"], ["31"])).toThrow("must have the same length");
    expect(() => parsePalette(["red"], [])).toThrow('invalid SGR sequence "red"');
  });
});

describe("shouldColor", () => {
  it.each([
    ["auto", true, {}, true],
    ["auto", false, {}, false],
    ["auto", true, { NO_COLOR: "1" }, false],
    ["auto", true, { NO_COLOR: "" }, true],
    ["auto", true, { TERM: "dumb" }, false],
    ["auto", false, { FORCE_COLOR: "1" }, true],
    ["auto", true, { FORCE_COLOR: "0" }, false],
    ["always", false, { NO_COLOR: "1" }, true],
    ["never", true, { FORCE_COLOR: "1" }, false],
  ] as const)("%s tty=%s %j -> %s", (mode, tty, env, expected) => {
    expect(shouldColor(mode, tty, env)).toBe(expected);
  });
});
