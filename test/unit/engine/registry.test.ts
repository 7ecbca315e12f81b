import { describe, expect, it } from "vitest";
import { ContainerRegistry, DELETED_POD_GRACE_MS, type Decision } from "../../../src/engine/registry.ts";
import { logContainerID, type TargetFilter } from "../../../src/engine/targets.ts";
import type { ContainerStatus, Pod } from "../../../src/shared/pod.ts";
import type { Target } from "../../../src/shared/target.ts";
import { iteratorSteps } from "./fakes.ts";

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
  uid = `uid-${name}`,
): Pod {
  return {
    metadata: { name, namespace: "default", uid },
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

/** The instances a registry starts for one pod event. */
const starts = (ds: Decision[]): Target[] => ds.flatMap((d) => (d.type === "start" ? [d.target] : []));
const stops = (ds: Decision[]) =>
  ds.flatMap((d) => (d.type === "stop" ? [{ podUID: d.podUID, reason: d.reason, delayMs: d.delayMs }] : []));

describe("ContainerRegistry: which instances to follow", () => {
  it("matches pods by unanchored regex and excludes", () => {
    const r = new ContainerRegistry({ ...base, excludePod: [/canary/] });
    expect(starts(r.upsert(pod("my-web-1", [running("app", "c1")])))).toHaveLength(1);
    expect(starts(r.upsert(pod("api-1", [running("app", "c1")])))).toHaveLength(0);
    expect(starts(r.upsert(pod("web-canary", [running("app", "c1")])))).toHaveLength(0);
  });

  it("filters containers by -c and -E", () => {
    const r = new ContainerRegistry({ ...base, container: /^(app|side)/, excludeContainer: [/side/] });
    const found = starts(
      r.upsert(pod("web", [running("app", "c1"), running("side", "c2"), running("other", "c3")])),
    );
    expect(names(found)).toEqual(["default/web/app@c1"]);
  });

  it("does not repeat an instance on later updates, and follows a restart", () => {
    const r = new ContainerRegistry(base);
    expect(names(starts(r.upsert(pod("web", [running("app", "c1")]))))).toEqual(["default/web/app@c1"]);
    expect(starts(r.upsert(pod("web", [running("app", "c1")])))).toEqual([]);
    expect(starts(r.upsert(pod("web", [terminated("app", "c1")])))).toEqual([]);
    expect(names(starts(r.upsert(pod("web", [running("app", "c2")]))))).toEqual(["default/web/app@c2"]);
  });

  it("a restart's start names the previous instance, which should end first", () => {
    const r = new ContainerRegistry(base);
    const first = starts(r.upsert(pod("web", [running("app", "c1")])))[0];
    const d = r.upsert(pod("web", [running("app", "c2")])).find((x) => x.type === "start");
    expect(d?.type === "start" && d.after).toBe(first);
    const fresh = r.upsert(pod("web-2", [running("app", "c9")])).find((x) => x.type === "start");
    expect(fresh?.type === "start" && fresh.after).toBeUndefined();
  });

  it("waits for a waiting container and starts it once it runs", () => {
    const r = new ContainerRegistry({ ...base, containerStates: ["running"] });
    expect(starts(r.upsert(pod("web", [waiting("app")])))).toEqual([]);
    expect(names(starts(r.upsert(pod("web", [running("app", "c1")]))))).toEqual(["default/web/app@c1"]);
  });

  it("applies --container-state only to containers present when first seen", () => {
    const r = new ContainerRegistry({ ...base, containerStates: ["running"] });
    expect(starts(r.upsert(pod("web", [terminated("app", "c1")])))).toEqual([]);
    // a new instance is followed whatever its state (a job may finish before we see it run)
    expect(names(starts(r.upsert(pod("web", [terminated("app", "c2")]))))).toEqual(["default/web/app@c2"]);
  });

  it("visits init, regular and ephemeral containers in that order, each when enabled", () => {
    const p = pod("web", [running("app", "c2")], {
      initContainerStatuses: [terminated("init", "c1")],
      ephemeralContainerStatuses: [running("debug", "c3")],
    });
    expect(names(starts(new ContainerRegistry(base).upsert(p)))).toEqual([
      "default/web/init@c1",
      "default/web/app@c2",
      "default/web/debug@c3",
    ]);
    expect(
      names(
        starts(
          new ContainerRegistry({ ...base, initContainers: false, ephemeralContainers: false }).upsert(p),
        ),
      ),
    ).toEqual(["default/web/app@c2"]);
    expect(starts(new ContainerRegistry(base).upsert(p)).map((x) => x.kind)).toEqual([
      "init",
      "regular",
      "ephemeral",
    ]);
  });

  it("forgets a deleted pod so a new pod of the same name starts afresh", () => {
    const r = new ContainerRegistry(base);
    const p = pod("web", [running("app", "c1")]);
    r.upsert(p);
    r.remove(p);
    expect(names(starts(r.upsert(p)))).toEqual(["default/web/app@c1"]);
  });
});

describe("ContainerRegistry: when streams stop", () => {
  it("a deleted pod's streams stop after the grace period, so they may deliver their last lines", () => {
    const r = new ContainerRegistry(base);
    const p = pod("web", [running("app", "c1")]);
    r.upsert(p);
    expect(stops(r.remove(p))).toEqual([
      { podUID: "uid-web", reason: "deleted", delayMs: DELETED_POD_GRACE_MS },
    ]);
  });

  it("a DELETED event for an older pod of the same name leaves the new one alone", () => {
    const r = new ContainerRegistry(base);
    const old = pod("web", [running("app", "c1")], {}, "uid-old");
    const now = pod("web", [running("app", "c2")], {}, "uid-new");
    r.upsert(old);
    const ds = r.upsert(now);
    // The same name with another UID: the old pod is gone, the new one starts.
    expect(stops(ds)).toEqual([{ podUID: "uid-old", reason: "deleted", delayMs: DELETED_POD_GRACE_MS }]);
    expect(names(starts(ds))).toEqual(["default/web/app@c2"]);
    expect(r.remove(old)).toEqual([]);
    expect(r.state(starts(ds)[0]!)).toBe("running");
  });

  it("--condition: a pod that loses it stops at once, and starts afresh when it has it again", () => {
    const r = new ContainerRegistry(base, { type: "Ready", status: "False" });
    const ready = (v: "True" | "False", id: string) =>
      pod("web", [running("app", id)], { conditions: [{ type: "Ready", status: v }] });
    expect(names(starts(r.upsert(ready("False", "c1"))))).toEqual(["default/web/app@c1"]);
    const ds = r.upsert(ready("True", "c1"));
    expect(stops(ds)).toEqual([{ podUID: "uid-web", reason: "condition", delayMs: 0 }]);
    expect(starts(ds)).toEqual([]);
    expect(names(starts(r.upsert(ready("False", "c1"))))).toEqual(["default/web/app@c1"]);
  });

  it("a pod no longer selected (--ignore, --node-selector) stops at once, and starts afresh when it is again", () => {
    const r = new ContainerRegistry(base);
    const p = pod("web", [running("app", "c1")]);
    expect(r.knows(p)).toBe(false);
    r.upsert(p);
    expect(r.knows(p)).toBe(true);
    expect(r.knows(pod("web", [running("app", "c1")], {}, "uid-other"))).toBe(false);
    expect(stops(r.drop(p))).toEqual([{ podUID: "uid-web", reason: "unselected", delayMs: 0 }]);
    expect(r.knows(p)).toBe(false);
    expect(r.drop(p)).toEqual([]);
    expect(names(starts(r.upsert(p)))).toEqual(["default/web/app@c1"]);
  });

  it("a pod without the condition at all does not match it", () => {
    const r = new ContainerRegistry(base, { type: "Ready", status: "True" });
    expect(starts(r.upsert(pod("web", [running("app", "c1")])))).toEqual([]);
  });

  it("every change of a followed pod tells its streams to look at their state again", () => {
    const r = new ContainerRegistry(base);
    expect(r.upsert(pod("web", [running("app", "c1")]))).toContainEqual({
      type: "changed",
      podUID: "uid-web",
    });
  });

  it("a relist removes the pods it lacks, only those of its own scope", () => {
    const r = new ContainerRegistry(base);
    const a = pod("web-a", [running("app", "c1")]);
    const b = pod("web-b", [running("app", "c2")]);
    const other = pod("web-x", [running("app", "c3")]);
    r.resync([a, b], 0);
    r.resync([other], 1);
    const ds = r.resync([a], 0);
    expect(stops(ds)).toEqual([{ podUID: "uid-web-b", reason: "deleted", delayMs: DELETED_POD_GRACE_MS }]);
    expect(starts(ds)).toEqual([]);
  });
});

describe("ContainerRegistry: an instance's state", () => {
  it("running while its container runs with its ID; stopped once its log is complete; gone after a restart", () => {
    const r = new ContainerRegistry(base);
    const t = starts(r.upsert(pod("web", [running("app", "c1")])))[0]!;
    expect(r.state(t)).toBe("running");
    r.upsert(pod("web", [terminated("app", "c1")]));
    expect(r.state(t)).toBe("stopped");
    r.upsert(pod("web", [running("app", "c2")]));
    expect(r.state(t)).toBe("gone");
  });

  it("a waiting container whose last instance is this one: stopped (its log can still be read)", () => {
    const r = new ContainerRegistry(base);
    const t = starts(r.upsert(pod("web", [running("app", "c1")])))[0]!;
    r.upsert(pod("web", [waiting("app", "c1")]));
    expect(r.state(t)).toBe("stopped");
  });

  it("gone when the pod is deleted, or its container no longer listed", () => {
    const r = new ContainerRegistry(base);
    const p = pod("web", [running("app", "c1")]);
    const t = starts(r.upsert(p))[0]!;
    r.upsert(pod("web", []));
    expect(r.state(t)).toBe("gone");
    r.upsert(p);
    r.remove(p);
    expect(r.state(t)).toBe("gone");
  });
});

const waits = (ds: Decision[]) =>
  ds.flatMap((d) => (d.type === "waiting" ? [`${d.target.key} ${d.waiting.reason}`] : []));
const crashLoop = (name: string, lastId: string, restarts: number, backOff = "10s"): ContainerStatus => ({
  name,
  restartCount: restarts,
  state: {
    waiting: { reason: "CrashLoopBackOff", message: `back-off ${backOff} restarting failed container` },
  },
  lastState: { terminated: { containerID: lastId, exitCode: 137, reason: "OOMKilled" } },
});

describe("ContainerRegistry: how instances end and what containers wait for", () => {
  it("records how an instance ended, from its state or, once restarted, its lastState", () => {
    const r = new ContainerRegistry(base);
    const first = starts(r.upsert(pod("web", [running("app", "c1")])))[0] as Target;
    expect(r.ended(first)).toBeUndefined();
    r.upsert(pod("web", [{ ...terminated("app", "c1"), restartCount: 0 }]));
    expect(r.ended(first)).toMatchObject({ exitCode: 0, restartCount: 0 });
    const second = starts(
      r.upsert(
        pod("web", [
          {
            ...running("app", "c2"),
            restartCount: 1,
            lastState: { terminated: { containerID: "c1", exitCode: 137, reason: "OOMKilled" } },
          },
        ]),
      ),
    )[0] as Target;
    expect(r.ended(first)).toMatchObject({ exitCode: 137, reason: "OOMKilled", restartCount: 1 });
    expect(r.ended(second)).toBeUndefined();
  });

  it("a restart seen only once it happened still tells how the old instance ended", () => {
    const r = new ContainerRegistry(base);
    const first = starts(r.upsert(pod("web", [running("app", "c1")])))[0] as Target;
    r.upsert(pod("web", [crashLoop("app", "c1", 3)]));
    expect(r.ended(first)).toMatchObject({ exitCode: 137, reason: "OOMKilled", restartCount: 3 });
  });

  it("an instance first seen terminated (--no-follow) knows its end at once", () => {
    const r = new ContainerRegistry(base);
    const t = starts(r.upsert(pod("web", [terminated("app", "c1")])))[0] as Target;
    expect(r.ended(t)).toMatchObject({ exitCode: 0 });
  });

  it("an evicted pod's instances end evicted", () => {
    const r = new ContainerRegistry(base);
    const t = starts(r.upsert(pod("web", [running("app", "c1")])))[0] as Target;
    r.upsert(
      pod("web", [terminated("app", "c1")], { phase: "Failed", reason: "Evicted", message: "low memory" }),
    );
    expect(r.ended(t)).toMatchObject({ evicted: "low memory" });
  });

  it("says a waiting reason once, again after the container ran, and never the routine ones", () => {
    const r = new ContainerRegistry(base);
    expect(waits(r.upsert(pod("web", [waiting("app")])))).toEqual([]);
    expect(waits(r.upsert(pod("web", [crashLoop("app", "c1", 1)])))).toEqual([
      "default/web/app CrashLoopBackOff",
    ]);
    expect(waits(r.upsert(pod("web", [crashLoop("app", "c1", 1, "20s")])))).toEqual([]);
    r.upsert(pod("web", [running("app", "c2")]));
    expect(waits(r.upsert(pod("web", [crashLoop("app", "c2", 2)])))).toEqual([
      "default/web/app CrashLoopBackOff",
    ]);
    const pull: ContainerStatus = { name: "app", state: { waiting: { reason: "ImagePullBackOff" } } };
    expect(waits(r.upsert(pod("web", [pull])))).toEqual(["default/web/app ImagePullBackOff"]);
  });

  it("only for containers it follows", () => {
    const r = new ContainerRegistry({ ...base, excludeContainer: [/side/] });
    expect(waits(r.upsert(pod("web", [crashLoop("side", "c1", 1)])))).toEqual([]);
    expect(waits(r.upsert(pod("api", [crashLoop("app", "c1", 1)])))).toEqual([]);
  });

  it("a pod of the same name (a new uid) starts afresh", () => {
    const r = new ContainerRegistry(base);
    expect(waits(r.upsert(pod("web", [crashLoop("app", "c1", 1)])))).toHaveLength(1);
    r.remove(pod("web", []));
    expect(waits(r.upsert(pod("web", [crashLoop("app", "c7", 1)], {}, "uid-2")))).toHaveLength(1);
  });
});

describe("registry at scale", () => {
  // A pod's containers are forgotten when it goes: found by the pod, not by a scan of every
  // container seen (deleting a namespace of N pods was N² steps). Counted, not timed.
  it("deleting N pods one by one is linear in N", async () => {
    const steps = async (n: number) => {
      const r = new ContainerRegistry(base);
      const pods = Array.from({ length: n }, (_, i) => pod(`web-${i}`, [running("app", `c-${i}`)]));
      r.resync(pods);
      return iteratorSteps(async () => {
        for (const p of pods) r.remove(p);
      });
    };
    const [small, large] = [await steps(2000), await steps(4000)];
    expect(large / small).toBeLessThan(2.5);
    expect(large).toBeLessThan(4000 * 20);
  });
});
