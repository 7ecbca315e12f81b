// Kubernetes events in either shape the API serves them (core/v1: involvedObject, count, lastTimestamp;
// events.k8s.io/v1: regarding, note, deprecatedCount, series), as one record. Pure.
import type { KubeEvent } from "../shared/kube-event.ts";
import type { ObjectMeta } from "../shared/pod.ts";

interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  fieldPath?: string;
}

/** The fields read of an Event, in either API group. */
export interface RawEvent {
  metadata: ObjectMeta & { creationTimestamp?: string };
  type?: string;
  reason?: string;
  involvedObject?: ObjectReference;
  regarding?: ObjectReference;
  message?: string;
  note?: string;
  count?: number;
  deprecatedCount?: number;
  series?: { count?: number; lastObservedTime?: string };
  eventTime?: string | null;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
}

/** One record of either shape; undefined when it is about nothing or has no time. */
export function normalizeEvent(e: RawEvent): KubeEvent | undefined {
  const about = e.regarding ?? e.involvedObject;
  if (!about?.kind) return undefined;
  const when =
    e.series?.lastObservedTime ||
    e.lastTimestamp ||
    e.deprecatedLastTimestamp ||
    e.eventTime ||
    e.firstTimestamp ||
    e.deprecatedFirstTimestamp ||
    e.metadata.creationTimestamp;
  const timeMs = when ? Date.parse(when) : Number.NaN;
  if (Number.isNaN(timeMs)) return undefined;
  return {
    uid: e.metadata.uid ?? `${e.metadata.namespace ?? ""}/${e.metadata.name}`,
    namespace: about.namespace || e.metadata.namespace || "",
    kind: about.kind,
    name: about.name ?? "",
    container:
      /^spec\.(?:initContainers|containers|ephemeralContainers)\{(.+)\}$/.exec(about.fieldPath ?? "")?.[1] ??
      "",
    type: e.type ?? "",
    reason: e.reason ?? "",
    message: (e.note ?? e.message ?? "").trim(),
    count: e.series?.count ?? e.count ?? e.deprecatedCount ?? 1,
    timeMs,
  };
}

/** The --sort key of an event: the kubelet's fixed-width timestamp form, so it orders with log lines. */
export function eventSortKey(ev: KubeEvent): string {
  return `${new Date(ev.timeMs).toISOString().slice(0, 23)}000000Z`;
}

/** Owners worth showing the events of, from a pod's owner references (a ReplicaSet's Deployment too). */
export function ownersOf(pod: { metadata: ObjectMeta }): string[] {
  const out: string[] = [];
  const hash = pod.metadata.labels?.["pod-template-hash"];
  for (const ref of pod.metadata.ownerReferences ?? []) {
    out.push(`${ref.kind}/${ref.name}`);
    if (ref.kind === "ReplicaSet" && hash && ref.name.endsWith(`-${hash}`)) {
      out.push(`Deployment/${ref.name.slice(0, -hash.length - 1)}`);
    }
  }
  return out;
}
