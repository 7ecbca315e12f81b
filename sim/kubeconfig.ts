// Renders a kubeconfig (YAML) that kubectl and @kubernetes/client-node both load as is.

export interface KubeconfigOptions {
  server: string;
  caPem: string;
  clusterName?: string;
  userName?: string;
  /** Bearer token; ignored when clientCert is given. */
  token?: string;
  clientCert?: { certPem: string; keyPem: string };
  contexts: { name: string; namespace: string }[];
  currentContext?: string;
  /** A plain-HTTP server (kubectl proxy): no CA and no credentials. */
  plain?: boolean;
}

// JSON strings are valid YAML double-quoted scalars, which avoids any quoting ambiguity.
const q = (s: string): string => JSON.stringify(s);
const b64 = (s: string): string => Buffer.from(s).toString("base64");

export function renderKubeconfig(o: KubeconfigOptions): string {
  const cluster = o.clusterName ?? "sim";
  const user = o.userName ?? "stern";
  const current = o.currentContext ?? o.contexts[0]?.name ?? "sim";
  const lines = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${q(cluster)}`,
    "  cluster:",
    `    server: ${q(o.server)}`,
    ...(o.plain ? [] : [`    certificate-authority-data: ${q(b64(o.caPem))}`]),
    "users:",
    `- name: ${q(user)}`,
    o.plain ? "  user: {}" : "  user:",
  ];
  if (o.plain) {
    // kubectl proxy adds the credentials itself.
  } else if (o.clientCert) {
    lines.push(`    client-certificate-data: ${q(b64(o.clientCert.certPem))}`);
    lines.push(`    client-key-data: ${q(b64(o.clientCert.keyPem))}`);
  } else {
    lines.push(`    token: ${q(o.token ?? "")}`);
  }
  lines.push("contexts:");
  for (const c of o.contexts) {
    lines.push(`- name: ${q(c.name)}`, "  context:", `    cluster: ${q(cluster)}`, `    user: ${q(user)}`);
    lines.push(`    namespace: ${q(c.namespace)}`);
  }
  lines.push(`current-context: ${q(current)}`, "preferences: {}", "");
  return lines.join("\n");
}
