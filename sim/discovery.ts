// Legacy discovery documents: /api, /api/v1, /apis, /apis/<group>/<version>, /version.

interface Resource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

const rw = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

const coreResources: Resource[] = [
  { name: "events", singularName: "event", namespaced: true, kind: "Event", verbs: rw, shortNames: ["ev"] },
  {
    name: "namespaces",
    singularName: "namespace",
    namespaced: false,
    kind: "Namespace",
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    shortNames: ["ns"],
  },
  {
    name: "namespaces/status",
    singularName: "",
    namespaced: false,
    kind: "Namespace",
    verbs: ["get", "patch", "update"],
  },
  { name: "nodes", singularName: "node", namespaced: false, kind: "Node", verbs: rw, shortNames: ["no"] },
  {
    name: "pods",
    singularName: "pod",
    namespaced: true,
    kind: "Pod",
    verbs: rw,
    shortNames: ["po"],
    categories: ["all"],
  },
  {
    name: "pods/ephemeralcontainers",
    singularName: "",
    namespaced: true,
    kind: "Pod",
    verbs: ["get", "patch", "update"],
  },
  { name: "pods/log", singularName: "", namespaced: true, kind: "Pod", verbs: ["get"] },
  { name: "pods/status", singularName: "", namespaced: true, kind: "Pod", verbs: ["get", "patch", "update"] },
  {
    name: "replicationcontrollers",
    singularName: "replicationcontroller",
    namespaced: true,
    kind: "ReplicationController",
    verbs: rw,
    shortNames: ["rc"],
    categories: ["all"],
  },
  {
    name: "replicationcontrollers/scale",
    singularName: "",
    namespaced: true,
    kind: "Scale",
    verbs: ["get", "patch", "update"],
  },
  {
    name: "replicationcontrollers/status",
    singularName: "",
    namespaced: true,
    kind: "ReplicationController",
    verbs: ["get", "patch", "update"],
  },
  {
    name: "services",
    singularName: "service",
    namespaced: true,
    kind: "Service",
    verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
    shortNames: ["svc"],
    categories: ["all"],
  },
  {
    name: "services/status",
    singularName: "",
    namespaced: true,
    kind: "Service",
    verbs: ["get", "patch", "update"],
  },
];

const appsResources: Resource[] = [
  {
    name: "daemonsets",
    singularName: "daemonset",
    namespaced: true,
    kind: "DaemonSet",
    verbs: rw,
    shortNames: ["ds"],
    categories: ["all"],
  },
  {
    name: "daemonsets/status",
    singularName: "",
    namespaced: true,
    kind: "DaemonSet",
    verbs: ["get", "patch", "update"],
  },
  {
    name: "deployments",
    singularName: "deployment",
    namespaced: true,
    kind: "Deployment",
    verbs: rw,
    shortNames: ["deploy"],
    categories: ["all"],
  },
  {
    name: "deployments/scale",
    singularName: "",
    namespaced: true,
    kind: "Scale",
    verbs: ["get", "patch", "update"],
  },
  {
    name: "deployments/status",
    singularName: "",
    namespaced: true,
    kind: "Deployment",
    verbs: ["get", "patch", "update"],
  },
  {
    name: "replicasets",
    singularName: "replicaset",
    namespaced: true,
    kind: "ReplicaSet",
    verbs: rw,
    shortNames: ["rs"],
    categories: ["all"],
  },
  {
    name: "replicasets/scale",
    singularName: "",
    namespaced: true,
    kind: "Scale",
    verbs: ["get", "patch", "update"],
  },
  {
    name: "replicasets/status",
    singularName: "",
    namespaced: true,
    kind: "ReplicaSet",
    verbs: ["get", "patch", "update"],
  },
  {
    name: "statefulsets",
    singularName: "statefulset",
    namespaced: true,
    kind: "StatefulSet",
    verbs: rw,
    shortNames: ["sts"],
    categories: ["all"],
  },
  {
    name: "statefulsets/scale",
    singularName: "",
    namespaced: true,
    kind: "Scale",
    verbs: ["get", "patch", "update"],
  },
  {
    name: "statefulsets/status",
    singularName: "",
    namespaced: true,
    kind: "StatefulSet",
    verbs: ["get", "patch", "update"],
  },
];

const batchResources: Resource[] = [
  {
    name: "cronjobs",
    singularName: "cronjob",
    namespaced: true,
    kind: "CronJob",
    verbs: rw,
    shortNames: ["cj"],
    categories: ["all"],
  },
  {
    name: "cronjobs/status",
    singularName: "",
    namespaced: true,
    kind: "CronJob",
    verbs: ["get", "patch", "update"],
  },
  {
    name: "jobs",
    singularName: "job",
    namespaced: true,
    kind: "Job",
    verbs: rw,
    categories: ["all"],
  },
  {
    name: "jobs/status",
    singularName: "",
    namespaced: true,
    kind: "Job",
    verbs: ["get", "patch", "update"],
  },
];

