// GET /api/v1/namespaces/{ns}/pods/{name}/log
import type { ServerResponse } from "node:http";
import type { OpenLogStream } from "./cluster.ts";
import { parseLogRequest, resolveInstance } from "./log-request.ts";
import { LogStream } from "./logbuffer.ts";
import type { RequestContext } from "./server.ts";
import { notFound, sendStatus } from "./status.ts";

export function handleLog(ctx: RequestContext, res: ServerResponse, namespace: string, name: string) {
  const { cluster } = ctx;
  const denied = ctx.deny("get", "pods/log", namespace, name);
  if (denied) return sendStatus(res, denied);
  const req = parseLogRequest(name, ctx.query, cluster.now());
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
