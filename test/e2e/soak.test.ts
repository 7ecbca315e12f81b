// Never lose a line, never print one twice: a short soak under injected faults.
import { describe, expect, it } from "vitest";
import { runSoak } from "./soak-scenario.ts";

describe("soak", () => {
  it("every sequence number exactly once per container, in order, through 200 stream faults, 2 server restarts and a watch expiry", async () => {
    const r = await runSoak({
      containers: 20,
      rate: 400,
      seconds: 6,
      streamFaults: 200,
      serverRestarts: 2,
      watchExpiries: 1,
    });
    console.log(JSON.stringify(r));
    expect(r.faultActions).toBe(203);
    expect(r.streamsHit).toBeGreaterThan(50);
    expect(r.logRequests).toBeGreaterThan(100);
    expect({ missing: r.missing, duplicated: r.duplicated, outOfOrder: r.outOfOrder }).toEqual({
      missing: 0,
      duplicated: 0,
      outOfOrder: 0,
    });
    expect(r.linesPrinted).toBe(r.linesExpected);
    expect(r.stderrErrors).toEqual([]);
  }, 90_000);
});
