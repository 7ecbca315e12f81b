// Which cluster, user and namespace to use, as kubectl chooses them: kubeconfig files read and merged
// as kubectl merges them (kubeconfig-files.ts), kubectl's connection flags on top with its rules,
// kubectl's checks (kubeconfig-validate.ts), the in-cluster service account when there is no
// kubeconfig, and its namespace for a context without one. connection.ts makes the Connection.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import type { Connection } from "./client.ts";
import { buildConnection } from "./connection.ts";
import {
  existing,
  KubeconfigError,
  type MergedKubeconfig,
  type RawCluster,
  type RawContext,
  type RawUser,
  readKubeconfigs,
} from "./kubeconfig-files.ts";
import { validate } from "./kubeconfig-validate.ts";

export { KubeconfigError } from "./kubeconfig-files.ts";

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

/** Where a pod's service account is mounted (kubectl and client-go look only there). */
const SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

function configFiles(req: KubeconfigRequest): string[] {
  if (req.kubeconfig) {
    if (existing([req.kubeconfig]).length === 0) {
      throw new KubeconfigError(`kubeconfig file ${req.kubeconfig} does not exist`);
    }
    return [req.kubeconfig];
  }
  const fromEnv = (req.env.KUBECONFIG ?? "").split(delimiter).filter((f) => f !== "");
  if (fromEnv.length > 0) {
    const present = existing(fromEnv);
    if (present.length === 0)
      throw new KubeconfigError(`none of the KUBECONFIG files exist: ${fromEnv.join(delimiter)}`);
    return present;
  }
  return existing([join(req.env.HOME || homedir(), ".kube", "config")]);
}

/** The context names of the merged kubeconfig files (none when there are no files). */
export function listContexts(req: KubeconfigRequest): string[] {
  const files = configFiles(req);
  return files.length > 0 ? readKubeconfigs(files).contexts.map((c) => c.name) : [];
}

/** In a pod: the API server's service and the service account's token (client-go's InClusterConfig). */
function inClusterPossible(env: NodeJS.ProcessEnv): boolean {
  return Boolean(
    env.KUBERNETES_SERVICE_HOST &&
      env.KUBERNETES_SERVICE_PORT &&
      existing([`${SERVICE_ACCOUNT}/token`]).length,
  );
}

/** The in-cluster namespace: POD_NAMESPACE, else the service account's, else default. */
function inClusterNamespace(env: NodeJS.ProcessEnv): string {
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  try {
    return readFileSync(`${SERVICE_ACCOUNT}/namespace`, "utf8").trim() || "default";
  } catch {
    return "default";
  }
}

/** The service account as a kubeconfig of one context. */
function inClusterConfig(env: NodeJS.ProcessEnv): MergedKubeconfig {
  const host = env.KUBERNETES_SERVICE_HOST ?? "";
  const ca = `${SERVICE_ACCOUNT}/ca.crt`;
  const cluster: RawCluster = {
    server: `https://${host.includes(":") ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT}`,
    ...(existing([ca]).length ? { "certificate-authority": ca } : {}),
  };
  return {
    clusters: [{ name: "in-cluster", value: cluster }],
    users: [{ name: "in-cluster", value: { tokenFile: `${SERVICE_ACCOUNT}/token` } }],
    contexts: [{ name: "in-cluster", value: { cluster: "in-cluster", user: "in-cluster" } }],
    currentContext: "in-cluster",
  };
}

/** The kubeconfig to use: the files, else the flags alone (--server), else the pod's service account. */
function chooseConfig(
  req: KubeconfigRequest,
  o: ConnectionOverrides,
  inPod: boolean,
): { files: string[]; merged: MergedKubeconfig; inCluster: boolean } {
  // In a pod, KUBECONFIG files that are all missing or empty leave the pod's config, as in kubectl.
  const files =
    inPod && req.env.KUBECONFIG && !req.kubeconfig
      ? existing(req.env.KUBECONFIG.split(delimiter).filter(Boolean))
      : configFiles(req);
  const read = files.length > 0 ? readKubeconfigs(files) : undefined;
  if (read && !(read.allEmpty && inPod && !o.server)) return { files, merged: read, inCluster: false };
  if (o.server)
    return { files, merged: { clusters: [], users: [], contexts: [], currentContext: "" }, inCluster: false };
  if (!inPod) {
    throw new KubeconfigError(
      "no kubeconfig found: use --kubeconfig, set KUBECONFIG, or create ~/.kube/config",
    );
  }
  const merged = inClusterConfig(req.env);
  // In a pod kubectl takes only --token (instead of the token file) and --certificate-authority;
  // the impersonation flags are kept too (kubectl drops the pod's config for them and fails).
  if (o.token) merged.users = [{ name: "in-cluster", value: {} }];
  for (const k of [
    "cluster",
    "user",
    "insecureSkipTlsVerify",
    "tlsServerName",
    "clientCertificate",
    "clientKey",
  ] as const)
    delete o[k];
  return { files, merged, inCluster: true };
}

