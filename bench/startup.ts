// Start-up with many pods: bin/stern follows N idle pods of one namespace (one container each) with
// the default --max-log-requests, against the simulated cluster in a process of its own. Start-up ends
// when every pod has been taken in: stern then says how many containers wait for a log stream. Its
// CPU (user + system, from /proc) and wall time to that line are measured, once per size.
// Run: node bench/startup.ts [pods ...] [--deadline seconds]   (default 20000 40000 100000, 300 s)
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SimProcess } from "./lib/sim-client.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { deadline: { type: "string", default: "300" } },
});
const sizes = positionals.length > 0 ? positionals.map(Number) : [20_000, 40_000, 100_000];
const deadlineMs = Number(values.deadline) * 1000;
const stern = fileURLToPath(new URL("../bin/stern", import.meta.url));
const TICKS = 100; // USER_HZ: /proc's CPU times are in hundredths of a second on Linux

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

interface Result {
  pods: number;
  cpu: number;
  wall: number;
  finished: boolean;
}

async function measure(sim: SimProcess, pods: number): Promise<Result> {
  const namespace = `startup-${pods}`;
  await sim.request({ type: "idle", namespace, pods });
  const t0 = performance.now();
  const child = spawn(process.execPath, [stern, "-n", namespace, "idle-", "--tail", "0"], {
    env: { ...process.env, KUBECONFIG: sim.kubeconfig },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const pid = child.pid as number;
  const waiting = `${pods - 50} container(s) wait for a free log stream`;
  let err = "";
  const finished = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), deadlineMs);
    child.stderr.on("data", (d: Buffer) => {
      // Only the tail is kept: the "+" lines of 50 streams come first.
      err = (err + d.toString()).slice(-4096);
      if (err.includes(waiting)) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    child.on("exit", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  const result = { pods, cpu: cpuSeconds(pid), wall: (performance.now() - t0) / 1000, finished };
  child.kill("SIGKILL");
  await new Promise((r) => child.once("close", r));
  if (!finished && child.exitCode !== null) throw new Error(`stern exited early:\n${err}`);
  return result;
}

const sim = await SimProcess.start();
console.log("| pods | start-up CPU s | wall s |");
console.log("| --- | --- | --- |");
for (const pods of sizes) {
  const r = await measure(sim, pods);
  const more = r.finished ? "" : ` (not done after ${deadlineMs / 1000} s)`;
  console.log(`| ${pods} | ${r.finished ? "" : "> "}${r.cpu.toFixed(2)}${more} | ${r.wall.toFixed(2)} |`);
}
await sim.stop();
