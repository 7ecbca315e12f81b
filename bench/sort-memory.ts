// --no-follow --sort over many long streams: the merge must not read whole streams into memory.
// Run: node bench/sort-memory.ts [containers] [linesEach]
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SimProcess } from "./lib/sim-client.ts";

const [containers = 100, linesEach = 100_000] = process.argv.slice(2).map(Number);
const stern = fileURLToPath(new URL("../bin/stern", import.meta.url));

const sim = await SimProcess.start();
const results: string[] = [];
for (const sort of [false, true]) {
  const ns = `sortmem-${sort ? "on" : "off"}`;
  await sim.request({
    type: "fast",
    namespace: ns,
    pods: containers,
    containers: 1,
    lines: linesEach,
    lineBytes: 100,
    gate: false,
  });
  const args = [
    "-n",
    ns,
    "load-",
    "--no-follow",
    "--max-log-requests",
    String(containers),
    "--color",
    "never",
  ];
  if (sort) args.push("--sort");
  const started = performance.now();
  const child = spawn(stern, args, {
    env: { ...process.env, KUBECONFIG: sim.kubeconfig },
    stdio: ["ignore", "pipe", "ignore"],
  });
  let lines = 0;
  let peak = 0;
  child.stdout.on("data", (d: Buffer) => {
    for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
  });
  const sampler = setInterval(() => {
    try {
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0);
      peak = Math.max(peak, hwm);
    } catch {}
  }, 100);
  await new Promise((r) => child.on("exit", r));
  clearInterval(sampler);
  const secs = (performance.now() - started) / 1000;
  results.push(
    `| ${sort ? "--sort" : "(no sort)"} | ${lines.toLocaleString("en")} | ${secs.toFixed(1)} s | ${Math.round(lines / secs).toLocaleString("en")} | ${(peak / 1024).toFixed(0)} MB |`,
  );
}
await sim.stop();
console.log(
  `${containers} containers x ${linesEach.toLocaleString("en")} lines, --no-follow, stdout read by this script\n`,
);
console.log("| mode | lines | wall | lines/s | peak RSS |\n|---|---|---|---|---|");
for (const r of results) console.log(r);
