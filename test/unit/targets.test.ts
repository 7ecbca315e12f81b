import { describe, expect, it } from "vitest";
import { logContainerID, type TargetFilter, TargetTracker } from "../../src/engine/targets.ts";
import type { ContainerStatus, Pod } from "../../src/kube/types.ts";

const running = (name: string, id: string): ContainerStatus => ({
  name,
  containerID: id,
  state: { running: { startedAt: "2024-01-01T00:00:00Z" } },
});
const waiting = (name: string, lastId?: string): ContainerStatus => ({
  name,
  state: { waiting: { reason: "ContainerCreating" } },
  ...(lastId ? { lastState: { terminated: { containerID: lastId } } } : {}),
});
const terminated = (name: string, id: string): ContainerStatus => ({
  name,
  containerID: id,
  state: { terminated: { exitCode: 0, containerID: id } },
});

function pod(
  name: string,
  statuses: ContainerStatus[],
  extra: Partial<NonNullable<Pod["status"]>> = {},
): Pod {
  return {
    metadata: { name, namespace: "default", uid: `uid-${name}` },
    status: { containerStatuses: statuses, ...extra },
  };
}

const base: TargetFilter = {
  podQuery: /web/,
  excludePod: [],
  container: /.*/,
  excludeContainer: [],
  initContainers: true,
  ephemeralContainers: true,
  containerStates: [],
};

const names = (ts: { key: string; containerID: string }[]) => ts.map((t) => `${t.key}@${t.containerID}`);

describe("logContainerID", () => {
  it("follows the kubelet's choice of instance", () => {
    expect(logContainerID(running("a", "c1"))).toBe("c1");
    expect(logContainerID(terminated("a", "c2"))).toBe("c2");
    expect(logContainerID(waiting("a"))).toBe("");
    expect(logContainerID(waiting("a", "c0"))).toBe("c0");
    expect(
      logContainerID({
        name: "a",
        state: { terminated: {} },
        lastState: { terminated: { containerID: "c9" } },
      }),
    ).toBe("c9");
  });
});

describe("TargetTracker", () => {
  it("matches pods by unanchored regex and excludes", () => {
    const t = new TargetTracker({ ...base, excludePod: [/canary/] });
    expect(t.observe(pod("my-web-1", [running("app", "c1")]))).toHaveLength(1);
    expect(t.observe(pod("api-1", [running("app", "c1")]))).toHaveLength(0);
    expect(t.observe(pod("web-canary", [running("app", "c1")]))).toHaveLength(0);
  });

  it("filters containers by -c and -E", () => {
    const t = new TargetTracker({ ...base, container: /^(app|side)/, excludeContainer: [/side/] });
    const found = t.observe(
      pod("web", [running("app", "c1"), running("side", "c2"), running("other", "c3")]),
    );
    expect(names(found)).toEqual(["default/web/app@c1"]);
  });

  it("does not repeat an instance on later updates, and follows a restart", () => {
    const t = new TargetTracker(base);
    expect(names(t.observe(pod("web", [running("app", "c1")])))).toEqual(["default/web/app@c1"]);
    expect(t.observe(pod("web", [running("app", "c1")]))).toEqual([]);
    expect(t.observe(pod("web", [terminated("app", "c1")]))).toEqual([]);
    expect(names(t.observe(pod("web", [running("app", "c2")])))).toEqual(["default/web/app@c2"]);
  });

  it("waits for a waiting container and starts it once it runs", () => {
    const t = new TargetTracker({ ...base, containerStates: ["running"] });
    expect(t.observe(pod("web", [waiting("app")]))).toEqual([]);
    expect(names(t.observe(pod("web", [running("app", "c1")])))).toEqual(["default/web/app@c1"]);
  });

  it("applies --container-state only to containers present when first seen", () => {
    const t = new TargetTracker({ ...base, containerStates: ["running"] });
    expect(t.observe(pod("web", [terminated("app", "c1")]))).toEqual([]);
    // a new instance is followed whatever its state (a job may finish before we see it run)
    expect(names(t.observe(pod("web", [terminated("app", "c2")])))).toEqual(["default/web/app@c2"]);
  });

  it("visits init, regular and ephemeral containers in that order, each when enabled", () => {
    const p = pod("web", [running("app", "c2")], {
      initContainerStatuses: [terminated("init", "c1")],
      ephemeralContainerStatuses: [running("debug", "c3")],
    });
    expect(names(new TargetTracker(base).observe(p))).toEqual([
      "default/web/init@c1",
      "default/web/app@c2",
      "default/web/debug@c3",
    ]);
    expect(
      names(new TargetTracker({ ...base, initContainers: false, ephemeralContainers: false }).observe(p)),
    ).toEqual(["default/web/app@c2"]);
    expect(new TargetTracker(base).observe(p).map((x) => x.kind)).toEqual(["init", "regular", "ephemeral"]);
  });

  it("forgets a deleted pod so a new pod of the same name starts afresh", () => {
    const t = new TargetTracker(base);
    const p = pod("web", [running("app", "c1")]);
    t.observe(p);
    t.forget(p);
    expect(names(t.observe(p))).toEqual(["default/web/app@c1"]);
  });
});
