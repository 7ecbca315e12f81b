// Completion candidates from the kubeconfig and the cluster, through the product's own kubeconfig
// resolution and API client: --kubeconfig and --context typed on the line are honoured.
import { homedir } from "node:os";
import { ApiClient } from "../kube/client.ts";
import { listContexts, resolveKubeconfig } from "../kube/kubeconfig.ts";
import type { CandidateSource, ClusterScope, KindSpec } from "./completion-candidates.ts";

interface NamedList {
  metadata?: { continue?: string };
  items?: { metadata?: { name?: string } }[];
}

/** Pages of a LIST, as kubectl reads them; a shell offers no more than this many names. */
const PAGE = 500;
const MAX_NAMES = 5000;

/** The names of a LIST, page by page (a big cluster's one-page LIST would be hundreds of MB). */
async function names(client: ApiClient, path: string, signal: AbortSignal | undefined): Promise<string[]> {
  const out: string[] = [];
  let cont: string | undefined;
  do {
    const list = await client.getJSON<NamedList>(path, { limit: PAGE, continue: cont }, signal);
    for (const i of list.items ?? []) out.push(i.metadata?.name ?? "");
    cont = list.metadata?.continue || undefined;
  } while (cont && out.length < MAX_NAMES);
  return out;
}

function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  return path === "~" || path.startsWith("~/") ? (env.HOME || homedir()) + path.slice(1) : path;
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
      // The command's own kubeconfig reader: the contexts kubectl's merge gives.
      try {
        return listContexts({
          kubeconfig: scope.kubeconfig ? expandHome(scope.kubeconfig, env) : undefined,
          env,
        });
      } catch {
        return []; // an unreadable kubeconfig has no contexts to offer
      }
    },
    async namespaces(scope, signal) {
      const { client } = await connect(scope);
      return names(client, "/api/v1/namespaces", signal);
    },
    async nodes(scope, signal) {
      const { client } = await connect(scope);
      return names(client, "/api/v1/nodes", signal);
    },
    async names(scope, kind: KindSpec, namespace, signal) {
      const { client, namespace: fromContext } = await connect(scope);
      return names(client, kind.path.replace("{ns}", encodeURIComponent(namespace ?? fromContext)), signal);
    },
  };
}
