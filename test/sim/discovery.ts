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
    name: "services",
    singularName: "service",
    namespaced: true,
    kind: "Service",
    verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
    shortNames: ["svc"],
    categories: ["all"],
  },
];

const appsResources: Resource[] = [
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
    name: "replicasets/status",
    singularName: "",
    namespaced: true,
    kind: "ReplicaSet",
    verbs: ["get", "patch", "update"],
  },
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
  ],
};

export const appsGroup = { kind: "APIGroup", apiVersion: "v1", ...apiGroups.groups[0] };

export const version = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.4-sim",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2025-04-22T00:00:00Z",
  goVersion: "go1.23.8",
  compiler: "gc",
  platform: "linux/amd64",
};

/** Which resources the sim serves, by API path prefix. */
export const servedResources: Record<string, { group: string; resources: string[] }> = {
  "/api/v1": {
    group: "",
    resources: ["namespaces", "pods", "nodes", "services", "replicationcontrollers", "events"],
  },
  "/apis/apps/v1": { group: "apps", resources: ["deployments", "replicasets"] },
};

export const clusterScoped = new Set(["namespaces", "nodes"]);

export const kindOf: Record<string, string> = {
  namespaces: "Namespace",
  pods: "Pod",
  nodes: "Node",
  services: "Service",
  replicationcontrollers: "ReplicationController",
  events: "Event",
  deployments: "Deployment",
  replicasets: "ReplicaSet",
};
