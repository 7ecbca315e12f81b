import { describe, expect, it } from "vitest";
import { KWayMerge, type Lane, type Timer, WindowSorter } from "../../../src/engine/sort.ts";

/** A kubelet-style timestamp key for second s plus ns nanoseconds. */
function ts(s: number, ns = 0): string {
  s += Math.floor(ns / 1e9);
  ns %= 1e9;
  const d = new Date(Date.UTC(2024, 0, 1) + s * 1000).toISOString().slice(0, 19);
  return `${d}.${String(ns).padStart(9, "0")}Z`;
}

const b = (s: string) => Buffer.from(s);

function collector(): { out: string[]; emit: (line: Buffer) => void } {
  const out: string[] = [];
  return { out, emit: (line) => out.push(line.toString()) };
}

async function settled<T>(p: Promise<T>): Promise<boolean> {
  let done = false;
  void p.then(() => {
    done = true;
  });
  await new Promise((r) => setImmediate(r));
  return done;
}

describe("KWayMerge", () => {
  it("merges interleaving lanes in key order", async () => {
    const { out, emit } = collector();
    const m = new KWayMerge(emit);
    const a = m.lane();
    const c = m.lane();
    a.push(ts(1), b("a1"));
    a.push(ts(3), b("a3"));
    a.push(ts(5), b("a5"));
    expect(out).toEqual([]); // c is open and empty: its next line may be the smallest
    c.push(ts(2), b("c2"));
    expect(out).toEqual(["a1", "c2"]);
    c.push(ts(4), b("c4"));
    c.push(ts(6), b("c6"));
    expect(out).toEqual(["a1", "c2", "a3", "c4", "a5"]);
    a.end();
    expect(out).toEqual(["a1", "c2", "a3", "c4", "a5", "c6"]);
    c.end();
    m.close();
    await m.done;
  });

  it("breaks ties by lane creation order and keeps order within a lane", () => {
    const { out, emit } = collector();
    const m = new KWayMerge(emit);
    const l0 = m.lane();
    const l1 = m.lane();
    const l2 = m.lane();
    // pushed in reverse lane order, all with the same key
    l2.push(ts(1), b("l2-x"));
    l2.push(ts(1), b("l2-y"));
    l1.push(ts(1), b("l1-x"));
    l0.push(ts(1), b("l0-x"));
    l0.push(ts(1), b("l0-y"));
    l0.push(ts(2), b("l0-z"));
    for (const l of [l0, l1, l2]) l.end();
    m.close();
    expect(out).toEqual(["l0-x", "l0-y", "l1-x", "l2-x", "l2-y", "l0-z"]);
  });

  it("keeps a lane's own order even if its keys go backwards", () => {
    const { out, emit } = collector();
    const m = new KWayMerge(emit);
    const l = m.lane();
    l.push(ts(5), b("5"));
    l.push(ts(1), b("1"));
    l.end();
    m.close();
    expect(out).toEqual(["5", "1"]);
  });

  it("an empty open lane blocks emission until it ends", async () => {
    const { out, emit } = collector();
    const m = new KWayMerge(emit);
    const a = m.lane();
    const empty = m.lane();
    a.push(ts(1), b("a1"));
    a.push(ts(2), b("a2"));
    a.end();
    m.close();
    expect(out).toEqual([]);
    expect(await settled(m.done)).toBe(false);
    empty.end();
    expect(out).toEqual(["a1", "a2"]);
    expect(await settled(m.done)).toBe(true);
  });

  it("a lane that drains empty blocks again until its next line", () => {
    const { out, emit } = collector();
    const m = new KWayMerge(emit);
    const a = m.lane();
    const c = m.lane();
    a.push(ts(1), b("a1"));
    c.push(ts(5), b("c5"));
    expect(out).toEqual(["a1"]); // a is empty now: c5 must wait
    a.push(ts(7), b("a7"));
    expect(out).toEqual(["a1", "c5"]);
    c.end();
    expect(out).toEqual(["a1", "c5", "a7"]);
  });

  it("lanes added later take part in the merge", async () => {
    const { out, emit } = collector();
    const m = new KWayMerge(emit);
    const a = m.lane();
    a.push(ts(1), b("a1"));
    a.push(ts(4), b("a4"));
    expect(out).toEqual(["a1", "a4"]); // only existing lanes are waited on before close()
    const late = m.lane();
    a.push(ts(9), b("a9"));
    a.push(ts(10), b("a10"));
    expect(out).toEqual(["a1", "a4"]); // the new lane holds back a9
    late.push(ts(5), b("n5"));
    late.push(ts(9), b("n9"));
    expect(out).toEqual(["a1", "a4", "n5", "a9", "n9"]);
    m.close();
    expect(() => m.lane()).toThrow();
    late.end();
    a.end();
    expect(out).toEqual(["a1", "a4", "n5", "a9", "n9", "a10"]);
    await m.done;
  });

  it("done waits for close() and resolves at once with no lanes", async () => {
    const m = new KWayMerge(() => {});
    const l = m.lane();
    l.end();
    expect(await settled(m.done)).toBe(false);
    m.close();
    expect(await settled(m.done)).toBe(true);
    const m2 = new KWayMerge(() => {});
    m2.close();
    await m2.done;
  });

  it("done waits for every lane to end and drain", async () => {
    const { out, emit } = collector();
    const m = new KWayMerge(emit);
    const a = m.lane();
    const c = m.lane();
    m.close();
    a.push(ts(1), b("a1"));
    a.end();
    expect(await settled(m.done)).toBe(false);
    c.push(ts(0), b("c0"));
    expect(await settled(m.done)).toBe(false);
    c.end();
    expect(await settled(m.done)).toBe(true);
    expect(out).toEqual(["c0", "a1"]);
  });

  it("end() is idempotent, push() after end() throws", () => {
    const m = new KWayMerge(() => {});
    const l = m.lane();
    l.end();
    l.end();
    expect(() => l.push(ts(1), b("x"))).toThrow();
  });

  it("backpressure: push returns false when full, whenWritable resolves after the merge drains", async () => {
    const { out, emit } = collector();
    const m = new KWayMerge(emit, { laneCapacity: 4 });
    const fast = m.lane();
    const slow = m.lane();
    const results = [1, 2, 3, 4, 5].map((i) => fast.push(ts(i), b(`f${i}`)));
    expect(results).toEqual([true, true, true, false, false]); // the 5th is kept nonetheless
    expect(await settled(slow.whenWritable())).toBe(true); // empty lane has room
    const w = fast.whenWritable();
    expect(await settled(w)).toBe(false);
    slow.push(ts(2, 500), b("s2.5")); // f1, f2, s2.5 go out: fast holds 3, above half of 4
    expect(out).toEqual(["f1", "f2", "s2.5"]);
    expect(await settled(w)).toBe(false);
    slow.push(ts(3, 500), b("s3.5")); // f3 goes: fast holds 2, half its capacity
    expect(out).toEqual(["f1", "f2", "s2.5", "f3", "s3.5"]);
    expect(await settled(w)).toBe(true);
    slow.end();
    fast.end();
    m.close();
    await m.done;
    expect(out).toEqual(["f1", "f2", "s2.5", "f3", "s3.5", "f4", "f5"]);
  });

  it("a full lane stays drainable: producers honouring backpressure finish", async () => {
    const { out, emit } = collector();
    let maxQueued = 0;
    let queued = 0;
    const produce = async (lane: Lane, keys: number[], name: string) => {
      for (const k of keys) {
        queued++;
        maxQueued = Math.max(maxQueued, queued);
        if (!lane.push(ts(k), b(`${name}${k}`))) await lane.whenWritable();
        await Promise.resolve();
      }
      lane.end();
    };
    const counting = (line: Buffer) => {
      queued--;
      emit(line);
    };
    const m = new KWayMerge(counting, { laneCapacity: 3 });
    // lane y has all the small keys: x and z fill up and must wait while y drains
    const lanes = [m.lane(), m.lane(), m.lane()];
    m.close();
    const small = Array.from({ length: 50 }, (_, i) => i);
    const big = Array.from({ length: 50 }, (_, i) => 100 + i * 2);
    await Promise.all([
      produce(lanes[0]!, big, "x"),
      produce(lanes[1]!, small, "y"),
      produce(
        lanes[2]!,
        big.map((k) => k + 1),
        "z",
      ),
    ]);
    await m.done;
    expect(out).toHaveLength(150);
    const sorted = [...out].sort((p, q) => Number(p.slice(1)) - Number(q.slice(1)));
    expect(out).toEqual(sorted);
    expect(maxQueued).toBeLessThanOrEqual(3 * 3);
  });

  it("whenWritable resolves when the lane ends", async () => {
    const m = new KWayMerge(() => {}, { laneCapacity: 1 });
    const a = m.lane();
    m.lane(); // blocks everything
    expect(a.push(ts(1), b("x"))).toBe(false);
    const w = a.whenWritable();
    expect(await settled(w)).toBe(false);
    a.end();
    expect(await settled(w)).toBe(true);
  });

  it("a line pushed from inside emit is merged in order", () => {
    const out: string[] = [];
    const m = new KWayMerge((line) => {
      out.push(line.toString());
      if (line.toString() === "a1") a.push(ts(3), b("a3"));
    });
    const a = m.lane();
    const c = m.lane();
    a.push(ts(1), b("a1"));
    c.push(ts(2), b("c2"));
    c.push(ts(4), b("c4"));
    a.end();
    c.end();
    expect(out).toEqual(["a1", "c2", "a3", "c4"]);
  });

  it("merges 3 interleaved lanes of 10,000 lines each with backpressure", async () => {
    const keys: string[] = [];
    const m = new KWayMerge((line) => keys.push(line.toString()), { laneCapacity: 100 });
    const n = 10_000;
    const produce = async (lane: Lane, offset: number) => {
      for (let i = 0; i < n; i++) {
        // i*3+offset: the lanes interleave one by one; every 7th line repeats the previous key
        const k = ts(0, (i - (i % 7 === 6 ? 1 : 0)) * 3 + offset);
        if (!lane.push(k, b(k))) await lane.whenWritable();
      }
      lane.end();
    };
    const lanes = [m.lane(), m.lane(), m.lane()];
    m.close();
    await Promise.all(lanes.map((l, i) => produce(l, i)));
    await m.done;
    expect(keys).toHaveLength(3 * n);
    for (let i = 1; i < keys.length; i++) {
      if (keys[i - 1]! > keys[i]!) throw new Error(`out of order at ${i}: ${keys[i - 1]} > ${keys[i]}`);
    }
  });

  it("1,000,000 lines through 100 lanes", () => {
    let count = 0;
    let prev = "";
    let ordered = true;
    const m = new KWayMerge(
      (line) => {
        count++;
        const k = line.toString("latin1");
        if (k < prev) ordered = false;
        prev = k;
      },
      { laneCapacity: 1000 },
    );
    const lanesN = 100;
    const perLane = 10_000;
    const lanes = Array.from({ length: lanesN }, () => m.lane());
    m.close();
    // kubelet-style keys, prebuilt: the timing below is the merge's alone
    const pad = (n: number, w: number) => String(n).padStart(w, "0");
    const bufs = Array.from({ length: lanesN * perLane }, (_, i) => {
      const sec = Math.floor(i / 1000);
      const hms = `${pad(Math.floor(sec / 3600), 2)}:${pad(Math.floor(sec / 60) % 60, 2)}:${pad(sec % 60, 2)}`;
      return Buffer.from(`2024-01-01T${hms}.${pad((i % 1000) * 1000, 9)}Z`, "latin1");
    });
    // flat strings, as the engine's keys sliced from line buffers will be
    const keys = bufs.map((buf) => buf.toString("latin1", 0, 30));
    const t0 = performance.now();
    // lanes interleave: lane l gets keys l, l+100, ...; pushed in batches of 50 per lane
    for (let start = 0; start < perLane; start += 50) {
      for (let l = 0; l < lanesN; l++) {
        const lane = lanes[l]!;
        for (let i = start; i < start + 50; i++) {
          const j = i * lanesN + l;
          lane.push(keys[j]!, bufs[j]!);
        }
      }
    }
    for (const l of lanes) l.end();
    const ms = performance.now() - t0;
    console.log(`KWayMerge: 1,000,000 lines / 100 lanes in ${ms.toFixed(0)} ms`);
    expect(count).toBe(lanesN * perLane);
    expect(ordered).toBe(true);
    expect(ms).toBeLessThan(10_000); // generous: a sanity bound, not a benchmark
  });
});

