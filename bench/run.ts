// The benchmark: this stern against kubectl, kubetail and a plain Node reader (the limit), on the simulated
// cluster running in a process of its own (bench/lib/sim-child.ts).
//
//   npm run bench:all [-- --quick] [--cases 1,10,100,500,1000,10x5] [--reps 3] [--tools this,kubectl,kubetail,limit]
//                 [--outputs devnull,pipe] [--measures throughput,first-line,replacement,idle,stall] [--lines N]
//
// Writes bench/results/<YYYY-MM-DD-HHMM>.md and, for a complete run (not --quick, no subset), bench/results/latest.md.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { killAll, type Output, procStatusKb, runTimed, sleep, spawnPiped, stopPiped } from "./lib/proc.ts";
import { SimProcess } from "./lib/sim-client.ts";
import { fmtInt, fmtMs, fmtNum, fmtPct, fmtRatio, median, percentile, table } from "./lib/stats.ts";
import {
  ALL_TOOLS,
  ensureKubetail,
  fixedCommand,
  followCommand,
  KUBECTL,
  KUBETAIL,
  snapshotStern,
  TOOL_LABEL,
  type ToolId,
  versionOf,
} from "./lib/tools.ts";

// ---------------------------------------------------------------- options

// --from-json FILE renders the report again from a run's raw data (bench/results/<stamp>.json), with the
// options that run had.
const fromJson = process.argv.indexOf("--from-json");
const saved: Saved | undefined =
  fromJson > 0
    ? JSON.parse(readFileSync(process.argv[fromJson + 1] ?? "", "utf8"), (_k, v) =>
        v === "NaN" ? Number.NaN : v,
      )
    : undefined;
const argv = saved ? saved.argv : process.argv.slice(2);

const { values: opt } = parseArgs({
  args: argv,
  options: {
    quick: { type: "boolean", default: false },
    cases: { type: "string" },
    reps: { type: "string" },
    tools: { type: "string" },
    outputs: { type: "string" },
    measures: { type: "string" },
    lines: { type: "string" },
    "line-bytes": { type: "string", default: "100" },
    deadline: { type: "string", default: "300" },
    "kubetail-lines": { type: "string" },
    "kubetail-cap": { type: "string" },
    "kubetail-max-streams": { type: "string", default: "100" },
    "first-line-runs": { type: "string" },
    replacements: { type: "string" },
    "idle-pods": { type: "string" },
    "idle-tools": { type: "string" },
    "stall-seconds": { type: "string" },
    "stall-lines": { type: "string" },
    "stall-tools": { type: "string" },
    "no-write": { type: "boolean", default: false },
    "from-json": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opt.help) {
  const src = fileURLToPath(import.meta.url);
  process.stdout.write(`${spawnSync("sed", ["-n", "3,6p", src], { encoding: "utf8" }).stdout}`);
  process.exit(0);
}
const quick = opt.quick;
// Only a complete run replaces latest.md (the table the README summarizes): not --quick, nor a subset.
const complete =
  !quick &&
  ["cases", "reps", "tools", "outputs", "measures", "lines"].every(
    (k) => opt[k as keyof typeof opt] === undefined,
  );
const list = (s: string | undefined, d: string) =>
  (s ?? d)
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
const num = (s: string | undefined, d: number) => (s === undefined ? d : Number(s));

interface Case {
  id: string;
  pods: number;
  containers: number;
}
function parseCase(id: string): Case {
  const m = /^(\d+)(?:x(\d+))?$/.exec(id);
  if (!m) throw new Error(`bad case ${id}: N or PODSxCONTAINERS`);
  return { id, pods: Number(m[1]), containers: Number(m[2] ?? 1) };
}
const cases = list(opt.cases, quick ? "1,10,100" : "1,10,100,500,1000,10x5").map(parseCase);
const reps = num(opt.reps, quick ? 1 : 3);
const tools = list(opt.tools, ALL_TOOLS.join(",")) as ToolId[];
for (const t of tools) if (!ALL_TOOLS.includes(t)) throw new Error(`unknown tool ${t}`);
const outputs = list(opt.outputs, "devnull,pipe") as Output[];
const measures = new Set(list(opt.measures, "throughput,first-line,replacement,idle,stall"));
const totalLines = num(opt.lines, quick ? 200_000 : 2_000_000);
const lineBytes = num(opt["line-bytes"], 100);
const deadlineMs = num(opt.deadline, 300) * 1000;
const kubetailLines = num(opt["kubetail-lines"], quick ? 2_000 : 10_000);
const kubetailCapMs = num(opt["kubetail-cap"], 20) * 1000;
const kubetailMaxStreams = num(opt["kubetail-max-streams"], 100);
const firstLineRuns = num(opt["first-line-runs"], quick ? 3 : 10);
const replacements = num(opt.replacements, quick ? 5 : 20);
const idlePods = num(opt["idle-pods"], quick ? 100 : 1000);
const idleTools = list(opt["idle-tools"], quick ? "this,limit" : "this,limit,kubectl").filter((t) =>
  tools.includes(t as ToolId),
) as ToolId[];
const stallSeconds = num(opt["stall-seconds"], quick ? 5 : 30);
const stallLines = num(opt["stall-lines"], quick ? 5_000 : 50_000);
const stallTools = list(opt["stall-tools"], quick ? "this" : "this,kubectl").filter((t) =>
  tools.includes(t as ToolId),
) as ToolId[];
const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}`;

const log = (s: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const notes: string[] = [];
const note = (s: string) => {
  notes.push(s);
  log(`note: ${s}`);
};

process.on("SIGINT", () => {
  killAll();
  process.exit(130);
});
process.on("exit", killAll);

let kubetailSkip: string | undefined = saved?.kubetailSkip;
if (!saved && tools.includes("kubetail")) kubetailSkip = ensureKubetail(log);
if (!saved && kubetailSkip) note(kubetailSkip);
const activeTools = tools.filter((t) => !(t === "kubetail" && kubetailSkip));

const buildInfo = saved?.buildInfo ?? builtFrom();
const began = Date.now();
const loadAtStart = os.loadavg()[0] ?? Number.NaN;
const stamp = saved ? new Date(saved.stamp) : new Date(began);
const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));
const pad2 = (n: number) => String(n).padStart(2, "0");
const resultName = `${stamp.getFullYear()}-${pad2(stamp.getMonth() + 1)}-${pad2(stamp.getDate())}-${pad2(stamp.getHours())}${pad2(stamp.getMinutes())}${quick ? "-quick" : ""}`;
let sim: SimProcess = undefined as unknown as SimProcess;
if (!saved) {
  const buildDir = snapshotStern();
  process.on("exit", () => rmSync(buildDir, { recursive: true, force: true }));
  sim = await SimProcess.start();
}
let nsSeq = 0;
const freshNs = (what: string) =>
  `b${String(nsSeq++).padStart(3, "0")}-${what}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");

interface SimStats {
  linesWritten: number;
  openStreams: number;
}
async function simStats(): Promise<SimStats> {
  const r = await sim.request({ type: "stats" });
  return (r as { stats: SimStats }).stats;
}
async function waitOpenStreamsAtMost(n: number, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && (await simStats()).openStreams > n) await sleep(100);
}

