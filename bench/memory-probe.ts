// Where this stern's memory goes at full rate: N streams of a fixed total of lines, to /dev/null or
// into a pipe to `wc -l`, with a sampler preloaded into the stern process (process.memoryUsage()
// every 20 ms) next to the kernel's VmHWM, and its CPU time. Environment variables pass through to stern
// (STERN_HTTP1=1); PROBE_NODE_FLAGS adds Node flags (--max-semi-space-size=16: V8's default young
// generation instead of the one bin/stern sets). PROBE_PLAIN=1: the simulator serves plain HTTP/1.1
// (as kubectl proxy); PROBE_FRAME=bytes: what it writes at once (1 = a line per write; default 64 KB).
// The second table breaks the peak down: V8's heap (its young generation apart), memory outside it
// (Buffers), and the rest of the process (code, libuv, OpenSSL, malloc), each when RSS was highest.
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
import { getHeapSpaceStatistics } from "node:v8";
const max = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
let peak = {};
setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss > max.rss) {
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]));
    peak = { ...m, newSpace: spaces.new_space ?? 0, oldSpace: spaces.old_space ?? 0 };
  }
  for (const k of Object.keys(max)) if (m[k] > max[k]) max[k] = m[k];
}, 20).unref();
process.on("exit", () => {
  const hwm = Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync("/proc/self/status", "utf8"))[1]) * 1024;
  const cpu = process.cpuUsage();
  writeFileSync(process.env.STERN_PROBE_OUT, JSON.stringify({ ...max, hwm, peak, cpu: (cpu.user + cpu.system) / 1000 }));
});
`,
);

const mb = (n: number) => (n / 1048576).toFixed(0);
const plain = process.env.PROBE_PLAIN === "1";
const frame = process.env.PROBE_FRAME ? Number(process.env.PROBE_FRAME) : undefined;
const sim = await SimProcess.start({ plainHttp: plain });
console.log(
  `${streams} streams, ${lines.toLocaleString("en")} lines, ${output === "pipe" ? "pipe to wc -l" : "/dev/null"}, ` +
    `${plain ? "plain HTTP/1.1" : "HTTPS"}, ${frame === undefined ? "64 KB" : `${frame} bytes`} a write at most`,
);
console.log("| run | ms | CPU ms | VmHWM MB | heap used MB | external MB | ArrayBuffers MB |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
const peaks: string[] = [];
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
      ...(frame !== undefined ? { frameBytes: frame } : {}),
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
    const m = JSON.parse(readFileSync(out, "utf8")) as Record<string, number> & {
      peak: Record<string, number>;
    };
    console.log(
      `| ${run} | ${ms.toFixed(0)} | ${(m.cpu ?? 0).toFixed(0)} | ${mb(m.hwm ?? 0)} | ${mb(m.heapUsed ?? 0)} | ${mb(m.external ?? 0)} | ${mb(m.arrayBuffers ?? 0)} |`,
    );
    const p = m.peak;
    const at = (k: string) => p[k] ?? 0;
    const [rss, heap, young, old, external] = [
      at("rss"),
      at("heapTotal"),
      at("newSpace"),
      at("oldSpace"),
      at("external"),
    ];
    peaks.push(
      `| ${run} | ${mb(rss)} | ${mb(heap)} | ${mb(young)} | ${mb(old)} | ${mb(heap - young - old)} | ${mb(external)} | ${mb(rss - heap - external)} |`,
    );
  }
  console.log("\nAt the peak of RSS (MB):\n");
  console.log(
    "| run | RSS | V8 heap (committed) | of which young generation | old space | other spaces (code, maps, large objects) | outside the heap (Buffers) | the rest (code, libuv, OpenSSL, malloc) |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const line of peaks) console.log(line);
} finally {
  await sim.request({ type: "stop" }).catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
