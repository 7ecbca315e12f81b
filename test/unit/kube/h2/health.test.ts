// The HTTP/2 health check (client-go's read-idle PING and its ACK timeout, and our early PING after a
// busy connection falls silent) on a fake clock: minutes of a connection's life in milliseconds, and
// each deadline checked to within one look at the connection (250 ms).
import { describe, expect, it } from "vitest";
import { type HealthCheck, type Pingable, watchHealth } from "../../../../src/kube/h2/health.ts";
import { FakeClock } from "../../engine/fakes.ts";

/** A connection as the check sees it: bytes read, PINGs sent and, when told, answered. */
class FakeConnection implements Pingable {
  bytesRead = 0;
  closed = false;
  /** When each PING was sent (clock time). */
  readonly pings: number[] = [];
  private ack: ((err?: Error) => void) | undefined;
  private readonly clock: FakeClock;
  constructor(clock: FakeClock) {
    this.clock = clock;
  }
  ping(done: (err?: Error) => void): boolean {
    if (this.closed || this.ack) return false;
    this.pings.push(this.clock.now());
    this.ack = done;
    return true;
  }
  /** The server answers the PING in flight (its ACK is a frame read). */
  answer(): void {
    const done = this.ack;
    this.ack = undefined;
    this.bytesRead += 17;
    done?.();
  }
  get waiting(): boolean {
    return this.ack !== undefined;
  }
}

const CLIENT_GO: HealthCheck = { readIdleMs: 30_000, pingTimeoutMs: 15_000 };
const TICK = 250;

function start(health: HealthCheck = CLIENT_GO) {
  const clock = new FakeClock();
  const conn = new FakeConnection(clock);
  const stop = new AbortController();
  const dead: { at: number; why: string }[] = [];
  const watching = watchHealth(conn, health, clock, stop.signal, (why) => {
    dead.push({ at: clock.now(), why });
    conn.closed = true;
  });
  /** Moves time on by ms, a look at a time; `each` runs before every step (to read bytes, say). */
  const run = async (ms: number, each?: () => void) => {
    for (let t = 0; t < ms; t += TICK) {
      each?.();
      await clock.advance(TICK);
    }
  };
  return { clock, conn, stop, dead, watching, run };
}

describe("HTTP/2 health check, on a fake clock", () => {
  it("a connection that reads is never pinged: activity is seen in the bytes read", async () => {
    const { conn, run, dead } = start();
    await run(120_000, () => {
      conn.bytesRead += 100;
    });
    expect(conn.pings).toEqual([]);
    expect(dead).toEqual([]);
  });

  it("nothing read for 30 s: a PING; answered, the connection stays and is pinged again 30 s later", async () => {
    const { conn, run, dead } = start();
    await run(29_750);
    expect(conn.pings).toEqual([]);
    await run(250);
    expect(conn.pings).toEqual([30_000]);
    await run(1000);
    conn.answer();
    await run(30_000);
    expect(conn.pings).toHaveLength(2);
    expect(conn.pings[1]).toBeGreaterThanOrEqual(61_000);
    expect(conn.pings[1]).toBeLessThanOrEqual(61_000 + TICK);
    expect(dead).toEqual([]);
  });

  it("a PING without its ACK within 15 s: the connection is dead, 45 s after its last read", async () => {
    const { conn, run, dead } = start();
    conn.bytesRead = 500; // read something at the start
    await run(44_750);
    expect(conn.pings).toHaveLength(1);
    expect(dead).toEqual([]);
    await run(500);
    expect(dead).toHaveLength(1);
    const [d] = dead;
    expect(d?.at).toBeGreaterThanOrEqual(45_000);
    expect(d?.at).toBeLessThanOrEqual(45_000 + TICK);
    expect(d?.why).toBe("no answer to a PING within 15s after 30s without data");
  });

  it("a busy connection that falls silent is pinged after 5 s, without waiting for the 30 s read idle", async () => {
    const { conn, run, dead, clock } = start();
    await run(6000, () => {
      conn.bytesRead += 100; // six busy seconds
    });
    const silentFrom = clock.now();
    await run(4750);
    expect(conn.pings).toEqual([]);
    await run(500);
    expect(conn.pings).toHaveLength(1);
    expect((conn.pings[0] ?? 0) - silentFrom).toBeGreaterThanOrEqual(5000);
    expect((conn.pings[0] ?? 0) - silentFrom).toBeLessThanOrEqual(5000 + TICK);
    // Unanswered: dead 15 s after the early PING, not 45 s after the last read.
    await run(15_000);
    expect(dead).toHaveLength(1);
    expect((dead[0]?.at ?? 0) - silentFrom).toBeLessThanOrEqual(20_000 + TICK);
    expect(dead[0]?.why).toBe("no answer to a PING within 15s after 5s without data");
  });

  it("the early PING is sent once per silence; answered, the next waits for the full read idle", async () => {
    const { conn, run, dead, clock } = start();
    await run(6000, () => {
      conn.bytesRead += 100;
    });
    const silentFrom = clock.now();
    await run(5250);
    expect(conn.pings).toHaveLength(1);
    conn.answer();
    await run(29_000);
    expect(conn.pings).toHaveLength(1);
    await run(1500);
    expect(conn.pings).toHaveLength(2);
    expect((conn.pings[1] ?? 0) - silentFrom).toBeGreaterThan(30_000);
    expect(dead).toEqual([]);
  });

  it("a connection that was never busy for 5 s is not pinged early", async () => {
    const { conn, run } = start();
    await run(2000, () => {
      conn.bytesRead += 100; // two busy seconds only
    });
    await run(20_000);
    expect(conn.pings).toEqual([]);
  });

  it("a quiet connection whose PINGs are answered lives on: ten read-idle periods, no loss", async () => {
    const { conn, run, dead } = start();
    for (let i = 0; i < 10; i++) {
      await run(30_250);
      expect(conn.waiting).toBe(true);
      conn.answer();
    }
    expect(conn.pings).toHaveLength(10);
    expect(dead).toEqual([]);
  });

  it("client-go's variables at 1 s and 1 s: dead within 2 s of the last read", async () => {
    const { conn, run, dead } = start({ readIdleMs: 1000, pingTimeoutMs: 1000 });
    await run(2250);
    expect(conn.pings).toHaveLength(1);
    expect(dead).toHaveLength(1);
    expect(dead[0]?.at).toBeLessThanOrEqual(2000 + TICK);
  });

  it("a read idle of 0 turns it off: nothing waits on the clock", async () => {
    const { clock, watching } = start({ readIdleMs: 0, pingTimeoutMs: 15_000 });
    await watching;
    expect(clock.pending).toBe(0);
  });

  it("ends when the connection closes: its PING's wait too", async () => {
    const { clock, conn, run, stop, watching, dead } = start();
    await run(30_250);
    expect(conn.waiting).toBe(true);
    stop.abort();
    await watching;
    await run(30_000);
    expect(dead).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});
