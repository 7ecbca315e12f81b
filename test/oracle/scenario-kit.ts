// What a kubeconfig scenario is made of: a folder of its own with files (kubeconfigs, certificates,
// token files, exec plugins), the recorder's addresses, and the arguments and environment both
// clients get.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { dump } from "js-yaml";
import type { SimCerts } from "../../sim/certs.ts";
import type { Observation } from "./clients.ts";
import type { Recorder } from "./recorder.ts";

export type Obj = Record<string, unknown>;

/** The name the server certificate holds besides 127.0.0.1 and localhost, reached through proxies. */
export const PROXIED_HOST = "api.kube.test";
/** A second name in the certificate, for tls-server-name. */
export const ALT_NAME = "kubernetes.default.svc";
export const CLIENTS = ["alice", "bob"] as const;

export interface Setup {
  /** Written to <dir>/config and named by KUBECONFIG (unless env sets KUBECONFIG itself). */
  config?: Obj | string;
  args?: string[];
  env?: Record<string, string>;
  /** An in-cluster run: the service-account folder's files. */
  serviceAccount?: { token?: string; namespace?: string; ca?: boolean };
  /** Delay the pod list (ms). */
  slowMs?: number;
}

export interface Scenario {
  name: string;
  setup(c: Ctx): Setup;
  /** A difference kept on purpose: why, and what each client must do instead of agreeing. */
  deliberate?: { why: string; check(kubectl: Observation, stern: Observation): void };
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

export class Ctx {
  readonly dir: string;
  readonly cwd: string;
  readonly home: string;
  private readonly rec: Recorder;
  private readonly certs: SimCerts;
  private readonly otherCa: string;
  readonly execInfoFile: string;

  constructor(dir: string, rec: Recorder, certs: SimCerts, otherCa: string, execInfoFile: string) {
    this.dir = dir;
    this.cwd = join(dir, "cwd");
    this.home = join(dir, "home");
    mkdirSync(this.cwd, { recursive: true });
    mkdirSync(this.home, { recursive: true });
    this.rec = rec;
    this.certs = certs;
    this.otherCa = otherCa;
    this.execInfoFile = execInfoFile;
  }

  get port(): number {
    return this.rec.main.port;
  }
  get hostPort(): string {
    return `127.0.0.1:${this.rec.main.port}`;
  }
  get https(): string {
    return `https://${this.hostPort}`;
  }
  get http(): string {
    return `http://${this.hostPort}`;
  }
  get alt(): string {
    return `https://127.0.0.1:${this.rec.alt.port}`;
  }
  /** The main listener under a name only the proxy can resolve. */
  get proxiedHttps(): string {
    return `https://${PROXIED_HOST}:${this.rec.main.port}`;
  }
  get proxy(): string {
    return `http://127.0.0.1:${this.rec.proxyPort}`;
  }
  get socks(): string {
    return `socks5://127.0.0.1:${this.rec.socksPort}`;
  }
  get caData(): string {
    return b64(this.certs.caPem);
  }
  get otherCaData(): string {
    return b64(this.otherCa);
  }
  get caFile(): string {
    return this.write("pki/ca.crt", this.certs.caPem);
  }
  get otherCaFile(): string {
    return this.write("pki/other-ca.crt", this.otherCa);
  }

  cert(cn: (typeof CLIENTS)[number]) {
    const c = this.certs.clients[cn];
    if (!c) throw new Error(`no client certificate ${cn}`);
    return {
      certData: b64(c.certPem),
      keyData: b64(c.keyPem),
      certFile: this.write(`pki/${cn}.crt`, c.certPem),
      keyFile: this.write(`pki/${cn}.key`, c.keyPem),
    };
  }

  /** Writes a file under the scenario's folder (YAML for objects); returns its absolute path. */
  write(name: string, content: string | Obj): string {
    const path = join(this.dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === "string" ? content : dump(content));
    return path;
  }

  /**
   * An exec credential plugin: its token says which arguments and PLUGIN_VAR it got, and it leaves the
   * KUBERNETES_EXEC_INFO it was given where the test reads it.
   */
  plugin(o: { at?: string; api?: "v1" | "v1beta1"; fail?: string; cert?: (typeof CLIENTS)[number] } = {}) {
    const api = `client.authentication.k8s.io/${o.api ?? "v1"}`;
    const c = o.cert ? this.certs.clients[o.cert] : undefined;
    const status = c
      ? `"clientCertificateData":${JSON.stringify(c.certPem)},"clientKeyData":${JSON.stringify(c.keyPem)}`
      : `"token":"exec-\${ARGS}-\${PLUGIN_VAR:-none}"`;
    const body = o.fail
      ? `echo ${JSON.stringify(o.fail)} >&2\nexit 1`
      : `ARGS=$(echo "$*" | tr ' ' '+')\ncat <<EOF\n{"apiVersion":"${api}","kind":"ExecCredential","status":{${status}}}\nEOF`;
    const path = this.write(
      o.at ?? "plugin.sh",
      `#!/bin/sh\nprintf '%s' "$KUBERNETES_EXEC_INFO" > '${this.execInfoFile}'\n${body}\n`,
    );
    chmodSync(path, 0o755);
    return path;
  }
}

const merge = (base: Obj, over: Obj = {}): Obj => {
  const r = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete r[k];
    else r[k] = v;
  }
  return r;
};

/** The usual kubeconfig (cluster c, user u with a token, context x in ns-x), fields replaced or removed. */
export function kc(c: Ctx, o: { cluster?: Obj; user?: Obj; context?: Obj; top?: Obj } = {}): Obj {
  return merge(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        { name: "c", cluster: merge({ server: c.https, "certificate-authority-data": c.caData }, o.cluster) },
      ],
      users: [{ name: "u", user: merge({ token: "tok-u" }, o.user) }],
      contexts: [{ name: "x", context: merge({ cluster: "c", user: "u", namespace: "ns-x" }, o.context) }],
      "current-context": "x",
    },
    o.top,
  );
}

/** A kubeconfig user with an exec plugin. */
export function exec(command: string, more: Obj = {}): Obj {
  return {
    exec: { apiVersion: "client.authentication.k8s.io/v1", command, interactiveMode: "Never", ...more },
  };
}
