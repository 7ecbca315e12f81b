// The soak scenario: containers write sequence-numbered lines, many per timestamp second, while the
// simulated cluster cuts and cleanly ends log streams at random, rotates logs as kubelets do (streams
// that end at the rotation, go on across it, or, as a real kubelet's reader left on the renamed file
// does, stall for good, stall until the next rotation and skip a file, or pause: docs/reliability.md K2),
// ends streams with the kubelet's own error text (K3), black-holes every open connection,
// restarts the API server and expires the watch. stern's output must hold every number exactly once per container, in order.
// Used by test/e2e/soak.test.ts (short) and bench/soak.ts (long).
import { startSim } from "../../sim/index.ts";
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
  /** Log rotations of a random container, the kubelet flavours in turn (end, go on, stall, skip, pause). */
  rotations?: number;
  /** The kubelet's reader fails on a random open stream: its text in the body, which ends (K3). */
  kubeletErrors?: number;
  /** Every open connection goes silent at once (found by stern's health checks). */
  blackholes?: number;
}

export interface SoakResult {
  linesExpected: number;
  linesPrinted: number;
  missing: number;
  duplicated: number;
  outOfOrder: number;
  /** Fault actions carried out, and how many open streams they hit. */
  /** Each gap in a container's numbers, with the faults near the time its first line was written. */
  losses: string[];
  faultActions: number;
  streamsHit: number;
  /** Rotations carried out (a rotation is skipped when every container was rotated just before). */
  rotations: number;
  /** Rotations whose streams stalled (for good, until the next rotation, or for a pause). */
  stalls: number;
  /**
   * Seconds from each stall or skip to the stalled container's next log request (its lines flowing
   * again), sorted; a stall after the container's last line needs none and is not counted.
   */
  stallRecoverySeconds: number[];
  /** The kubelet's text told on stderr ("! pod › app kubelet: …"), as expected from kubeletErrors. */
  kubeletNotices: number;
  logRequests: number;
  wallSeconds: number;
  stderrErrors: string[];
  /**
   * "pod watch … failed: …; retrying" and "… reconnected": a watch that failed twice in a row (a
   * connection black-holed while it was being made waits for the 10 s connect timeout) says so.
   */
  watchNotices: string[];
}

function stderrSummary(stderr: string): {
  stderrErrors: string[];
  watchNotices: string[];
  kubeletNotices: number;
} {
  const all = stderr.split("\n").filter((l) => l !== "" && !l.startsWith("+ ") && !l.startsWith("- "));
  const kubelet = (l: string) => /^! seq-\d+ › app kubelet: failed to try resolving symlinks/.test(l);
  const notes = all.filter((l) => !kubelet(l));
  const notice = (l: string) => /^pod watch in namespace soak (failed: .*; retrying|reconnected)$/.test(l);
  const watchNotices = notes.filter(notice);
  const recovered = watchNotices.length === 0 || watchNotices.at(-1)?.endsWith("reconnected") === true;
  return {
    stderrErrors: notes.filter((l) => !notice(l) || !recovered),
    watchNotices,
    kubeletNotices: all.length - notes.length,
  };
}

/**
 * A container's rotations are kept this far apart (a kubelet checks every 10 s): a stream stalled at
 * one rotation must be found before the next rotation of its container takes the file it stalled on.
 */
