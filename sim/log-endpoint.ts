// GET /api/v1/namespaces/{ns}/pods/{name}/log
import type { ServerResponse } from "node:http";
import type { Cluster, OpenLogStream } from "./cluster.ts";
import { parseLogRequest, resolveInstance } from "./log-request.ts";
import { LogStream } from "./logbuffer.ts";
import type { PodModel } from "./pod-model.ts";
import type { RequestContext } from "./server.ts";
import { notFound, sendStatus } from "./status.ts";

/**
 * Right after a second or later crash the kubelet has already removed the instance the status still
 * names as the last one (docs/reliability.md K4): `previous=true` gets the runtime's error for a while.
 */
function previousUnavailable(cluster: Cluster, pod: PodModel, name: string | undefined): string | undefined {
  const c = name ? pod.container(name) : pod.ofKind("regular")[0];
  const last = c?.lastTerminated;
  if (cluster.previousGapMs <= 0 || !c || !last || c.restartCount < 2) return undefined;
  if (cluster.now() - Date.parse(last.finishedAt) >= cluster.previousGapMs) return undefined;
  return `unable to retrieve container logs for ${last.containerID}`;
}

export function handleLog(ctx: RequestContext, res: ServerResponse, namespace: string, name: string) {
  const { cluster } = ctx;
  const denied = ctx.deny("get", "pods/log", namespace, name);
  if (denied) return sendStatus(res, denied);
  const req = parseLogRequest(name, ctx.query, cluster.now(), cluster.splitStreams);
  if ("kind" in req) return sendStatus(res, req);
  const pod = cluster.pod(namespace, name);
  if (!pod) return sendStatus(res, notFound("pods", name));
  const inst = resolveInstance(pod, req);
  if (inst !== "empty" && "kind" in inst) return sendStatus(res, inst);
  res.writeHead(200, { "content-type": "text/plain", "cache-control": "no-cache, private" });
  if (inst === "empty") {
    res.end();
    return;
  }
  const gone = req.previous ? previousUnavailable(cluster, pod, req.container) : undefined;
  if (gone !== undefined) {
    // K4: the 200 went out before the runtime was asked; its error becomes the body.
    res.end(gone);
    return;
  }
  res.flushHeaders();
  const container = req.container ?? pod.ofKind("regular")[0]?.name ?? "";
  let open: OpenLogStream | undefined;
  const stream = new LogStream(
    inst,
    res,
    req,
    cluster.stats,
    () => open && cluster.logStreams.delete(open),
    cluster.gated,
  );
  open = { namespace, pod: name, container, stream, openedAt: Date.now() };
  cluster.registerLogStream(open);
  stream.start();
}
