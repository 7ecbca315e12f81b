// Objects by resource, one global resourceVersion, and a bounded history of change events for watches.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  generateName?: string;
  generation?: number;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
}

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: EventType;
  resource: string;
  rv: number;
  object: KubeObject;
  /** The previous state, so watchers can turn selector transitions into ADDED/DELETED. */
  prev?: KubeObject;
}

export type StoreListener = (e: StoreEvent) => void;

const key = (namespace: string | undefined, name: string): string => `${namespace ?? ""}/${name}`;

export class Store {
  private rv: number;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private history: StoreEvent[] = [];
  /** Events with rv <= compactedRv are no longer retained. */
  private compactedRv: number;
  private readonly listeners = new Set<StoreListener>();
  private readonly historyLimit: number;

  constructor(historyLimit = 1000, initialRv = 1000) {
    this.historyLimit = historyLimit;
    this.rv = initialRv;
    this.compactedRv = initialRv;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  get oldestRetained(): number {
    return this.compactedRv;
  }

  private bucket(resource: string): Map<string, KubeObject> {
    let b = this.objects.get(resource);
    if (!b) {
      b = new Map();
      this.objects.set(resource, b);
    }
    return b;
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(resource)?.get(key(namespace, name));
  }

  /** Current objects sorted by namespace/name, as etcd returns them. */
  list(resource: string, namespace?: string): KubeObject[] {
    const b = this.objects.get(resource);
    if (!b) return [];
    return [...b.entries()]
      .filter(([, o]) => namespace === undefined || o.metadata.namespace === namespace)
      .sort(([a], [b2]) => (a < b2 ? -1 : a > b2 ? 1 : 0))
      .map(([, o]) => o);
  }

  /** Stores a new version (the caller must not mutate it afterwards) and emits ADDED or MODIFIED. */
  put(resource: string, obj: KubeObject): KubeObject {
    const b = this.bucket(resource);
    const k = key(obj.metadata.namespace, obj.metadata.name);
    const prev = b.get(k);
    this.rv++;
    const stored: KubeObject = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } };
    b.set(k, stored);
    this.emit({ type: prev ? "MODIFIED" : "ADDED", resource, rv: this.rv, object: stored, prev });
    return stored;
  }

  delete(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const b = this.objects.get(resource);
    const k = key(namespace, name);
    const prev = b?.get(k);
    if (!b || !prev) return undefined;
    b.delete(k);
    this.rv++;
    // The DELETED event carries the last state with the deletion's resourceVersion.
    const last: KubeObject = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(this.rv) } };
    this.emit({ type: "DELETED", resource, rv: this.rv, object: last, prev });
    return last;
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > this.historyLimit) {
      const drop = this.history.length - this.historyLimit;
      this.compactedRv = this.history[drop - 1]?.rv ?? this.compactedRv;
      this.history = this.history.slice(drop);
    }
    for (const l of [...this.listeners]) l(e);
  }

  /** Events strictly after rv, or "expired" when some of them are no longer retained. */
  eventsAfter(rv: number): StoreEvent[] | "expired" {
    if (rv < this.compactedRv) return "expired";
    return this.history.filter((e) => e.rv > rv);
  }

  /** Forgets all history, so any resourceVersion older than now is "too old". */
  compact(): void {
    this.history = [];
    this.compactedRv = this.rv;
  }

  subscribe(l: StoreListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
