// Reads collect the young generation every megabyte (src/kube/reclaim.ts): dead read Buffers go
// before malloc keeps what they took.
import { constants, PerformanceObserver } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { exposeYoungGc, Reclaimer } from "../../../src/kube/reclaim.ts";

const gcKind = (detail: unknown): number =>
  typeof detail === "object" && detail !== null && "kind" in detail && typeof detail.kind === "number"
    ? detail.kind
    : -1;

describe("Reclaimer", () => {
  it("collects once per step read, however the reads are cut; never with a step of 0", () => {
    let collected = 0;
    const r = new Reclaimer(1 << 20, () => collected++);
    r.read(512 << 10);
    expect(collected).toBe(0);
    r.read(600 << 10);
    expect(collected).toBe(1);
    for (let i = 0; i < 1023; i++) r.read(1024);
    expect(collected).toBe(1);
    r.read(1024);
    expect(collected).toBe(2);
    const off = new Reclaimer(0, () => collected++);
    off.read(1 << 30);
    expect(collected).toBe(2);
  });

  it("this Node gives a gc() that runs a young-generation collection", async () => {
    const gc = exposeYoungGc();
    expect(gc).toBeTypeOf("function");
    const kinds: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) kinds.push("detail" in e ? gcKind(e.detail) : -1);
    });
    observer.observe({ entryTypes: ["gc"] });
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
    observer.disconnect();
    expect(kinds).toContain(constants.NODE_PERFORMANCE_GC_MINOR);
  });
});
