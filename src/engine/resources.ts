// `<kind>/<name>` queries: the pods of a workload, found as stern finds them — the object's
// pod-template labels (a Service's selector) become the label selector. CronJobs, which stern does not
// support, select the pods of the Jobs they create; Ingresses the pods of their Services.
import type { Pod } from "../shared/pod.ts";
import { isApiFailure, type KubeApi } from "./api.ts";

interface KindSpec {
  /** Plural resource name and API prefix. */
  resource: string;
  api: string;
  labels(obj: Workload): Record<string, string> | undefined | "no-template";
}

interface Workload {
  metadata: { name: string; namespace?: string; uid?: string };
  spec?: {
    selector?: Record<string, string> | { matchLabels?: Record<string, string> };
    template?: { metadata?: { labels?: Record<string, string> } } | null;
    jobTemplate?: { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } };
  };
}

const templateLabels = (o: Workload) => o.spec?.template?.metadata?.labels;

const KINDS: Record<string, KindSpec> = {
  replicationcontroller: {
    resource: "replicationcontrollers",
    api: "/api/v1",
    labels: (o) => (o.spec?.template ? templateLabels(o) : "no-template"),
  },
  service: {
    resource: "services",
    api: "/api/v1",
    labels: (o) => o.spec?.selector as Record<string, string>,
  },
  daemonset: { resource: "daemonsets", api: "/apis/apps/v1", labels: templateLabels },
  deployment: { resource: "deployments", api: "/apis/apps/v1", labels: templateLabels },
  replicaset: { resource: "replicasets", api: "/apis/apps/v1", labels: templateLabels },
  statefulset: { resource: "statefulsets", api: "/apis/apps/v1", labels: templateLabels },
  job: { resource: "jobs", api: "/apis/batch/v1", labels: templateLabels },
  cronjob: {
    resource: "cronjobs",
    api: "/apis/batch/v1",
    labels: (o) => o.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {},
  },
};

/** stern's aliases (case-sensitive), plus cronjob|cj|cronjobs and ingress|ing|ingresses. */
const ALIASES: Record<string, string> = {
  pod: "pod",
  po: "pod",
  pods: "pod",
  replicationcontroller: "replicationcontroller",
  rc: "replicationcontroller",
  replicationcontrollers: "replicationcontroller",
  service: "service",
  svc: "service",
  services: "service",
  daemonset: "daemonset",
  ds: "daemonset",
  daemonsets: "daemonset",
  deployment: "deployment",
  deploy: "deployment",
  deployments: "deployment",
  replicaset: "replicaset",
  rs: "replicaset",
  replicasets: "replicaset",
  statefulset: "statefulset",
  sts: "statefulset",
  statefulsets: "statefulset",
  job: "job",
  jobs: "job",
  cronjob: "cronjob",
  cj: "cronjob",
  cronjobs: "cronjob",
  ingress: "ingress",
  ing: "ingress",
  ingresses: "ingress",
};

export const RESOURCE_KINDS = Object.keys(ALIASES);

export interface ResourceQuery {
  /** Canonical kind (e.g. "deployment") and the name given. */
  kind: string;
  name: string;
  /** The kind as the user wrote it, for messages. */
  written: string;
}

export function parseResourceQuery(text: string): ResourceQuery {
  const parts = text.split("/");
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") {
    throw new Error(`resource must be specified in the form "<resource>/<name>", not "${text}"`);
  }
  const [written, name] = parts as [string, string];
  const kind = ALIASES[written];
  if (!kind) throw new Error(`resource type ${written} is not supported`);
  return { kind, name, written };
}

/** What a resource query becomes in one namespace. */
export interface ResolvedQuery {
  namespace: string;
  labelSelector: string | undefined;
  /** Narrows the pods further, on our side (CronJobs). */
  podFilter?: (pod: Pod) => boolean;
  /** A Job or CronJob: what --until-done watches the condition of. */
  workload?: { kind: "job" | "cronjob"; name: string; uid: string };
}

