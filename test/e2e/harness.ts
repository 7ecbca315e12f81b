// The set-up most end-to-end files share: one simulated cluster for the file, a namespace of its own
// for each test, and no stern process left running after the test that started it.
import { afterAll, afterEach, beforeAll } from "vitest";
import { type Sim, type SimOptions, startSim } from "../../sim/index.ts";
import { type SpawnOptions, type SternRun, spawnStern, waitUntil } from "./stern-process.ts";

export interface HarnessOptions {
  /** Passed to startSim. */
  sim?: SimOptions;
  /** freshNamespace() names are this prefix and a counter (default "ns"). */
  namespacePrefix?: string;
  /** Clear the faults injected through sim.faults after each test, so none leaks into the next. */
  clearFaults?: boolean;
}

export interface Harness {
  /** The file's cluster: started in beforeAll, stopped in afterAll (see lateBound). */
  sim: Sim;
  /** Adds an empty namespace, so that a test sees only the pods it made. */
  freshNamespace(): string;
  /** spawnStern, and the run is killed (SIGKILL) and awaited after the current test, pass or fail. */
  startStern(args: string[], opts?: SpawnOptions): SternRun;
  /**
   * Waits until `count` log streams of the namespace (of one pod, if given) are open in the cluster:
   * from then on a line written reaches them, whatever --tail said.
   */
  streamsOpen(namespace: string, count: number, pod?: string): Promise<void>;
}

/**
 * Registers the file's beforeAll, afterAll and afterEach hooks; call it once, at module level, before
 * the file's own hooks (vitest runs beforeAll hooks in order, so those can populate the sim).
 */
export function e2eHarness(opts: HarnessOptions = {}): Harness {
  let sim: Sim | undefined;
  let runs: SternRun[] = [];
  let nsCounter = 0;

  beforeAll(async () => {
    sim = await startSim(opts.sim);
  });
  afterAll(async () => {
    await sim?.stop();
  });
  afterEach(async () => {
    const ended = runs;
    runs = [];
    for (const run of ended) {
      run.kill("SIGKILL");
      await run.exited().catch(() => {});
    }
    if (opts.clearFaults) sim?.faults.clear();
  });

  const started = lateBound("the sim", () => sim);
  return {
    sim: started,
    freshNamespace() {
      const ns = `${opts.namespacePrefix ?? "ns"}${++nsCounter}`;
      started.addNamespace(ns);
      return ns;
    },
    startStern(args, spawnOpts) {
      const run = spawnStern(args, spawnOpts);
      runs.push(run);
      return run;
    },
    streamsOpen(namespace, count, pod) {
      const open = () =>
        [...started.cluster.logStreams].filter(
          (s) => s.namespace === namespace && (pod === undefined || s.pod === pod) && !s.stream.finished,
        ).length;
      return waitUntil(() => open() >= count, 10_000);
    },
  };
}

/**
 * Stands for the object current() returns once a hook has made it. The file can then bind it to a
 * const at module level, before beforeAll has run, and its tests read as if it were the object.
 */
function lateBound<T extends object>(what: string, current: () => T | undefined): T {
  const target = (): T => {
    const t = current();
    if (t === undefined) throw new Error(`${what} is used before beforeAll started it`);
    return t;
  };
  return new Proxy({} as T, {
    get(_, prop) {
      const t = target();
      const value: unknown = Reflect.get(t, prop);
      // methods run on the object itself, not on this stand-in
      return typeof value === "function" ? value.bind(t) : value;
    },
    set: (_, prop, value) => Reflect.set(target(), prop, value),
    has: (_, prop) => Reflect.has(target(), prop),
  });
}
