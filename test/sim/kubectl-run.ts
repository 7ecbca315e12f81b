// Running the real kubectl against a simulated cluster: one command to its end, or one that follows.
import { type ChildProcess, execFile, spawn } from "node:child_process";

// KUBECTL_PATH only exists to exercise the "kubectl missing" paths.
export const KUBECTL = process.env.KUBECTL_PATH ?? "/usr/bin/kubectl";

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  kubeconfig: string;
  /** kubectl's HOME (its cache lives there). */
  home: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

function environment(o: KubectlOptions): NodeJS.ProcessEnv {
  return { HOME: o.home, PATH: process.env.PATH ?? "/usr/bin:/bin", ...o.env };
}

/** Runs kubectl to its end; never rejects (a failure is a non-zero code). */
export function runKubectl(o: KubectlOptions, args: string[]): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      ["--kubeconfig", o.kubeconfig, ...args],
      { env: environment(o), timeout: o.timeoutMs ?? 15_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts a long-running kubectl (logs -f, get -w); `until` waits for its stdout to satisfy a test. */
export function followKubectl(o: KubectlOptions, args: string[]) {
  const child: ChildProcess = spawn(KUBECTL, ["--kubeconfig", o.kubeconfig, ...args], {
    env: environment(o),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number>((r) => child.on("exit", (c) => r(c ?? -1)));
  return {
    child,
    exited,
    get out() {
      return out;
    },
    get err() {
      return err;
    },
    async until(pred: (s: string) => boolean, timeoutMs = 10_000): Promise<void> {
      const end = Date.now() + timeoutMs;
      while (!pred(out)) {
        if (Date.now() > end) throw new Error(`timeout; stdout:\n${out}\nstderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
