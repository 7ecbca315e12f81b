// Runs the real bin/stern (or another stern command: an installed one, the single executable) as a
// child process and lets a test wait on what it prints.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/stern", import.meta.url));

export interface SternRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout+stderr satisfy the predicate; rejects after timeoutMs with what was seen. */
  waitFor(what: string | RegExp | ((out: string, err: string) => boolean), timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or 128+signal). */
  exited(timeoutMs?: number): Promise<number>;
  kill(signal?: NodeJS.Signals): void;
}

export interface SpawnOptions {
  kubeconfig?: string;
  env?: Record<string, string | undefined>;
  stdin?: "ignore" | "pipe";
  /** The command and its first arguments (default: this Node running the checkout's bin/stern). */
  command?: string[];
  cwd?: string;
}

export function spawnStern(args: string[], opts: SpawnOptions = {}): SternRun {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: undefined,
    FORCE_COLOR: undefined,
  };
  if (opts.kubeconfig !== undefined) env.KUBECONFIG = opts.kubeconfig;
  Object.assign(env, opts.env ?? {});
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const [cmd, ...pre] = opts.command ?? [process.execPath, BIN];
  const child = spawn(cmd as string, [...pre, ...args], {
    env: env as NodeJS.ProcessEnv,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    stdio: [opts.stdin ?? "ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
    notify();
  });
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
    notify();
  });
  let exitCode: number | undefined;
  const exit = new Promise<number>((resolve) => {
    child.on("close", (code, signal) => {
      exitCode = code ?? 128 + (signal === "SIGKILL" ? 9 : signal === "SIGTERM" ? 15 : 2);
      notify();
      resolve(exitCode);
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor(what, timeoutMs = 10_000) {
      const test =
        typeof what === "function"
          ? () => what(out, err)
          : typeof what === "string"
            ? () => out.includes(what) || err.includes(what)
            : () => what.test(out) || what.test(err);
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (test()) {
            cleanup();
            resolve();
          } else if (exitCode !== undefined) {
            cleanup();
            reject(
              new Error(
                `stern exited (${exitCode}) before ${String(what)}\nstdout:\n${out}\nstderr:\n${err}`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${String(what)}\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    exited(timeoutMs = 15_000) {
      return Promise.race([
        exit,
        new Promise<number>((_, reject) =>
          setTimeout(
            () => reject(new Error(`stern did not exit\nstdout:\n${out}\nstderr:\n${err}`)),
            timeoutMs,
          ),
        ),
      ]);
    },
    kill(signal = "SIGTERM") {
      child.kill(signal);
    },
  };
}

/** Runs stern to completion (for --no-follow and bad input). */
export async function runStern(args: string[], opts: SpawnOptions = {}) {
  const run = spawnStern(args, opts);
  const code = await run.exited();
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

export const lines = (text: string) => text.split("\n").filter((l) => l !== "");

/** The numbers of lines ending in n=<number>, in the order printed. */
export const numbers = (out: string): number[] =>
  lines(out)
    .map((l) => /n=(\d+)$/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);

/** Every n=0..count-1 exactly once and in order among the lines. */
export function sequence(
  out: string,
  count: number,
): { missing: number; repeated: number; disordered: number } {
  const nums = numbers(out);
  const uniq = new Set(nums);
  let disordered = 0;
  for (let i = 1; i < nums.length; i++) if (nums[i]! < nums[i - 1]!) disordered++;
  let missing = 0;
  for (let i = 0; i < count; i++) if (!uniq.has(i)) missing++;
  return { missing, repeated: nums.length - uniq.size, disordered };
}

/** Polls until cond holds (for conditions on the simulated cluster's side). */
export async function waitUntil(cond: () => boolean, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
