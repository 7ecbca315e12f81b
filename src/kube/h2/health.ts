// How HTTP/2 connections are health-checked, as client-go does for kubectl and stern: when nothing has
// been read on a connection for readIdleMs, a PING is sent; without its ACK within pingTimeoutMs the
// connection is closed and its streams resume on a new one. TCP keepalive cannot see a connection that
// a NAT or load balancer forgot: the peer that ACKs the probes is alive. Every wait is on the clock.
import type { Clock } from "../../util/clock.ts";

/** readIdleMs 0 = off. */
export interface HealthCheck {
  readIdleMs: number;
  pingTimeoutMs: number;
}

/** client-go's defaults and environment variables (HTTP2_READ_IDLE_TIMEOUT_SECONDS, HTTP2_PING_TIMEOUT_SECONDS). */
export function healthCheckFromEnv(env: NodeJS.ProcessEnv): HealthCheck {
  const seconds = (name: string, fallback: number): number => {
    const v = env[name];
    // client-go: strconv.Atoi, and the default when that fails.
    return v !== undefined && /^[+-]?\d+$/.test(v) ? Number(v) : fallback;
  };
  const readIdle = seconds("HTTP2_READ_IDLE_TIMEOUT_SECONDS", 30);
  const ping = seconds("HTTP2_PING_TIMEOUT_SECONDS", 15);
  return { readIdleMs: Math.max(0, readIdle) * 1000, pingTimeoutMs: (ping > 0 ? ping : 15) * 1000 };
}

/** A connection read from without a gap longer than this is busy... */
export const BUSY_GAP_MS = 1000;
/** ...and a busy one that has been so for this long, then reads nothing for as long, is pinged early. */
export const EARLY_IDLE_MS = 5000;

/** What the check needs of a connection. */
export interface Pingable {
  /** Bytes read so far: activity, seen without a listener on any stream (no per-chunk work). */
  readonly bytesRead: number;
  readonly closed: boolean;
  /** Sends a PING; done() with its ACK, or with an error if the connection closes first. */
  ping(done: (err?: Error) => void): boolean;
}

/**
 * Watches a connection until `signal` aborts (its close): calls onDead with why when a PING goes
 * unanswered. The connection is looked at every `tick` ms, never faster than 10 ms nor slower than
 * 250 ms, nor than a quarter of either timeout.
 */
export async function watchHealth(
  conn: Pingable,
  health: HealthCheck,
  clock: Clock,
  signal: AbortSignal,
  onDead: (why: string) => void,
): Promise<void> {
  const { readIdleMs, pingTimeoutMs } = health;
  if (readIdleMs <= 0) return;
  const tick = Math.max(10, Math.min(250, readIdleMs / 4, pingTimeoutMs / 4));
  let lastBytes = conn.bytesRead;
  let idleSince = clock.now();
  // Since when data has come without a gap of BUSY_GAP_MS: a busy connection that falls silent is
  // pinged early (a PING only costs a frame; the connection is closed only without its ACK).
  let busySince = idleSince;
  let earlyPinged = false;
  let pinging = false;
  /** `late`: how far past its due time the check that sends the PING runs (taken off its wait). */
  const ping = (now: number, late: number) => {
    pinging = true;
    const answered = new AbortController();
    const sent = conn.ping((err) => {
      answered.abort();
      pinging = false;
      if (err) return;
      // An answered PING is not traffic: the connection is quiet from now, not busy.
      lastBytes = conn.bytesRead;
      idleSince = clock.now();
      busySince = idleSince;
    });
    if (!sent) {
      answered.abort();
      pinging = false;
      return;
    }
    const wait = AbortSignal.any([signal, answered.signal]);
    void clock.sleep(Math.max(0, pingTimeoutMs - late), wait).then(() => {
      if (wait.aborted) return;
      onDead(
        `no answer to a PING within ${pingTimeoutMs / 1000}s after ${Math.round((now - idleSince) / 1000)}s without data`,
      );
    });
  };
  for (;;) {
    await clock.sleep(tick, signal);
    if (signal.aborted || conn.closed) return;
    const now = clock.now();
    if (conn.bytesRead !== lastBytes) {
      lastBytes = conn.bytesRead;
      if (now - idleSince > BUSY_GAP_MS) busySince = now;
      idleSince = now;
      earlyPinged = false;
      continue;
    }
    if (pinging) continue;
    const idle = now - idleSince;
    if (idle >= readIdleMs) ping(now, idle - readIdleMs);
    else if (!earlyPinged && idle >= EARLY_IDLE_MS && idleSince - busySince >= EARLY_IDLE_MS) {
      earlyPinged = true;
      ping(now, idle - EARLY_IDLE_MS);
    }
  }
}