const ROTATION_SPACING_MS = 3000;
const FLAVOURS = ["end", "continue", "stall", "skip", "pause"] as const;
const RECENTLY_ROTATED_MS = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const sim = await startSim({ namespaces: ["soak"], network: (o.blackholes ?? 0) > 0 });
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
      // Short health checks, so that a black hole is found within the run (defaults: 30 s and 15 s).
      env: { HTTP2_READ_IDLE_TIMEOUT_SECONDS: "1", HTTP2_PING_TIMEOUT_SECONDS: "1" },
    });
    const lineCount = () => run.stdout().split("\n").length - 1;
    // Wait until every stream is open before producing.
    const deadline = Date.now() + 10_000;
    while (sim.stats.openStreams < o.containers && Date.now() < deadline) await sleep(20);
    const emitStart = Date.now();
    const emitters = pods.map((p) =>
      p.emit("app", { lines: total, rate: o.rate, make: (i) => `${p.name} seq=${i}` }),
    );
    // Faults, spread over the producing time.
    let streamsHit = 0;
    let rotations = 0;
    /** Stalls: when, which pod, and whether stern had to resume it (a pause ends by itself). */
    const stalls: { t: number; pod: string; flavour: string }[] = [];
    /** What was done when, to explain a loss. */
    const log: { t: number; what: string; pod?: string }[] = [];
    const actions: (() => Promise<void> | void)[] = [];
    // Lines written while no stream reads a container and then rotated away can be read by no client
    // (the API serves the current file only). So the faults keep to what a client could recover,
    // judged by what stern has printed: a container is rotated only while stern is nearly caught up
    // with it and its stream is open (opened after the last black hole: a black-holed stream looks
    // open to the server); and a fault that breaks streams waits until every line of a rotated file
    // has been printed (on a loaded machine that can take a while: before, a server restart right
    // after a rotation lost what stern had not read yet, and the soak counted it against stern).
    // A kubelet rotates at 10 MiB, minutes apart at these rates, so each container's rotations are
    // kept ROTATION_SPACING_MS apart.
    const rotatedAt = new Map<string, number>();
    /** The number of lines a container had written when it was last rotated. */
    const rotatedAtLine = new Map<string, number>();
    let blackholedAt = 0;
    const streaming = (name: string) =>
      [...sim.cluster.logStreams].some(
        (s) => s.pod === name && !s.stream.finished && s.openedAt > blackholedAt,
      );
    /** The highest number stern has printed per container, read from its stdout as it grows. */
    const printedMax = new Map<string, number>();
    let scanned = 0;
    const printedUpTo = (name: string): number => {
      const out = run.stdout();
      const end = out.lastIndexOf("\n") + 1;
      for (const m of out.slice(scanned, end).matchAll(/^(\S+) seq=(\d+)$/gm))
        printedMax.set(m[1] as string, Math.max(printedMax.get(m[1] as string) ?? -1, Number(m[2])));
      scanned = Math.max(scanned, end);
      return printedMax.get(name) ?? -1;
    };
    const emitterOf = (name: string) => emitters[pods.findIndex((p) => p.name === name)];
    /** Whether every line of the container's rotated files has been printed. */
    const rotatedFileRead = (name: string) => printedUpTo(name) >= (rotatedAtLine.get(name) ?? 0) - 1;
    /** Waits (up to 10 s) until breaking these containers' streams loses nothing any client could read. */
    const safeToBreak = async (names: string[]) => {
      const until = Date.now() + 10_000;
      while (!names.every(rotatedFileRead) && Date.now() < until) await sleep(10);
    };
    for (let i = 0; i < o.streamFaults; i++) {
      actions.push(async () => {
        // A container whose stream is open, when there is one: a fault on a stream that is down
        // (resuming after the previous fault) would test nothing. Not one rotated in the last second:
        // a stream broken while it still reads the rotated file leaves the rest of that file unread,
        // by any client.
        const now = Date.now();
        const open = pods.filter(
          (p) => streaming(p.name) && now - (rotatedAt.get(p.name) ?? 0) >= RECENTLY_ROTATED_MS,
        );
        const from = open.length > 0 ? open : pods;
        const pod = from[Math.floor(Math.random() * from.length)]!;
        const filter = { namespace: "soak", pod: pod.name };
        await safeToBreak([pod.name]);
        const hit = i % 2 === 0 ? sim.faults.cutLogStreams(filter) : sim.faults.endLogStreams(filter);
        streamsHit += hit;
        log.push({ t: Date.now(), what: `${i % 2 === 0 ? "cut" : "end"}(${hit})`, pod: pod.name });
      });
    }
    for (let i = 0; i < (o.rotations ?? 0); i++) {
      actions.push(async () => {
        // The next container that is streaming and was not rotated lately (waiting a little for one).
        let pod: (typeof pods)[number] | undefined;
        let now = Date.now();
        for (let tries = 0; !pod && tries < 20; tries++) {
          if (tries > 0) await sleep(25);
          now = Date.now();
          // Nearly caught up: what stern has not printed yet is at most 50 ms of lines.
          const ready = pods.filter(
            (p) =>
              now - (rotatedAt.get(p.name) ?? 0) >= ROTATION_SPACING_MS &&
              streaming(p.name) &&
              printedUpTo(p.name) >= (emitterOf(p.name)?.emitted ?? 0) - 1 - o.rate / 20,
          );
          pod = ready[Math.floor(Math.random() * ready.length)];
        }
        if (!pod) return;
        rotatedAt.set(pod.name, now);
        rotatedAtLine.set(pod.name, emitterOf(pod.name)?.emitted ?? 0);
        rotations++;
        const flavour = FLAVOURS[i % FLAVOURS.length] as (typeof FLAVOURS)[number];
        const hit = pod.rotateLog("app", { streams: flavour, pauseMs: 1500 });
        // A paused stream goes on by itself: it needs no request of stern's.
        if (flavour !== "pause") streamsHit += hit;
        if (hit > 0 && (flavour === "stall" || flavour === "skip" || flavour === "pause"))
          stalls.push({ t: now, pod: pod.name, flavour });
        log.push({ t: now, what: `rotate-${flavour}`, pod: pod.name });
      });
    }
    for (let i = 0; i < (o.kubeletErrors ?? 0); i++) {
      actions.push(async () => {
        const open = pods.filter((p) => streaming(p.name));
        const pod = open[Math.floor(Math.random() * open.length)];
        if (!pod) return;
        await safeToBreak([pod.name]);
        streamsHit += sim.faults.kubeletError({ namespace: "soak", pod: pod.name });
        log.push({ t: Date.now(), what: "kubelet-error", pod: pod.name });
      });
    }
    for (let i = 0; i < (o.blackholes ?? 0); i++) {
      actions.push(async () => {
        await safeToBreak(pods.map((p) => p.name));
        blackholedAt = Date.now();
        sim.faults.blackhole();
        log.push({ t: blackholedAt, what: "blackhole" });
      });
    }
    for (let i = 0; i < o.serverRestarts; i++)
      actions.push(async () => {
        await safeToBreak(pods.map((p) => p.name));
        log.push({ t: Date.now(), what: "restart" });
        return sim.restart();
      });
    for (let i = 0; i < o.watchExpiries; i++)
      actions.push(() => {
        log.push({ t: Date.now(), what: "expire" });
        sim.faults.expireWatches();
      });
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
    const losses: string[] = [];
    let duplicated = 0;
    let outOfOrder = 0;
    let printed = 0;
    for (const p of pods) {
      const nums = seen.get(p.name) ?? [];
      printed += nums.length;
      const uniq = new Set(nums);
      duplicated += nums.length - uniq.size;
      for (let i = 0; i < total; i++) {
        if (uniq.has(i)) continue;
        missing++;
        if (uniq.has(i - 1) || i === 0) {
          // The first line of a gap: when it was written, and what happened around then.
          const at = emitStart + (i / o.rate) * 1000;
          const near = log
            .filter((e) => Math.abs(e.t - at) < 3000 && (e.pod === undefined || e.pod === p.name))
            .map((e) => `${e.what}@${Math.round(e.t - at)}ms`);
          let end = i;
          while (end + 1 < total && !uniq.has(end + 1)) end++;
          if (losses.length < 20)
            losses.push(`${p.name} seq ${i}-${end}: ${near.join(" ") || "no fault near"}`);
        }
      }
      for (let i = 1; i < nums.length; i++) if ((nums[i] as number) < (nums[i - 1] as number)) outOfOrder++;
    }
    // A stall or skip that stern must resume itself: how long until its next log request.
    const stallRecoverySeconds = stalls
      .filter((st) => st.flavour !== "pause")
      .map((st) => {
        const next = sim.requests.find(
          (q) =>
            q.path === `/api/v1/namespaces/soak/pods/${st.pod}/log` &&
            q.query.get("follow") &&
            q.time >= st.t,
        );
        return next ? (next.time - st.t) / 1000 : undefined;
      })
      .filter((t): t is number => t !== undefined)
      .sort((a, b) => a - b);
    return {
      linesExpected: want,
      linesPrinted: printed,
      missing,
      duplicated,
      outOfOrder,
      losses,
      faultActions: actions.length,
      streamsHit,
      rotations,
      stalls: stalls.length,
      stallRecoverySeconds,
      logRequests: sim.requests.filter((q) => q.path.endsWith("/log")).length,
      wallSeconds: (performance.now() - started) / 1000,
      ...stderrSummary(run.stderr()),
    };
  } finally {
    await sim.stop();
  }
}