export async function resolveKubeconfig(req: KubeconfigRequest): Promise<ResolvedConfig> {
  const o = { ...(req.overrides ?? {}) };
  const inPod = inClusterPossible(req.env);
  const { files, merged, inCluster } = chooseConfig(req, o, inPod);

  const contextName = req.context || merged.currentContext;
  let context: RawContext | undefined;
  if (contextName) {
    context = merged.contexts.find((c) => c.name === contextName)?.value;
    if (!context) throw new KubeconfigError(`context "${contextName}" does not exist in the kubeconfig`);
  } else if (o.server) {
    // kubectl needs no context when --server is given.
    context = {};
  } else if (merged.allEmpty) {
    throw new KubeconfigError(`cannot load kubeconfig ${files.join(", ")}: it is empty`);
  } else {
    throw new KubeconfigError(`no current context is set in ${files.join(", ")}; choose one with --context`);
  }
  const clusterName = o.cluster ?? context.cluster ?? "";
  const userName = o.user ?? context.user ?? "";
  // A cluster that is not there is an empty one for kubectl, of use only with --server.
  const found = merged.clusters.find((c) => c.name === clusterName)?.value ?? (o.server ? {} : undefined);
  if (!found)
    throw new KubeconfigError(
      `cluster "${clusterName}" of context "${contextName}" is not in the kubeconfig`,
    );
  if (o.user && !merged.users.some((u) => u.name === o.user)) {
    throw new KubeconfigError(`user "${o.user}" (--user) is not in the kubeconfig`);
  }
  // kubectl takes a context's user that is not in the kubeconfig as a user without credentials.
  const foundUser = merged.users.find((u) => u.name === userName)?.value ?? {};
  const { cluster, user } = applyOverrides(found, foundUser, o);
  validate(clusterName, cluster, userName, user);

  const connection = await buildConnection({ clusterName, cluster, userName, user, env: req.env });
  // A context without a namespace takes the pod's namespace, as kubectl does in a pod.
  const namespace = context.namespace || (inCluster || inPod ? inClusterNamespace(req.env) : "default");
  return {
    contextName: contextName || "flags",
    namespace,
    connection,
    contexts: merged.contexts.map((c) => c.name),
  };
}

/** kubectl's connection flags on the chosen cluster and user, with its rules. */
function applyOverrides(
  c0: RawCluster,
  u0: RawUser,
  o: ConnectionOverrides,
): { cluster: RawCluster; user: RawUser } {
  const cluster: RawCluster = { ...c0 };
  const user: RawUser = { ...u0 };
  if (o.server) cluster.server = o.server;
  // --insecure-skip-tls-verify or --certificate-authority replace all three of the kubeconfig's.
  if (o.insecureSkipTlsVerify || o.certificateAuthority) {
    cluster["insecure-skip-tls-verify"] = o.insecureSkipTlsVerify === true;
    cluster["certificate-authority"] = o.certificateAuthority;
    delete cluster["certificate-authority-data"];
  }
  if (o.tlsServerName) cluster["tls-server-name"] = o.tlsServerName;
  // As in kubectl, --token does not replace a tokenFile (which wins), nor drop an exec plugin or an
  // auth-provider (which it makes unused).
  if (o.token) user.token = o.token;
  if (o.clientCertificate) user["client-certificate"] = o.clientCertificate;
  if (o.clientKey) user["client-key"] = o.clientKey;
  if (o.impersonate) user.as = o.impersonate;
  if (o.impersonateGroups?.length) user["as-groups"] = o.impersonateGroups;
  if (o.impersonateUid) user["as-uid"] = o.impersonateUid;
  return { cluster, user };
}
