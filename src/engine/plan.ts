// --dry-run: the containers a run would follow now and the requests it would make, found with the
// run's own rules (its pod lists, selection and registry) and without opening a stream.
import type { PlannedRequests, PlannedState, PlannedStream, RunPlan } from "../shared/plan.ts";
import type { Target } from "../shared/target.ts";
import type { KubeApi } from "./api.ts";
import { instanceEnd } from "./endings.ts";
import { NODES, type NodeObject, PodSelection } from "./pod-selection.ts";
import { listObjects, listPods } from "./podwatch.ts";
import { ContainerRegistry } from "./registry.ts";
import type { SternConfig } from "./stern.ts";
import { instancesToRead, statusesOf } from "./targets.ts";

export async function planRun(api: KubeApi, config: SternConfig, signal: AbortSignal): Promise<RunPlan> {
  const selection = new PodSelection(config.scopes, {
    ignore: config.ignore,
    nodeSelector: config.nodeSelector,
  });
  if (selection.byNodes) {
    const scope = { namespace: "", labelSelector: config.nodeSelector, fieldSelector: undefined };
    const nodes = await listObjects<NodeObject>(api, NODES, scope, signal);
    selection.nodesMatching(
      nodes.items.map((n) => n.metadata.name),
      true,
    );
  }
  const registry = new ContainerRegistry(config.filter, config.condition);
  const lists = await Promise.all(config.scopes.map((s) => listPods(api, s, signal)));
  const streams: PlannedStream[] = [];
  for (const [i, list] of lists.entries()) {
    for (const d of registry.resync(selection.select(list.items, i), i)) {
      if (d.type !== "start") continue;
      for (const t of instancesToRead(d.target, d.after, config))
        streams.push({ target: t, state: stateOf(t) });
    }
  }
  return { streams, requests: plannedRequests(config, streams.length) };
}

/** What a run of this config would request, for this many log streams. Pure. */
export function plannedRequests(config: SternConfig, logs: number): PlannedRequests {
  const scopes = config.scopes.length;
  const follow = config.follow;
  const jobs = config.untilDone && follow ? config.scopes.filter((s) => s.workload).length : 0;
  const nodes = config.nodeSelector !== undefined ? 1 : 0;
  const namespaces = new Set(config.scopes.map((s) => s.namespace)).size;
  // Events: one request that finds their API group, then a list per namespace (and a watch, following).
  const events = config.events ? namespaces : 0;
  // A merge reads every stream at once; otherwise --max-log-requests bounds them.
  const atOnce = config.sort && !follow ? logs : Math.min(logs, config.maxLogRequests);
  return {
    logs,
    logsAtOnce: atOnce,
    lists: scopes + nodes + jobs + events + (config.events ? 1 : 0),
    watches: follow ? scopes + nodes + jobs + events : 0,
    // --stream asks the server's version and makes one small log request first.
    checks: config.stream && logs > 0 ? 2 : 0,
  };
}

function stateOf(target: Target): PlannedState {
  const cs = statusesOf(target.pod).find(([s]) => s.name === target.container)?.[0];
  if (!cs) return { name: "unknown" };
  if (target.previous) return { name: "terminated", end: instanceEnd(target.pod, cs, target.containerID) };
  const st = cs.state;
  if (st?.running) return { name: "running" };
  if (st?.terminated) return { name: "terminated", end: instanceEnd(target.pod, cs, target.containerID) };
  if (st?.waiting) return { name: "waiting", reason: st.waiting.reason };
  return { name: "unknown" };
}
