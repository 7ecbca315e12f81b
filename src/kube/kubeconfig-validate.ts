// kubectl's checks of the chosen cluster and user (client-go's ConfirmUsable), with its rules and
// close to its words, so that a kubeconfig kubectl refuses is refused here too, before any request.
import { accessSync, constants } from "node:fs";
import { KubeconfigError, type RawCluster, type RawUser } from "./kubeconfig-files.ts";

const EXEC_API = new Set(["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]);
/** Versions for which kubectl takes a missing interactiveMode as IfAvailable. */
const EXEC_API_DEFAULT_IF_AVAILABLE = new Set([
  "client.authentication.k8s.io/v1beta1",
  "client.authentication.k8s.io/v1alpha1",
]);
const INTERACTIVE_MODES = new Set(["Never", "IfAvailable", "Always"]);

function readable(path: string): string | undefined {
  try {
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
  }
}

function userProblems(name: string, u: RawUser): string[] {
  const out: string[] = [];
  const methods = [...(u.token ? ["token"] : []), ...(u.username || u.password ? ["basicAuth"] : [])];
  if (methods.length > 1) {
    out.push(
      `more than one authentication method found for user "${name}" (${methods.join(", ")}); only one is allowed`,
    );
  }
  const cert = u["client-certificate"];
  const key = u["client-key"];
  if (cert || u["client-certificate-data"]) {
    if (cert && u["client-certificate-data"]) {
      out.push(`user "${name}" has both client-certificate and client-certificate-data`);
    }
    if (key && u["client-key-data"]) out.push(`user "${name}" has both client-key and client-key-data`);
    if (!key && !u["client-key-data"]) {
      out.push(`user "${name}" has a client certificate but no client-key or client-key-data`);
    }
    for (const [what, path] of [
      ["client-certificate", cert],
      ["client-key", key],
    ] as const) {
      const problem = path ? readable(path) : undefined;
      if (problem) out.push(`cannot read the ${what} ${path} of user "${name}": ${problem}`);
    }
  }
  if ((u["as-uid"] || u["as-groups"]?.length || Object.keys(u["as-user-extra"] ?? {}).length) && !u.as) {
    out.push(
      `user "${name}" asks for impersonated groups, uid or extra without a user to impersonate (--as)`,
    );
  }
  const exec = u.exec;
  if (exec) {
    if (u["auth-provider"]) out.push(`user "${name}" has both an exec plugin and an auth-provider`);
    if (!exec.command) out.push(`the exec plugin of user "${name}" has no command`);
    if (!exec.apiVersion) out.push(`the exec plugin of user "${name}" has no apiVersion`);
    if ((exec.env ?? []).some((e) => !e?.name)) {
      out.push(`the exec plugin of user "${name}" has an env entry without a name`);
    }
    const mode = interactiveMode(exec.apiVersion, exec.interactiveMode);
    if (!mode)
      out.push(`the exec plugin of user "${name}" has no interactiveMode (Never, IfAvailable or Always)`);
    else if (!INTERACTIVE_MODES.has(mode)) {
      out.push(`the exec plugin of user "${name}" has an invalid interactiveMode "${mode}"`);
    }
  }
  return out;
}

/** The exec plugin's interactiveMode, with kubectl's default for the older API versions. */
export function interactiveMode(apiVersion: string | undefined, mode: string | undefined): string {
  if (mode) return mode;
  return EXEC_API_DEFAULT_IF_AVAILABLE.has(apiVersion ?? "") ? "IfAvailable" : "";
}

function clusterProblems(name: string, c: RawCluster): string[] {
  const out: string[] = [];
  if (!c.server) out.push(`cluster "${name}" has no server`);
  const proxy = c["proxy-url"];
  if (proxy) {
    let scheme = "";
    try {
      scheme = new URL(proxy).protocol.replace(/:$/, "");
    } catch {
      out.push(`the proxy-url "${proxy}" of cluster "${name}" is not a URL`);
    }
    if (scheme && !["http", "https", "socks5"].includes(scheme)) {
      out.push(
        `the proxy-url of cluster "${name}" has the scheme "${scheme}"; it must be http, https or socks5`,
      );
    }
  }
  const ca = c["certificate-authority"];
  if (ca && c["certificate-authority-data"]) {
    out.push(`cluster "${name}" has both certificate-authority and certificate-authority-data`);
  }
  const problem = ca ? readable(ca) : undefined;
  if (problem) out.push(`cannot read the certificate-authority ${ca} of cluster "${name}": ${problem}`);
  return out;
}

/** Throws what kubectl would refuse in the chosen cluster and user (overrides applied). */
export function validate(clusterName: string, cluster: RawCluster, userName: string, user: RawUser): void {
  const problems = [...userProblems(userName, user), ...clusterProblems(clusterName, cluster)];
  if (problems.length > 0) throw new KubeconfigError(`invalid kubeconfig: ${problems.join("; ")}`);
}

/** What kubectl checks only once it talks TLS: the CA with insecure-skip-tls-verify, the exec version. */
export function validateForTls(cluster: RawCluster, user: RawUser, useExec: boolean): void {
  if (
    cluster["insecure-skip-tls-verify"] &&
    (cluster["certificate-authority"] || cluster["certificate-authority-data"])
  ) {
    throw new KubeconfigError(
      "invalid kubeconfig: a certificate-authority cannot be given together with insecure-skip-tls-verify",
    );
  }
  const api = user.exec?.apiVersion ?? "";
  if (useExec && !EXEC_API.has(api)) {
    throw new KubeconfigError(
      `invalid kubeconfig: the exec plugin's apiVersion "${api}" is not client.authentication.k8s.io/v1 or v1beta1`,
    );
  }
}

const REMOVED_PROVIDERS: Record<string, string> = {
  gcp: 'the gcp auth-provider was removed from kubectl; use the exec plugin "gke-gcloud-auth-plugin"',
  azure: 'the azure auth-provider was removed from kubectl; use the exec plugin "kubelogin"',
};

/** kubectl knows one auth-provider, oidc; others fail even when --token is given. */
export function validateAuthProvider(userName: string, user: RawUser): void {
  const p = user["auth-provider"];
  if (!p) return;
  const name = p.name ?? "";
  if (name === "oidc") return;
  throw new KubeconfigError(
    REMOVED_PROVIDERS[name] ??
      `user "${userName}" has the auth-provider "${name}", which kubectl does not know`,
  );
}