/** A fake clock and scheduler that records how many timers are pending at once. */
function fakeTime() {
  let t = 0;
  let pending: { at: number; fn: () => void; cancelled: boolean }[] = [];
  let maxPending = 0;
  let scheduled = 0;
  const live = () => pending.filter((p) => !p.cancelled).length;
  const schedule = (fn: () => void, ms: number): Timer => {
    const p = { at: t + ms, fn, cancelled: false };
    pending.push(p);
    scheduled++;
    maxPending = Math.max(maxPending, live());
    return {
      cancel: () => {
        p.cancelled = true;
      },
    };
  };
  const advance = (ms: number) => {
    const end = t + ms;
    for (;;) {
      const due = pending.filter((p) => !p.cancelled && p.at <= end).sort((x, y) => x.at - y.at)[0];
      if (due === undefined) break;
      pending = pending.filter((p) => p !== due);
      t = Math.max(t, due.at);
      due.fn();
    }
    t = end;
  };
  return {
    now: () => t,
    schedule,
    advance,
    get live() {
      return live();
    },
    get maxPending() {
      return maxPending;
    },
    get scheduled() {
      return scheduled;
    },
  };
}

function sorter(windowMs = 100) {
  const time = fakeTime();
  const { out, emit } = collector();
  const s = new WindowSorter(emit, { windowMs, now: time.now, schedule: time.schedule });
  return { time, out, s };
}