const networkingResources: Resource[] = [
  {
    name: "ingresses",
    singularName: "ingress",
    namespaced: true,
    kind: "Ingress",
    verbs: rw,
    shortNames: ["ing"],
  },
  {
    name: "ingresses/status",
    singularName: "",
    namespaced: true,
    kind: "Ingress",
    verbs: ["get", "patch", "update"],
  },
];

const eventsResources: Resource[] = [
  { name: "events", singularName: "event", namespaced: true, kind: "Event", verbs: rw, shortNames: ["ev"] },
];

export const coreV1 = {
  kind: "APIResourceList",
  apiVersion: "v1",
  groupVersion: "v1",
  resources: coreResources,
};

export const appsV1 = {
  kind: "APIResourceList",
  apiVersion: "v1",
  groupVersion: "apps/v1",
  resources: appsResources,
};

export const batchV1 = {
  kind: "APIResourceList",
  apiVersion: "v1",
  groupVersion: "batch/v1",
  resources: batchResources,
};

export const networkingV1 = {
  kind: "APIResourceList",
  apiVersion: "v1",
  groupVersion: "networking.k8s.io/v1",
  resources: networkingResources,
};

export const eventsV1 = {
  kind: "APIResourceList",
  apiVersion: "v1",
  groupVersion: "events.k8s.io/v1",
  resources: eventsResources,
};

/** The resource list of each served group version, by path. */
export const resourceLists: Record<string, unknown> = {
  "/apis/events.k8s.io/v1": eventsV1,
  "/api/v1": coreV1,
  "/apis/apps/v1": appsV1,
  "/apis/batch/v1": batchV1,
  "/apis/networking.k8s.io/v1": networkingV1,
};

export function apiVersions(serverAddress: string) {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

export const apiGroups = {
  kind: "APIGroupList",
  apiVersion: "v1",
  groups: [
    {
      name: "apps",
      versions: [{ groupVersion: "apps/v1", version: "v1" }],
      preferredVersion: { groupVersion: "apps/v1", version: "v1" },
    },
    {
      name: "batch",
      versions: [{ groupVersion: "batch/v1", version: "v1" }],
      preferredVersion: { groupVersion: "batch/v1", version: "v1" },
    },
    {
      name: "networking.k8s.io",
      versions: [{ groupVersion: "networking.k8s.io/v1", version: "v1" }],
      preferredVersion: { groupVersion: "networking.k8s.io/v1", version: "v1" },
    },
    {
      name: "events.k8s.io",
      versions: [{ groupVersion: "events.k8s.io/v1", version: "v1" }],
      preferredVersion: { groupVersion: "events.k8s.io/v1", version: "v1" },
    },
  ],
};

/** /apis/<group> documents, by path. */
export const groupDocs: Record<string, unknown> = Object.fromEntries(
  apiGroups.groups.map((g) => [`/apis/${g.name}`, { kind: "APIGroup", apiVersion: "v1", ...g }]),
);

/** The /version document of a server whose gitVersion is this (e.g. "v1.32.4-sim"). */
export function versionInfo(gitVersion: string) {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? "1",
    minor: m?.[2] ?? "32",
    gitVersion,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2025-04-22T00:00:00Z",
    goVersion: "go1.23.8",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

/** The sim's /version unless startSim({ serverVersion }) says otherwise. */
export const version = versionInfo("v1.32.4-sim");

/** Which resources the sim serves, by API path prefix. */
export const servedResources: Record<string, { group: string; resources: string[] }> = {
  "/api/v1": {
    group: "",
    resources: ["namespaces", "pods", "nodes", "services", "replicationcontrollers", "events"],
  },
  "/apis/apps/v1": {
    group: "apps",
    resources: ["deployments", "replicasets", "statefulsets", "daemonsets"],
  },
  "/apis/batch/v1": { group: "batch", resources: ["jobs", "cronjobs"] },
  "/apis/networking.k8s.io/v1": { group: "networking.k8s.io", resources: ["ingresses"] },
  "/apis/events.k8s.io/v1": { group: "events.k8s.io", resources: ["events"] },
};

/**
 * Where the store keeps a group's resource when two groups serve the same name: events.k8s.io/v1
 * events are the core/v1 events in their other shape (events.ts stores both).
 */
export function storeResource(group: string, resource: string): string {
  return group === "events.k8s.io" ? `${group}/${resource}` : resource;
}

export const clusterScoped = new Set(["namespaces", "nodes"]);

export const kindOf: Record<string, string> = {
  namespaces: "Namespace",
  pods: "Pod",
  nodes: "Node",
  services: "Service",
  replicationcontrollers: "ReplicationController",
  events: "Event",
  "events.k8s.io/events": "Event",
  deployments: "Deployment",
  replicasets: "ReplicaSet",
  statefulsets: "StatefulSet",
  daemonsets: "DaemonSet",
  jobs: "Job",
  cronjobs: "CronJob",
  ingresses: "Ingress",
};
