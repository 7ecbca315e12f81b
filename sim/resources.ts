// GET / LIST (with selectors and pagination) / WATCH / DELETE for the served resources.
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Cluster } from "./cluster.ts";
import { clusterScoped, kindOf, servedResources, storeResource } from "./discovery.ts";
import {
  matchesFields,
  matchesLabels,
  normalizeFieldSelector,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
  selectableFields,
} from "./selectors.ts";
import type { RequestContext } from "./server.ts";
import { badRequest, expired, notFound, sendStatus, status } from "./status.ts";
import type { KubeObject } from "./store.ts";
import { parseIncludeObject, toTable, wantsTable } from "./table.ts";
import { WatchStream } from "./watch.ts";

interface Snapshot {
  items: KubeObject[];
  rv: string;
  created: number;
}

const continueTtlMs = 5 * 60_000;
const snapshots = new WeakMap<Cluster, Map<string, Snapshot>>();

function snapshotsOf(c: Cluster): Map<string, Snapshot> {
  let m = snapshots.get(c);
  if (!m) {
    m = new Map();
    snapshots.set(c, m);
  }
  const now = Date.now();
  for (const [k, s] of m) if (now - s.created > continueTtlMs) m.delete(k);
  return m;
}

const encodeToken = (id: string, offset: number, rv: string): string =>
  Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", id, offset, rv })).toString("base64url");

function decodeToken(t: string): { id: string; offset: number; rv: string } | undefined {
  try {
    const v = JSON.parse(Buffer.from(t, "base64url").toString("utf8")) as Record<string, unknown>;
    if (typeof v.id === "string" && typeof v.offset === "number" && typeof v.rv === "string") {
      return { id: v.id, offset: v.offset, rv: v.rv };
    }
  } catch {}
  return undefined;
}

const json = (res: ServerResponse, body: unknown): void => {
  const s = JSON.stringify(body);
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(s) });
  res.end(s);
};

const boolParam = (q: URLSearchParams, name: string): boolean =>
  ["true", "1", "True", "TRUE", "t"].includes(q.get(name) ?? "");

function matcher(ctx: RequestContext, resource: string, namespace: string | undefined, name?: string) {
  const q = ctx.query;
  const labels = parseLabelSelector(q.get("labelSelector") ?? "");
  const fields = normalizeFieldSelector(resource, parseFieldSelector(q.get("fieldSelector") ?? ""));
  return (o: KubeObject): boolean =>
    (namespace === undefined || o.metadata.namespace === namespace) &&
    (name === undefined || o.metadata.name === name) &&
    matchesLabels(labels, o.metadata.labels) &&
    matchesFields(fields, selectableFields(resource, o));
}

export function handleResource(ctx: RequestContext, res: ServerResponse, prefix: string, rest: string[]) {
  let namespace: string | undefined;
  let resource: string | undefined;
  let name: string | undefined;
  let tail: string[];
  if (rest[0] === "namespaces" && rest.length >= 3) {
    namespace = rest[1];
    [resource, name, ...tail] = rest.slice(2);
  } else {
    [resource, name, ...tail] = rest;
  }
  const served = servedResources[prefix];
  const nf = status(404, "the server could not find the requested resource", {});
  if (!resource || !served?.resources.includes(resource) || tail.length > 0) return sendStatus(res, nf);
  const scoped = clusterScoped.has(resource);
  if ((scoped && namespace !== undefined) || (!scoped && namespace === undefined && name !== undefined)) {
    return sendStatus(res, nf);
  }
  const group = served.group;
  const apiVersion = group ? `${group}/v1` : "v1";
  const kind = kindOf[resource] ?? resource;
  resource = storeResource(group, resource);
  try {
    if (ctx.method === "DELETE" && resource === "pods" && namespace && name) {
      return deletePod(ctx, res, namespace, name);
    }
    if (ctx.method !== "GET") {
      return sendStatus(res, status(405, `the server does not allow this method on the requested resource`));
    }
    const watching = boolParam(ctx.query, "watch");
    if (name !== undefined && !watching) return getOne(ctx, res, resource, group, namespace, name);
    const denied = ctx.deny(watching ? "watch" : "list", resource, namespace);
    if (denied) return sendStatus(res, denied);
    const matches = matcher(ctx, resource, namespace, name);
    if (watching) return watch(ctx, res, { resource, kind, apiVersion, matches });
    return list(ctx, res, { resource, kind, apiVersion, matches });
  } catch (e) {
    if (e instanceof SelectorError) return sendStatus(res, badRequest(e.message));
    throw e;
  }
}

