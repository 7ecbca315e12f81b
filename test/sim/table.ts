// meta.k8s.io/v1 Table rendering (what `kubectl get` asks for), with the real pod columns.
import type { KubeObject } from "./store.ts";

export type IncludeObject = "None" | "Metadata" | "Object";

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const col = (name: string, type = "string", priority = 0, format = ""): Column => ({
  name,
  type,
  format,
  description: name === "Name" ? "Name must be unique within a namespace." : `${name} of the object`,
  priority,
});

/** apimachinery's duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return "<invalid>";
  if (s < 0) return "0s";
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(s / 3600);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 192) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  const y = Math.floor(h / 24 / 365);
  if (y < 8) return `${y}y${Math.floor(h / 24) % 365}d`;
  return `${y}y`;
}

const age = (ts: string | undefined, now: number): string =>
  ts ? humanDuration(now - Date.parse(ts)) : "<unknown>";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === "object" && v !== null ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/** The STATUS cell, following printPod in pkg/printers/internalversion. */
function podReason(pod: KubeObject): string {
  const st = obj(pod.status);
  let reason = typeof st.reason === "string" ? st.reason : String(st.phase ?? "");
  const initSpecs = arr(obj(pod.spec).initContainers);
  const inits = arr(st.initContainerStatuses);
  let initializing = false;
  for (const [i, c] of inits.entries()) {
    const state = obj(c.state);
    const term = state.terminated ? obj(state.terminated) : undefined;
    const wait = state.waiting ? obj(state.waiting) : undefined;
    const sidecar = initSpecs.find((s) => s.name === c.name)?.restartPolicy === "Always";
    if (term && term.exitCode === 0) continue;
    if (sidecar && c.started === true) continue;
    if (term) {
      reason = term.reason ? `Init:${term.reason}` : `Init:ExitCode:${term.exitCode}`;
    } else if (wait?.reason && wait.reason !== "PodInitializing") {
      reason = `Init:${wait.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    for (const c of [...arr(st.containerStatuses)].reverse()) {
      const state = obj(c.state);
      const wait = state.waiting ? obj(state.waiting) : undefined;
      const term = state.terminated ? obj(state.terminated) : undefined;
      if (wait?.reason) reason = String(wait.reason);
      else if (term?.reason) reason = String(term.reason);
      else if (term) reason = `ExitCode:${term.exitCode}`;
      else if (state.running && c.ready === true) hasRunning = true;
    }
    if (reason === "Completed" && hasRunning) {
      const ready = arr(st.conditions).some((c) => c.type === "Ready" && c.status === "True");
      reason = ready ? "Running" : "NotReady";
    }
  }
  if (pod.metadata.deletionTimestamp) reason = "Terminating";
  return reason;
}

function podCells(pod: KubeObject, now: number): unknown[] {
  const st = obj(pod.status);
  const spec = obj(pod.spec);
  const statuses = arr(st.containerStatuses);
  const sidecars = arr(st.initContainerStatuses).filter((c) =>
    arr(spec.initContainers).some((s) => s.name === c.name && s.restartPolicy === "Always"),
  );
  const total = arr(spec.containers).length + sidecars.length;
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  for (const c of [...statuses, ...sidecars]) {
    if (c.ready === true && obj(c.state).running) ready++;
    restarts += Number(c.restartCount ?? 0);
    const fin = obj(obj(c.lastState).terminated).finishedAt;
    if (typeof fin === "string") lastRestart = Math.max(lastRestart, Date.parse(fin));
  }
  const restartCell =
    restarts > 0 && lastRestart > 0
      ? `${restarts} (${humanDuration(now - lastRestart)} ago)`
      : String(restarts);
  return [
    pod.metadata.name,
    `${ready}/${total}`,
    podReason(pod),
    restartCell,
    age(pod.metadata.creationTimestamp, now),
    st.podIP ?? "<none>",
    spec.nodeName ?? "<none>",
    st.nominatedNodeName ?? "<none>",
    "<none>",
  ];
}

const podColumns = [
  col("Name", "string", 0, "name"),
  col("Ready"),
  col("Status"),
  col("Restarts"),
  col("Age"),
  col("IP", "string", 1),
  col("Node", "string", 1),
  col("Nominated Node", "string", 1),
  col("Readiness Gates", "string", 1),
];

function columnsFor(resource: string): Column[] {
  if (resource === "pods") return podColumns;
  if (resource === "namespaces") return [col("Name", "string", 0, "name"), col("Status"), col("Age")];
  if (resource === "deployments") {
    return [
      col("Name", "string", 0, "name"),
      col("Ready"),
      col("Up-to-date", "integer"),
      col("Available", "integer"),
      col("Age"),
    ];
  }
  if (resource === "replicasets") {
    return [
      col("Name", "string", 0, "name"),
      col("Desired", "integer"),
      col("Current", "integer"),
      col("Ready", "integer"),
      col("Age"),
    ];
  }
  return [col("Name", "string", 0, "name"), col("Age")];
}

function cellsFor(resource: string, o: KubeObject, now: number): unknown[] {
  if (resource === "pods") return podCells(o, now);
  const created = age(o.metadata.creationTimestamp, now);
  if (resource === "namespaces") return [o.metadata.name, obj(o.status).phase ?? "Active", created];
  if (resource === "deployments") {
    const st = obj(o.status);
    const want = Number(obj(o.spec).replicas ?? 0);
    return [
      o.metadata.name,
      `${st.readyReplicas ?? 0}/${want}`,
      st.updatedReplicas ?? 0,
      st.availableReplicas ?? 0,
      created,
    ];
  }
  if (resource === "replicasets") {
    const st = obj(o.status);
    return [o.metadata.name, obj(o.spec).replicas ?? 0, st.replicas ?? 0, st.readyReplicas ?? 0, created];
  }
  return [o.metadata.name, created];
}

function rowObject(o: KubeObject, include: IncludeObject): unknown {
  if (include === "None") return undefined;
  if (include === "Object") return o;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
}

export interface TableOptions {
  include: IncludeObject;
  noHeaders?: boolean;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export function toTable(
  resource: string,
  items: KubeObject[],
  now: number,
  o: TableOptions,
): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (o.resourceVersion) metadata.resourceVersion = o.resourceVersion;
  if (o.continue) metadata.continue = o.continue;
  if (o.remainingItemCount !== undefined) metadata.remainingItemCount = o.remainingItemCount;
  const t: Record<string, unknown> = { kind: "Table", apiVersion: "meta.k8s.io/v1", metadata };
  if (!o.noHeaders) t.columnDefinitions = columnsFor(resource);
  t.rows = items.map((item) => {
    const row: Record<string, unknown> = { cells: cellsFor(resource, item, now) };
    const ro = rowObject(item, o.include);
    if (ro !== undefined) row.object = ro;
    return row;
  });
  return t;
}

/** Whether the Accept header asks for a meta.k8s.io/v1 Table. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(",").some((entry) => {
    const params = entry.split(";").map((s) => s.trim());
    return params.includes("as=Table") && params.includes("g=meta.k8s.io") && params.includes("v=v1");
  });
}

export function parseIncludeObject(v: string | null): IncludeObject {
  return v === "None" || v === "Object" ? v : "Metadata";
}
