// Which cluster, user and namespace to use, and how to authenticate. kubeconfig files are read and
// merged as kubectl merges them (kubeconfig-files.ts), kubectl's connection flags go on top. Static
// credentials (tokens, client certificates, basic auth) are applied here directly; exec plugins,
// auth providers (OIDC, ...), proxies and in-cluster config go through @kubernetes/client-node,
// imported only then: loading it costs more than everything else at start-up.
import { readFileSync } from "node:fs";
import type * as HttpModule from "node:http";
import type * as HttpsModule from "node:https";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import type * as TlsModule from "node:tls";
import type { Connection } from "./client.ts";
import {
  existing,
  KubeconfigError,
  type MergedKubeconfig,
  type RawCluster,
  type RawContext,
  type RawUser,
  readKubeconfigs,
} from "./kubeconfig-files.ts";

export { KubeconfigError } from "./kubeconfig-files.ts";

const http = process.getBuiltinModule("node:http") as typeof HttpModule;
const https = process.getBuiltinModule("node:https") as typeof HttpsModule;
const tlsModule = process.getBuiltinModule("node:tls") as typeof TlsModule;

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

const IN_CLUSTER = "/var/run/secrets/kubernetes.io/serviceaccount";

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

function oneLine(err: unknown): string {
  return ((err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "").trim();
}

/** The context names of the merged kubeconfig files (none when there are no files). */
export function listContexts(req: KubeconfigRequest): string[] {
  const files = configFiles(req);
  return files.length > 0 ? readKubeconfigs(files).contexts.map((c) => c.name) : [];
}

export async function resolveKubeconfig(req: KubeconfigRequest): Promise<ResolvedConfig> {
  const o = req.overrides ?? {};
  const files = configFiles(req);
  let merged: MergedKubeconfig;
  if (files.length > 0) merged = readKubeconfigs(files);
  else if (o.server) {
    merged = {
      clusters: [{ name: "flags", value: { server: o.server } }],
      users: [{ name: "flags", value: {} }],
      contexts: [{ name: "flags", value: { cluster: "flags", user: "flags" } }],
      currentContext: "flags",
    };
  } else if (req.env.KUBERNETES_SERVICE_HOST && existing([`${IN_CLUSTER}/token`]).length > 0) {
    return inCluster();
  } else {
    throw new KubeconfigError(
      "no kubeconfig found: use --kubeconfig, set KUBECONFIG, or create ~/.kube/config",
    );
  }

  const contextName = req.context || merged.currentContext;
  if (!contextName) {
    throw new KubeconfigError(`no current context is set in ${files.join(", ")}; choose one with --context`);
  }
  const context = merged.contexts.find((c) => c.name === contextName)?.value;
  if (!context) throw new KubeconfigError(`context "${contextName}" does not exist in the kubeconfig`);
  const clusterName = o.cluster ?? context.cluster ?? "";
  const userName = o.user ?? context.user ?? "";
  const found = merged.clusters.find((c) => c.name === clusterName)?.value;
  if (!found)
    throw new KubeconfigError(
      `cluster "${clusterName}" of context "${contextName}" is not in the kubeconfig`,
    );
  const foundUser = merged.users.find((u) => u.name === userName)?.value;
  if (userName && !foundUser) {
    throw new KubeconfigError(`user "${userName}" of context "${contextName}" is not in the kubeconfig`);
  }
  const { cluster, user } = applyOverrides(found, foundUser ?? {}, o);
  if (!cluster.server) throw new KubeconfigError(`cluster "${clusterName}" has no server`);

  const connection =
    user.exec || user["auth-provider"] || cluster["proxy-url"]
      ? await clientNodeConnection(cluster, user, userName, { ...context, cluster: "c", user: "u" })
      : staticConnection(cluster, user);
  return {
    contextName,
    namespace: context.namespace || "default",
    connection,
    contexts: merged.contexts.map((c) => c.name),
  };
}

/** Applies kubectl's connection flags to the chosen cluster and user. */
function applyOverrides(
  c0: RawCluster,
  u0: RawUser,
  o: ConnectionOverrides,
): { cluster: RawCluster; user: RawUser } {
  const cluster: RawCluster = { ...c0 };
  const user: RawUser = { ...u0 };
  if (o.server) cluster.server = o.server;
  if (o.certificateAuthority) {
    cluster["certificate-authority"] = o.certificateAuthority;
    delete cluster["certificate-authority-data"];
  }
  if (o.insecureSkipTlsVerify) {
    cluster["insecure-skip-tls-verify"] = true;
    delete cluster["certificate-authority"];
    delete cluster["certificate-authority-data"];
  }
  if (o.tlsServerName) cluster["tls-server-name"] = o.tlsServerName;
  if (o.token) {
    user.token = o.token;
    delete user.tokenFile;
    delete user.exec;
    delete user["auth-provider"];
  }
  if (o.clientCertificate) {
    user["client-certificate"] = o.clientCertificate;
    delete user["client-certificate-data"];
  }
  if (o.clientKey) {
    user["client-key"] = o.clientKey;
    delete user["client-key-data"];
  }
  if (o.impersonate) user.as = o.impersonate;
  if (o.impersonateGroups?.length) user["as-groups"] = o.impersonateGroups;
  if (o.impersonateUid) user["as-uid"] = o.impersonateUid;
  return { cluster, user };
}

function readPem(kind: string, data: string | undefined, file: string | undefined): Buffer | undefined {
  if (data) return Buffer.from(data, "base64");
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch (err) {
    throw new KubeconfigError(`cannot read the ${kind} file ${file}: ${oneLine(err)}`);
  }
}

function impersonation(user: RawUser): Record<string, string | string[]> {
  const h: Record<string, string | string[]> = {};
  if (user.as) h["Impersonate-User"] = user.as;
  if (user["as-groups"]?.length) h["Impersonate-Group"] = user["as-groups"];
  if (user["as-uid"]) h["Impersonate-Uid"] = user["as-uid"];
  return h;
}

/** Tokens, client certificates and basic auth: what most kubeconfigs hold, applied without client-node. */
function staticConnection(cluster: RawCluster, user: RawUser): Connection {
  const server = (cluster.server as string).replace(/\/+$/, "");
  const material: TlsModule.SecureContextOptions = {};
  const ca = readPem(
    "certificate-authority",
    cluster["certificate-authority-data"],
    cluster["certificate-authority"],
  );
  if (ca) material.ca = ca;
  const cert = readPem("client-certificate", user["client-certificate-data"], user["client-certificate"]);
  const key = readPem("client-key", user["client-key-data"], user["client-key"]);
  if (cert) material.cert = cert;
  if (key) material.key = key;
  let secureContext: TlsModule.SecureContext;
  try {
    secureContext = tlsModule.createSecureContext(material);
  } catch (err) {
    throw new KubeconfigError(`the kubeconfig's certificate or key data is not usable: ${oneLine(err)}`);
  }
  // One TLS context for every connection: without it each stream parses the CA again and holds a
  // context of its own.
  const tls: HttpsModule.AgentOptions = { keepAlive: true, secureContext };
  if (cluster["insecure-skip-tls-verify"]) tls.rejectUnauthorized = false;
  if (cluster["tls-server-name"]) tls.servername = cluster["tls-server-name"];
  const agent = server.startsWith("http:") ? new http.Agent({ keepAlive: true }) : new https.Agent(tls);
  const readToken = (): string | undefined => {
    if (user.token) return user.token;
    if (!user.tokenFile) return undefined;
    try {
      return readFileSync(user.tokenFile, "utf8").trim();
    } catch (err) {
      throw new KubeconfigError(`cannot read the token file ${user.tokenFile}: ${oneLine(err)}`);
    }
  };
  let token = readToken();
  const headers = (): Record<string, string | string[]> => {
    const h = impersonation(user);
    if (token) h.Authorization = `Bearer ${token}`;
    else if (user.username) {
      h.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ""}`).toString("base64")}`;
    }
    return h;
  };
  return {
    server,
    http2: {
      secureContext,
      ...(tls.servername ? { servername: tls.servername } : {}),
      ...(tls.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
    },
    async requestOptions() {
      return { agent, headers: headers() };
    },
    async refresh() {
      token = readToken();
    },
  };
}

/** Exec plugins, auth providers, proxies: client-node knows them all. */
async function clientNodeConnection(
  cluster: RawCluster,
  user: RawUser,
  userName: string,
  context: RawContext,
): Promise<Connection> {
  const { KubeConfig } = await import("./client-node.ts");
  const build = () => {
    const kc = new KubeConfig();
    try {
      kc.loadFromString(
        JSON.stringify({
          clusters: [{ name: "c", cluster }],
          users: [{ name: "u", user }],
          contexts: [{ name: "x", context }],
          "current-context": "x",
        }),
      );
    } catch (err) {
      throw new KubeconfigError(`cannot use the kubeconfig: ${oneLine(err)}`);
    }
    return kc;
  };
  let kc = build();
  const server = (cluster.server as string).replace(/\/+$/, "");
  if (server.startsWith("http:") && !cluster["insecure-skip-tls-verify"]) {
    throw new KubeconfigError(
      `cluster uses plain http (${server}); set insecure-skip-tls-verify: true for it`,
    );
  }
  const extra = impersonation({ "as-groups": user["as-groups"], "as-uid": user["as-uid"] });
  return {
    server,
    async requestOptions() {
      const opts: HttpsModule.RequestOptions = {};
      try {
        await kc.applyToHTTPSOptions(opts);
      } catch (err) {
        throw new KubeconfigError(`cannot get credentials for user "${userName}": ${oneLine(err)}`);
      }
      if (Object.keys(extra).length > 0) opts.headers = { ...(opts.headers ?? {}), ...extra };
      return opts;
    },
    async refresh() {
      // A fresh KubeConfig re-runs the exec plugin or refreshes the OIDC token.
      kc = build();
    },
  };
}

async function inCluster(): Promise<ResolvedConfig> {
  const { KubeConfig } = await import("./client-node.ts");
  const kc = new KubeConfig();
  kc.loadFromCluster();
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeconfigError("in-cluster configuration is incomplete");
  let namespace = "default";
  try {
    namespace = readFileSync(`${IN_CLUSTER}/namespace`, "utf8").trim() || "default";
  } catch {
    // no namespace file: default
  }
  return {
    contextName: kc.getCurrentContext(),
    namespace,
    contexts: [kc.getCurrentContext()],
    connection: {
      server: cluster.server,
      async requestOptions() {
        const opts: HttpsModule.RequestOptions = {};
        await kc.applyToHTTPSOptions(opts);
        return opts;
      },
    },
  };
}