function getOne(
  ctx: RequestContext,
  res: ServerResponse,
  resource: string,
  group: string,
  namespace: string | undefined,
  name: string,
) {
  const denied = ctx.deny("get", resource, namespace, name);
  if (denied) return sendStatus(res, denied);
  const o = ctx.cluster.store.get(resource, namespace, name);
  if (!o) return sendStatus(res, notFound(resource.split("/").pop() ?? resource, name, group));
  if (wantsTable(ctx.headers.accept)) {
    return json(
      res,
      toTable(resource, [o], ctx.cluster.now(), {
        include: parseIncludeObject(ctx.query.get("includeObject")),
        resourceVersion: o.metadata.resourceVersion,
      }),
    );
  }
  json(res, o);
}

interface Target {
  resource: string;
  kind: string;
  apiVersion: string;
  matches: (o: KubeObject) => boolean;
}

function list(ctx: RequestContext, res: ServerResponse, t: Target) {
  const { cluster, query } = ctx;
  const cont = query.get("continue");
  const limitRaw = query.get("limit");
  const limit = limitRaw && /^\d+$/.test(limitRaw) ? Number(limitRaw) : 0;
  let items: KubeObject[];
  let rv: string;
  let offset = 0;
  let id: string | undefined;
  const snaps = snapshotsOf(cluster);
  if (cont) {
    const rvParam = query.get("resourceVersion");
    if (rvParam && rvParam !== "0") {
      return sendStatus(res, badRequest("specifying resource version is not allowed when using continue"));
    }
    const tok = decodeToken(cont);
    if (!tok)
      return sendStatus(
        res,
        badRequest(
          `continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)`,
        ),
      );
    const snap = snaps.get(tok.id);
    if (!snap) {
      return sendStatus(
        res,
        expired(
          "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
        ),
      );
    }
    items = snap.items;
    rv = snap.rv;
    offset = tok.offset;
    id = tok.id;
  } else {
    items = cluster.store.list(t.resource).filter(t.matches);
    rv = String(cluster.store.resourceVersion);
  }
  let page = items.slice(offset);
  const meta: Record<string, unknown> = { resourceVersion: rv };
  if (limit > 0 && page.length > limit) {
    page = page.slice(0, limit);
    if (!id) {
      id = randomUUID();
      snaps.set(id, { items, rv, created: Date.now() });
    }
    meta.continue = encodeToken(id, offset + limit, rv);
    const selectors = query.get("labelSelector") || query.get("fieldSelector");
    if (!selectors) meta.remainingItemCount = items.length - offset - limit;
  }
  if (wantsTable(ctx.headers.accept)) {
    return json(
      res,
      toTable(t.resource, page, cluster.now(), {
        include: parseIncludeObject(query.get("includeObject")),
        resourceVersion: rv,
        continue: meta.continue as string | undefined,
        remainingItemCount: meta.remainingItemCount as number | undefined,
      }),
    );
  }
  json(res, { kind: `${t.kind}List`, apiVersion: t.apiVersion, metadata: meta, items: page });
}

function watch(ctx: RequestContext, res: ServerResponse, t: Target) {
  const q = ctx.query;
  const rvRaw = q.get("resourceVersion");
  let rv: number | undefined;
  if (rvRaw) {
    if (!/^\d+$/.test(rvRaw)) {
      return sendStatus(
        res,
        badRequest(
          `resourceVersion: Invalid value: "${rvRaw}": strconv.ParseUint: parsing "${rvRaw}": invalid syntax`,
        ),
      );
    }
    rv = Number(rvRaw);
  }
  const timeoutRaw = q.get("timeoutSeconds");
  const timeout = timeoutRaw && /^\d+$/.test(timeoutRaw) ? Number(timeoutRaw) : undefined;
  const table = wantsTable(ctx.headers.accept) ? parseIncludeObject(q.get("includeObject")) : undefined;
  const { cluster } = ctx;
  const w: WatchStream = new WatchStream(
    res,
    {
      ...t,
      resourceVersion: rv,
      bookmarks: boolParam(q, "allowWatchBookmarks"),
      timeoutSeconds: timeout,
      table,
    },
    { store: cluster.store, now: () => cluster.now(), bookmarkIntervalMs: ctx.bookmarkIntervalMs },
    () => cluster.watches.delete(w),
  );
  cluster.watches.add(w);
  w.start();
}

function deletePod(ctx: RequestContext, res: ServerResponse, namespace: string, name: string) {
  const denied = ctx.deny("delete", "pods", namespace, name);
  if (denied) return sendStatus(res, denied);
  const { cluster } = ctx;
  if (!cluster.pod(namespace, name)) return sendStatus(res, notFound("pods", name));
  const grace = ctx.query.get("gracePeriodSeconds");
  const graceMs = grace && /^\d+$/.test(grace) ? Number(grace) * 1000 : undefined;
  void cluster.deletePod(namespace, name, graceMs);
  const o = cluster.store.get("pods", namespace, name);
  if (o) json(res, o);
  else
    json(res, {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: { name, kind: "pods" },
    });
}
