// Exec credential plugins (client.authentication.k8s.io v1 and v1beta1) as kubectl runs them: the
// kubeconfig's env on top of ours, KUBERNETES_EXEC_INFO (with the cluster when provideClusterInfo is
// set), the terminal only in interactive mode, the answer's apiVersion checked, the credential kept
// until its expirationTimestamp. Unlike kubectl, a plugin that runs without the terminal is given
// 60 s and 1 MiB of output (a credential is a few KB): a hung one is killed and named in one line.
import type * as ChildProcess from "node:child_process";
import { readCapped, SMALL_FILE_MAX } from "../util/read-capped.ts";
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

export interface ExecLimits {
  /** How long a plugin without the terminal may run; one with it waits on a person, so has no bound. */
  timeoutMs: number;
  /** The most it may write on stdout; of stderr (only its last line is used) the last 64 KiB are kept. */
  maxOutputBytes: number;
}

export const EXEC_LIMITS: ExecLimits = { timeoutMs: 60_000, maxOutputBytes: 1024 * 1024 };
const STDERR_KEPT = 64 * 1024;

/** The limits, with STERN_EXEC_TIMEOUT_MS from the environment (for tests) and `given` on top. */
export function execLimits(env: NodeJS.ProcessEnv, given: Partial<ExecLimits> = {}): ExecLimits {
  const fromEnv = Number(env.STERN_EXEC_TIMEOUT_MS);
  const timeoutMs = Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : EXEC_LIMITS.timeoutMs;
  return { ...EXEC_LIMITS, timeoutMs, ...given };
}

/** "60s", "1.5s", "1 MiB", "512 KiB": the limits in errors. */
const seconds = (ms: number) => `${ms / 1000}s`;
const bytes = (n: number) => (n % 1048576 === 0 ? `${n / 1048576} MiB` : `${n / 1024} KiB`);

/** The cluster as the plugin sees it in KUBERNETES_EXEC_INFO (spec.cluster), empty fields left out. */
function execCluster(c: RawCluster): Record<string, unknown> {
  let caData = c["certificate-authority-data"];
  if (!caData && c["certificate-authority"]) {
    try {
      caData = readCapped(c["certificate-authority"], SMALL_FILE_MAX).toString("base64");
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
  private readonly limits: ExecLimits;
  private cached: ExecCredential | undefined;
  /** The run in flight: requests that find the credential expired together wait for one run. */
  private running: Promise<ExecCredential> | undefined;

  constructor(
    userName: string,
    exec: ExecConfig,
    cluster: RawCluster,
    env: NodeJS.ProcessEnv,
    limits: Partial<ExecLimits> = {},
  ) {
    this.userName = userName;
    this.exec = exec;
    this.cluster = cluster;
    this.env = env;
    this.limits = execLimits(env, limits);
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
    const { timeoutMs, maxOutputBytes } = this.limits;
    return new Promise((resolve, reject) => {
      // Loaded here: most runs have no plugin, and node:child_process costs a few ms of start-up.
      const { spawn } = process.getBuiltinModule("node:child_process") as typeof ChildProcess;
      const child = spawn(command, exec.args ?? [], {
        env,
        stdio: [interactive ? "inherit" : "ignore", "pipe", interactive ? "inherit" : "pipe"],
      });
      const out: Buffer[] = [];
      let outBytes = 0;
      let err: Buffer[] = [];
      let errBytes = 0;
      let settled = false;
      const settle = (e: Error | undefined, cred?: ExecCredential) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (e) reject(e);
        else resolve(cred as ExecCredential);
      };
      // Killed, and its pipes let go: a child it left behind may hold them open for ever.
      const stop = (why: string) => {
        child.kill("SIGKILL");
        child.stdout?.destroy();
        child.stderr?.destroy();
        settle(this.fail(why));
      };
      const timer = interactive
        ? undefined
        : setTimeout(
            () => stop(`the exec plugin ${command} did not finish within ${seconds(timeoutMs)}`),
            timeoutMs,
          );
      child.stdout?.on("data", (d: Buffer) => {
        outBytes += d.length;
        if (outBytes > maxOutputBytes) {
          stop(
            `the exec plugin ${command} wrote more than ${bytes(maxOutputBytes)} (a credential is a few KB)`,
          );
          return;
        }
        out.push(d);
      });
      child.stderr?.on("data", (d: Buffer) => {
        err.push(d);
        errBytes += d.length;
        if (errBytes > 2 * STDERR_KEPT) {
          const tail = Buffer.concat(err).subarray(-STDERR_KEPT);
          err = [tail];
          errBytes = tail.length;
        }
      });
      child.on("error", (e: NodeJS.ErrnoException) => {
        const hint = exec.installHint ? ` (${lastLine(exec.installHint)})` : "";
        settle(
          this.fail(
            e.code === "ENOENT"
              ? `the exec plugin ${command} is not found${hint}`
              : `${command}: ${e.message}`,
          ),
        );
      });
      child.on("close", (code) => {
        if (code !== 0) {
          const why = lastLine(Buffer.concat(err).toString());
          settle(this.fail(`the exec plugin ${command} failed (exit code ${code})${why ? `: ${why}` : ""}`));
          return;
        }
        try {
          settle(undefined, this.parse(Buffer.concat(out).toString(), apiVersion));
        } catch (e) {
          settle(e as Error);
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
