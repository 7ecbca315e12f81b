// Which cluster, user and namespace to use: kubeconfig files merged as kubectl merges them (the first
// file's current-context wins, the first definition of a name wins), kubectl's connection flags on top,
// parsed and authenticated by @kubernetes/client-node, which is imported lazily: it is large.
import { existsSync, statSync } from "node:fs";
import type { RequestOptions } from "node:https";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node/dist/config.js";
import type { Cluster, Context, User } from "@kubernetes/client-node/dist/config_types.js";
import type { Connection } from "./client.ts";

/** kubectl's connection flags (--server, --token, --as, ...): they override the kubeconfig. */
export interface ConnectionOverrides {
  cluster?: string | undefined;
  user?: string | undefined;
  server?: string | undefined;
  token?: string | undefined;
  certificateAuthority?: string | undefined;
  clientCertificate?: string | undefined;
  clientKey?: string | undefined;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string | undefined;
  impersonate?: string | undefined;
  impersonateGroups?: string[];
  impersonateUid?: string | undefined;
  /** Bound on connecting and on response headers; 0 = the built-in 10 s for connecting. */
  requestTimeoutMs?: number;
}

export interface KubeconfigRequest {
  /** --kubeconfig: one file, which must exist. */
  kubeconfig?: string | undefined;
  /** --context */
  context?: string | undefined;
  overrides?: ConnectionOverrides;
  env: NodeJS.ProcessEnv;
}

export interface ResolvedConfig {
  contextName: string;
  namespace: string;
  connection: Connection;
  /** All context names of the merged kubeconfig (for completion). */
  contexts: string[];
}

