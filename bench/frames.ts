// What the field sends: the same lines in frames of one line, a few lines, 13 KB, 32 KB and 64 KB (a
// kube-apiserver flushes every write of the kubelet's stream, through a 32 KB buffer), over HTTPS with
// HTTP/2 and over plain HTTP/1.1 (kubectl proxy), for this stern, kubectl and the plain readers (the
// same requests with timestamps, counting lines, writing nothing). The simulator runs in a process of
// its own; stdout goes to /dev/null; every stream flows at once (lines/s counts from the moment every
// stream has been requested). Start-up (node or kubectl starting, the LIST, opening every stream) is
// measured apart, on the same streams with one line each, and taken off the CPU per line.
//
//   node bench/frames.ts [--lines 1000000] [--streams 100] [--reps 1] [--frames line,8,13k,32k,64k]
//                        [--transports https,http] [--tools this,kubectl,h1,h2]
//                        [--ab NAME=a,b] [--before DIR]
//
// An A/B of this stern against itself, in one run, runs by runs interleaved: --ab STERN_HTTP2=own,node
// runs it once with each value of the variable; --before DIR adds another build (a copy of its bin/ and
// dist/). Then the table compares those variants instead.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runTimed } from "./lib/proc.ts";
import { SimProcess } from "./lib/sim-client.ts";
import { fmtInt, median, table } from "./lib/stats.ts";
import { fixedCommand, snapshotStern } from "./lib/tools.ts";

