// What a real kubelet's log rotation does to a follow stream (kubelet-field.md K2), and what stern's
// stall checks cost the API server. Two measures, this stern and kubectl logs -f in the same run:
// 1. A busy container (100 lines/s) whose stream stalls at a rotation, over HTTP/2 and HTTP/1.1:
//    seconds from the stall to the first line written after it reaching stdout, and lines lost.
// 2. Quiet streams (one line each, then nothing) left open: checks (tailLines=1 requests) per minute.
// Run: node bench/kubelet-stalls.ts [reps] [quietStreams] [quietMinutes]
import { spawn } from "node:child_process";
import { startSim } from "../sim/index.ts";
import { spawnStern } from "../test/e2e/stern-process.ts";

const [reps = 5, quietStreams = 500, quietMinutes = 5] = process.argv.slice(2).map(Number);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sim = await startSim({ namespaces: ["stall", "quiet"] });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** The numbers of "n=…" lines in order, and how many of 0..last are missing or repeated. */
function check(out: string, upTo: number): { missing: number; repeated: number } {
  const nums = out
    .split("\n")
    .map((l) => /n=(\d+)$/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
  const seen = new Set(nums);
  let missing = 0;
  for (let i = 0; i <= upTo; i++) if (!seen.has(i)) missing++;
  return { missing, repeated: nums.length - seen.size };
}

async function sternStall(transport: "http2" | "http1", rep: number) {
  const name = `web-${transport}-${rep}`;
  const pod = sim.addPod({ namespace: "stall", name, containers: [{ name: "app" }] });
  const emit = pod.emit("app", { lines: 100_000, rate: 100, make: (i) => `n=${i}` });
  const run = spawnStern(["-n", "stall", name, "-o", "raw", "--only-log-lines"], {
    kubeconfig: sim.kubeconfigPath,
    env: transport === "http1" ? { STERN_HTTP1: "1" } : {},
  });
  await run.waitFor("n=200\n", 30_000);
  pod.rotateLog("app", { streams: "stall" });
  const at = performance.now();
  const after = emit.emitted + 1;
  await run.waitFor(`n=${after}\n`, 60_000);
  const seconds = (performance.now() - at) / 1000;
  emit.stop();
  await sleep(1000);
  const r = check(run.stdout(), emit.emitted - 1);
  run.kill("SIGTERM");
  await run.exited();
  return { seconds, ...r };
}

async function kubectlStall(rep: number) {
  const name = `web-kubectl-${rep}`;
  const pod = sim.addPod({ namespace: "stall", name, containers: [{ name: "app" }] });
  const emit = pod.emit("app", { lines: 100_000, rate: 100, make: (i) => `n=${i}` });
  const child = spawn(
    "/usr/bin/kubectl",
    ["--kubeconfig", sim.kubeconfigPath, "-n", "stall", "logs", "-f", name],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH, HOME: sim.dir },
    },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  while (!out.includes("n=200\n")) await sleep(20);
  pod.rotateLog("app", { streams: "stall" });
  // As long as stern was given, and more: kubectl does not come back.
  await sleep(10_000);
  emit.stop();
  const r = check(out, emit.emitted - 1);
  child.kill();
  return { seconds: Number.POSITIVE_INFINITY, ...r };
}

const rows: string[] = [];
for (const [label, run] of [
  ["this stern, HTTP/2", (i: number) => sternStall("http2", i)],
  ["this stern, HTTP/1.1", (i: number) => sternStall("http1", i)],
  ["kubectl logs -f", (i: number) => kubectlStall(i)],
] as const) {
  const results = [];
  for (let i = 0; i < (label.startsWith("kubectl") ? Math.min(reps, 2) : reps); i++)
    results.push(await run(i));
  const secs = results.map((r) => r.seconds);
  rows.push(
    `| ${label} | ${Number.isFinite(median(secs)) ? median(secs).toFixed(2) : "never"} | ${Number.isFinite(Math.max(...secs)) ? Math.max(...secs).toFixed(2) : "never"} | ${results.map((r) => r.missing).join(", ")} | ${results.map((r) => r.repeated).join(", ")} |`,
  );
}
console.log(`A busy container's stream stalls at a rotation (${reps} runs; kubectl 2)\n`);
console.log("| client | seconds to lines again, median | max | lines lost per run | repeated |");
console.log("|---|---|---|---|---|");
for (const r of rows) console.log(r);

// Quiet streams: each container logs one line and then nothing.
const pods = Array.from({ length: quietStreams }, (_, i) =>
  sim.addPod({ namespace: "quiet", name: `q-${i}`, containers: [{ name: "app" }] }).log("app", "hello"),
);
void pods;
sim.clearRequests();
const run = spawnStern(
  ["-n", "quiet", "q-", "--only-log-lines", "--max-log-requests", String(quietStreams)],
  {
    kubeconfig: sim.kubeconfigPath,
  },
);
const started = Date.now();
const perMinute: number[] = [];
for (let m = 0; m < quietMinutes; m++) {
  await sleep(60_000);
  const probes = sim.requests.filter(
    (q) => q.query.get("tailLines") === "1" && q.time >= started + m * 60_000,
  );
  perMinute.push(probes.filter((q) => q.time < started + (m + 1) * 60_000).length);
}
const follows = sim.requests.filter((q) => q.query.get("follow") === "true").length;
run.kill("SIGTERM");
await run.exited();
console.log(`\n${quietStreams} quiet streams for ${quietMinutes} minutes (default settings)\n`);
console.log("| minute | checks (tailLines=1 requests) |");
console.log("|---|---|");
for (const [m, n] of perMinute.entries()) console.log(`| ${m + 1} | ${n} |`);
console.log(`\nfollow requests: ${follows} (one per stream: none reopened)`);
await sim.stop();
