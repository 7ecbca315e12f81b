// Time to first line: process start to the first byte on stdout, against an already-running simulated
// cluster, for this stern and for kubectl (median of N runs each, interleaved); and the time for
// `stern --version` and `node -e 0` to exit. Other stern commands can be added as label=path (an
// installed stern, the single executable, another build's bin/stern).
// On Linux each run's CPU time is shown too (all threads: /proc/<pid>/task/*/schedstat at the first
// byte; `perf stat`'s task-clock for a run to exit): on a machine shared with other work it moves less
// than wall time.
// Run: node bench/first-line.ts [runs] [label=path ...]
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startSim } from "../sim/index.ts";
import { median } from "./lib/stats.ts";

const runs = Number(process.argv[2] ?? 10);
const sim = await startSim();
const pod = sim.addPod({ name: "web-1", containers: [{ name: "app" }] });
pod.log("app", "hello");
const env = { ...process.env, KUBECONFIG: sim.kubeconfigPath, HOME: sim.dir };
const stern = fileURLToPath(new URL("../bin/stern", import.meta.url));

/** CPU time of every thread of the process so far, in ms (Linux); NaN elsewhere. */
function cpuMs(pid: number | undefined): number {
  try {
    let ns = 0;
    for (const t of readdirSync(`/proc/${pid}/task`))
      ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, "utf8").split(" ")[0]);
    return ns / 1e6;
  } catch {
    return Number.NaN;
  }
}

interface Run {
  ms: number;
  cpu: number;
}

const perf = ["/usr/bin/perf", "/usr/local/bin/perf"].find((p) => existsSync(p));

/** CPU ms of a whole run, from `perf stat` (a run of its own: perf's start is not in the wall time). */
function perfCpuMs(cmd: string, args: string[]): Promise<number> {
  if (perf === undefined) return Promise.resolve(Number.NaN);
  return new Promise((resolve) => {
    const child = spawn(perf, ["stat", "-x,", "-e", "task-clock", "--", cmd, ...args], {
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("exit", () => resolve(Number(/^([\d.]+),msec,task-clock/m.exec(err)?.[1] ?? Number.NaN)));
  });
}

/** Until the first byte on stdout (then killed), or with `untilExit` until it exits. */
function measure(cmd: string, args: string[], untilExit: boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "ignore"] });
    let done = false;
    child.stdout.once("data", () => {
      if (untilExit) return;
      done = true;
      const cpu = cpuMs(child.pid);
      resolve({ ms: performance.now() - start, cpu });
      child.kill("SIGKILL");
    });
    child.on("exit", () => {
      if (untilExit) {
        const ms = performance.now() - start;
        perfCpuMs(cmd, args).then((cpu) => resolve({ ms, cpu }));
      } else if (!done) reject(new Error(`${cmd} printed nothing`));
    });
  });
}

type Tool = [label: string, cmd: string, args: string[], untilExit: boolean];
const tools: Tool[] = [
  ["stern (this)", process.execPath, [stern, "web-1"], false],
  ["stern (this) --no-follow", process.execPath, [stern, "web-1", "--no-follow"], false],
];
const extras = process.argv.slice(3).map((e) => e.split("=") as [string, string]);
for (const [label, path] of extras)
  tools.push(
    [label, path, ["web-1"], false],
    [`${label} --no-follow`, path, ["web-1", "--no-follow"], false],
  );
if (existsSync("/usr/bin/kubectl"))
  tools.push(["kubectl logs -f", "/usr/bin/kubectl", ["logs", "-f", "web-1"], false]);
tools.push(["stern (this) --version, to exit", process.execPath, [stern, "--version"], true]);
for (const [label, path] of extras) tools.push([`${label} --version, to exit`, path, ["--version"], true]);
tools.push(["node -e 0, to exit", process.execPath, ["-e", "0"], true]);

const results = new Map<string, Run[]>(tools.map(([n]) => [n, []]));
for (let i = 0; i < runs + 1; i++) {
  for (const [name, cmd, args, untilExit] of tools) {
    const r = await measure(cmd, args, untilExit);
    if (i > 0) results.get(name)?.push(r); // the first round warms the page cache (and compile caches)
  }
}
const f = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "—");
console.log(`| tool | median ms (${runs} runs) | min | max | CPU ms, median |\n|---|---|---|---|---|`);
for (const [name, rs] of results) {
  const ms = rs.map((r) => r.ms);
  console.log(
    `| ${name} | ${f(median(ms))} | ${f(Math.min(...ms))} | ${f(Math.max(...ms))} | ${f(median(rs.map((r) => r.cpu)))} |`,
  );
}
await sim.stop();
