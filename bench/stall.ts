// Backpressure: 100 streams at full rate into a stdout nobody reads for 30 s. stern must stop reading
// the API streams instead of buffering, so its memory stays bounded; then it must go on at full speed.
// Run: node bench/stall.ts [stallSeconds]
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { SimProcess } from "./lib/sim-client.ts";

const stallSeconds = Number(process.argv[2] ?? 30);
const stern = fileURLToPath(new URL("../bin/stern", import.meta.url));

function rssKb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const get = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: get("VmRSS"), hwm: get("VmHWM") };
}

const sim = await SimProcess.start();
await sim.request({
  type: "fast",
  namespace: "stall",
  pods: 100,
  containers: 1,
  lines: 200_000,
  lineBytes: 100,
  gate: false,
});
// bin/stern itself, as a user runs it: the Node flags it sets are part of what is measured.
const child = spawn(stern, ["-n", "stall", "load-", "--no-follow", "--max-log-requests", "100"], {
  env: {
    ...process.env,
    KUBECONFIG: sim.kubeconfig,
    PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
  },
  stdio: ["ignore", "pipe", "ignore"],
});
child.stdout.pause();
const pid = child.pid as number;
let peakDuringStall = 0;
const start = performance.now();
while (performance.now() - start < stallSeconds * 1000) {
  await new Promise((r) => setTimeout(r, 200));
  peakDuringStall = Math.max(peakDuringStall, rssKb(pid).rss);
}
const hwmAtStall = rssKb(pid).hwm;
let lines = 0;
child.stdout.on("data", (d: Buffer) => {
  for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
});
child.stdout.resume();
const resumed = performance.now();
let peakAfter = 0;
const sampler = setInterval(() => {
  try {
    peakAfter = Math.max(peakAfter, rssKb(pid).rss);
  } catch {}
}, 200);
await new Promise((r) => child.on("exit", r));
clearInterval(sampler);
const drainSeconds = (performance.now() - resumed) / 1000;
await sim.stop();
console.log("| measure | value |\n|---|---|");
console.log(`| streams | 100 at full rate, ${(100 * 200_000).toLocaleString("en")} lines of ~100 bytes |`);
console.log(`| stdout stalled for | ${stallSeconds} s |`);
console.log(
  `| peak RSS while stalled | ${(peakDuringStall / 1024).toFixed(0)} MB (high-water mark ${(hwmAtStall / 1024).toFixed(0)} MB) |`,
);
console.log(`| peak RSS after the reader resumed | ${(peakAfter / 1024).toFixed(0)} MB |`);
console.log(
  `| lines read after resuming | ${lines.toLocaleString("en")} in ${drainSeconds.toFixed(1)} s (${Math.round(lines / drainSeconds).toLocaleString("en")} lines/s) |`,
);
