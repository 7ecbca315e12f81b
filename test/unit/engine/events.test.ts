import { describe, expect, it } from "vitest";
import { eventSortKey, normalizeEvent, ownersOf, type RawEvent } from "../../../src/engine/events.ts";
import { formatEvent } from "../../../src/format/event.ts";
import type { KubeEvent } from "../../../src/shared/kube-event.ts";

const core: RawEvent = {
  metadata: { name: "web-1.17f", namespace: "ns", uid: "e1", creationTimestamp: "2025-01-01T00:00:00Z" },
  involvedObject: { kind: "Pod", name: "web-1", namespace: "ns", fieldPath: "spec.containers{app}" },
  type: "Warning",
  reason: "BackOff",
  message: "Back-off restarting failed container app\n",
  count: 3,
  firstTimestamp: "2025-01-01T00:00:00Z",
  lastTimestamp: "2025-01-01T00:05:00Z",
  eventTime: null,
};

const v1: RawEvent = {
  metadata: { name: "web-1.17f", namespace: "ns", uid: "e1" },
  regarding: { kind: "Pod", name: "web-1", namespace: "ns", fieldPath: "spec.initContainers{init}" },
  type: "Normal",
  reason: "Pulled",
  note: "pulled",
  deprecatedCount: 2,
  deprecatedLastTimestamp: "2025-01-01T00:06:00Z",
  eventTime: null,
};

describe("normalizeEvent", () => {
  it("reads core/v1", () => {
    expect(normalizeEvent(core)).toEqual({
      uid: "e1",
      namespace: "ns",
      kind: "Pod",
      name: "web-1",
      container: "app",
      type: "Warning",
      reason: "BackOff",
      message: "Back-off restarting failed container app",
      count: 3,
      timeMs: Date.parse("2025-01-01T00:05:00Z"),
    });
  });

  it("reads events.k8s.io/v1", () => {
    expect(normalizeEvent(v1)).toMatchObject({
      container: "init",
      message: "pulled",
      count: 2,
      type: "Normal",
    });
  });

  it("a series' last observation wins; then eventTime; then the creation time", () => {
    const series = normalizeEvent({
      ...v1,
      deprecatedLastTimestamp: null,
      eventTime: "2025-01-01T00:00:00.123456Z",
      series: { count: 9, lastObservedTime: "2025-01-01T01:00:00.5Z" },
    });
    expect(series).toMatchObject({ count: 9, timeMs: Date.parse("2025-01-01T01:00:00.5Z") });
    const micro = normalizeEvent({
      ...v1,
      deprecatedLastTimestamp: null,
      eventTime: "2025-01-01T00:00:00.123456Z",
    });
    expect(micro?.timeMs).toBe(Date.parse("2025-01-01T00:00:00.123Z"));
    const created = normalizeEvent({ ...core, firstTimestamp: null, lastTimestamp: null });
    expect(created?.timeMs).toBe(Date.parse("2025-01-01T00:00:00Z"));
  });

  it("skips events about nothing or of no time", () => {
    expect(normalizeEvent({ ...core, involvedObject: {} })).toBeUndefined();
    expect(
      normalizeEvent({ ...core, metadata: { name: "x" }, firstTimestamp: null, lastTimestamp: null }),
    ).toBeUndefined();
  });

  it("takes the event's namespace when the reference has none; a count of 1 when none is given", () => {
    const e = normalizeEvent({ ...core, involvedObject: { kind: "Node", name: "n1" }, count: undefined });
    expect(e).toMatchObject({ namespace: "ns", count: 1, container: "" });
  });
});

describe("eventSortKey", () => {
  it("is the kubelet's fixed-width form, which orders with log timestamps as strings", () => {
    const e = normalizeEvent(core) as KubeEvent;
    expect(eventSortKey(e)).toBe("2025-01-01T00:05:00.000000000Z");
    expect(eventSortKey(e) < "2025-01-01T00:05:00.000000001Z").toBe(true);
    expect(eventSortKey(e) > "2025-01-01T00:04:59.999999999Z").toBe(true);
  });
});

describe("ownersOf", () => {
  it("a ReplicaSet's pod is its Deployment's too", () => {
    const pod = {
      metadata: {
        name: "web-5d4f-abcde",
        labels: { "pod-template-hash": "5d4f" },
        ownerReferences: [{ kind: "ReplicaSet", name: "web-5d4f" }],
      },
    };
    expect(ownersOf(pod)).toEqual(["ReplicaSet/web-5d4f", "Deployment/web"]);
    expect(ownersOf({ metadata: { name: "j-1", ownerReferences: [{ kind: "Job", name: "j" }] } })).toEqual([
      "Job/j",
    ]);
    expect(ownersOf({ metadata: { name: "p" } })).toEqual([]);
  });
});

describe("formatEvent", () => {
  const e = normalizeEvent(core) as KubeEvent;
  const text = { output: "default" as const, colored: false, showNamespace: false };
  it("a line of its own, with the repeat count", () => {
    expect(formatEvent(e, text)).toBe(
      "event Warning Pod/web-1 BackOff: Back-off restarting failed container app (x3)\n",
    );
    expect(formatEvent({ ...e, count: 1 }, { ...text, showNamespace: true })).toBe(
      "event ns Warning Pod/web-1 BackOff: Back-off restarting failed container app\n",
    );
  });
  it("warnings in red when colored", () => {
    expect(formatEvent(e, { ...text, colored: true })).toContain("\x1b[31mWarning Pod/web-1 BackOff:\x1b[0m");
    expect(formatEvent({ ...e, type: "Normal" }, { ...text, colored: true })).not.toContain("\x1b[31m");
  });
  it("a record for -o json, extjson and ppextjson", () => {
    for (const output of ["json", "extjson", "ppextjson"] as const) {
      expect(JSON.parse(formatEvent(e, { ...text, output, context: { name: "prod", color: "" } }))).toEqual({
        event: {
          type: "Warning",
          reason: "BackOff",
          kind: "Pod",
          name: "web-1",
          count: 3,
          time: "2025-01-01T00:05:00.000Z",
        },
        message: "Back-off restarting failed container app",
        namespace: "ns",
        podName: "web-1",
        containerName: "app",
        context: "prod",
      });
    }
  });
});
