// Seconds from a black hole (every open connection silent, no FIN or RST) to lines flowing again,
// with the health checks' defaults (30 s without a frame read, then 15 s for the PING's ACK), over
// HTTP/2 and HTTP/1.1; kubectl logs -f beside it (it gives up rather than resuming).
// Run: node bench/blackhole.ts [reps]
import { spawn } from "node:child_process";
import { startSim } from "../sim/index.ts";
import { spawnStern } from "../test/e2e/stern-process.ts";

const reps = Number(process.argv[2] ?? 3);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sim = await startSim({ network: true, namespaces: ["bh"] });

/**
 * Lines of n=… every 100 ms, streaming for `busyLines` lines before the black hole; resolves the time
 * from the black hole to a line written after it.
 */
async function stern(
  transport: "http2" | "http1",
  rep: number,
  busyLines: number,
): Promise<{ ms: number; ok: boolean }> {
  const name = `web-${transport}-${rep}`;
  const pod = sim.addPod({ namespace: "bh", name, containers: [{ name: "app" }] });
  const emit = pod.emit("app", { lines: 100_000, rate: 10, make: (i) => `n=${i}` });
  const run = spawnStern(["-n", "bh", name, "-o", "raw", "--only-log-lines"], {
    kubeconfig: sim.kubeconfigPath,
    env: transport === "http1" ? { STERN_HTTP1: "1" } : {},
  });
  await run.waitFor(`n=${busyLines}\n`, 30_000);
  sim.faults.blackhole();
  const holeAt = performance.now();
  const after = emit.emitted + 1;
  await run.waitFor(`n=${after}\n`, 120_000);
  const ms = performance.now() - holeAt;
  await sleep(500);
  const nums = run
    .stdout()
    .split("\n")
    .filter(Boolean)
    .map((l) => Number(l.slice(2)));
  const ok = nums.every((n, i) => n === i);
  emit.stop();
  run.kill("SIGTERM");
  await run.exited();
  return { ms, ok };
}

async function kubectl(rep: number): Promise<number> {
  const name = `web-kubectl-${rep}`;
  const pod = sim.addPod({ namespace: "bh", name, containers: [{ name: "app" }] });
  const emit = pod.emit("app", { lines: 100_000, rate: 10 });
  const child = spawn(
    "/usr/bin/kubectl",
    ["--kubeconfig", sim.kubeconfigPath, "-n", "bh", "logs", "-f", name],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH, HOME: sim.dir },
    },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  while (!out.includes("line 5\n")) await sleep(20);
  sim.faults.blackhole();
  const holeAt = performance.now();
  await new Promise((r) => child.on("exit", r));
  emit.stop();
  return performance.now() - holeAt;
}

const rows: string[] = [];
// 5 lines (0.5 s) before the black hole: no busy history, client-go's 30 s + 15 s apply; 80 lines
// (8 s): a busy connection gone silent is pinged after 5 s.
const cases = [
  ["http2", 5, "HTTP/2, 0.5 s of lines before"],
  ["http2", 80, "HTTP/2, 8 s of lines before"],
  ["http1", 5, "HTTP/1.1"],
] as const;
for (const [t, busy, label] of cases) {
  for (let i = 0; i < reps; i++) {
    const r = await stern(t, i * 1000 + busy, busy);
    const lines = r.ok ? "every line once, in order" : "LINES LOST OR REPEATED";
    rows.push(`| this stern, ${label} | ${(r.ms / 1000).toFixed(1)} s to lines again | ${lines} |`);
  }
}
for (let i = 0; i < reps; i++) {
  const ms = await kubectl(i);
  rows.push(
    `| kubectl logs -f, HTTP/2 | exits after ${(ms / 1000).toFixed(1)} s (http2: client connection lost) | follows no more |`,
  );
}
console.log("| client | from the black hole | lines |\n|---|---|---|");
for (const r of rows) console.log(r);
await sim.stop();
