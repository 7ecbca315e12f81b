// Completion candidates from the kubeconfig and the cluster, through the product's own kubeconfig
// resolution and API client: --kubeconfig and --context typed on the line are honoured.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { ApiClient } from "../kube/client.ts";
import { resolveKubeconfig } from "../kube/kubeconfig.ts";
import type { CandidateSource, ClusterScope, KindSpec } from "./completion-candidates.ts";

interface NamedList {
  items?: { metadata?: { name?: string } }[];
}

const names = (list: NamedList) => (list.items ?? []).map((i) => i.metadata?.name ?? "");

function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  return path === "~" || path.startsWith("~/") ? (env.HOME || homedir()) + path.slice(1) : path;
}

/** The kubeconfig files kubectl would read, in order (the existing ones). */
function kubeconfigFiles(scope: ClusterScope, env: NodeJS.ProcessEnv): string[] {
  if (scope.kubeconfig) return [expandHome(scope.kubeconfig, env)];
  const fromEnv = (env.KUBECONFIG ?? "").split(delimiter).filter((f) => f !== "");
  if (fromEnv.length > 0) return fromEnv;
  return [join(env.HOME || homedir(), ".kube", "config")];
}

export function clusterSource(env: NodeJS.ProcessEnv, timeoutMs = 3000): CandidateSource {
  const connect = async (scope: ClusterScope) => {
    const kube = await resolveKubeconfig({
      kubeconfig: scope.kubeconfig ? expandHome(scope.kubeconfig, env) : undefined,
      context: scope.context,
      env,
    });
    const client = new ApiClient(kube.connection, {
      connectTimeoutMs: timeoutMs,
      userAgent: "stern-ts/completion",
    });
    return { client, namespace: kube.namespace };
  };
  return {
    async contexts(scope) {
      const { KubeConfig } = await import("../kube/client-node.ts");
      const out: string[] = [];
      for (const file of kubeconfigFiles(scope, env)) {
        if (!existsSync(file)) continue;
        try {
          const kc = new KubeConfig();
          kc.loadFromFile(file);
          for (const c of kc.contexts) out.push(c.name);
        } catch {
          // an unreadable file has no contexts to offer
        }
      }
      return out;
    },
    async namespaces(scope, signal) {
      const { client } = await connect(scope);
      return names(await client.getJSON<NamedList>("/api/v1/namespaces", {}, signal));
    },
    async nodes(scope, signal) {
      const { client } = await connect(scope);
      return names(await client.getJSON<NamedList>("/api/v1/nodes", {}, signal));
    },
    async names(scope, kind: KindSpec, namespace, signal) {
      const { client, namespace: fromContext } = await connect(scope);
      const path = kind.path.replace("{ns}", encodeURIComponent(namespace ?? fromContext));
      return names(await client.getJSON<NamedList>(path, {}, signal));
    },
  };
}
