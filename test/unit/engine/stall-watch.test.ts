// The stall watch's schedule on a fake clock: how soon a busy stream is checked, how rarely a quiet
// one is, and what many quiet streams cost the API server together.
import { describe, expect, it } from "vitest";
import { BUSY_IDLE_MS, ProbeBudget, probeDelay, StallWatch } from "../../../src/engine/stall-watch.ts";
import { FakeClock, tick } from "./fakes.ts";

describe("probeDelay", () => {
  it("a busy stream is checked after a second of silence, a bursty one at most 8 s; a quiet one backs off to 10 minutes", () => {
    expect([0, 1, 2, 3, 4, 9].map((l) => probeDelay(true, l, 30_000))).toEqual([
      1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    expect([0, 1, 2, 3, 4, 5, 9].map((l) => probeDelay(false, l, 30_000))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000,
    ]);
  });
});

describe("StallWatch", () => {
  it("500 quiet streams cost the API server at most 60 checks a minute, and every stream is checked", async () => {
    const clock = new FakeClock();
    const budget = new ProbeBudget(clock);
    const stop = new AbortController();
    const probesAt: number[] = [];
    const checked = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const watch = new StallWatch(clock, 30_000, budget);
      void watch.run(
        {
          lastTimestamp: async () => {
            probesAt.push(clock.now());
            checked.add(i);
            return "2026-12-01T10:00:00.000000000Z";
          },
          isUnread: () => false,
          onUnread: () => {},
          onStalled: () => {},
        },
        stop.signal,
      );
    }
    await tick();
    for (let s = 0; s < 30 * 60; s++) await clock.advance(1000);
    stop.abort();
    const perMinute = new Map<number, number>();
    for (const t of probesAt)
      perMinute.set(Math.floor(t / 60_000), (perMinute.get(Math.floor(t / 60_000)) ?? 0) + 1);
    const busiest = Math.max(...perMinute.values());
    console.log(JSON.stringify({ total: probesAt.length, busiest, perMinute: [...perMinute.values()] }));
    // The budget: 1 a second with a burst of 10.
    expect(busiest).toBeLessThanOrEqual(70);
    expect(probesAt.length / 30).toBeLessThanOrEqual(60);
    expect(checked.size).toBe(500);
  });

  it("a stream busy again after a long quiet is checked a second after it goes silent, not minutes after", async () => {
    const clock = new FakeClock();
    const stop = new AbortController();
    const watch = new StallWatch(clock, 30_000);
    const probesAt: number[] = [];
    let stalled = 0;
    let last = "2026-12-01T10:00:00.000000000Z";
    void watch.run(
      {
        lastTimestamp: async () => {
          probesAt.push(clock.now());
          return last;
        },
        isUnread: (ts) => ts !== "2026-12-01T10:00:00.000000000Z",
        onUnread: () => {},
        onStalled: () => stalled++,
      },
      stop.signal,
    );
    // Quiet for ten minutes: checks at 30 s, 90 s, 210 s, 450 s.
    for (let s = 0; s < 600; s++) await clock.advance(1000);
    expect(probesAt).toEqual([30_000, 90_000, 210_000, 450_000]);
    // Then busy: three chunks, and silent while the container writes.
    for (let i = 0; i < 3; i++) {
      watch.activity();
      await clock.advance(100);
    }
    const silentFrom = clock.now() - 100;
    last = "2026-12-01T10:10:00.000000000Z";
    for (let s = 0; s < 20; s++) await clock.advance(100);
    stop.abort();
    expect(probesAt.at(-1)).toBe(silentFrom + BUSY_IDLE_MS);
    expect(stalled).toBe(1);
  });
});
