// Where the CPU goes on the hot path: this stern (or the raw reader) reads one namespace of log streams
// in frames of a chosen size, under V8's sampling profiler, and the top entries by self time are
// printed (functions folded by name and place; "(garbage collector)", "(program)" and "(idle)" are V8's).
//
//   node bench/profile.ts [--transport https|http] [--frame line|8|13k|32k|64k] [--lines 1000000]
//                         [--streams 100] [--tool this|h1|h2] [--top 25]
import { spawn } from "node:child_process";
import { mkdtempSync, openSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SimProcess } from "./lib/sim-client.ts";
import { fixedCommand } from "./lib/tools.ts";

const { values: opt } = parseArgs({
  options: {
    transport: { type: "string", default: "https" },
    frame: { type: "string", default: "line" },
    lines: { type: "string", default: "1000000" },
    streams: { type: "string", default: "100" },
    tool: { type: "string", default: "this" },
    top: { type: "string", default: "25" },
  },
});
const WIRE_LINE = 31 + 100 + 1;
const frameBytes =
  opt.frame === "line"
    ? 1
    : /^\d+$/.test(opt.frame)
      ? Number(opt.frame) * WIRE_LINE
      : Number(/^(\d+)k$/.exec(opt.frame)?.[1] ?? 64) * 1024;
const streams = Number(opt.streams);

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const sim = await SimProcess.start({ plainHttp: opt.transport === "http" });
try {
  await sim.request({
    type: "fast",
    namespace: "prof",
    pods: streams,
    containers: 1,
    lines: Math.round(Number(opt.lines) / streams),
    lineBytes: 100,
    gate: false,
    frameBytes,
  });
  const base = fixedCommand(opt.tool === "this" ? "this" : "limit", sim.kubeconfig, {
    namespace: "prof",
    streams,
    containers: 1,
  });
  const dir = mkdtempSync(join(tmpdir(), "stern-profile-"));
  // bin/stern and the reader are both scripts run by this Node: profile them under it.
  const args = [
    ...(process.env.PROFILE_NODE_FLAGS ? process.env.PROFILE_NODE_FLAGS.split(" ") : []),
    "--cpu-prof",
    `--cpu-prof-dir=${dir}`,
    ...(base.cmd === process.execPath ? base.args : [base.cmd, ...base.args]),
    ...(opt.tool === "h2" ? ["--http2"] : []),
  ];
  let stderr = "";
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn("/usr/bin/time", ["-f", "TIME %U %S %M", process.execPath, ...args], {
      env: {
        ...base.env,
        ...(process.env.PROFILE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.PROFILE_NODE_OPTIONS } : {}),
      },
      // PROFILE_STDOUT: a file for the tool's output (with PROFILE_NODE_FLAGS=--trace-gc, say).
      stdio: [
        "ignore",
        process.env.PROFILE_STDOUT ? openSync(process.env.PROFILE_STDOUT, "w") : "ignore",
        "pipe",
      ],
    });
    child.stderr?.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    child.on("exit", resolve);
  });
  const wall = performance.now() - started;
  if (code !== 0) throw new Error(`exit ${code}: ${stderr.slice(-500)}`);
  const [user, sys, rssKb] = (/TIME (\S+) (\S+) (\d+)/.exec(stderr) ?? []).slice(1).map(Number);
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error("no profile written");
  const prof = JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile;
  const self = new Map<number, number>();
  for (let i = 0; i < prof.samples.length; i++) {
    const id = prof.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  const byName = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const n of prof.nodes) {
    const us = self.get(n.id) ?? 0;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === "(idle)") {
      idle += us;
      continue;
    }
    total += us;
    const where = url ? `${url.replace(/^.*\//, "")}:${lineNumber + 1}` : "";
    const k = `${functionName || "(anonymous)"} ${where}`.trim();
    byName.set(k, (byName.get(k) ?? 0) + us);
  }
  console.log(
    `${opt.tool} over ${opt.transport}, frames of ${opt.frame}, ${Number(opt.lines).toLocaleString("en")} lines over ${streams} streams: ` +
      `${(wall / 1000).toFixed(2)} s wall, ${(total / 1e6).toFixed(2)} s sampled outside idle (idle ${(idle / 1e6).toFixed(2)} s); ` +
      `CPU of the process ${user} s user + ${sys} s system (all threads, profiler included), peak RSS ${Math.round((rssKb ?? 0) / 1024)} MB\n`,
  );
  console.log("| self ms | share | function |\n| --- | --- | --- |");
  const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, Number(opt.top));
  for (const [name, us] of top)
    console.log(`| ${(us / 1000).toFixed(0)} | ${((us / total) * 100).toFixed(1)} % | \`${name}\` |`);
  // PROFILE_CALLERS=name: where that function's self time comes from (caller chains, 4 deep).
  const callee = process.env.PROFILE_CALLERS;
  if (callee) {
    const parent = new Map<number, Node>();
    for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n);
    const chains = new Map<string, number>();
    for (const n of prof.nodes) {
      if (n.callFrame.functionName !== callee) continue;
      const names: string[] = [];
      for (let p = parent.get(n.id), d = 0; p && d < 4; p = parent.get(p.id), d++)
        names.push(`${p.callFrame.functionName || "(anonymous)"}:${p.callFrame.lineNumber + 1}`);
      const k = names.join(" < ");
      chains.set(k, (chains.get(k) ?? 0) + (self.get(n.id) ?? 0));
    }
    console.log(`\ncallers of ${callee}:`);
    for (const [k, us] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, 8))
      console.log(`${(us / 1000).toFixed(0)} ms  ${k}`);
  }
} finally {
  await sim.stop().catch(() => {});
}
