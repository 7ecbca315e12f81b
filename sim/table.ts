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

const wideTemplate = [col("Containers", "string", 1), col("Images", "string", 1)];
const wideSelector = col("Selector", "string", 1);

const workloadColumns: Record<string, Column[]> = {
  namespaces: [col("Name", "string", 0, "name"), col("Status"), col("Age")],
  deployments: [
    col("Name", "string", 0, "name"),
    col("Ready"),
    col("Up-to-date"),
    col("Available"),
    col("Age"),
    ...wideTemplate,
    wideSelector,
  ],
  replicasets: [
    col("Name", "string", 0, "name"),
    col("Desired", "integer"),
    col("Current", "integer"),
    col("Ready", "integer"),
    col("Age"),
    ...wideTemplate,
    wideSelector,
  ],
  replicationcontrollers: [
    col("Name", "string", 0, "name"),
    col("Desired", "integer"),
    col("Current", "integer"),
    col("Ready", "integer"),
    col("Age"),
    ...wideTemplate,
    wideSelector,
  ],
  statefulsets: [col("Name", "string", 0, "name"), col("Ready"), col("Age"), ...wideTemplate],
  daemonsets: [
    col("Name", "string", 0, "name"),
    col("Desired", "integer"),
    col("Current", "integer"),
    col("Ready", "integer"),
    col("Up-to-date", "integer"),
    col("Available", "integer"),
    col("Node Selector"),
    col("Age"),
    ...wideTemplate,
    wideSelector,
  ],
  jobs: [
    col("Name", "string", 0, "name"),
    col("Status"),
    col("Completions"),
    col("Duration"),
    col("Age"),
    ...wideTemplate,
    wideSelector,
  ],
  cronjobs: [
    col("Name", "string", 0, "name"),
    col("Schedule"),
    col("Timezone"),
    col("Suspend", "boolean"),
    col("Active", "integer"),
    col("Last Schedule"),
    col("Age"),
    ...wideTemplate,
    wideSelector,
  ],
  ingresses: [
    col("Name", "string", 0, "name"),
    col("Class"),
    col("Hosts"),
    col("Address"),
    col("Ports"),
    col("Age"),
  ],
  nodes: [
    col("Name", "string", 0, "name"),
    col("Status"),
    col("Roles"),
    col("Age"),
    col("Version"),
    col("Internal-IP", "string", 1),
    col("External-IP", "string", 1),
    col("OS-Image", "string", 1),
    col("Kernel-Version", "string", 1),
    col("Container-Runtime", "string", 1),
  ],
  services: [
    col("Name", "string", 0, "name"),
    col("Type"),
    col("Cluster-IP"),
    col("External-IP"),
    col("Port(s)"),
    col("Age"),
    wideSelector,
  ],
};

/** pkg/printers/internalversion eventColumnDefinitions. */
const eventColumns = [
  col("Last Seen"),
  col("Type"),
  col("Reason"),
  col("Object"),
  col("Subobject", "string", 1),
  col("Source", "string", 1),
  col("Message"),
  col("First Seen", "string", 1),
  col("Count", "string", 1),
  col("Name", "string", 1, "name"),
];

/** printEvent, with the wide cells the server always fills (either shape of an event). */
function eventCells(o: KubeObject, now: number): unknown[] {
  const e = o as unknown as Json;
  const about = obj(e.involvedObject ?? e.regarding);
  const source = obj(e.source ?? e.deprecatedSource);
  const firstTs = (e.firstTimestamp ?? e.deprecatedFirstTimestamp) as string | undefined;
  const lastTs = (e.lastTimestamp ?? e.deprecatedLastTimestamp) as string | undefined;
  const first = firstTs ? age(firstTs, now) : age(e.eventTime as string | undefined, now);
  const last = lastTs ? age(lastTs, now) : first;
  const kind = String(about.kind ?? "").toLowerCase();
  const target = about.name ? `${kind}/${about.name}` : kind;
  const src = [source.component, source.host].filter((x) => typeof x === "string" && x !== "").join(", ");
  return [
    last,
    e.type,
    e.reason,
    target,
    about.fieldPath ?? "",
    src,
    String(e.message ?? e.note ?? "").trim(),
    first,
    Number(e.count ?? e.deprecatedCount ?? 0),
    o.metadata.name,
  ];
}

function columnsFor(resource: string): Column[] {
  if (resource === "pods") return podColumns;
  if (resource === "events" || resource === "events.k8s.io/events") return eventColumns;
  return workloadColumns[resource] ?? [col("Name", "string", 0, "name"), col("Age")];
}

