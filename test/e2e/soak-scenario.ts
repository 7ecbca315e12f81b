// The soak scenario: containers write sequence-numbered lines, many per timestamp second, while the
// simulated cluster cuts and cleanly ends log streams at random, restarts the API server and expires
// the watch. stern's output must hold every number exactly once per container, in order.
// Used by test/e2e/soak.test.ts (short) and bench/soak.ts (long).
import { startSim } from "../sim/index.ts";
import { spawnStern } from "./stern-process.ts";

export interface SoakOptions {
  containers: number;
  /** Lines per second per container. */
  rate: number;
  seconds: number;
  /** Stream faults (cuts and clean ends, half each) spread over the run. */
  streamFaults: number;
  serverRestarts: number;
  watchExpiries: number;
}

export interface SoakResult {
  linesExpected: number;
  linesPrinted: number;
  missing: number;
  duplicated: number;
  outOfOrder: number;
  /** Fault actions carried out, and how many open streams they hit. */
  faultActions: number;
  streamsHit: number;
  logRequests: number;
  wallSeconds: number;
  stderrErrors: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const sim = await startSim({ namespaces: ["soak"] });
  const started = performance.now();
  try {
    const total = Math.round(o.rate * o.seconds);
    const pods = Array.from({ length: o.containers }, (_, i) =>
      sim.addPod({
        namespace: "soak",
        name: `seq-${String(i).padStart(2, "0")}`,
        containers: [{ name: "app" }],
      }),
    );
    const run = spawnStern(["-n", "soak", "seq-", "--only-log-lines", "-o", "raw"], {
      kubeconfig: sim.kubeconfigPath,
    });
    const lineCount = () => run.stdout().split("\n").length - 1;
    // Wait until every stream is open before producing.
    const deadline = Date.now() + 10_000;
    while (sim.stats.openStreams < o.containers && Date.now() < deadline) await sleep(20);
    const emitters = pods.map((p) =>
      p.emit("app", { lines: total, rate: o.rate, make: (i) => `${p.name} seq=${i}` }),
    );
    // Faults, spread over the producing time.
    let streamsHit = 0;
    const actions: (() => Promise<void> | void)[] = [];
    for (let i = 0; i < o.streamFaults; i++) {
      actions.push(() => {
        const pod = pods[Math.floor(Math.random() * pods.length)]!;
        const filter = { namespace: "soak", pod: pod.name };
        streamsHit += i % 2 === 0 ? sim.faults.cutLogStreams(filter) : sim.faults.endLogStreams(filter);
      });
    }
    for (let i = 0; i < o.serverRestarts; i++) actions.push(() => sim.restart());
    for (let i = 0; i < o.watchExpiries; i++) actions.push(() => void sim.faults.expireWatches());
    actions.sort(() => Math.random() - 0.5);
    const step = (o.seconds * 1000 * 0.9) / Math.max(1, actions.length);
    for (const act of actions) {
      await sleep(step);
      await act();
    }
    await Promise.all(emitters.map((e) => e.done));
    // Every line written; stern has until a quiet period to print them all.
    const want = total * o.containers;
    const until = Date.now() + 30_000;
    while (lineCount() < want && Date.now() < until) await sleep(100);
    await sleep(1500); // anything extra (duplicates) would show up by now
    run.kill("SIGTERM");
    await run.exited();
    const seen = new Map<string, number[]>();
    for (const line of run.stdout().split("\n")) {
      const m = /^(\S+) seq=(\d+)$/.exec(line);
      if (!m) continue;
      const list = seen.get(m[1]!) ?? [];
      list.push(Number(m[2]));
      seen.set(m[1]!, list);
    }
    let missing = 0;
    let duplicated = 0;
    let outOfOrder = 0;
    let printed = 0;
    for (const p of pods) {
      const nums = seen.get(p.name) ?? [];
      printed += nums.length;
      const uniq = new Set(nums);
      duplicated += nums.length - uniq.size;
      for (let i = 0; i < total; i++) if (!uniq.has(i)) missing++;
      for (let i = 1; i < nums.length; i++) if ((nums[i] as number) < (nums[i - 1] as number)) outOfOrder++;
    }
    return {
      linesExpected: want,
      linesPrinted: printed,
      missing,
      duplicated,
      outOfOrder,
      faultActions: actions.length,
      streamsHit,
      logRequests: sim.requests.filter((q) => q.path.endsWith("/log")).length,
      wallSeconds: (performance.now() - started) / 1000,
      stderrErrors: run
        .stderr()
        .split("\n")
        .filter((l) => l !== "" && !l.startsWith("+ ") && !l.startsWith("- ")),
    };
  } finally {
    await sim.stop();
  }
}
