// Never lose a line, never print one twice: a short soak under injected faults.
import { describe, expect, it } from "vitest";
import { runSoak } from "./soak-scenario.ts";

describe("soak", () => {
  it("every sequence number exactly once per container, in order, through 200 stream faults, 40 rotations (a third of them stalls), 10 kubelet errors, 2 black holes, 2 server restarts and a watch expiry", async () => {
    const r = await runSoak({
      containers: 20,
      rate: 400,
      seconds: 6,
      streamFaults: 200,
      rotations: 40,
      kubeletErrors: 10,
      blackholes: 2,
      serverRestarts: 2,
      watchExpiries: 1,
    });
    console.log(JSON.stringify(r));
    expect(r.faultActions).toBe(255);
    // Stalls of every kind were among them (a stall after a container's last line needs no resume).
    expect(r.stalls).toBeGreaterThanOrEqual(5);
    // A rotation goes to a container that is streaming and was not rotated in the last 2 s.
    expect(r.rotations).toBeGreaterThanOrEqual(20);
    // Streams are down for a while after each fault (resume delay), so not every fault finds one open.
    expect(r.streamsHit).toBeGreaterThan(50);
    // Streams were opened again (every line once, below, is what shows each broken one was): more
    // requests than containers. Not one per hit: two faults on a stream before it reconnects need one.
    expect(r.logRequests).toBeGreaterThan(20);
    expect({ missing: r.missing, duplicated: r.duplicated, outOfOrder: r.outOfOrder }).toEqual({
      missing: 0,
      duplicated: 0,
      outOfOrder: 0,
    });
    expect(r.linesPrinted).toBe(r.linesExpected);
    expect(r.stderrErrors).toEqual([]);
    expect(r.kubeletNotices).toBeGreaterThan(0);
  }, 90_000);
});
