import { describe, expect, it } from "vitest";
import { describeEnd, endFailed } from "../../../src/format/ending-text.ts";
import type { InstanceEnd } from "../../../src/shared/endings.ts";

const end = (o: Partial<InstanceEnd>): InstanceEnd => ({
  exitCode: undefined,
  signal: undefined,
  reason: undefined,
  message: undefined,
  restartCount: 0,
  evicted: undefined,
  ...o,
});

describe("describeEnd", () => {
  it.each([
    [{ exitCode: 137, reason: "OOMKilled", restartCount: 3 }, "exit 137, OOMKilled, restart 3"],
    [{ exitCode: 0, reason: "Completed" }, "exit 0, Completed"],
    [{ exitCode: 1, reason: "Error", message: "boom\n  at main" }, "exit 1, Error, boom at main"],
    [
      { exitCode: 128, reason: "ContainerCannotRun", message: "exec: not found" },
      "exit 128, ContainerCannotRun, exec: not found",
    ],
    [{ exitCode: 143, signal: 15, reason: "Error" }, "exit 143, signal 15, Error"],
    [{ evicted: "The node was low on resource: memory." }, "evicted: The node was low on resource: memory."],
    [{ evicted: "" }, "evicted"],
    [{}, ""],
  ])("%j -> %s", (o, text) => {
    expect(describeEnd(end(o))).toBe(text);
  });

  it("cuts a long termination message", () => {
    const text = describeEnd(end({ exitCode: 2, message: "x".repeat(500) }));
    expect(text.length).toBeLessThan(220);
    expect(text.endsWith("…")).toBe(true);
  });
});

describe("endFailed", () => {
  it.each([
    [{ exitCode: 0, reason: "Completed" }, false],
    [{ exitCode: 0 }, false],
    [{}, false],
    [{ exitCode: 1, reason: "Error" }, true],
    [{ exitCode: 0, reason: "DeadlineExceeded" }, true],
    [{ evicted: "x" }, true],
  ])("%j -> %s", (o, failed) => {
    expect(endFailed(end(o))).toBe(failed);
  });
});