/** A problem with the kubeconfig: the message is the whole story, said in one line. */
export class KubeconfigError extends Error {
  override name = "KubeconfigError";
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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

/** Loads and merges the kubeconfig files (no context chosen yet). */
export async function loadKubeconfig(req: KubeconfigRequest): Promise<{ kc: KubeConfig; files: string[] }> {
  const files = configFiles(req);
  const { KubeConfig } = await import("./client-node.ts");
  const kc = new KubeConfig();
  const o = req.overrides ?? {};
  if (files.length > 0) mergeInto(kc, files, KubeConfig);
  else if (o.server) {
    kc.loadFromOptions({
      clusters: [{ name: "flags", server: o.server, skipTLSVerify: false }],
      users: [{ name: "flags" }],
      contexts: [{ name: "flags", cluster: "flags", user: "flags" }],
      currentContext: "flags",
    });
  } else if (req.env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) {
    kc.loadFromCluster();
  } else {
    throw new KubeconfigError(
      "no kubeconfig found: use --kubeconfig, set KUBECONFIG, or create ~/.kube/config",
    );
  }
  return { kc, files };
}

interface Chosen {
  kc: KubeConfig;
  context: Context;
  cluster: Cluster;
  contextName: string;
}

async function choose(req: KubeconfigRequest): Promise<Chosen> {
  const { kc, files } = await loadKubeconfig(req);
  const contextName = req.context || kc.getCurrentContext();
  if (!contextName) {
    throw new KubeconfigError(`no current context is set in ${files.join(", ")}; choose one with --context`);
  }
  const found = kc.getContextObject(contextName);
  if (!found) throw new KubeconfigError(`context "${contextName}" does not exist in the kubeconfig`);
  const context = applyOverrides(kc, found, req.overrides ?? {});
  if (!kc.getCluster(context.cluster)) {
    throw new KubeconfigError(
      `cluster "${context.cluster}" of context "${contextName}" is not in the kubeconfig`,
    );
  }
  if (context.user && !kc.getUser(context.user)) {
    throw new KubeconfigError(`user "${context.user}" of context "${contextName}" is not in the kubeconfig`);
  }
  kc.setCurrentContext(context.name);
  const cluster = kc.getCurrentCluster() as Cluster;
  if (cluster.server.startsWith("http:") && !cluster.skipTLSVerify) {
    throw new KubeconfigError(
      `cluster "${cluster.name}" uses plain http (${cluster.server}); set insecure-skip-tls-verify: true for it`,
    );
  }
  return { kc, context, cluster, contextName };
}

export async function resolveKubeconfig(req: KubeconfigRequest): Promise<ResolvedConfig> {
  const chosen = await choose(req);
  return {
    contextName: chosen.contextName,
    namespace: chosen.context.namespace || "default",
    connection: connectionFor(chosen, req),
    contexts: chosen.kc.contexts.map((c) => c.name),
  };
}

/** Applies kubectl's connection flags to the chosen context, its cluster and its user. */
function applyOverrides(kc: KubeConfig, context: Context, o: ConnectionOverrides): Context {
  const ctx: Mutable<Context> = {
    ...context,
    cluster: o.cluster ?? context.cluster,
    user: o.user ?? context.user,
  };
  const clusterChanged = Boolean(
    o.server || o.certificateAuthority || o.insecureSkipTlsVerify || o.tlsServerName,
  );
  const userChanged = Boolean(o.token || o.clientCertificate || o.clientKey || o.impersonate);
  if (!clusterChanged && !userChanged && ctx.cluster === context.cluster && ctx.user === context.user) {
    return context;
  }
  let cluster = kc.getCluster(ctx.cluster) ?? undefined;
  if (cluster && clusterChanged) {
    const c: Mutable<Cluster> = { ...cluster };
    if (o.server) c.server = o.server.replace(/\/+$/, "");
    if (o.certificateAuthority) {
      c.caFile = o.certificateAuthority;
      c.caData = undefined;
    }
    if (o.insecureSkipTlsVerify) {
      c.skipTLSVerify = true;
      c.caFile = undefined;
      c.caData = undefined;
    }
    if (o.tlsServerName) c.tlsServerName = o.tlsServerName;
    cluster = c;
  }
  let user = kc.getUser(ctx.user) ?? undefined;
  if (userChanged) {
    const u: Mutable<User> = { ...(user ?? { name: ctx.user || "flags" }) };
    if (o.token) {
      u.token = o.token;
      u.exec = undefined;
      u.authProvider = undefined;
    }
    if (o.clientCertificate) {
      u.certFile = o.clientCertificate;
      u.certData = undefined;
    }
    if (o.clientKey) {
      u.keyFile = o.clientKey;
      u.keyData = undefined;
    }
    if (o.impersonate) u.impersonateUser = o.impersonate;
    user = u;
    ctx.user = u.name;
  }
  const replace = <T extends { name: string }>(list: T[], item: T | undefined) =>
    item ? [...list.filter((x) => x.name !== item.name), item] : list;
  kc.loadFromOptions({
    clusters: replace(kc.clusters, cluster),
    users: replace(kc.users, user),
    contexts: replace(kc.contexts, ctx),
    currentContext: ctx.name,
  });
  return ctx;
}

function connectionFor(chosen: Chosen, req: KubeconfigRequest): Connection {
  const o = req.overrides ?? {};
  const extra: Record<string, string | string[]> = {};
  if (o.impersonateGroups && o.impersonateGroups.length > 0) extra["Impersonate-Group"] = o.impersonateGroups;
  if (o.impersonateUid) extra["Impersonate-Uid"] = o.impersonateUid;
  let kc = chosen.kc;
  return {
    server: chosen.cluster.server,
    async requestOptions() {
      const opts: RequestOptions = {};
      try {
        await kc.applyToHTTPSOptions(opts);
      } catch (err) {
        throw new KubeconfigError(
          `cannot get credentials for user "${kc.getCurrentUser()?.name}": ${oneLine(err)}`,
        );
      }
      if (Object.keys(extra).length > 0) opts.headers = { ...(opts.headers ?? {}), ...extra };
      return opts;
    },
    async refresh() {
      // A fresh KubeConfig re-reads the files and forgets cached exec/OIDC tokens.
      kc = (await choose(req)).kc;
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
