// Which cluster, user and namespace to use: kubeconfig files merged as kubectl merges them (the first
// file's current-context wins, the first definition of a name wins), parsed and authenticated by
// @kubernetes/client-node. client-node is imported lazily: it is large and only needed here.
import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node/dist/config.js";
import type { Cluster, Context, User } from "@kubernetes/client-node/dist/config_types.js";
import type { Connection } from "./client.ts";

export interface KubeconfigRequest {
  /** --kubeconfig: one file, which must exist. */
  kubeconfig?: string;
  /** --context */
  context?: string;
  env: NodeJS.ProcessEnv;
}

export interface ResolvedConfig {
  contextName: string;
  namespace: string;
  connection: Connection;
}

/** A problem with the kubeconfig: the message is the whole story, said in one line. */
export class KubeconfigError extends Error {
  override name = "KubeconfigError";
}

const IN_CLUSTER_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

function configFiles(req: KubeconfigRequest): string[] {
  if (req.kubeconfig) {
    if (!existsSync(req.kubeconfig))
      throw new KubeconfigError(`kubeconfig file ${req.kubeconfig} does not exist`);
    return [req.kubeconfig];
  }
  const fromEnv = (req.env.KUBECONFIG ?? "").split(delimiter).filter((f) => f !== "");
  if (fromEnv.length > 0) {
    const present = fromEnv.filter((f) => existsSync(f));
    if (present.length === 0) {
      throw new KubeconfigError(`none of the KUBECONFIG files exist: ${fromEnv.join(delimiter)}`);
    }
    return present;
  }
  const home = req.env.HOME || homedir();
  const def = join(home, ".kube", "config");
  return existsSync(def) ? [def] : [];
}

export async function resolveKubeconfig(req: KubeconfigRequest): Promise<ResolvedConfig> {
  const files = configFiles(req);
  const { KubeConfig } = await import("./client-node.ts");
  const kc = new KubeConfig();
  if (files.length === 0) {
    if (req.env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) {
      kc.loadFromCluster();
    } else {
      throw new KubeconfigError(
        "no kubeconfig found: use --kubeconfig, set KUBECONFIG, or create ~/.kube/config",
      );
    }
  } else {
    mergeInto(kc, files, KubeConfig);
  }
  const contextName = req.context || kc.getCurrentContext();
  if (!contextName) {
    throw new KubeconfigError(`no current context is set in ${files.join(", ")}; choose one with --context`);
  }
  const context = kc.getContextObject(contextName);
  if (!context) throw new KubeconfigError(`context "${contextName}" does not exist in the kubeconfig`);
  if (!kc.getCluster(context.cluster)) {
    throw new KubeconfigError(
      `cluster "${context.cluster}" of context "${contextName}" is not in the kubeconfig`,
    );
  }
  if (context.user && !kc.getUser(context.user)) {
    throw new KubeconfigError(`user "${context.user}" of context "${contextName}" is not in the kubeconfig`);
  }
  kc.setCurrentContext(contextName);
  const cluster = kc.getCurrentCluster() as Cluster;
  if (cluster.server.startsWith("http:") && !cluster.skipTLSVerify) {
    throw new KubeconfigError(
      `cluster "${cluster.name}" uses plain http (${cluster.server}); set insecure-skip-tls-verify: true for it`,
    );
  }
  return {
    contextName,
    namespace: context.namespace || "default",
    connection: connectionFor(kc, cluster),
  };
}

function connectionFor(kc: KubeConfig, cluster: Cluster): Connection {
  return {
    server: cluster.server,
    async requestOptions() {
      const opts: import("node:https").RequestOptions = {};
      try {
        await kc.applyToHTTPSOptions(opts);
      } catch (err) {
        throw new KubeconfigError(
          `cannot get credentials for user "${kc.getCurrentUser()?.name}": ${oneLine(err)}`,
        );
      }
      return opts;
    },
  };
}

/** Loads each file with client-node, then keeps the first of every name, as kubectl does. */
function mergeInto(kc: KubeConfig, files: string[], Ctor: new () => KubeConfig): void {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let current = "";
  for (const file of files) {
    if (statSync(file).isDirectory()) throw new KubeconfigError(`kubeconfig ${file} is a directory`);
    const one = new Ctor();
    try {
      one.loadFromFile(file);
    } catch (err) {
      throw new KubeconfigError(`cannot load kubeconfig ${file}: ${oneLine(err)}`);
    }
    for (const c of one.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of one.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of one.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!current && one.currentContext) current = one.currentContext;
  }
  kc.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext: current,
  });
}

function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Cannot read properties of (null|undefined)/.test(msg)) return "it is empty or not a kubeconfig";
  return (msg.split("\n")[0] ?? "").trim();
}
