// Kubernetes events as the kubelet and controllers record them: one core/v1 Event per (object, reason,
// message), a repeat updating it (count + 1, lastTimestamp; MODIFIED), stored in both shapes the API
// serves: core/v1 (`involvedObject`, `count`, `firstTimestamp`) and events.k8s.io/v1 (`regarding`,
// `note`, `deprecatedCount`, ...), under the same name and uid.
import { randomUUID } from "node:crypto";
import type { Cluster } from "./cluster.ts";
import { rfc3339 } from "./pod-model.ts";
import type { KubeObject } from "./store.ts";

export interface InvolvedObject {
  kind: string;
  apiVersion: string;
  name: string;
  namespace: string;
  uid: string;
  fieldPath?: string;
}

export interface EventSpec {
  involvedObject: InvolvedObject;
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  source: { component: string; host?: string };
  /** When it happened (ms since the epoch; default the cluster's clock). */
  at?: number;
}

interface Recorded {
  name: string;
  uid: string;
  first: number;
  count: number;
}

const recorded = new WeakMap<Cluster, Map<string, Recorded>>();

export function recordEvent(cluster: Cluster, e: EventSpec): void {
  let byKey = recorded.get(cluster);
  if (!byKey) {
    byKey = new Map();
    recorded.set(cluster, byKey);
  }
  const o = e.involvedObject;
  const key = [o.namespace, o.kind, o.name, o.uid, o.fieldPath ?? "", e.type, e.reason, e.message].join("\0");
  const at = e.at ?? cluster.now();
  let r = byKey.get(key);
  if (r) r.count++;
  else {
    r = { name: `${o.name}.${(at * 1e6 + byKey.size).toString(16)}`, uid: randomUUID(), first: at, count: 1 };
    byKey.set(key, r);
  }
  const metadata = {
    name: r.name,
    namespace: o.namespace,
    uid: r.uid,
    creationTimestamp: rfc3339(r.first),
  };
  const first = rfc3339(r.first);
  const last = rfc3339(at);
  const core: Record<string, unknown> = {
    kind: "Event",
    apiVersion: "v1",
    metadata,
    involvedObject: { ...o },
    reason: e.reason,
    message: e.message,
    source: { ...e.source },
    firstTimestamp: first,
    lastTimestamp: last,
    count: r.count,
    type: e.type,
    eventTime: null,
    reportingComponent: e.source.component,
    reportingInstance: e.source.host ?? "",
  };
  const v1: Record<string, unknown> = {
    kind: "Event",
    apiVersion: "events.k8s.io/v1",
    metadata,
    eventTime: null,
    reportingController: e.source.component,
    reportingInstance: e.source.host ?? "",
    reason: e.reason,
    regarding: { ...o },
    note: e.message,
    type: e.type,
    deprecatedSource: { ...e.source },
    deprecatedFirstTimestamp: first,
    deprecatedLastTimestamp: last,
    deprecatedCount: r.count,
  };
  cluster.store.put("events", core as unknown as KubeObject);
  cluster.store.put("events.k8s.io/events", v1 as unknown as KubeObject);
}
