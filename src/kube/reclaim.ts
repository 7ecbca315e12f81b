// Socket reads leave their garbage outside V8's heap: every read is a Buffer (and node:http copies
// each body chunk once more), dead as soon as its lines are copied out. Lines cost the JS heap next to
// nothing, so V8 collects rarely, the dead Buffers pile up (tens of MB at 100 busy streams) and malloc
// keeps what they took. A young-generation collection every megabyte read (a fraction of a
// millisecond, with the 1 MB young generation bin/stern sets) frees them as they come:
// bench/memory-probe.ts, 100 busy HTTP/1.1 streams, peak RSS 92–97 MB instead of 134–143 MB.
// STERN_READ_GC_MB sets the step (0 turns it off).
import type * as V8Module from "node:v8";
import type * as VmModule from "node:vm";

const STEP = ((): number => {
  const v = Number(process.env.STERN_READ_GC_MB ?? 1);
  return Number.isFinite(v) && v >= 0 ? v * (1 << 20) : 1 << 20;
})();

/** Node's gc(), taken from a context made while --expose-gc was on; null where that fails. */
export function exposeYoungGc(): (() => void) | null {
  try {
    const v8 = process.getBuiltinModule("node:v8") as typeof V8Module;
    const vm = process.getBuiltinModule("node:vm") as typeof VmModule;
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as unknown;
    v8.setFlagsFromString("--no-expose-gc");
    if (typeof gc !== "function") return null;
    return () => gc({ type: "minor" });
  } catch {
    return null;
  }
}

/** Calls collect() once every `step` bytes read (0: never). */
export class Reclaimer {
  private readonly step: number;
  private readonly collect: () => void;
  private since = 0;
  constructor(step: number, collect: () => void) {
    this.step = step;
    this.collect = collect;
  }
  read(n: number): void {
    if (this.step === 0) return;
    this.since += n;
    if (this.since < this.step) return;
    this.since = 0;
    this.collect();
  }
}

let youngGc: (() => void) | null | undefined;
const shared = new Reclaimer(STEP, () => {
  if (youngGc === undefined) youngGc = exposeYoungGc();
  youngGc?.();
});

/** Counts bytes read off a socket; every STEP of them, the young generation is collected. */
export function readBytes(n: number): void {
  shared.read(n);
}