/** labels.FormatLabels: sorted `k=v` pairs, `<none>` when empty. */
export function formatLabels(m: unknown): string {
  const entries = Object.entries(obj(m)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(",") : "<none>";
}

/** metav1.FormatLabelSelector: requirements sorted by key, `<none>` when empty or nil. */
export function formatLabelSelector(sel: unknown): string {
  const s = obj(sel);
  const reqs: [string, string][] = Object.entries(obj(s.matchLabels)).map(([k, v]) => [k, `${k}=${v}`]);
  for (const e of arr(s.matchExpressions)) {
    const key = String(e.key);
    const values = (Array.isArray(e.values) ? (e.values as string[]) : []).slice().sort();
    const text =
      e.operator === "In"
        ? `${key} in (${values.join(",")})`
        : e.operator === "NotIn"
          ? `${key} notin (${values.join(",")})`
          : e.operator === "Exists"
            ? key
            : `!${key}`;
    reqs.push([key, text]);
  }
  reqs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return reqs.length ? reqs.map(([, t]) => t).join(",") : "<none>";
}

/** layoutContainerCells: container names and images, comma-separated. */
function templateCells(template: unknown): [string, string] {
  const cs = arr(obj(obj(template).spec).containers);
  return [cs.map((c) => String(c.name)).join(","), cs.map((c) => String(c.image)).join(",")];
}

function serviceExternalIp(spec: Json, st: Json): string {
  const ext = Array.isArray(spec.externalIPs) ? (spec.externalIPs as string[]) : [];
  switch (spec.type ?? "ClusterIP") {
    case "ClusterIP":
    case "NodePort":
      return ext.length ? ext.join(",") : "<none>";
    case "LoadBalancer": {
      const lb = arr(obj(st.loadBalancer).ingress)
        .map((i) => String(i.ip ?? i.hostname ?? ""))
        .filter(Boolean);
      const all = [...new Set(lb)].sort();
      let lbs = all.join(",");
      if (lbs.length > 16) lbs = `${lbs.slice(0, 13)}...`;
      if (ext.length) return [...(lbs ? lbs.split(",") : []), ...ext].join(",");
      return lbs || "<pending>";
    }
    case "ExternalName":
      return String(spec.externalName ?? "");
  }
  return "<unknown>";
}

/** printIngress's HOSTS: the rules' hosts, three at most, "*" for none. */
function ingressHosts(rules: Json[]): string {
  const hosts: string[] = [];
  let more = false;
  for (const r of rules) {
    if (hosts.length === 3) more = true;
    if (!more && typeof r.host === "string" && r.host !== "") hosts.push(r.host);
  }
  if (hosts.length === 0) return "*";
  return more ? `${hosts.join(",")} + ${rules.length - 3} more...` : hosts.join(",");
}

/** ingressLoadBalancerStatusStringer: IPs and hostnames, sorted, cut at 16 characters. */
function ingressAddress(st: Json): string {
  const all = [
    ...new Set(
      arr(obj(st.loadBalancer).ingress)
        .map((i) => String(i.ip ?? i.hostname ?? ""))
        .filter(Boolean),
    ),
  ].sort();
  const text = all.join(",");
  return text.length > 16 ? `${text.slice(0, 13)}...` : text;
}

/** printNode: the Ready condition, roles from node-role.kubernetes.io/<role> and kubernetes.io/role. */
function nodeCells(o: KubeObject, now: number): unknown[] {
  const st = obj(o.status);
  const ready = arr(st.conditions).find((c) => c.type === "Ready");
  const status = [ready ? (ready.status === "True" ? "Ready" : "NotReady") : "Unknown"];
  if (obj(o.spec).unschedulable === true) status.push("SchedulingDisabled");
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(o.metadata.labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/") && k.length > 24) roles.add(k.slice(24));
    else if (k === "kubernetes.io/role" && v !== "") roles.add(v);
  }
  const info = obj(st.nodeInfo);
  const address = (type: string) =>
    String(arr(st.addresses).find((a) => a.type === type)?.address ?? "<none>");
  const known = (v: unknown) => (typeof v === "string" && v !== "" ? v : "<unknown>");
  return [
    o.metadata.name,
    status.join(","),
    roles.size > 0 ? [...roles].sort().join(",") : "<none>",
    age(o.metadata.creationTimestamp, now),
    String(info.kubeletVersion ?? ""),
    address("InternalIP"),
    address("ExternalIP"),
    known(info.osImage),
    known(info.kernelVersion),
    known(info.containerRuntimeVersion),
  ];
}

/** The STATUS cell of a Job, following printJob. */
function jobStatus(o: KubeObject): string {
  const conds = arr(obj(o.status).conditions);
  const has = (t: string) => conds.find((c) => c.type === t)?.status === "True";
  if (has("Complete")) return "Complete";
  if (has("Failed")) return "Failed";
  if (o.metadata.deletionTimestamp) return "Terminating";
  if (has("Suspended")) return "Suspended";
  if (has("FailureTarget")) return "FailureTarget";
  return "Running";
}

function jobCells(o: KubeObject, now: number): unknown[] {
  const spec = obj(o.spec);
  const st = obj(o.status);
  const succeeded = Number(st.succeeded ?? 0);
  let completions: string;
  if (typeof spec.completions === "number") completions = `${succeeded}/${spec.completions}`;
  else {
    const par = Number(spec.parallelism ?? 0);
    completions = par > 1 ? `${succeeded}/1 of ${par}` : `${succeeded}/1`;
  }
  let duration = "";
  if (typeof st.startTime === "string") {
    const end = typeof st.completionTime === "string" ? Date.parse(st.completionTime) : now;
    duration = humanDuration(end - Date.parse(st.startTime));
  }
  const created = age(o.metadata.creationTimestamp, now);
  const [names, images] = templateCells(spec.template);
  return [
    o.metadata.name,
    jobStatus(o),
    completions,
    duration,
    created,
    names,
    images,
    formatLabelSelector(spec.selector),
  ];
}

function cellsFor(resource: string, o: KubeObject, now: number): unknown[] {
  if (resource === "pods") return podCells(o, now);
  if (resource === "events" || resource === "events.k8s.io/events") return eventCells(o, now);
  const created = age(o.metadata.creationTimestamp, now);
  const spec = obj(o.spec);
  const st = obj(o.status);
  const name = o.metadata.name;
  switch (resource) {
    case "namespaces":
      return [name, st.phase ?? "Active", created];
    case "deployments": {
      const want = Number(spec.replicas ?? 0);
      return [
        name,
        `${st.readyReplicas ?? 0}/${want}`,
        st.updatedReplicas ?? 0,
        st.availableReplicas ?? 0,
        created,
        ...templateCells(spec.template),
        formatLabelSelector(spec.selector),
      ];
    }
    case "replicasets":
      return [
        name,
        spec.replicas ?? 0,
        st.replicas ?? 0,
        st.readyReplicas ?? 0,
        created,
        ...templateCells(spec.template),
        formatLabelSelector(spec.selector),
      ];
    case "replicationcontrollers":
      return [
        name,
        spec.replicas ?? 0,
        st.replicas ?? 0,
        st.readyReplicas ?? 0,
        created,
        ...templateCells(spec.template),
        formatLabels(spec.selector),
      ];
    case "statefulsets":
      return [
        name,
        `${st.readyReplicas ?? 0}/${spec.replicas ?? 0}`,
        created,
        ...templateCells(spec.template),
      ];
    case "daemonsets":
      return [
        name,
        st.desiredNumberScheduled ?? 0,
        st.currentNumberScheduled ?? 0,
        st.numberReady ?? 0,
        st.updatedNumberScheduled ?? 0,
        st.numberAvailable ?? 0,
        formatLabels(obj(obj(spec.template).spec).nodeSelector),
        created,
        ...templateCells(spec.template),
        formatLabelSelector(spec.selector),
      ];
    case "jobs":
      return jobCells(o, now);
    case "ingresses":
      return [
        name,
        typeof spec.ingressClassName === "string" ? spec.ingressClassName : "<none>",
        ingressHosts(arr(spec.rules)),
        ingressAddress(st),
        arr(spec.tls).length > 0 ? "80, 443" : "80",
        created,
      ];
    case "nodes":
      return nodeCells(o, now);
    case "cronjobs": {
      const jt = obj(obj(spec.jobTemplate).spec);
      return [
        name,
        spec.schedule ?? "",
        typeof spec.timeZone === "string" ? spec.timeZone : "<none>",
        typeof spec.suspend === "boolean" ? (spec.suspend ? "True" : "False") : "<unset>",
        arr(st.active).length,
        typeof st.lastScheduleTime === "string" ? age(st.lastScheduleTime, now) : "<none>",
        created,
        ...templateCells(jt.template),
        formatLabelSelector(jt.selector),
      ];
    }
    case "services": {
      const ips = Array.isArray(spec.clusterIPs) ? (spec.clusterIPs as string[]) : [];
      const ports = arr(spec.ports)
        .map((p) =>
          Number(p.nodePort ?? 0) > 0 ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`,
        )
        .join(",");
      return [
        name,
        spec.type ?? "",
        ips[0] ?? "<none>",
        serviceExternalIp(spec, st),
        ports || "<none>",
        created,
        formatLabels(spec.selector),
      ];
    }
  }
  return [name, created];
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
