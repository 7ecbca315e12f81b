// The interactive view against its goals, beside the plain mode measured in the same run. stern runs
// in a real pseudo-terminal (util-linux `script`, 160×40), its screen output read as it is written:
//   1. 100 streams at 200 lines/s each (20,000 lines/s): the newest line on screen this long after it
//      was written; keys (p: hold / follow) on screen this long after they were typed; CPU per line,
//      beside the plain mode into /dev/null.
//   2. 1,000,000 lines of 100 bytes read into the view (--no-follow): peak RSS; a filter over all of
//      them — its first screen and its full count; a search's jump to the next match.
//   3. Start to the first screen, beside the plain mode's first line.
// Run: node bench/tui.ts [seconds=20] [scrollbackLines=1000000]
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import stripAnsi from "strip-ansi";
import { SimProcess } from "./lib/sim-client.ts";

const [seconds = 20, scrollback = 1_000_000] = process.argv.slice(2).map(Number);
const stern = fileURLToPath(new URL("../bin/stern", import.meta.url));
const sim = await SimProcess.start();
const env = { ...process.env, KUBECONFIG: sim.kubeconfig, TERM: "xterm-256color" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
};

/** A command in a pseudo-terminal of 160×40; its output as it comes, with the times of its reads. */
function inPty(command: string) {
  const child = spawn("/usr/bin/script", ["-qfc", `stty cols 160 rows 40; exec ${command}`, "/dev/null"], {
    env,
    stdio: ["pipe", "pipe", "ignore"],
  });
  const reads: { at: number; text: string }[] = [];
  let all = "";
  // As text, without the escape sequences (a highlighted match splits its line's text).
  child.stdout?.on("data", (d: Buffer) => {
    const text = stripAnsi(d.toString("utf8"));
    reads.push({ at: Date.now(), text });
    all += text;
    if (all.length > 4 << 20) all = all.slice(-(1 << 20));
  });
  return {
    child,
    reads,
    output: () => all,
    type: (keys: string) => child.stdin?.write(keys),
    async until(test: (out: string) => boolean, timeoutMs = 60_000): Promise<number> {
      const end = Date.now() + timeoutMs;
      for (;;) {
        if (test(all)) return Date.now();
        if (Date.now() > end) throw new Error("timed out");
        await sleep(2);
      }
    },
  };
}

/** The node process of stern under `script` (its CPU and memory are what is measured). */
function sternPid(child: ChildProcess): number {
  for (let i = 0; i < 200; i++) {
    try {
      const out = execFileSync("pgrep", ["-P", String(child.pid), "-f", "bin/stern"], {
        encoding: "utf8",
      }).trim();
      if (out) return Number(out.split("\n")[0]);
    } catch {
      // not yet
    }
    execFileSync("sleep", ["0.02"]);
  }
  throw new Error("stern's process not found");
}

function usage(pid: number): { cpuS: number; hwmMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = Number(stat[11]) + Number(stat[12]);
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  return { cpuS: ticks / 100, hwmMb: hwm / 1024 };
}

// 1. Following 20,000 lines a second.
await sim.request({
  type: "rate",
  namespace: "rate",
  pods: 100,
  rate: 200,
  seconds: seconds + 30,
  lineBytes: 100,
});
const view = inPty(`'${process.execPath}' '${stern}' -n rate rate- --tui`);
await view.until((o) => /t=\d+ seq=/.test(o));
const pid = sternPid(view.child);
await sleep(2000);
const cpu0 = usage(pid).cpuS;
const from = view.reads.length;
const keyMs: number[] = [];
const started = Date.now();
let holds = 0;
while (Date.now() - started < seconds * 1000) {
  await sleep(700);
  const mark = view.output().length;
  const word = holds % 2 === 0 ? "HELD" : "FOLLOW";
  const t0 = Date.now();
  view.type(holds % 2 === 0 ? "p" : "G");
  holds++;
  const t1 = await view.until((o) => o.slice(mark).includes(word), 5000).catch(() => Number.NaN);
  keyMs.push(t1 - t0);
}
if (holds % 2 === 1) view.type("G");
const cpu1 = usage(pid).cpuS;
const elapsed = (Date.now() - started) / 1000;
// The newest line written on screen: each read's newest t= against the time it was read.
const lag: number[] = [];
for (const r of view.reads.slice(from)) {
  let newest = 0;
  for (const m of r.text.matchAll(/t=(\d{13})/g)) newest = Math.max(newest, Number(m[1]));
  if (newest > 0) lag.push(r.at - newest);
}
view.type("q");
await new Promise((r) => view.child.once("exit", r));
const viewCpuPerLine = ((cpu1 - cpu0) / (elapsed * 20_000)) * 1e6;

// The plain mode, same load, into /dev/null.
const plain = spawn(stern, ["-n", "rate", "rate-", "--since", "1s"], {
  env,
  stdio: ["ignore", "ignore", "ignore"],
});
await sleep(3000);
const p0 = usage(plain.pid as number).cpuS;
await sleep(seconds * 1000);
const p1 = usage(plain.pid as number).cpuS;
plain.kill();
const plainCpuPerLine = ((p1 - p0) / (seconds * 20_000)) * 1e6;

