// Exec credential plugins (client.authentication.k8s.io v1 and v1beta1) as kubectl runs them: the
// kubeconfig's env on top of ours, KUBERNETES_EXEC_INFO (with the cluster when provideClusterInfo is
// set), the terminal only in interactive mode, the answer's apiVersion checked, the credential kept
// until its expirationTimestamp.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { type ExecConfig, KubeconfigError, type RawCluster } from "./kubeconfig-files.ts";
import { interactiveMode } from "./kubeconfig-validate.ts";

export interface ExecCredential {
  token?: string;
  certPem?: string;
  keyPem?: string;
  /** ms since the epoch; undefined: valid until a 401. */
  expires?: number;
}

const EXEC_EXTENSION = "client.authentication.k8s.io/exec";

/** The cluster as the plugin sees it in KUBERNETES_EXEC_INFO (spec.cluster), empty fields left out. */
function execCluster(c: RawCluster): Record<string, unknown> {
  let caData = c["certificate-authority-data"];
  if (!caData && c["certificate-authority"]) {
    try {
      caData = readFileSync(c["certificate-authority"]).toString("base64");
    } catch {
      // validation has reported an unreadable file already
    }
  }
  const config = c.extensions?.find((e) => e?.name === EXEC_EXTENSION)?.extension;
  const out: Record<string, unknown> = {
    server: c.server,
    "tls-server-name": c["tls-server-name"],
    "insecure-skip-tls-verify": c["insecure-skip-tls-verify"] || undefined,
    "certificate-authority-data": caData,
    "proxy-url": c["proxy-url"],
    "disable-compression": c["disable-compression"] || undefined,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined || out[k] === "") delete out[k];
  // kubectl always sends config, null without the extension.
  out.config = config ?? null;
  return out;
}

function lastLine(text: string): string {
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "")
      .pop() ?? ""
  );
}

export class ExecPlugin {
  private readonly userName: string;
  private readonly exec: ExecConfig;
  private readonly cluster: RawCluster;
  private readonly env: NodeJS.ProcessEnv;
  private cached: ExecCredential | undefined;
  /** The run in flight: requests that find the credential expired together wait for one run. */
  private running: Promise<ExecCredential> | undefined;

  constructor(userName: string, exec: ExecConfig, cluster: RawCluster, env: NodeJS.ProcessEnv) {
    this.userName = userName;
    this.exec = exec;
    this.cluster = cluster;
    this.env = env;
  }

  /** The credential, from the cache while it is valid; `fresh` runs the plugin again (after a 401). */
  async credential(fresh = false): Promise<ExecCredential> {
    const c = this.cached;
    if (!fresh && c && (c.expires === undefined || c.expires > Date.now())) return c;
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = undefined;
      });
    }
    this.cached = await this.running;
    return this.cached;
  }

  private fail(what: string): KubeconfigError {
    return new KubeconfigError(`cannot get credentials for user "${this.userName}": ${what}`);
  }

  private run(): Promise<ExecCredential> {
    const { exec } = this;
    const apiVersion = exec.apiVersion ?? "";
    const mode = interactiveMode(apiVersion, exec.interactiveMode);
    const terminal = process.stdin.isTTY === true;
    if (mode === "Always" && !terminal) {
      return Promise.reject(this.fail("the exec plugin needs a terminal (interactiveMode Always)"));
    }
    const interactive = terminal && mode !== "Never";
    const info = {
      kind: "ExecCredential",
      apiVersion,
      spec: { ...(exec.provideClusterInfo ? { cluster: execCluster(this.cluster) } : {}), interactive },
    };
    const env: NodeJS.ProcessEnv = { ...this.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
    for (const e of exec.env ?? []) if (e?.name) env[e.name] = e.value ?? "";
    const command = exec.command ?? "";
    return new Promise((resolve, reject) => {
      const child = spawn(command, exec.args ?? [], {
        env,
        stdio: [interactive ? "inherit" : "ignore", "pipe", interactive ? "inherit" : "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
      });
      child.stderr?.on("data", (d: Buffer) => {
        err += d.toString();
      });
      child.on("error", (e: NodeJS.ErrnoException) => {
        const hint = exec.installHint ? ` (${lastLine(exec.installHint)})` : "";
        reject(
          this.fail(
            e.code === "ENOENT"
              ? `the exec plugin ${command} is not found${hint}`
              : `${command}: ${e.message}`,
          ),
        );
      });
      child.on("close", (code) => {
        if (code !== 0) {
          const why = lastLine(err);
          reject(this.fail(`the exec plugin ${command} failed (exit code ${code})${why ? `: ${why}` : ""}`));
          return;
        }
        try {
          resolve(this.parse(out, apiVersion));
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  private parse(out: string, apiVersion: string): ExecCredential {
    let doc: {
      apiVersion?: string;
      kind?: string;
      status?: {
        token?: string;
        clientCertificateData?: string;
        clientKeyData?: string;
        expirationTimestamp?: string;
      };
    };
    try {
      doc = JSON.parse(out);
    } catch {
      throw this.fail("the exec plugin did not answer an ExecCredential in JSON");
    }
    if (doc?.kind !== "ExecCredential") throw this.fail("the exec plugin did not answer an ExecCredential");
    if (doc.apiVersion !== apiVersion) {
      throw this.fail(
        `the exec plugin answered apiVersion "${doc.apiVersion ?? ""}" instead of "${apiVersion}"`,
      );
    }
    const s = doc.status;
    if (!s) throw this.fail("the exec plugin's answer has no status");
    const cred: ExecCredential = {};
    if (s.token) cred.token = s.token;
    if (s.clientCertificateData || s.clientKeyData) {
      if (!s.clientCertificateData || !s.clientKeyData) {
        throw this.fail(
          "the exec plugin answered a client certificate without its key, or a key without its certificate",
        );
      }
      cred.certPem = s.clientCertificateData;
      cred.keyPem = s.clientKeyData;
    }
    if (!cred.token && !cred.certPem)
      throw this.fail("the exec plugin answered neither a token nor a client certificate");
    if (s.expirationTimestamp) {
      const t = Date.parse(s.expirationTimestamp);
      if (!Number.isNaN(t)) cred.expires = t;
    }
    return cred;
  }
}