const { values: opt } = parseArgs({
  options: {
    lines: { type: "string", default: "1000000" },
    streams: { type: "string", default: "100" },
    reps: { type: "string", default: "1" },
    frames: { type: "string", default: "line,8,13k,32k,64k" },
    transports: { type: "string", default: "https,http" },
    tools: { type: "string", default: "this,kubectl,h1,h2" },
    ab: { type: "string" },
    before: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (opt.help) {
  console.log(
    [
      "node bench/frames.ts [options]",
      "  --lines N          lines in all, spread over the streams (default 1000000)",
      "  --streams N        pods, one stream each (default 100)",
      "  --reps N           runs of each cell; the table shows medians (default 1)",
      "  --frames LIST      what the server writes at once: line, N lines, Nk bytes (default line,8,13k,32k,64k)",
      "  --transports LIST  https (HTTP/2), http (plain HTTP/1.1) (default https,http)",
      "  --tools LIST       this, kubectl, h1 (raw reader over HTTP/1.1), h2 (over HTTP/2)",
      "  --ab NAME=a,b      runs this stern once per value of the environment variable NAME (an A/B table)",
      "  --before DIR       adds the build in DIR (its bin/stern and dist/) as a variant named before",
    ].join("\n"),
  );
  process.exit(0);
}
const totalLines = Number(opt.lines);
const streams = Number(opt.streams);
const reps = Number(opt.reps);
const LINE_BYTES = 100;
/** A line on the wire: the kubelet's 30-byte timestamp and a space, the text, the newline. */
const WIRE_LINE = 31 + LINE_BYTES + 1;

interface Frame {
  label: string;
  bytes: number;
}
const frames: Frame[] = opt.frames.split(",").map((f) => {
  if (f === "line") return { label: "1 line", bytes: 1 };
  if (/^\d+$/.test(f)) return { label: `${f} lines`, bytes: Number(f) * WIRE_LINE };
  const kb = /^(\d+)k$/.exec(f);
  if (kb) return { label: `${kb[1]} KB`, bytes: Number(kb[1]) * 1024 };
  throw new Error(`unknown frame ${f}`);
});
type Tool = "this" | "kubectl" | "h1" | "h2";
const LABEL: Record<Tool, string> = {
  this: "this stern",
  kubectl: "kubectl logs -f --prefix",
  h1: "raw reader, HTTP/1.1",
  h2: "raw reader, one HTTP/2 session",
};
/** What is run: a tool, or (in an A/B) this stern with an environment variable set or another build. */
interface Unit {
  id: string;
  tool: Tool;
  label: string;
  env?: Record<string, string>;
  bin?: string;
}
const abVar = opt.ab ? /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(opt.ab) : undefined;
if (opt.ab && !abVar) throw new Error(`--ab takes NAME=a,b, not ${opt.ab}`);
const abMode = abVar !== undefined || opt.before !== undefined;
const units: Unit[] = [];
for (const tool of opt.tools.split(",") as Tool[]) {
  if (!(tool in LABEL)) throw new Error(`unknown tool ${tool}`);
  if (tool !== "this" || !abMode) {
    units.push({ id: tool, tool, label: LABEL[tool] });
    continue;
  }
  if (opt.before) units.push({ id: "before", tool, label: "before", bin: join(opt.before, "bin", "stern") });
  if (!abVar) units.push({ id: "this", tool, label: "this stern" });
  for (const v of abVar?.[2]?.split(",") ?? [])
    units.push({
      id: `${abVar?.[1]}=${v}`,
      tool,
      label: `${abVar?.[1]}=${v}`,
      env: { [abVar?.[1] ?? ""]: v },
    });
}

interface Cell {
  linesPerSec: number;
  cpuPerM: number;
  rssMb: number;
}
const results = new Map<string, Cell[]>();
/** CPU seconds of a run with one line per stream, per transport and unit. */
const startup = new Map<string, number[]>();
const key = (t: string, f: string, unit: string) => `${t}|${f}|${unit}`;

function command(unit: Unit, kubeconfig: string, namespace: string) {
  const { tool } = unit;
  const base = fixedCommand(tool === "h1" || tool === "h2" ? "limit" : tool, kubeconfig, {
    namespace,
    streams,
    containers: 1,
  });
  const cmd = { ...base, ...(unit.bin ? { cmd: unit.bin } : {}), env: { ...base.env, ...unit.env } };
  return tool === "h2" ? { ...cmd, args: [...cmd.args, "--http2"] } : cmd;
}

/** A new namespace of `streams` pods writing `lines` lines each (held until released, with `gate`). */
async function load(sim: SimProcess, lines: number, gate: boolean, frameBytes?: number): Promise<string> {
  const namespace = `frames${++ns}`;
  await sim.request({
    type: "fast",
    namespace,
    pods: streams,
    containers: 1,
    lines,
    lineBytes: LINE_BYTES,
    gate,
    ...(frameBytes !== undefined ? { frameBytes } : {}),
  });
  return namespace;
}

const started = new Date();
let ns = 0;
snapshotStern();
for (const transport of opt.transports.split(",")) {
  const sim = await SimProcess.start({ plainHttp: transport === "http" });
  try {
    for (let rep = 0; rep < 3; rep++) {
      for (const unit of units) {
        if (unit.tool === "h2" && transport === "http") continue;
        const namespace = await load(sim, 1, false);
        const r = await runTimed(command(unit, sim.kubeconfig, namespace), "devnull", 120_000, sim.exited);
        if (r.code !== 0 || !r.time) continue;
        const k = `${transport}|${unit.id}`;
        startup.set(k, [...(startup.get(k) ?? []), r.time.user + r.time.sys]);
      }
    }
    for (const frame of frames) {
      for (let rep = 0; rep < reps; rep++) {
        for (const unit of units) {
          if (unit.tool === "h2" && transport === "http") continue; // no HTTP/2 without TLS here
          const namespace = await load(sim, Math.round(totalLines / streams), true, frame.bytes);
          const cmd = command(unit, sim.kubeconfig, namespace);
          // Streaming time runs from when every stream has been requested (kubectl opens them at 5 a
          // second) to the exit; CPU counts everything, start-up included.
          let gateAt: number | undefined;
          const gate = sim
            .waitFor("gate-open", (m) => m.namespace === namespace)
            .then((m) => {
              gateAt = m.at;
            });
          const r = await runTimed(cmd, "devnull", 600_000, sim.exited);
          await Promise.race([gate, new Promise((res) => setTimeout(res, 50))]);
          await sim.request({ type: "release" });
          if (r.code !== 0 || !r.time) {
            console.error(
              `${transport} ${frame.label} ${unit.label}: exit ${r.code} ${r.stderrTail.slice(-300)}`,
            );
            continue;
          }
          const cpu = r.time.user + r.time.sys - (startupOf(transport, unit.id) ?? 0);
          const streamingMs = gateAt !== undefined ? r.exitAt - gateAt : r.time.wall * 1000;
          const cell = {
            linesPerSec: totalLines / (streamingMs / 1000),
            cpuPerM: (cpu / totalLines) * 1e6,
            rssMb: r.time.maxRssKb / 1024,
          };
          const k = key(transport, frame.label, unit.id);
          results.set(k, [...(results.get(k) ?? []), cell]);
          console.error(
            `${transport} ${frame.label} ${unit.label}: ${fmtInt(cell.linesPerSec)} lines/s, ${cell.cpuPerM.toFixed(2)} CPU s/M, ${cell.rssMb.toFixed(0)} MB`,
          );
        }
      }
    }
  } finally {
    await sim.stop().catch(() => {});
  }
}

function startupOf(transport: string, unit: string): number | undefined {
  const runs = startup.get(`${transport}|${unit}`);
  return runs && runs.length > 0 ? median(runs) : undefined;
}

const med = (k: string, f: (c: Cell) => number): number | undefined => {
  const cells = results.get(k);
  return cells && cells.length > 0 ? median(cells.map(f)) : undefined;
};
const show = (n: number | undefined, digits = 0, unit = "") =>
  n === undefined ? "—" : `${digits === 0 ? fmtInt(n) : n.toFixed(digits)}${unit}`;
const ratio = (a: number | undefined, b: number | undefined, pct = false) =>
  a === undefined || b === undefined
    ? "—"
    : pct
      ? `${Math.round((a / b) * 100)} %`
      : `${(a / b).toFixed(2)}×`;
const transportLabel = (t: string) => (t === "https" ? "HTTPS, HTTP/2" : "plain HTTP/1.1");

console.log(
  `${fmtInt(totalLines)} lines of ${LINE_BYTES} bytes over ${streams} streams, all flowing at once, stdout to /dev/null; medians of ${reps} run(s); started ${started.toISOString()}. ` +
    "CPU per line: user + system time of the whole process, start-up (below) taken off.\n",
);
const rows: string[][] = [];
if (abMode) {
  // Each variant against the first: lines/s, CPU per line and peak RSS.
  const variants = units.filter((u) => u.tool === "this");
  const [first] = variants;
  for (const transport of opt.transports.split(","))
    for (const frame of frames) {
      const k = (u: Unit) => key(transport, frame.label, u.id);
      const cpu = (u: Unit) => med(k(u), (c) => c.cpuPerM);
      rows.push([
        transportLabel(transport),
        frame.label,
        ...variants.map((u) => show(med(k(u), (c) => c.linesPerSec))),
        ...variants.map((u) => show(cpu(u), 2)),
        ...variants.slice(1).map((u) => (first ? ratio(cpu(u), cpu(first), true) : "—")),
        ...variants.map((u) => show(med(k(u), (c) => c.rssMb))),
      ]);
    }
  const names = variants.map((u) => u.label);
  console.log(
    table(
      [
        "transport",
        "frame",
        ...names.map((n) => `lines/s ${n}`),
        ...names.map((n) => `CPU s per M lines ${n}`),
        ...names.slice(1).map((n) => `CPU ${n} ÷ ${names[0]}`),
        ...names.map((n) => `peak RSS MB ${n}`),
      ],
      rows,
    ),
  );
} else {
  for (const transport of opt.transports.split(",")) {
    const raw = transport === "https" ? "h2" : "h1";
    for (const frame of frames) {
      const k = (tool: string) => key(transport, frame.label, tool);
      const tput = (tool: string) => med(k(tool), (c) => c.linesPerSec);
      const cpu = (tool: string) => med(k(tool), (c) => c.cpuPerM);
      const rss = (tool: string) => med(k(tool), (c) => c.rssMb);
      rows.push([
        transportLabel(transport),
        frame.label,
        show(tput("this"), 0),
        show(tput("kubectl"), 0),
        show(tput("h1"), 0),
        show(tput("h2"), 0),
        ratio(tput("this"), tput("kubectl")),
        ratio(tput("this"), tput(raw), true),
        `${show(cpu("this"), 2)} / ${show(cpu("kubectl"), 2)} / ${show(cpu(raw), 2)}`,
        ratio(cpu("this"), cpu("kubectl"), true),
        `${show(rss("this"))} / ${show(rss("kubectl"))} / ${show(rss(raw))}`,
      ]);
    }
  }
  console.log(
    table(
      [
        "transport",
        "frame",
        "this stern lines/s",
        "kubectl",
        "raw H1",
        "raw H2",
        "this ÷ kubectl",
        "this ÷ raw",
        "CPU s per M lines, start-up apart: this / kubectl / raw",
        "this CPU ÷ kubectl's",
        "peak RSS MB: this / kubectl / raw",
      ],
      rows,
    ),
  );
}

console.log(
  `\nStart-up CPU (seconds; the same ${streams} streams with one line each, median of 3): ` +
    opt.transports
      .split(",")
      .map(
        (t) =>
          `${transportLabel(t)}: ` +
          units
            .filter((u) => !(u.tool === "h2" && t === "http"))
            .map((u) => `${u.label} ${show(startupOf(t, u.id), 2)}`)
            .join(", "),
      )
      .join("; "),
);