// ---------------------------------------------------------------- throughput (fixed total)

type Status = "ok" | "timeout" | "fail" | "short" | "skipped";
interface Sample {
  tool: ToolId;
  caseId: string;
  output: Output;
  rep: number;
  status: Status;
  expected: number;
  lines: number;
  openingMs: number;
  streamingMs: number;
  wallMs: number;
  linesPerSec: number;
  cpuPerM: number;
  rssMb: number;
  detail?: string;
}
const samples: Sample[] = [];
const firstLine = new Map<ToolId, number[]>();
const firstLineFail = new Map<ToolId, string>();
const replacement = new Map<ToolId, number[]>();
const replacementFail = new Map<ToolId, string>();
const idle = new Map<ToolId, IdleResult>();
const stall = new Map<ToolId, StallResult>();

async function fixedRun(tool: ToolId, c: Case, output: Output, rep: number): Promise<Sample> {
  const streams = c.pods * c.containers;
  const budget = tool === "kubetail" ? kubetailLines : totalLines;
  const perStream = Math.max(1, Math.floor(budget / streams));
  const expected = perStream * streams;
  const namespace = freshNs(`${c.id}-${tool}-${output}-${rep}`);
  await sim.request({
    type: "fast",
    namespace,
    pods: c.pods,
    containers: c.containers,
    lines: perStream,
    lineBytes,
    gate: true,
  });
  const before = await simStats();
  let gateAt: number | undefined;
  const gate = sim
    .waitFor("gate-open", (m) => m.namespace === namespace)
    .then((m) => {
      gateAt = m.at;
    });
  const cmd = fixedCommand(tool, sim.kubeconfig, { namespace, streams, containers: c.containers });
  const cap = tool === "kubetail" ? kubetailCapMs : deadlineMs;
  const r = await runTimed(cmd, output, cap, sim.exited);
  await Promise.race([gate, sleep(50)]);
  if (gateAt === undefined) await sim.request({ type: "release" });
  await waitOpenStreamsAtMost(before.openStreams, 2000);
  const after = await simStats();
  const delivered = after.linesWritten - before.linesWritten;
  // kubetail prints "Will tail N logs..." and one line per stream before the logs.
  const header = tool === "kubetail" ? streams + 1 : 0;
  // To /dev/null only the simulator's count is known: what it wrote to the sockets, an upper bound for what
  // a tool killed at its deadline had printed.
  // The plain reader writes nothing: it reports its own count.
  const own = tool === "limit" ? /plain-reader: \d+ streams, (\d+) lines/.exec(r.stderrTail) : null;
  const counted = own
    ? Number(own[1])
    : r.wcLines !== undefined
      ? Math.max(0, r.wcLines - header)
      : delivered;
  let status: Status = "ok";
  let detail: string | undefined;
  if (r.timedOut) {
    status = "timeout";
    detail = `killed at the ${cap / 1000} s cap; ${gateAt === undefined ? "not every stream was requested by then" : `every stream requested after ${fmtMs(gateAt - r.startAt)}`}; ${fmtInt(counted)} of ${fmtInt(expected)} lines ${r.wcLines !== undefined ? "printed" : "sent by the simulator (an upper bound for what it printed)"}`;
  } else if (r.code !== 0 && !(tool === "kubetail" && r.code === 143)) {
    status = "fail";
    detail = `exit ${r.code}: ${r.stderrTail.split("\n").slice(-3).join(" / ")}`;
  } else if (counted !== expected || delivered !== expected) {
    status = "short";
    detail = `${fmtInt(counted)} lines counted, ${fmtInt(delivered)} sent by the simulator, ${fmtInt(expected)} expected`;
  }
  const openingMs = gateAt !== undefined ? gateAt - r.startAt : Number.NaN;
  const streamingMs = gateAt !== undefined ? r.exitAt - gateAt : Number.NaN;
  const cpu = r.time ? r.time.user + r.time.sys : Number.NaN;
  return {
    tool,
    caseId: c.id,
    output,
    rep,
    status,
    expected,
    lines: counted,
    openingMs,
    streamingMs,
    wallMs: r.exitAt - r.startAt,
    linesPerSec: counted / (streamingMs / 1000),
    cpuPerM: cpu / (counted / 1e6),
    rssMb: r.time ? r.time.maxRssKb / 1024 : Number.NaN,
    detail,
  };
}

