// Per-line cost of the structured options beside the plain path, through the real pipeline and
// formatters (in-process, output discarded), and the memory they hold.
// Times are CPU time (user + system) of this process, which a busy machine disturbs less than the clock.
// Run: node --expose-gc bench/structured.ts [lines per case]
import { LinePipeline, type PipelineOptions } from "../src/engine/pipeline.ts";
import { createLineFormatter, type FormatOptions, type StreamInfo } from "../src/format/index.ts";
import { Zone } from "../src/format/timestamp.ts";
import { recordFilter } from "../src/structured/filter.ts";
import { parseLevelThreshold } from "../src/structured/levels.ts";
import { parseRecord } from "../src/structured/parse.ts";
import { compileWhere } from "../src/structured/where.ts";
import { OutBuffer } from "../src/util/out-buffer.ts";
import { fmtInt, median, table } from "./lib/stats.ts";

const n = Number(process.argv[2] ?? 400_000);
const gc = (globalThis as { gc?: () => void }).gc;

const SAMPLES: Record<string, string> = {
  "zap JSON": `{"level":"info","ts":1714557601.123456,"caller":"http/server.go:87","msg":"request handled","status":503,"path":"/api/cart","latency":0.0042,"http":{"method":"GET","proto":"HTTP/1.1"}}`,
  "pino JSON": `{"level":30,"time":1714557600123,"pid":17,"hostname":"api-7d9f","req":{"id":1,"method":"GET","url":"/api"},"res":{"statusCode":200},"responseTime":4,"msg":"request completed"}`,
  "logfmt (logrus)": `time="2024-05-01T10:00:02Z" level=warning msg="cache miss rate high" rate=0.42 status=500 path=/api/x`,
  "klog structured": `E0501 10:00:03.000000       1 controller.go:114] "Error syncing" err="conflict" key="default/web" status=500`,
  "klog text": `I0501 10:00:04.000000       1 reflector.go:539] Watch close - *v1.Pod total 12 items received`,
  "level prefix": `2024-05-01 10:00:05,123 ERROR [main] c.e.App - request failed`,
  text: `10.0.0.7 - - [01/May/2024:10:00:05 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.30"`,
};
const MIXED = Object.values(SAMPLES);

const info: StreamInfo = {
  context: "",
  contextColor: "",
  namespace: "ns",
  podName: "api-7d9f",
  containerName: "app",
  nodeName: "node1",
  labels: undefined,
  annotations: undefined,
  colors: { pod: "", container: "" },
};
const baseFormat: FormatOptions = {
  output: "default",
  showNamespace: false,
  allNamespaces: false,
  timestamps: undefined,
  zone: new Zone("UTC"),
};

/** A chunk of lines as the tail hands them over: one buffer, each line with its newline. */
function chunkOf(lines: string[]): { buf: Buffer; starts: number[]; ends: number[] } {
  const buf = Buffer.from(lines.map((l) => `${l}\n`).join(""));
  const starts: number[] = [];
  const ends: number[] = [];
  let s = 0;
  for (;;) {
    const e = buf.indexOf(0x0a, s);
    if (e < 0) break;
    starts.push(s);
    ends.push(e);
    s = e + 1;
  }
  return { buf, starts, ends };
}

interface Case {
  name: string;
  format?: Partial<FormatOptions>;
  pipeline: Omit<PipelineOptions, "needsTime">;
}

const level = recordFilter({ minSeverity: parseLevelThreshold("warn") });
const where = recordFilter({ where: compileWhere('status >= 500 && path.startsWith("/api")') });
const include = /request/;
const CASES: Case[] = [
  { name: "plain (-o default)", pipeline: {} },
  {
    name: "-i request (regex, for scale)",
    pipeline: { keep: (b, s, e) => include.test(b.toString("utf8", s, e)) },
  },
  { name: "-o pretty", format: { output: "pretty" }, pipeline: { parse: true } },
  { name: "--level warn", pipeline: level ? { keepRecord: level } : {} },
  { name: "--where 'status >= 500 && path...'", pipeline: where ? { keepRecord: where } : {} },
  {
    name: "--level warn -o pretty",
    format: { output: "pretty" },
    pipeline: level ? { keepRecord: level } : {},
  },
];

