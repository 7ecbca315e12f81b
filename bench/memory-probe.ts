// Where this stern's memory goes at full rate: N streams of a fixed total of lines, to /dev/null or
// into a pipe to `wc -l`, with a sampler preloaded into the stern process (process.memoryUsage()
// every 20 ms) next to the kernel's VmHWM, and its CPU time. Environment variables pass through to stern
// (STERN_HTTP1=1); PROBE_NODE_FLAGS adds Node flags (--max-semi-space-size=16: V8's default young
// generation instead of the one bin/stern sets).
// Run: node bench/memory-probe.ts [streams=500] [devnull|pipe] [runs=3] [lines=2000000]
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SimProcess } from "./lib/sim-client.ts";

const streams = Number(process.argv[2] ?? 500);
const output = process.argv[3] === "pipe" ? "pipe" : "devnull";
const runs = Number(process.argv[4] ?? 3);
const lines = Number(process.argv[5] ?? 2_000_000);
// PROBE_BIN: another build's bin/stern, for an A/B of two versions in one period.
const bin = process.env.PROBE_BIN ?? fileURLToPath(new URL("../bin/stern", import.meta.url));

const dir = mkdtempSync(join(tmpdir(), "stern-memory-probe-"));
const preload = join(dir, "sampler.mjs");
writeFileSync(
  preload,
  `import { readFileSync, writeFileSync } from "node:fs";
const max = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
setInterval(() => {
  const m = process.memoryUsage();
  for (const k of Object.keys(max)) if (m[k] > max[k]) max[k] = m[k];
}, 20).unref();
process.on("exit", () => {
  const hwm = Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync("/proc/self/status", "utf8"))[1]) * 1024;
  const cpu = process.cpuUsage();
  writeFileSync(process.env.STERN_PROBE_OUT, JSON.stringify({ ...max, hwm, cpu: (cpu.user + cpu.system) / 1000 }));
});
`,
);

const mb = (n: number) => (n / 1048576).toFixed(0);
const sim = await SimProcess.start();
console.log(
  `${streams} streams, ${lines.toLocaleString("en")} lines, ${output === "pipe" ? "pipe to wc -l" : "/dev/null"}`,
);
console.log("| run | ms | CPU ms | VmHWM MB | heap used MB | external MB | ArrayBuffers MB |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
try {
  for (let run = 1; run <= runs; run++) {
    const ns = `probe${run}`;
    await sim.request({
      type: "fast",
      namespace: ns,
      pods: streams,
      containers: 1,
      lines: Math.round(lines / streams),
      lineBytes: 100,
      gate: true,
    });
    const out = join(dir, `run${run}.json`);
    // bin/stern itself (it sets its Node flags), with the sampler preloaded.
    const cmd =
      `"${process.execPath}" ${process.env.PROBE_NODE_FLAGS ?? ""} --import "${preload}" "${bin}" -n ${ns} load- ` +
      `--no-follow --max-log-requests ${streams + 1} --qps -1 2>/dev/null ` +
      (output === "pipe" ? "| wc -l >/dev/null" : ">/dev/null");
    const t0 = performance.now();
    const child = spawn("bash", ["-c", cmd], {
      env: { ...process.env, KUBECONFIG: sim.kubeconfig, STERN_PROBE_OUT: out },
      stdio: "inherit",
    });
    await new Promise((resolve) => child.on("exit", resolve));
    const ms = performance.now() - t0;
    const m = JSON.parse(readFileSync(out, "utf8")) as Record<string, number>;
    console.log(
      `| ${run} | ${ms.toFixed(0)} | ${(m.cpu ?? 0).toFixed(0)} | ${mb(m.hwm ?? 0)} | ${mb(m.heapUsed ?? 0)} | ${mb(m.external ?? 0)} | ${mb(m.arrayBuffers ?? 0)} |`,
    );
  }
} finally {
  await sim.request({ type: "stop" }).catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
