// One Kubernetes event, whichever API group served it (engine/events.ts reads both shapes into this),
// for --events: the engine decides which to print, the output side how they look (format/event.ts).

export interface KubeEvent {
  uid: string;
  /** The namespace of the object it is about (the event's own when the reference has none). */
  namespace: string;
  kind: string;
  name: string;
  /** The container it is about, from a fieldPath such as spec.containers{app} ("" otherwise). */
  container: string;
  type: string;
  reason: string;
  message: string;
  count: number;
  /** When it (last) happened, ms since the epoch. */
  timeMs: number;
}
