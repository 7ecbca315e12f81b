// Running a tool under measurement: /usr/bin/time for CPU and peak RSS, stdout to /dev/null or into a
// `wc -l` child, a deadline that kills the tool (and everything it started) but keeps time's report.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type Output = "devnull" | "pipe";

export interface Command {
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Run it in a session of its own (kubetail's exit trap kills its whole process group). */
  ownSession?: boolean;
}

export interface TimedRun {
  startAt: number;
  exitAt: number;
  code: number | null;
  timedOut: boolean;
  /** From /usr/bin/time: wall, user and system seconds, peak RSS in KB (of the largest process). */
  time?: { wall: number; user: number; sys: number; maxRssKb: number };
  /** Lines counted by `wc -l` (pipe output). */
  wcLines?: number;
  stderrTail: string;
}

const live = new Set<number>();
let seq = 0;

/** Every descendant pid of `pid` (from /proc, children first listed deepest last). */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number) => {
    let kids: number[] = [];
    try {
      const tasks = readFileSync(`/proc/${p}/task/${p}/children`, "utf8");
      kids = tasks.split(" ").filter(Boolean).map(Number);
    } catch {}
    for (const k of kids) {
      out.push(k);
      walk(k);
    }
  };
  walk(pid);
  return out;
}

export function killTree(pid: number, signal: NodeJS.Signals = "SIGKILL", includeRoot = true): void {
  const pids = descendants(pid);
  if (includeRoot) pids.unshift(pid);
  for (const p of pids) {
    try {
      process.kill(p, signal);
    } catch {}
  }
}

/** Kills whatever is still running (on the harness's own exit). */
export function killAll(): void {
  for (const pid of live) killTree(pid);
  live.clear();
}

export function procStatusKb(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const get = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rss: get("VmRSS"), hwm: get("VmHWM") };
  } catch {
    return undefined;
  }
}

function tail(s: string, n = 2000): string {
  return s.length > n ? s.slice(-n) : s;
}

/**
 * Runs `c` under /usr/bin/time with stdout to /dev/null or piped into `wc -l`; `deadlineMs` kills the tool
 * and its children (time still reports). `onStart` gets the tool's spawn time.
 */
export async function runTimed(
  c: Command,
  output: Output,
  deadlineMs: number,
  abort?: Promise<unknown>,
): Promise<TimedRun> {
  const timeFile = join(tmpdir(), `stern-bench-time-${process.pid}-${seq++}.txt`);
  const argv = ["-f", "%e %U %S %M", "-o", timeFile];
  if (c.ownSession) argv.push("setsid", "-w");
  argv.push(c.cmd, ...c.args);
  let wc: ChildProcess | undefined;
  let wcOut = "";
  let devnull: number | undefined;
  let stdout: "ignore" | number | NodeJS.WritableStream;
  if (output === "pipe") {
    wc = spawn("wc", ["-l"], { stdio: ["pipe", "pipe", "ignore"] });
    wc.stdout?.on("data", (d: Buffer) => {
      wcOut += d.toString();
    });
    stdout = wc.stdin as NodeJS.WritableStream;
  } else {
    devnull = openSync("/dev/null", "w");
    stdout = devnull;
  }
  const wcDone = wc ? new Promise((r) => wc.on("close", r)) : Promise.resolve();
  const startAt = Date.now();
  const child = spawn("/usr/bin/time", argv, {
    env: c.env ?? process.env,
    stdio: ["ignore", stdout as never, "pipe"],
  });
  const pid = child.pid as number;
  live.add(pid);
  if (devnull !== undefined) closeSync(devnull);
  wc?.stdin?.destroy(); // our copy of the pipe's write end: wc sees EOF when the tool exits
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = tail(stderr + d.toString(), 8000);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killTree(pid, "SIGKILL", false); // the tool and its children; time reports and exits
  }, deadlineMs);
  void abort?.then(() => killTree(pid, "SIGKILL", false));
  const code = await new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const exitAt = Date.now();
  clearTimeout(timer);
  live.delete(pid);
  killTree(pid, "SIGKILL", false); // stragglers (kubetail's background kubectls)
  await wcDone;
  let time: TimedRun["time"];
  if (existsSync(timeFile)) {
    const lines = readFileSync(timeFile, "utf8").trim().split("\n");
    rmSync(timeFile, { force: true });
    for (const l of lines) {
      const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(l.trim());
      if (m) time = { wall: +m[1]!, user: +m[2]!, sys: +m[3]!, maxRssKb: +m[4]! };
      else if (l.trim()) stderr = tail(`${stderr}\n${l}`, 8000);
    }
  }
  return {
    startAt,
    exitAt,
    code,
    timedOut,
    time,
    wcLines: wc ? Number(wcOut.trim()) : undefined,
    stderrTail: stderr.trim(),
  };
}

/** Spawns `c` with stdout piped to us (no wrapper), in a process group of its own. */
export function spawnPiped(c: Command): ChildProcess {
  const child = spawn(c.cmd, c.args, {
    env: c.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const pid = child.pid as number;
  live.add(pid);
  child.on("exit", () => live.delete(pid));
  child.stderr?.resume();
  return child;
}

export async function stopPiped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.on("exit", r));
  killTree(child.pid as number, "SIGKILL");
  await exited;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