if (!saved && measures.has("throughput")) {
  for (const c of cases) {
    for (let rep = 0; rep < reps; rep++) {
      for (const output of outputs) {
        for (const tool of activeTools) {
          if (tool === "kubetail" && (c.pods * c.containers > kubetailMaxStreams || output !== "pipe"))
            continue;
          const s = await withSim(`N=${c.id} ${output} ${tool} rep ${rep + 1}`, () =>
            fixedRun(tool, c, output, rep),
          );
          samples.push(s);
          saveRaw();
          log(
            `N=${c.id} ${output} ${tool} rep ${rep + 1}: ${s.status} open ${fmtMs(s.openingMs)} stream ${fmtMs(s.streamingMs)} ` +
              `${fmtInt(s.linesPerSec)} lines/s cpu ${fmtNum(s.cpuPerM)} s/M rss ${fmtNum(s.rssMb)} MB${s.detail ? ` (${s.detail})` : ""}`,
          );
          if (s.detail)
            note(
              `N=${c.id} → ${outLabel(output)}, ${TOOL_LABEL[tool]}, rep ${rep + 1}: ${s.status}: ${s.detail}`,
            );
        }
      }
    }
  }
}

// ---------------------------------------------------------------- time to first line

async function firstLineOnce(tool: ToolId, namespace: string, pod: string, marker: string): Promise<number> {
  const cmd = followCommand(tool, sim.kubeconfig, namespace, { prefix: pod, pod, echo: true });
  const start = performance.now();
  const child = spawnPiped(cmd);
  let seen = "";
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-500);
  });
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no line within 30 s")), 30_000);
      child.stdout?.on("data", (d: Buffer) => {
        seen = (seen + d.toString()).slice(-4096);
        if (seen.includes(marker)) {
          clearTimeout(timer);
          resolve(performance.now() - start);
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`exited (${code}) before the line: ${stderr.trim()}`));
      });
    });
  } finally {
    await stopPiped(child);
  }
}

if (!saved && measures.has("first-line")) {
  const namespace = freshNs("first");
  const pod = "first-0";
  const marker = "first-line-marker";
  await withSim("time to first line", () =>
    sim.request({ type: "add-running", namespace, name: pod, line: marker }),
  );
  for (const t of activeTools) firstLine.set(t, []);
  for (let i = 0; i < firstLineRuns + 1; i++) {
    for (const tool of activeTools) {
      if (firstLineFail.has(tool)) continue;
      try {
        const ms = await firstLineOnce(tool, namespace, pod, marker);
        if (i > 0) firstLine.get(tool)?.push(ms); // the first round warms the page cache
      } catch (e) {
        firstLineFail.set(tool, (e as Error).message);
        note(`time to first line, ${TOOL_LABEL[tool]}: ${(e as Error).message}`);
      }
    }
  }
  log(`first line: ${[...firstLine].map(([t, xs]) => `${t} ${fmtMs(median(xs))}`).join(", ")}`);
}

// ---------------------------------------------------------------- replacement latency