describe("WindowSorter", () => {
  it("orders lines that arrive within the window", () => {
    const { time, out, s } = sorter(100);
    s.push(ts(3), b("p3"));
    time.advance(10);
    s.push(ts(1), b("q1"));
    time.advance(10);
    s.push(ts(2), b("r2"));
    expect(out).toEqual([]);
    expect(s.held).toBe(3);
    time.advance(79); // t=99: nothing due yet
    expect(out).toEqual([]);
    time.advance(1); // t=100: p3 due, and everything <= it goes out in order
    expect(out).toEqual(["q1", "r2", "p3"]);
    expect(s.held).toBe(0);
    expect(s.late).toBe(0);
  });

  it("releases each line once its window has passed, holding larger keys", () => {
    const { time, out, s } = sorter(100);
    s.push(ts(1), b("a1"));
    time.advance(50);
    s.push(ts(5), b("b5"));
    s.push(ts(2), b("c2"));
    time.advance(50); // t=100: a1 due; c2, b5 still within their window
    expect(out).toEqual(["a1"]);
    expect(s.held).toBe(2);
    time.advance(49);
    expect(out).toEqual(["a1"]);
    time.advance(1); // t=150: b5 due, c2 goes first
    expect(out).toEqual(["a1", "c2", "b5"]);
  });

  it("keeps arrival order for equal keys", () => {
    const { time, out, s } = sorter(100);
    s.push(ts(1), b("x"));
    s.push(ts(2), b("y"));
    time.advance(5);
    s.push(ts(1), b("z"));
    s.push(ts(2), b("w"));
    time.advance(200);
    expect(out).toEqual(["x", "z", "y", "w"]);
  });

  it("a line with a key equal to the last released is not late", () => {
    const { time, out, s } = sorter(100);
    s.push(ts(1), b("x"));
    time.advance(100);
    s.push(ts(1), b("y"));
    expect(out).toEqual(["x"]);
    expect(s.held).toBe(1);
    time.advance(100);
    expect(out).toEqual(["x", "y"]);
    expect(s.late).toBe(0);
  });

  it("emits late lines at once and counts them", () => {
    const { time, out, s } = sorter(100);
    s.push(ts(5), b("a5"));
    s.push(ts(9), b("a9"));
    time.advance(100);
    expect(out).toEqual(["a5", "a9"]);
    s.push(ts(10), b("b10"));
    s.push(ts(3), b("late3")); // older than what went out: cannot be placed any more
    expect(out).toEqual(["a5", "a9", "late3"]);
    expect(s.late).toBe(1);
    expect(s.held).toBe(1);
    time.advance(100);
    expect(out).toEqual(["a5", "a9", "late3", "b10"]);
  });

  it("releases due lines on push even if the timer is late", () => {
    const time = fakeTime();
    const { out, emit } = collector();
    // a scheduler that never fires: a stalled event loop
    const s = new WindowSorter(emit, { windowMs: 100, now: time.now, schedule: () => ({ cancel() {} }) });
    s.push(ts(5), b("a5"));
    time.advance(150);
    s.push(ts(4), b("late4")); // a5 is due first, so this one is late
    expect(out).toEqual(["a5", "late4"]);
    expect(s.late).toBe(1);
  });

  it("flush releases everything in key order and cancels the timer", () => {
    const { time, out, s } = sorter(100);
    s.push(ts(3), b("c"));
    s.push(ts(1), b("a"));
    s.push(ts(2), b("b"));
    expect(time.live).toBe(1);
    s.flush();
    expect(out).toEqual(["a", "b", "c"]);
    expect(s.held).toBe(0);
    expect(time.live).toBe(0);
    s.push(ts(2), b("late"));
    expect(s.late).toBe(1);
    s.push(ts(4), b("d"));
    time.advance(100);
    expect(out).toEqual(["a", "b", "c", "late", "d"]);
  });

  it("keeps one timer at a time, for the next line due", () => {
    const { time, out, s } = sorter(100);
    for (let i = 0; i < 50; i++) {
      s.push(ts(1000 - i), b(String(1000 - i)));
      time.advance(3);
    }
    expect(time.maxPending).toBe(1);
    time.advance(1000);
    expect(out).toHaveLength(50);
    expect(time.live).toBe(0);
    expect(time.maxPending).toBe(1);
  });

  it("a window of 0 passes lines straight through", () => {
    const { out, s } = sorter(0);
    s.push(ts(2), b("x"));
    s.push(ts(1), b("y"));
    expect(out).toEqual(["x", "y"]);
    expect(s.late).toBe(1);
  });

  it("sorts a shuffled burst within the window and is in order when arrivals are close", () => {
    const { time, out, s } = sorter(250);
    // 4 pods, each in order, delivered with jitter up to 200ms relative to each other
    const lines: { key: string; at: number }[] = [];
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let pod = 0; pod < 4; pod++) {
      const delay = Math.floor(rand() * 200);
      for (let i = 0; i < 500; i++) lines.push({ key: ts(0, (i * 4 + pod) * 1_000_000), at: i + delay });
    }
    lines.sort((x, y) => x.at - y.at);
    for (const l of lines) {
      if (l.at > time.now()) time.advance(l.at - time.now());
      s.push(l.key, b(l.key));
    }
    s.flush();
    expect(out).toHaveLength(2000);
    expect(out).toEqual([...out].sort());
    expect(s.late).toBe(0);
    expect(time.maxPending).toBe(1);
  });

  it("bounds what it holds to the last window", () => {
    const { time, s } = sorter(100);
    let maxHeld = 0;
    for (let i = 0; i < 1000; i++) {
      s.push(ts(0, i), b("x"));
      maxHeld = Math.max(maxHeld, s.held);
      time.advance(1);
    }
    expect(maxHeld).toBeLessThanOrEqual(101);
  });
});
