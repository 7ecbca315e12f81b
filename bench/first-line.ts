// Time to first line: process start to the first byte on stdout, against an already-running simulated
// cluster, for this stern and for kubectl (median of N runs each, interleaved). Other stern commands
// can be added as label=path (an installed stern, the single executable).
// Run: node bench/first-line.ts [runs] [label=path ...]
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startSim } from "../sim/index.ts";

const runs = Number(process.argv[2] ?? 10);
const sim = await startSim();
const pod = sim.addPod({ name: "web-1", containers: [{ name: "app" }] });
pod.log("app", "hello");
const env = { ...process.env, KUBECONFIG: sim.kubeconfigPath, HOME: sim.dir };
const stern = fileURLToPath(new URL("../bin/stern", import.meta.url));

function firstByteMs(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "ignore"] });
    let done = false;
    child.stdout.once("data", () => {
      done = true;
      resolve(performance.now() - start);
      child.kill("SIGKILL");
    });
    child.on("exit", () => {
      if (!done) reject(new Error(`${cmd} printed nothing`));
    });
  });
}

const tools: [string, string, string[]][] = [
  ["stern (this)", process.execPath, [stern, "web-1"]],
  ["stern (this) --no-follow", process.execPath, [stern, "web-1", "--no-follow"]],
];
for (const extra of process.argv.slice(3)) {
  const [label, path] = extra.split("=") as [string, string];
  tools.push([label, path, ["web-1"]], [`${label} --no-follow`, path, ["web-1", "--no-follow"]]);
}
if (existsSync("/usr/bin/kubectl"))
  tools.push(["kubectl logs -f", "/usr/bin/kubectl", ["logs", "-f", "web-1"]]);
const times = new Map<string, number[]>(tools.map(([n]) => [n, []]));
for (let i = 0; i < runs + 1; i++) {
  for (const [name, cmd, args] of tools) {
    const ms = await firstByteMs(cmd, args);
    if (i > 0) times.get(name)?.push(ms); // the first round warms the page cache
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
console.log(`| tool | median ms (${runs} runs) | min | max |\n|---|---|---|---|`);
for (const [name, xs] of times) {
  console.log(
    `| ${name} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)} | ${Math.max(...xs).toFixed(0)} |`,
  );
}
await sim.stop();