/** ns per line, median of 5 runs, and the heap the run left behind (after a GC). */
function measure(c: Case, lines: string[]): { ns: number; kept: number; heapKb: number } {
  const formatter = createLineFormatter({ ...baseFormat, ...c.format }, info, () => {});
  const out = new OutBuffer(1 << 16);
  let bytes = 0;
  const output = {
    out,
    wantsKeys: false,
    lineDone() {},
    commit: () => {
      bytes += out.len;
      out.clear();
      return true;
    },
    whenWritable: () => Promise.resolve(),
    end() {},
  };
  const pipeline = new LinePipeline(formatter, output, { needsTime: false, ...c.pipeline });
  const chunk = chunkOf(Array.from({ length: 1000 }, (_, i) => lines[i % lines.length] as string));
  const pass = (count: number) => {
    for (let done = 0; done < count; done += chunk.starts.length) {
      for (let i = 0; i < chunk.starts.length; i++) {
        const s = chunk.starts[i] as number;
        pipeline.line(chunk.buf, s, s, s, chunk.ends[i] as number);
      }
      pipeline.endChunk();
    }
  };
  pass(50_000); // warm-up
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.cpuUsage();
    pass(n);
    const t = process.cpuUsage(t0);
    runs.push(((t.user + t.system) * 1000) / n);
  }
  gc?.();
  const before = process.memoryUsage().heapUsed;
  bytes = 0;
  pass(n);
  gc?.();
  const heapKb = (process.memoryUsage().heapUsed - before) / 1024;
  // Kept lines, by output bytes against the plain case's per-line bytes: a rough share.
  return { ns: median(runs), kept: bytes, heapKb };
}

console.log(`${fmtInt(n)} lines per run, median of 5 runs, CPU time; Node ${process.version}\n`);
for (const [label, lines] of [
  ["mixed (the 7 samples below in turn)", MIXED],
  ["zap JSON only", [SAMPLES["zap JSON"] as string]],
  ["text only (no structure)", [SAMPLES.text as string]],
] as const) {
  let plain = Number.NaN;
  const rows = CASES.map((c) => {
    const m = measure(c, [...lines]);
    if (Number.isNaN(plain)) plain = m.ns;
    return [
      c.name,
      m.ns.toFixed(0),
      `${(m.ns / plain).toFixed(1)}×`,
      fmtInt(m.kept / n),
      m.heapKb.toFixed(0),
    ];
  });
  console.log(`### ${label}\n`);
  console.log(
    table(["case", "CPU ns per line", "÷ plain", "output bytes per line", "heap left after run (KiB)"], rows),
  );
  console.log();
}

// The parser alone, per format.
const rows = Object.entries(SAMPLES).map(([name, line]) => {
  const buf = Buffer.from(`${line}\n`);
  const end = buf.length - 1;
  for (let i = 0; i < 50_000; i++) parseRecord(buf, 0, end);
  const t0 = process.cpuUsage();
  let found = 0;
  for (let i = 0; i < n; i++) if (parseRecord(buf, 0, end)) found++;
  const t = process.cpuUsage(t0);
  const ns = ((t.user + t.system) * 1000) / n;
  return [name, ns.toFixed(0), found === n ? "record" : "text"];
});
console.log("### parseRecord alone\n");
console.log(table(["format", "CPU ns per line", "result"], rows));

const mem = process.memoryUsage();
console.log(
  `\nprocess at the end: rss ${fmtInt(mem.rss / 1024 / 1024)} MiB, heap ${fmtInt(mem.heapUsed / 1024 / 1024)} MiB`,
);