function selectorFromSet(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(",");
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Pods of the Jobs a CronJob created: those are named <cronjob>-<scheduled minute>. */
function cronJobPods(name: string): (pod: Pod) => boolean {
  const jobName = new RegExp(`^${escapeRegex(name)}-\\d+$`);
  return (pod) => {
    const labels = pod.metadata.labels ?? {};
    const job = labels["batch.kubernetes.io/job-name"] ?? labels["job-name"];
    return job !== undefined && jobName.test(job);
  };
}

/**
 * Resolves the query in the given namespaces ("" = all: the objects of that name in every namespace).
 * Pods are matched by name instead (stern: `^name$`, so label-less pods work).
 */
export async function resolveResourceQuery(
  client: KubeApi,
  query: ResourceQuery,
  namespaces: string[],
  labelSelector: string | undefined,
): Promise<ResolvedQuery[]> {
  if (labelSelector)
    throw new Error("--selector and the <resource>/<name> query cannot be set at the same time");
  if (query.kind === "pod") return namespaces.map((namespace) => ({ namespace, labelSelector: undefined }));
  if (query.kind === "ingress") return resolveIngress(client, query, namespaces);
  const spec = KINDS[query.kind] as KindSpec;
  const objects = await findObjects<Workload>(client, spec, query, namespaces);
  return objects.map((obj) => {
    const namespace = obj.metadata.namespace ?? "";
    const labels = spec.labels(obj);
    if (labels === "no-template") throw new Error(`${query.name} does not have spec.template`);
    const uid = obj.metadata.uid ?? "";
    if (query.kind === "cronjob") {
      const sel = labels && Object.keys(labels).length > 0 ? selectorFromSet(labels) : undefined;
      return {
        namespace,
        labelSelector: sel,
        podFilter: cronJobPods(query.name),
        workload: { kind: "cronjob", name: obj.metadata.name, uid },
      };
    }
    if (!labels || Object.keys(labels).length === 0) {
      throw new Error(`resource ${query.written}/${query.name} has no labels to select`);
    }
    const workload =
      query.kind === "job" ? { kind: "job" as const, name: obj.metadata.name, uid } : undefined;
    return { namespace, labelSelector: selectorFromSet(labels), ...(workload ? { workload } : {}) };
  });
}

/** The objects of the query's name in the namespaces ("" = in whichever namespace holds them). */
async function findObjects<T>(
  client: KubeApi,
  spec: { api: string; resource: string },
  query: ResourceQuery,
  namespaces: string[],
): Promise<T[]> {
  const objects: T[] = [];
  for (const ns of namespaces) {
    if (ns === "") {
      const list = await client.getJSON<{ items: T[] }>(`${spec.api}/${spec.resource}`, {
        fieldSelector: `metadata.name=${query.name}`,
      });
      if (list.items.length === 0)
        throw new Error(`${query.written}/${query.name} not found in any namespace`);
      objects.push(...list.items);
    } else {
      try {
        objects.push(
          await client.getJSON<T>(
            `${spec.api}/namespaces/${encodeURIComponent(ns)}/${spec.resource}/${encodeURIComponent(query.name)}`,
            {},
          ),
        );
      } catch (err) {
        if (isApiFailure(err) && err.code === 404) {
          throw new Error(`${query.written}/${query.name} not found in namespace ${ns}`);
        }
        throw err;
      }
    }
  }
  return objects;
}

interface IngressBackend {
  service?: { name?: string };
}

interface Ingress {
  metadata: { name: string; namespace?: string };
  spec?: {
    defaultBackend?: IngressBackend;
    rules?: { http?: { paths?: { backend?: IngressBackend }[] } }[];
  };
}

/** The Services an Ingress sends traffic to: its rules' backends, then its default backend's. */
export function ingressServices(ing: Ingress): string[] {
  const names: string[] = [];
  for (const rule of ing.spec?.rules ?? []) {
    for (const path of rule.http?.paths ?? []) {
      const name = path.backend?.service?.name;
      if (name) names.push(name);
    }
  }
  const fallback = ing.spec?.defaultBackend?.service?.name;
  if (fallback) names.push(fallback);
  return [...new Set(names)];
}

/**
 * An Ingress's pods: those of its Services' selectors, as `service/NAME` finds them. One selector is
 * the API's to apply; several are one list of the namespace's pods, kept when any selector matches.
 */
async function resolveIngress(
  client: KubeApi,
  query: ResourceQuery,
  namespaces: string[],
): Promise<ResolvedQuery[]> {
  const api = { api: "/apis/networking.k8s.io/v1", resource: "ingresses" };
  const ingresses = await findObjects<Ingress>(client, api, query, namespaces);
  const out: ResolvedQuery[] = [];
  for (const ing of ingresses) {
    const namespace = ing.metadata.namespace ?? "";
    const selectors: Record<string, string>[] = [];
    const skipped: string[] = [];
    for (const name of ingressServices(ing)) {
      let svc: Workload;
      try {
        svc = await client.getJSON<Workload>(
          `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`,
          {},
        );
      } catch (err) {
        if (isApiFailure(err) && err.code === 404) {
          skipped.push(`${name} (not found)`);
          continue;
        }
        throw err;
      }
      const sel = svc.spec?.selector as Record<string, string> | undefined;
      if (!sel || Object.keys(sel).length === 0) skipped.push(`${name} (no selector)`);
      else if (!selectors.some((s) => selectorFromSet(s) === selectorFromSet(sel))) selectors.push(sel);
    }
    const [only, ...more] = selectors;
    if (!only) {
      const why = skipped.length > 0 ? `: ${skipped.join(", ")}` : "";
      throw new Error(`resource ${query.written}/${query.name} has no services with pods to select${why}`);
    }
    if (more.length === 0) out.push({ namespace, labelSelector: selectorFromSet(only) });
    else {
      const matches = (pod: Pod) =>
        selectors.some((sel) => Object.entries(sel).every(([k, v]) => pod.metadata.labels?.[k] === v));
      out.push({ namespace, labelSelector: undefined, podFilter: matches });
    }
  }
  return out;
}

export function podQueryForResource(query: ResourceQuery): string | undefined {
  return query.kind === "pod" ? `^${query.name}$` : undefined;
}
