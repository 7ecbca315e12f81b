// From a chosen cluster and user (overrides applied, validated) to a Connection, as kubectl builds its
// transport: credentials only over https (over http kubectl sends none, only the impersonation
// headers), a token file before the token, an exec plugin only when no token is set, one TLS
// context for every connection, proxies from proxy-url or the environment. OIDC auth-providers and
// HTTPS proxies go through @kubernetes/client-node, imported only then.

import type * as HttpsModule from "node:https";
import type * as TlsModule from "node:tls";
import { readCapped, SMALL_FILE_MAX } from "../util/read-capped.ts";
import type { Connection } from "./client.ts";
import type { TlsSettings } from "./connector.ts";
import { ExecPlugin } from "./exec-plugin.ts";
import { KubeconfigError, type RawCluster, type RawContext, type RawUser } from "./kubeconfig-files.ts";
import { validateAuthProvider, validateForTls } from "./kubeconfig-validate.ts";
import { proxyFor } from "./proxy.ts";

const tlsModule = process.getBuiltinModule("node:tls") as typeof TlsModule;

type Headers = Record<string, string | string[]>;

function oneLine(err: unknown): string {
  return ((err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "").trim();
}

/**
 * The server URL as kubectl reads it: without a scheme it is plain http (kubectl decides on TLS before
 * it has looked at the CA or insecure-skip-tls-verify); a trailing slash is dropped.
 */
export function serverUrl(clusterName: string, server: string): URL {
  let text = server;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // no scheme, or not a URL at all
  }
  if (!server.includes("://") && (!url?.host || !["http:", "https:"].includes(url.protocol))) {
    text = `http://${server}`;
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
  }
  if (!url?.host || !["http:", "https:"].includes(url.protocol)) {
    throw new KubeconfigError(`the server "${server}" of cluster "${clusterName}" is not a URL`);
  }
  return url;
}