async function replacementRun(tool: ToolId): Promise<number[]> {
  const namespace = freshNs(`repl-${tool}`);
  const tag = `r${nsSeq}`;
  const lineOf = (i: number) => `replacement-${tag}-${String(i).padStart(3, "0")}-end`;
  const name = (i: number) => `repl-${String(i).padStart(3, "0")}`;
  await sim.request({ type: "add-running", namespace, name: name(0), line: lineOf(0) });
  const child = spawnPiped(followCommand(tool, sim.kubeconfig, namespace, { prefix: "repl-" }));
  let seen = "";
  const waiters = new Map<string, (at: number) => void>();
  child.stdout?.on("data", (d: Buffer) => {
    const now = Date.now();
    seen = (seen + d.toString()).slice(-65536);
    for (const [line, w] of waiters) {
      if (seen.includes(line)) {
        waiters.delete(line);
        w(now);
      }
    }
  });
  const printed = (line: string, ms: number) =>
    new Promise<number>((resolve, reject) => {
      if (seen.includes(line)) return resolve(Date.now());
      const timer = setTimeout(() => {
        waiters.delete(line);
        reject(new Error(`"${line}" not printed within ${ms / 1000} s`));
      }, ms);
      waiters.set(line, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  const out: number[] = [];
  try {
    await printed(lineOf(0), 30_000); // the tool is up and watching
    for (let i = 1; i <= replacements; i++) {
      await sim.request({ type: "delete", namespace, name: name(i - 1) });
      const running = sim.waitFor("pod-running", (m) => m.name === name(i));
      const seenAt = printed(lineOf(i), 10_000);
      await sim.request({ type: "add-running", namespace, name: name(i), line: lineOf(i) });
      const { at } = await running;
      out.push((await seenAt) - at);
      await sleep(200);
    }
  } finally {
    await stopPiped(child);
  }
  return out;
}

if (!saved && measures.has("replacement")) {
  for (const tool of activeTools.filter((t) => t === "this")) {
    try {
      replacement.set(tool, await withSim("replacement latency", () => replacementRun(tool)));
    } catch (e) {
      replacementFail.set(tool, (e as Error).message);
      note(`replacement latency, ${TOOL_LABEL[tool]}: ${(e as Error).message}`);
    }
  }
  const xs = replacement.get("this") ?? [];
  log(`replacement latencies (ms): ${xs.join(" ")}`);
  log(`replacement: p50 ${fmtMs(percentile(xs, 50))} p95 ${fmtMs(percentile(xs, 95))}`);
}

// ---------------------------------------------------------------- memory: idle containers

interface IdleResult {
  openMs: number;
  opened: number;
  hwmMb: number;
  rssMb: number;
  status: Status;
  detail?: string;
}
async function idleRun(tool: ToolId): Promise<IdleResult> {
  const namespace = freshNs(`idle-${tool}`);
  await sim.request({ type: "idle", namespace, pods: idlePods });
  await waitOpenStreamsAtMost(0, 3000);
  const base = (await simStats()).openStreams;
  const start = Date.now();
  const child = spawnPiped(
    followCommand(tool, sim.kubeconfig, namespace, {
      prefix: "idle-",
      selector: "app=idle",
      maxRequests: idlePods,
    }),
  );
  child.stdout?.resume();
  const cap = tool === "kubectl" ? deadlineMs : 60_000;
  let opened = 0;
  let status: Status = "ok";
  let detail: string | undefined;
  try {
    for (;;) {
      opened = (await simStats()).openStreams - base;
      if (opened >= idlePods) break;
      if (child.exitCode !== null) {
        status = "fail";
        detail = `exited (${child.exitCode}) with ${opened} streams open`;
        break;
      }
      if (Date.now() - start > cap) {
        status = "timeout";
        detail = `${opened} of ${idlePods} streams open after ${cap / 1000} s`;
        break;
      }
      await sleep(100);
    }
    const openMs = Date.now() - start;
    await sleep(2000); // settle: whatever it allocates per stream once open
    const mem = procStatusKb(child.pid as number);
    return {
      openMs,
      opened,
      hwmMb: mem ? mem.hwm / 1024 : Number.NaN,
      rssMb: mem ? mem.rss / 1024 : Number.NaN,
      status,
      detail,
    };
  } finally {
    await stopPiped(child);
  }
}

if (!saved && measures.has("idle")) {
  for (const tool of idleTools.filter((t) => t !== "kubetail")) {
    const r = await withSim(`idle ${tool}`, () => idleRun(tool));
    idle.set(tool, r);
    log(
      `idle ${idlePods}: ${tool} ${r.status} opened ${r.opened} in ${fmtMs(r.openMs)}, VmHWM ${fmtNum(r.hwmMb)} MB`,
    );
    if (r.detail) note(`idle ${idlePods}, ${TOOL_LABEL[tool]}: ${r.status}: ${r.detail}`);
  }
}

// ---------------------------------------------------------------- memory: stdout stalled

interface StallResult {
  status: Status;
  openMs: number;
  stalledPeakMb: number;
  hwmMb: number;
  afterPeakMb: number;
  lines: number;
  expected: number;
  drainMs: number;
  detail?: string;
}
async function stallRun(tool: ToolId): Promise<StallResult> {
  const streams = 100;
  const namespace = freshNs(`stall-${tool}`);
  await sim.request({
    type: "fast",
    namespace,
    pods: streams,
    containers: 1,
    lines: stallLines,
    lineBytes,
    gate: true,
  });
  const expected = streams * stallLines;
  const cmd = fixedCommand(tool, sim.kubeconfig, { namespace, streams, containers: 1 });
  const start = Date.now();
  const child = spawnPiped(cmd);
  child.stdout?.pause();
  const pid = child.pid as number;
  let hwm = 0;
  const sample = () => {
    const m = procStatusKb(pid);
    if (m) hwm = Math.max(hwm, m.hwm);
    return m;
  };
  const exited = new Promise((r) => child.on("exit", r));
  try {
    let gateAt: number | undefined;
    const gate = sim
      .waitFor("gate-open", (m) => m.namespace === namespace)
      .then((m) => {
        gateAt = m.at;
      });
    await Promise.race([gate, exited, sleep(deadlineMs)]);
    if (gateAt === undefined) {
      await sim.request({ type: "release" });
      return {
        status: "timeout",
        openMs: Number.NaN,
        stalledPeakMb: Number.NaN,
        hwmMb: hwm / 1024,
        afterPeakMb: Number.NaN,
        lines: 0,
        expected,
        drainMs: Number.NaN,
        detail: `not every stream was requested within ${deadlineMs / 1000} s`,
      };
    }
    const openMs = gateAt - start;
    let stalledPeak = 0;
    const until = Date.now() + stallSeconds * 1000;
    while (Date.now() < until) {
      await sleep(200);
      stalledPeak = Math.max(stalledPeak, sample()?.rss ?? 0);
    }
    let lines = 0;
    child.stdout?.on("data", (d: Buffer) => {
      for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
    });
    child.stdout?.resume();
    const resumed = Date.now();
    let afterPeak = 0;
    const timer = setInterval(() => {
      afterPeak = Math.max(afterPeak, sample()?.rss ?? 0);
    }, 200);
    const done = await Promise.race([exited.then(() => true), sleep(deadlineMs).then(() => false)]);
    clearInterval(timer);
    const drainMs = Date.now() - resumed;
    await new Promise((r) => setImmediate(r));
    const status: Status = !done ? "timeout" : lines === expected ? "ok" : "short";
    return {
      status,
      openMs,
      stalledPeakMb: stalledPeak / 1024,
      hwmMb: hwm / 1024,
      afterPeakMb: afterPeak / 1024,
      lines,
      expected,
      drainMs,
      detail: status === "ok" ? undefined : `${fmtInt(lines)} of ${fmtInt(expected)} lines after resuming`,
    };
  } finally {
    await stopPiped(child);
  }
}

if (!saved && measures.has("stall")) {
  for (const tool of stallTools.filter((t) => t === "this" || t === "kubectl")) {
    const r = await withSim(`stall ${tool}`, () => stallRun(tool));
    stall.set(tool, r);
    log(
      `stall: ${tool} ${r.status} stalled peak ${fmtNum(r.stalledPeakMb)} MB, VmHWM ${fmtNum(r.hwmMb)} MB, ${fmtInt(r.lines)} lines`,
    );
    if (r.detail) note(`stall, ${TOOL_LABEL[tool]}: ${r.status}: ${r.detail}`);
  }
}

if (saved) {
  samples.push(...saved.samples);
  for (const [k, v] of saved.firstLine) firstLine.set(k, v);
  for (const [k, v] of saved.firstLineFail) firstLineFail.set(k, v);
  for (const [k, v] of saved.replacement) replacement.set(k, v);
  for (const [k, v] of saved.replacementFail) replacementFail.set(k, v);
  for (const [k, v] of saved.idle) idle.set(k, v);
  for (const [k, v] of saved.stall) stall.set(k, v);
  notes.push(...saved.notes);
} else {
  await sim.stop();
}
const elapsedMs = saved ? saved.elapsedMs : Date.now() - began;
const machineLines = saved?.machine ?? machine(elapsedMs);
if (!saved) saveRaw(machineLines);

/** The raw measurements so far (after each run, so that a killed run leaves them): `--from-json` renders them. */
function saveRaw(machineLines?: string[]): void {
  if (opt["no-write"]) return;
  const raw: Saved = {
    argv,
    stamp: stamp.toISOString(),
    elapsedMs: Date.now() - began,
    buildInfo,
    machine: machineLines ?? machine(Date.now() - began),
    kubetailSkip,
    samples,
    firstLine: [...firstLine],
    firstLineFail: [...firstLineFail],
    replacement: [...replacement],
    replacementFail: [...replacementFail],
    idle: [...idle],
    stall: [...stall],
    notes,
  };
  mkdirSync(resultsDir, { recursive: true });
  const nan = (_k: string, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? "NaN" : v);
  writeFileSync(`${resultsDir}${resultName}.json`, `${JSON.stringify(raw, nan, 1)}\n`);
}

/** Runs `fn`; if the simulator's process died meanwhile, starts a new one and runs `fn` once more. */
async function withSim<T>(what: string, fn: () => Promise<T>): Promise<T> {
  if (sim.exitedAt !== undefined) {
    note(`before ${what}: the simulator's process had died; a new one was started`);
    sim = await SimProcess.start();
  }
  try {
    return await fn();
  } catch (e) {
    if (sim.exitedAt === undefined) throw e;
    note(
      `${what}: the simulator's process died during the run (${(e as Error).message}); a new one was started and the run repeated`,
    );
    sim = await SimProcess.start();
    return await fn();
  }
}

interface Saved {
  argv: string[];
  stamp: string;
  elapsedMs: number;
  buildInfo: string;
  machine: string[];
  kubetailSkip?: string;
  samples: Sample[];
  firstLine: [ToolId, number[]][];
  firstLineFail: [ToolId, string][];
  replacement: [ToolId, number[]][];
  replacementFail: [ToolId, string][];
  idle: [ToolId, IdleResult][];
  stall: [ToolId, StallResult][];
  notes: string[];
}

// ---------------------------------------------------------------- report

function outLabel(o: Output): string {
  return o === "devnull" ? "/dev/null" : "pipe to wc -l";
}

interface Cell {
  value: number;
  mark: string;
  /** No repetition completed: the value (if any) is from runs cut at their deadline. */
  partial: boolean;
}
/** Median of a metric over the repetitions that completed; marks timeouts, failures and short counts. */
function cell(tool: ToolId, caseId: string, output: Output, f: (s: Sample) => number): Cell | undefined {
  const ss = samples.filter((s) => s.tool === tool && s.caseId === caseId && s.output === output);
  if (ss.length === 0) return undefined;
  const ok = ss.filter((s) => s.status === "ok");
  if (ok.length > 0) {
    const bad = ss.length - ok.length;
    const why = [...new Set(ss.filter((s) => s.status !== "ok").map((s) => s.status))].join("/");
    return {
      value: median(ok.map(f)),
      mark: bad ? ` (median of ${ok.length}; ${bad} of ${ss.length} runs: ${why})` : "",
      partial: false,
    };
  }
  const first = ss[0]!;
  const partial = ss
    .filter((s) => s.status !== "fail")
    .map(f)
    .filter(Number.isFinite);
  return {
    value: partial.length ? median(partial) : Number.NaN,
    mark: ` ${first.status}${partial.length ? " (partial)" : ""}`,
    partial: true,
  };
}

function skipText(tool: ToolId, c: Case, output: Output): string {
  if (tool === "kubetail" && kubetailSkip) return "not installed";
  if (tool === "kubetail" && output !== "pipe") return "pipe only³";
  if (tool === "kubetail" && c.pods * c.containers > kubetailMaxStreams) return "skipped¹";
  return "—";
}

type Better = "higher" | "lower";
function measureTable(
  title: string,
  unit: string,
  f: (s: Sample) => number,
  fmt: (n: number) => string,
  better: Better,
): string {
  const ratioTools = activeTools.filter((t) => t !== "this");
  const head = [
    "case",
    ...activeTools.map((t) => `${TOOL_LABEL[t]}${t === "kubetail" ? "²" : ""}`),
    ...(activeTools.includes("this")
      ? ratioTools.map((t) =>
          better === "higher"
            ? t === "limit"
              ? "this ÷ limit"
              : `this ÷ ${t}`
            : `${t === "limit" ? "limit" : t} ÷ this`,
        )
      : []),
  ];
  const rows: string[][] = [];
  for (const c of cases) {
    for (const output of outputs) {
      const cells = new Map<ToolId, Cell | undefined>(activeTools.map((t) => [t, cell(t, c.id, output, f)]));
      const row = [`${caseLabel(c)} → ${outLabel(output)}`];
      for (const t of activeTools) {
        const v = cells.get(t);
        row.push(
          v
            ? Number.isFinite(v.value)
              ? `${fmt(v.value)}${v.mark}`
              : v.mark.trim()
            : skipText(t, c, output),
        );
      }
      const me = cells.get("this");
      if (activeTools.includes("this")) {
        for (const t of ratioTools) {
          const o = cells.get(t);
          if (!me || !o || me.partial || !Number.isFinite(me.value) || !Number.isFinite(o.value)) {
            row.push("—");
            continue;
          }
          const partial = o.partial ? " (vs partial)" : "";
          const r = better === "higher" ? me.value / o.value : o.value / me.value;
          row.push(`${t === "limit" && better === "higher" ? fmtPct(r) : fmtRatio(r)}${partial}`);
        }
      }
      rows.push(row);
    }
  }
  return `### ${title}${unit ? ` (${unit})` : ""}\n\n${table(head, rows)}\n`;
}

function caseLabel(c: Case): string {
  return c.containers > 1 ? `${c.pods} pods × ${c.containers} containers` : `N=${fmtInt(c.pods)}`;
}

// Goals, computed from the measurements.
interface Goal {
  goal: string;
  measured: string;
  pass: boolean | undefined;
}
const goals: Goal[] = [];
const ok = (c: Cell | undefined) => (c && !c.partial ? c.value : Number.NaN);
const verdict = (b: boolean | undefined) => (b === undefined ? "not measured" : b ? "pass" : "MISS");
for (const n of ["100", "500"]) {
  if (!cases.some((c) => c.id === n)) continue;
  for (const output of outputs) {
    const me = ok(cell("this", n, output, (s) => s.linesPerSec));
    const k = cell("kubectl", n, output, (s) => s.linesPerSec);
    const l = ok(cell("limit", n, output, (s) => s.linesPerSec));
    const kv = k && Number.isFinite(k.value) ? k.value : Number.NaN;
    const rk = me / kv;
    goals.push({
      goal: `throughput at N=${n} (${outLabel(output)}) ≥ 4× kubectl`,
      measured: Number.isFinite(rk)
        ? `${fmtRatio(rk)}${k?.partial ? ` (kubectl ${k.mark.trim()})` : ""}`
        : "—",
      pass: Number.isFinite(rk) ? rk >= 4 : undefined,
    });
    const rl = me / l;
    goals.push({
      goal: `throughput at N=${n} (${outLabel(output)}) ≥ 60 % of the plain reader`,
      measured: fmtPct(rl),
      pass: Number.isFinite(rl) ? rl >= 0.6 : undefined,
    });
  }
}
{
  const ratios: [string, number][] = [];
  for (const c of cases)
    for (const output of outputs) {
      const me = ok(cell("this", c.id, output, (s) => s.cpuPerM));
      const k = ok(cell("kubectl", c.id, output, (s) => s.cpuPerM));
      if (Number.isFinite(me / k)) ratios.push([`${caseLabel(c)} → ${outLabel(output)}`, me / k]);
    }
  if (ratios.length) {
    const worst = ratios.reduce((a, b) => (b[1] > a[1] ? b : a));
    goals.push({
      goal: "CPU per million lines ≤ 1/4 of kubectl's (every case that both completed)",
      measured: `worst ${fmtPct(worst[1])} of kubectl's (${worst[0]})`,
      pass: ratios.every(([, r]) => r <= 0.25),
    });
  }
}
if (cases.some((c) => c.id === "500")) {
  const xs = samples.filter((s) => s.tool === "this" && s.caseId === "500").map((s) => s.openingMs);
  const worst = xs.length ? Math.max(...xs) : Number.NaN;
  goals.push({
    goal: "500 streams all streaming within 2 s (--max-log-requests=500)",
    measured: `opening ${fmtMs(median(xs))} median, ${fmtMs(worst)} worst`,
    pass: Number.isFinite(worst) ? worst <= 2000 : undefined,
  });
}
if (firstLine.get("this")?.length && firstLine.get("kubectl")?.length) {
  const me = median(firstLine.get("this")!);
  const k = median(firstLine.get("kubectl")!);
  goals.push({
    goal: "time to first line ≤ 2× kubectl's",
    measured: `${fmtMs(me)} vs ${fmtMs(k)} (${fmtRatio(me / k)})`,
    pass: me <= 2 * k,
  });
}
if (measures.has("replacement") && activeTools.includes("this")) {
  const xs = replacement.get("this") ?? [];
  const p95 = percentile(xs, 95);
  goals.push({
    goal: "replacement latency p95 < 300 ms",
    measured: xs.length ? fmtMs(p95) : (replacementFail.get("this") ?? "—"),
    pass: xs.length ? p95 < 300 : replacementFail.has("this") ? false : undefined,
  });
}
const rssOf = (id: string) =>
  samples.filter((s) => s.tool === "this" && s.caseId === id && Number.isFinite(s.rssMb)).map((s) => s.rssMb);
if (cases.some((c) => c.id === "500")) {
  const xs = rssOf("500");
  const m = xs.length ? Math.max(...xs) : Number.NaN;
  goals.push({
    goal: "memory < 120 MB at 500 streams",
    measured: `peak RSS ${fmtNum(m)} MB (worst run)`,
    pass: Number.isFinite(m) ? m < 120 : undefined,
  });
}
{
  const xs = rssOf("1000");
  const id = idle.get("this");
  const parts: string[] = [];
  let worst = Number.NaN;
  if (xs.length) {
    worst = Math.max(...xs);
    parts.push(`${fmtNum(Math.max(...xs))} MB streaming (worst run)`);
  }
  if (id && idlePods >= 1000 && Number.isFinite(id.hwmMb) && id.status === "ok") {
    worst = Number.isFinite(worst) ? Math.max(worst, id.hwmMb) : id.hwmMb;
    parts.push(`${fmtNum(id.hwmMb)} MB idle`);
  }
  if (parts.length)
    goals.push({ goal: "memory < 150 MB at 1,000 streams", measured: parts.join(", "), pass: worst < 150 });
}
if (stall.get("this")) {
  const s = stall.get("this")!;
  goals.push({
    goal: `memory < 200 MB with stdout stalled (${stallSeconds} s)`,
    measured: `VmHWM ${fmtNum(s.hwmMb)} MB`,
    pass: Number.isFinite(s.hwmMb) ? s.hwmMb < 200 && s.status !== "timeout" : undefined,
  });
}

function builtFrom(): string {
  const git = (args: string[]) => spawnSync("git", args, { encoding: "utf8" }).stdout.trim();
  const dirty = git(["status", "--porcelain", "--", "src", "scripts"])
    ? " with uncommitted changes in src/ or scripts/"
    : "";
  const built = statSync(fileURLToPath(new URL("../dist/stern.mjs", import.meta.url))).mtime;
  return `dist/ built ${built.toISOString().slice(0, 16).replace("T", " ")} UTC (copied at the start of the run), work tree at commit ${git(["rev-parse", "--short", "HEAD"])}${dirty}`;
}

function machine(elapsed: number): string[] {
  const cpu = os.cpus()[0]?.model ?? "?";
  return [
    `- machine: ${os.availableParallelism()} cores (${cpu}), ${fmtNum(os.totalmem() / 2 ** 30)} GiB memory, ${os.type()} ${os.release()}`,
    `- node ${process.version}; ${versionOf(KUBECTL, ["version", "--client"])}; kubetail ${kubetailSkip ? "not installed" : versionOf(KUBETAIL, ["--version"])}`,
    `- this stern: ${buildInfo}`,
    `- command: \`${command}\``,
    `- 1-minute load average at the start ${fmtNum(loadAtStart)}, at the end ${fmtNum(os.loadavg()[0] ?? Number.NaN)} (other work on the machine shows here)`,
    `- took ${elapsed >= 120_000 ? `${(elapsed / 60_000).toFixed(1)} min` : fmtMs(elapsed)}`,
  ];
}

const md: string[] = [];
md.push(
  `# stern benchmark, ${stamp.toISOString().slice(0, 16).replace("T", " ")} UTC${quick ? " (--quick)" : ""}`,
  "",
);
md.push(...machineLines, "");
md.push(
  `The simulated API server (sim/) runs in its own process on the same machine. Each throughput run reads a fixed total of ${fmtInt(totalLines)} lines of ~${lineBytes} bytes, split over N streams (1 container per pod unless said), ${reps} repetition${reps > 1 ? "s" : ""} per tool, interleaved; medians. Opening = tool start until the simulator had every log request (it holds all bodies until then); streaming = from then until the tool exits. CPU (user + sys) and peak RSS from \`/usr/bin/time\`.`,
  "",
);
if (goals.length) {
  md.push(
    "## Goals",
    "",
    table(
      ["goal", "measured", "verdict"],
      goals.map((g) => [g.goal, g.measured, verdict(g.pass)]),
    ),
    "",
  );
}
if (measures.has("throughput") && samples.length) {
  md.push("## Throughput runs", "");
  md.push(
    measureTable("Streaming throughput", "lines/s, higher is better", (s) => s.linesPerSec, fmtInt, "higher"),
  );
  md.push(
    measureTable(
      "Opening",
      "tool start → every stream requested; lower is better",
      (s) => s.openingMs,
      fmtMs,
      "lower",
    ),
  );
  md.push(measureTable("Wall time", "lower is better", (s) => s.wallMs, fmtMs, "lower"));
  md.push(
    measureTable(
      "CPU per million lines",
      "user + sys seconds, whole process; lower is better",
      (s) => s.cpuPerM,
      fmtNum,
      "lower",
    ),
  );
  md.push(measureTable("Peak RSS", "MB; lower is better", (s) => s.rssMb, fmtNum, "lower"));
  md.push(
    `Ratios: "this ÷ X" for throughput (above 1× / 100 % this stern is faster); "X ÷ this" for times, CPU and memory (above 1× this stern uses less). The plain reader counts newlines and writes nothing, so its output column is the same run twice.`,
    "",
    `¹ kubetail runs one kubectl process and one bash loop per stream: above ${kubetailMaxStreams} streams it is not run.`,
    `² kubetail forks a \`tail\` for every line it prints (~1,000 lines/s), so it reads a smaller budget (${fmtInt(kubetailLines)} lines per run) under a ${kubetailCapMs / 1000} s cap: a run that hits the cap is a "timeout", its lines/s = lines printed by then ÷ streaming time. Its lines/s and CPU per line compare, its wall time does not. CPU and peak RSS are what \`/usr/bin/time\` sees: the processes kubetail waited for (the kubectls its exit trap kills are not all counted), and the peak RSS of its largest single process (one kubectl), not the sum. It is run as \`bash -c 'shopt -u patsub_replacement; . /usr/bin/kubetail …'\`: with bash ≥ 5.2's default patsub_replacement, its \`\${@/#/ & }\` join drops the \`&\` and any run of more than one stream is a syntax error.`,
    "³ kubetail's output is counted through the pipe (`wc -l`, less its banner): it runs only there.",
    "",
  );
}
if (measures.has("first-line")) {
  const rows = activeTools.map((t) => {
    const xs = firstLine.get(t) ?? [];
    const fail = firstLineFail.get(t);
    return [
      TOOL_LABEL[t],
      fail ? `failed: ${fail}` : fmtMs(median(xs)),
      fmtMs(Math.min(...xs)),
      fmtMs(Math.max(...xs)),
      t !== "kubectl" && firstLine.get("kubectl")?.length && xs.length
        ? fmtRatio(median(xs) / median(firstLine.get("kubectl")!))
        : "—",
    ];
  });
  md.push(
    "## Time to first line",
    "",
    `Process start to its first log line on stdout (follow mode), against a running simulator with one pod that has a line; median of ${firstLineRuns} (after one warm-up round), the process killed after the line. kubetail prints a banner first; its time is to the log line, and it runs under \`stdbuf -oL\` (its final \`tail -f\` block-buffers into a pipe, and its \`-b\` option is broken: it hands \`| grep --line-buffered\` to tail as arguments). The plain reader here copies the bytes to stdout.`,
    "",
    table(["tool", "median", "min", "max", "÷ kubectl"], rows),
    "",
  );
}
if (measures.has("replacement")) {
  const rows = activeTools.map((t) => {
    const xs = replacement.get(t);
    if (xs?.length)
      return [
        TOOL_LABEL[t],
        fmtMs(percentile(xs, 50)),
        fmtMs(percentile(xs, 95)),
        fmtMs(Math.max(...xs)),
        String(xs.length),
      ];
    if (replacementFail.has(t)) return [TOOL_LABEL[t], `failed: ${replacementFail.get(t)}`, "", "", ""];
    const why =
      t === "kubectl"
        ? "n/a: cannot discover new pods"
        : t === "kubetail"
          ? "n/a: discovers pods only at start"
          : t === "limit"
            ? "n/a: lists pods once"
            : "—";
    return [TOOL_LABEL[t], why, "", "", ""];
  });
  md.push(
    "## Replacement latency",
    "",
    `The tool follows a namespace; a pod is deleted and a new running pod that logs one line is added, ${replacements} times; latency = from the pod's creation in the simulator to the tool printing its line.`,
    "",
    table(["tool", "p50", "p95", "max", "replacements"], rows),
    "",
  );
}
if (measures.has("idle")) {
  const rows = idleTools.map((t) => {
    const r = idle.get(t);
    if (!r) return [TOOL_LABEL[t], "—", "—", "—", "—"];
    return [
      TOOL_LABEL[t],
      `${r.opened}${r.status !== "ok" ? ` (${r.status})` : ""}`,
      fmtMs(r.openMs),
      fmtNum(r.hwmMb),
      fmtNum(r.rssMb),
    ];
  });
  md.push(
    `## Memory with ${fmtInt(idlePods)} idle containers`,
    "",
    `Follow mode on ${fmtInt(idlePods)} pods with one running container and no lines, --max-log-requests=${idlePods}; once the simulator has every log request open (plus 2 s), VmHWM / VmRSS from /proc.`,
    "",
    table(["tool", "streams open", "time to open all", "peak RSS (VmHWM, MB)", "RSS then (MB)"], rows),
    "",
  );
}
if (measures.has("stall")) {
  const rows = [...stall].map(([t, r]) => [
    TOOL_LABEL[t],
    r.status,
    fmtMs(r.openMs),
    fmtNum(r.stalledPeakMb),
    fmtNum(r.afterPeakMb),
    fmtNum(r.hwmMb),
    `${fmtInt(r.lines)} of ${fmtInt(r.expected)}`,
    fmtInt(r.lines / (r.drainMs / 1000)),
  ]);
  md.push(
    "## Memory with stdout stalled",
    "",
    `100 streams of ${fmtInt(stallLines)} lines at full rate into a stdout pipe nobody reads for ${stallSeconds} s (counted from when every stream was requested), then read to the end.`,
    "",
    table(
      [
        "tool",
        "status",
        "opening",
        "peak RSS stalled (MB)",
        "peak RSS after (MB)",
        "VmHWM (MB)",
        "lines read",
        "lines/s after",
      ],
      rows,
    ),
    "",
  );
}
if (notes.length) md.push("## Notes", "", ...notes.map((n) => `- ${n}`), "");

const text = md.join("\n");
process.stdout.write(`${text}\n`);
if (!opt["no-write"]) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(`${resultsDir}${resultName}.md`, `${text}\n`);
  if (complete) writeFileSync(`${resultsDir}latest.md`, `${text}\n`);
  log(`wrote bench/results/${resultName}.md${complete ? " and bench/results/latest.md" : ""}`);
}
process.exit(0); // timers of abandoned races (deadlines) would keep the process alive
