// --events: the Kubernetes events of what the run follows, from a LIST and then a WATCH of events
// (events.k8s.io/v1 where the server has it, core/v1 otherwise), each printed once per occurrence
// (a repeat, count + 1, is printed again).
import { ApiError } from "../kube/errors.ts";
import type { KubeEvent } from "../shared/kube-event.ts";
import type { KubeApi } from "./api.ts";
import type { Clock } from "./clock.ts";
import { normalizeEvent, type RawEvent } from "./events.ts";
import { collectionPath, listObjects, ObjectWatch, type WatchedKind } from "./podwatch.ts";

export interface EventFeedOptions {
  /** Namespaces to read ("" = all). */
  namespaces: string[];
  /** Event types to print (Normal, Warning); empty = all. */
  types: string[];
  /** Events that happened before this (ms since the epoch) are old news. */
  notBeforeMs: number;
  /** --until: events after this are not printed either. */
  notAfterMs?: number;
}

export interface EventFeedHooks {
  /** Whether the event is about something the run follows. */
  follows(ev: KubeEvent): boolean;
  print(ev: KubeEvent): void;
  onError(message: string): void;
  onDebug(message: string): void;
}

const EVENTS_V1: WatchedKind = { prefix: "/apis/events.k8s.io/v1", resource: "events", what: "event watch" };
const CORE_EVENTS: WatchedKind = { prefix: "/api/v1", resource: "events", what: "event watch" };

/** events.k8s.io/v1 when the server serves it (a 404 says it does not), core/v1 otherwise. */
export async function eventsKind(api: KubeApi, namespace: string, signal: AbortSignal): Promise<WatchedKind> {
  try {
    await api.getJSON(collectionPath(EVENTS_V1, namespace), { limit: 1 }, signal);
    return EVENTS_V1;
  } catch (err) {
    if (err instanceof ApiError && err.code === 404) return CORE_EVENTS;
    throw err;
  }
}

export class EventFeed {
  private readonly api: KubeApi;
  private readonly opts: EventFeedOptions;
  private readonly hooks: EventFeedHooks;
  /** uid -> the count printed last: a relist does not print an event again, its repeat does. */
  private readonly printed = new Map<string, number>();

  private readonly clock: Clock | undefined;

  constructor(api: KubeApi, opts: EventFeedOptions, hooks: EventFeedHooks, clock?: Clock) {
    this.api = api;
    this.opts = opts;
    this.hooks = hooks;
    this.clock = clock;
  }

  /** The events so far, in time order (without --follow: all there is to print). */
  async list(signal: AbortSignal): Promise<KubeEvent[]> {
    const kind = await eventsKind(this.api, this.opts.namespaces[0] ?? "", signal);
    const lists = await Promise.all(
      this.opts.namespaces.map((namespace) =>
        listObjects<RawEvent>(
          this.api,
          kind,
          { namespace, labelSelector: undefined, fieldSelector: undefined },
          signal,
        ),
      ),
    );
    return this.fresh(lists.flatMap((l) => l.items));
  }

  /** Prints what is there now, then each new event and repeat as it comes, until the signal aborts. */
  async follow(signal: AbortSignal): Promise<void> {
    const kind = await eventsKind(this.api, this.opts.namespaces[0] ?? "", signal);
    const watches = this.opts.namespaces.map(
      (namespace) =>
        new ObjectWatch<RawEvent>(
          this.api,
          kind,
          { namespace, labelSelector: undefined, fieldSelector: undefined },
          {
            upsert: (e) => {
              for (const ev of this.fresh([e])) this.hooks.print(ev);
            },
            remove: (e) => {
              // An event expired (their TTL is an hour): nothing to print, less to remember.
              if (e.metadata.uid) this.printed.delete(e.metadata.uid);
            },
            resync: (es) => {
              for (const ev of this.fresh(es)) this.hooks.print(ev);
            },
            onError: (m) => this.hooks.onError(m),
            onDebug: (m) => this.hooks.onDebug(m),
          },
          this.clock,
        ),
    );
    await Promise.all(watches.map((w) => w.start(signal)));
    await Promise.all(watches.map((w) => w.watchForever(signal)));
  }

  /** The events not printed yet, of the wanted types, about what is followed, recent enough; by time. */
  private fresh(raw: RawEvent[]): KubeEvent[] {
    const out: KubeEvent[] = [];
    for (const r of raw) {
      const ev = normalizeEvent(r);
      if (
        !ev ||
        ev.timeMs < this.opts.notBeforeMs ||
        ev.timeMs > (this.opts.notAfterMs ?? Number.POSITIVE_INFINITY)
      )
        continue;
      if (this.opts.types.length > 0 && !this.opts.types.includes(ev.type)) continue;
      if ((this.printed.get(ev.uid) ?? 0) >= ev.count) continue;
      if (!this.hooks.follows(ev)) continue;
      this.printed.set(ev.uid, ev.count);
      out.push(ev);
    }
    return out.sort((a, b) => a.timeMs - b.timeMs);
  }
}