/** Impersonate-* headers; extra keys escaped as client-go escapes them (%XX for non-token characters). */
export function impersonation(user: RawUser): Headers {
  const h: Headers = {};
  if (!user.as) return h;
  h["Impersonate-User"] = user.as;
  if (user["as-groups"]?.length) h["Impersonate-Group"] = user["as-groups"];
  if (user["as-uid"]) h["Impersonate-Uid"] = user["as-uid"];
  for (const [key, values] of Object.entries(user["as-user-extra"] ?? {})) {
    const name = [...Buffer.from(key)]
      .map((b) =>
        /[!#$&'*+.^_`|~0-9A-Za-z-]/.test(String.fromCharCode(b))
          ? String.fromCharCode(b)
          : `%${b.toString(16).toUpperCase().padStart(2, "0")}`,
      )
      .join("");
    h[`Impersonate-Extra-${name}`] = values ?? [];
  }
  return h;
}

function readPem(kind: string, data: string | undefined, file: string | undefined): Buffer | undefined {
  if (data) return Buffer.from(data, "base64");
  if (!file) return undefined;
  try {
    return readCapped(file, SMALL_FILE_MAX);
  } catch (err) {
    throw new KubeconfigError(`cannot read the ${kind} file ${file}: ${oneLine(err)}`);
  }
}

function secureContextOf(material: TlsModule.SecureContextOptions): TlsModule.SecureContext {
  try {
    return tlsModule.createSecureContext(material);
  } catch (err) {
    throw new KubeconfigError(`the kubeconfig's certificate or key data is not usable: ${oneLine(err)}`);
  }
}

/** The token kubectl sends: the token file's (trimmed) when it can be read, else the token. */
function tokenOf(user: RawUser): string | undefined {
  if (user.tokenFile) {
    try {
      const fromFile = readCapped(user.tokenFile, SMALL_FILE_MAX).toString("utf8").trim();
      if (fromFile) return fromFile;
    } catch (err) {
      if (!user.token)
        throw new KubeconfigError(`cannot read the token file ${user.tokenFile}: ${oneLine(err)}`);
    }
  }
  return user.token || undefined;
}

export interface ConnectionInput {
  clusterName: string;
  cluster: RawCluster;
  userName: string;
  user: RawUser;
  env: NodeJS.ProcessEnv;
}

export async function buildConnection(i: ConnectionInput): Promise<Connection> {
  const { cluster, user } = i;
  const url = serverUrl(i.clusterName, cluster.server ?? "");
  const server = url.href.replace(/\/+$/, "");
  const proxy = proxyFor(url, cluster["proxy-url"], i.env);
  const extra = impersonation(user);
  if (url.protocol !== "https:")
    return { server, requestOptions: async () => ({ headers: { ...extra } }), dial: proxy ? { proxy } : {} };

  let token = tokenOf(user);
  const plugin = !token && user.exec ? new ExecPlugin(i.userName, user.exec, cluster, i.env) : undefined;
  validateForTls(cluster, user, plugin !== undefined);
  validateAuthProvider(i.userName, user);
  if (user["auth-provider"] || proxy?.protocol === "https:") {
    // The proxy found in the environment too, which client-node does not read.
    const withProxy = proxy ? { ...i, cluster: { ...cluster, "proxy-url": proxy.href } } : i;
    return clientNodeConnection(withProxy, server, extra);
  }
  const fromPlugin = await plugin?.credential();
  if (fromPlugin?.token) token = fromPlugin.token;

  const material: TlsModule.SecureContextOptions = {};
  const ca = readPem(
    "certificate-authority",
    cluster["certificate-authority-data"],
    cluster["certificate-authority"],
  );
  if (ca) material.ca = ca;
  const cert =
    fromPlugin?.certPem ??
    readPem("client-certificate", user["client-certificate-data"], user["client-certificate"]);
  if (cert) {
    material.cert = cert;
    const key = fromPlugin?.keyPem ?? readPem("client-key", user["client-key-data"], user["client-key"]);
    if (key) material.key = key;
  }
  // One TLS context for every connection: without it each stream parses the CA again and holds a
  // context of its own.
  const tls: TlsSettings = { secureContext: secureContextOf(material) };
  if (cluster["insecure-skip-tls-verify"]) tls.rejectUnauthorized = false;
  if (cluster["tls-server-name"]) tls.servername = cluster["tls-server-name"];
  const basic =
    user.username || user.password
      ? `Basic ${Buffer.from(`${user.username ?? ""}:${user.password ?? ""}`).toString("base64")}`
      : undefined;
  const headers = async (): Promise<Headers> => {
    const h: Headers = { ...extra };
    if (plugin && !fromPlugin?.certPem) token = (await plugin.credential()).token;
    if (token) h.Authorization = `Bearer ${token}`;
    else if (basic) h.Authorization = basic;
    return h;
  };
  return {
    server,
    dial: { tls, ...(proxy ? { proxy } : {}) },
    async requestOptions() {
      return { headers: await headers() };
    },
    async refresh() {
      // A rotated token file, or a new token from the exec plugin.
      if (plugin) await plugin.credential(true);
      else token = tokenOf(user);
    },
  };
}

/** OIDC auth-providers and HTTPS proxies: client-node knows them. */
async function clientNodeConnection(i: ConnectionInput, server: string, extra: Headers): Promise<Connection> {
  const { KubeConfig } = await import("./client-node.ts");
  const context: RawContext = { cluster: "c", user: "u" };
  const build = () => {
    const kc = new KubeConfig();
    try {
      kc.loadFromString(
        JSON.stringify({
          clusters: [{ name: "c", cluster: i.cluster }],
          users: [{ name: "u", user: { ...i.user, as: undefined } }],
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
  return {
    server,
    async requestOptions() {
      const opts: HttpsModule.RequestOptions = {};
      try {
        await kc.applyToHTTPSOptions(opts);
      } catch (err) {
        throw new KubeconfigError(`cannot get credentials for user "${i.userName}": ${oneLine(err)}`);
      }
      opts.headers = { ...(opts.headers ?? {}), ...extra };
      return opts;
    },
    async refresh() {
      // A fresh KubeConfig refreshes the OIDC token.
      kc = build();
    },
  };
}
