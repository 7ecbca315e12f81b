// Injected failures: broken log streams, closed/expired watches, failing or slow requests.
import { type Cluster, matchesFilter, type StreamFilter } from "./cluster.ts";
import type { SimNetwork } from "./network.ts";

/** A kubelet's reader error as it reaches a client (kuberuntime/logs: the log file could not be reopened). */
export const KUBELET_READ_ERROR =
  'failed to try resolving symlinks in path "/var/log/pods/0.log": lstat /var/log/pods/0.log: no such file or directory';

export interface FailRule {
  method?: string;
  path?: RegExp | string;
  status: number;
  /** How many matching requests fail (default 1). */
  times?: number;
  message?: string;
  retryAfterSeconds?: number;
}

export interface DelayRule {
  method?: string;
  path?: RegExp | string;
  ms: number;
}

const pathMatches = (p: RegExp | string | undefined, path: string): boolean =>
  p === undefined || (typeof p === "string" ? path === p || path.startsWith(p) : p.test(path));

export class Faults {
  private readonly cluster: Cluster;
  private readonly network: SimNetwork | undefined;
  private failRules: (FailRule & { left: number })[] = [];
  private delays: DelayRule[] = [];

  constructor(cluster: Cluster, network?: SimNetwork) {
    this.cluster = cluster;
    this.network = network;
  }

  private net(): SimNetwork {
    if (!this.network) throw new Error("network faults need startSim({ network: true })");
    return this.network;
  }

  /**
   * Every client connection open now goes silent for good, both ways, without FIN or RST (a forgotten
   * NAT entry); new connections work. Returns how many were open.
   */
  blackhole(): number {
    return this.net().blackhole();
  }

  /** The API server stops answering on every connection, new ones included, until thaw(). */
  freeze(): void {
    this.net().freeze();
  }

  thaw(): void {
    this.net().thaw();
  }

  /** Abruptly resets matching follow streams (socket destroyed) while the containers keep running. */
  cutLogStreams(filter?: StreamFilter): number {
    const hit = [...this.cluster.logStreams].filter((s) => matchesFilter(filter, s));
    for (const s of hit) s.stream.cut();
    return hit.length;
  }

  /** Ends matching log streams cleanly, as log rotation or an idle load balancer would. */
  endLogStreams(filter?: StreamFilter): number {
    const hit = [...this.cluster.logStreams].filter((s) => matchesFilter(filter, s));
    for (const s of hit) s.stream.end();
    return hit.length;
  }

  /**
   * The kubelet's log reader fails mid-stream (K3): its error text goes into the 200 body, with no
   * timestamp and no newline, and the body ends, while the container runs on.
   */
  kubeletError(filter?: StreamFilter, text = KUBELET_READ_ERROR): number {
    const hit = [...this.cluster.logStreams].filter((s) => matchesFilter(filter, s) && !s.stream.finished);
    for (const s of hit) s.stream.failWith(text);
    return hit.length;
  }

  /** Ends every open watch cleanly. */
  closeWatches(): number {
    const all = [...this.cluster.watches];
    for (const w of all) w.end();
    return all.length;
  }

  /** Sends the 410 ERROR event to open watches and forgets the event history. */
  expireWatches(): number {
    const all = [...this.cluster.watches];
    this.cluster.store.compact();
    for (const w of all) w.expire();
    return all.length;
  }

  failNext(rule: FailRule): void {
    this.failRules.push({ ...rule, left: rule.times ?? 1 });
  }

  delay(rule: DelayRule): void {
    this.delays.push(rule);
  }

  clear(): void {
    this.failRules = [];
    this.delays = [];
  }

  /** Consumes and returns the first failure rule matching this request, if any. */
  takeFailure(method: string, path: string): FailRule | undefined {
    const r = this.failRules.find((f) => (!f.method || f.method === method) && pathMatches(f.path, path));
    if (!r) return undefined;
    r.left--;
    if (r.left <= 0) this.failRules = this.failRules.filter((f) => f !== r);
    return r;
  }

  delayFor(method: string, path: string): number {
    return this.delays
      .filter((d) => (!d.method || d.method === method) && pathMatches(d.path, path))
      .reduce((a, d) => a + d.ms, 0);
  }
}
