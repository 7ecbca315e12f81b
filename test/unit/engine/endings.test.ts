import { describe, expect, it } from "vitest";
import { instanceEnd, waitingOf } from "../../../src/engine/endings.ts";
import { describeWaiting, waitingFailed } from "../../../src/format/ending-text.ts";
import type { ContainerStatus, Pod } from "../../../src/shared/pod.ts";

const pod = (extra: Partial<NonNullable<Pod["status"]>> = {}): Pod => ({
  metadata: { name: "p" },
  status: extra,
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