// 2. A million lines of scroll-back.
await sim.request({
  type: "fast",
  namespace: "big",
  pods: 1,
  containers: 1,
  lines: scrollback,
  lineBytes: 100,
  gate: false,
});
const big = inPty(`'${process.execPath}' '${stern}' -n big load- --tui --no-follow`);
const total = scrollback.toLocaleString("en");
// Read to the end: the stream's "-" line is there.
await big.until((o) => /- load-0000 › c0/.test(o), 180_000);
await sleep(1000);
const bigPid = sternPid(big.child);
const afterLoad = usage(bigPid);
// A filter that keeps about 1 line in 10: lines whose number ends in 7 (the sim's lines are "line NNNNNNNNN ...").
let mark = big.output().length;
const f0 = Date.now();
big.type("f7 ");
// The newest matches, drawn (the screen shows the last lines 999,962 on: 999,987 is one of them).
const firstScreen = (await big.until((o) => o.slice(mark).includes("line 000999987 "), 30_000)) - f0;
big.type("\r");
const shown = (scrollback / 10).toLocaleString("en");
const fullCount =
  (await big.until((o) => new RegExp(` ${shown}/[\\d,]+ lines │ filter 7 `).test(o.slice(mark)), 60_000)) -
  f0;
// The filter off again; a search for lines near the top: going back from the newest, the first is
// line 429, then 428.
big.type("f\x15\r");
const everything = (scrollback + 2).toLocaleString("en");
await big.until((o) => o.slice(-5000).includes(` ${everything}/${everything} lines`), 60_000);
mark = big.output().length;
const s0 = Date.now();
big.type("/line 00000042\r");
const searchJump = (await big.until((o) => o.slice(mark).includes("line 000000429"), 30_000)) - s0;
mark = big.output().length;
const n0 = Date.now();
big.type("N");
const searchNext = (await big.until((o) => o.slice(mark).includes("line 000000428"), 30_000)) - n0;
const peak = usage(bigPid).hwmMb;
big.type("q");
await new Promise((r) => big.child.once("exit", r));

// 3. Start to the first screen, and the plain mode's first line (median of 5 each).
await sim.request({ type: "add-running", namespace: "start", name: "web-1", line: "hello from web-1" });
const startMs = async (args: string[], pty: boolean): Promise<number> => {
  const t0 = Date.now();
  if (pty) {
    const v = inPty(`'${process.execPath}' '${stern}' ${args.join(" ")}`);
    const t = await v.until((o) => o.includes("hello from web-1"));
    v.type("q");
    await new Promise((r) => v.child.once("exit", r));
    return t - t0;
  }
  const c = spawn(process.execPath, [stern, ...args], { env, stdio: ["ignore", "pipe", "ignore"] });
  return new Promise((resolve) =>
    c.stdout.once("data", () => {
      resolve(Date.now() - t0);
      c.kill();
    }),
  );
};
const startTui: number[] = [];
const startPlain: number[] = [];
for (let i = 0; i < 5; i++) {
  startPlain.push(await startMs(["-n", "start", "web-1"], false));
  startTui.push(await startMs(["-n", "start", "web-1", "--tui"], true));
}
await sim.stop();

const f = (n: number, d = 0) => (Number.isNaN(n) ? "-" : n.toFixed(d));
console.log(
  `bench/tui.ts, ${new Date().toISOString().slice(0, 10)}: ${seconds} s at 20,000 lines/s, ${total} lines of scroll-back\n`,
);
console.log("| goal | measured | target |");
console.log("|---|---|---|");
console.log(
  `| newest line on screen after it was written (p50 / p99) | ${f(pct(lag, 0.5))} / ${f(pct(lag, 0.99))} ms | ≤ 100 ms |`,
);
console.log(
  `| a key's effect on screen (p50 / p99, ${keyMs.length} keys) | ${f(pct(keyMs, 0.5))} / ${f(pct(keyMs, 0.99))} ms | ≤ 50 ms (p99) |`,
);
console.log(
  `| CPU per line: the view / plain to /dev/null | ${f(viewCpuPerLine, 1)} / ${f(plainCpuPerLine, 1)} µs (${f(viewCpuPerLine / plainCpuPerLine, 2)}×) | ≤ 1.5× |`,
);
console.log(
  `| peak RSS with ${total} lines | ${f(peak)} MB (${f(afterLoad.hwmMb)} MB after loading) | ≤ 250 MB |`,
);
console.log(
  `| filter over all: first screen / full count | ${firstScreen} / ${fullCount} ms | ≤ 300 ms / ≤ 2,000 ms |`,
);
console.log(
  `| search: jump back over the history / next match | ${searchJump} / ${searchNext} ms | ≤ 100 ms |`,
);
console.log(
  `| start to first screen / plain first line (median of 5) | ${f(pct(startTui, 0.5))} / ${f(pct(startPlain, 0.5))} ms | ≤ plain + 50 ms |`,
);
