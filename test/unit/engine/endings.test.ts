import { describe, expect, it } from "vitest";
import {
  describeEnd,
  describeWaiting,
  endFailed,
  instanceEnd,
  waitingFailed,
  waitingOf,
} from "../../../src/engine/endings.ts";
import type { InstanceEnd } from "../../../src/shared/endings.ts";
import type { ContainerStatus, Pod } from "../../../src/shared/pod.ts";

const end = (o: Partial<InstanceEnd>): InstanceEnd => ({
  exitCode: undefined,
  signal: undefined,
  reason: undefined,
  message: undefined,
  restartCount: 0,
  evicted: undefined,
  ...o,
});
const pod = (extra: Partial<NonNullable<Pod["status"]>> = {}): Pod => ({
  metadata: { name: "p" },
  status: extra,
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

describe("instanceEnd", () => {
  const cs: ContainerStatus = {
    name: "app",
    restartCount: 2,
    state: { terminated: { containerID: "c2", exitCode: 1, reason: "Error", signal: 0 } },
    lastState: { terminated: { containerID: "c1", exitCode: 137, reason: "OOMKilled" } },
  };
  it("finds the instance in state or lastState by container ID", () => {
    expect(instanceEnd(pod(), cs, "c2")).toMatchObject({ exitCode: 1, reason: "Error", signal: undefined });
    expect(instanceEnd(pod(), cs, "c1")).toMatchObject({
      exitCode: 137,
      reason: "OOMKilled",
      restartCount: 2,
    });
    expect(instanceEnd(pod(), cs, "c0")).toBeUndefined();
  });
  it("an evicted pod ends every instance evicted", () => {
    const e = instanceEnd(pod({ reason: "Evicted", message: "disk" }), { name: "app" }, "c9");
    expect(e).toMatchObject({ evicted: "disk", exitCode: undefined });
  });
});

describe("waiting", () => {
  it("skips the routine reasons of a start", () => {
    expect(waitingOf({ name: "a", state: { waiting: { reason: "ContainerCreating" } } })).toBeUndefined();
    expect(waitingOf({ name: "a", state: { waiting: { reason: "PodInitializing" } } })).toBeUndefined();
    expect(waitingOf({ name: "a", state: { running: {} } })).toBeUndefined();
    expect(waitingOf({ name: "a", state: { waiting: {} } })).toBeUndefined();
  });
  it.each([
    [
      { reason: "CrashLoopBackOff", message: "back-off 5m0s restarting" },
      "img:1",
      "CrashLoopBackOff: back-off 5m0s restarting",
      true,
    ],
    [
      { reason: "ImagePullBackOff", message: 'Back-off pulling image "img:1"' },
      "img:1",
      'ImagePullBackOff: Back-off pulling image "img:1"',
      true,
    ],
    [{ reason: "ErrImagePull" }, "img:2", "ErrImagePull (image img:2)", true],
    [{ reason: "InvalidImageName", message: "bad" }, "IMG", "InvalidImageName: bad (image IMG)", true],
    [
      { reason: "CreateContainerConfigError", message: 'secret "s" not found' },
      "img",
      'CreateContainerConfigError: secret "s" not found',
      true,
    ],
    [{ reason: "SomethingNew" }, "img", "SomethingNew", false],
  ])("%j", (state, image, text, failed) => {
    const w = waitingOf({ name: "a", image, state: { waiting: state } });
    expect(w && describeWaiting(w)).toBe(text);
    expect(w && waitingFailed(w)).toBe(failed);
  });
});
