// Pod discovery: LIST, then WATCH from the list's resourceVersion, resumed from the last version seen
// (bookmarks keep it fresh) after every close; a relist happens only when the server says 410 Gone.
// The same list+watch serves events (--events): ObjectWatch is it for any kind, PodWatch for pods.
import type { Query } from "../kube/client.ts";
import { ApiError, ConnectionLostError } from "../kube/errors.ts";
import type { PodList, Status } from "../kube/types.ts";
import type { ObjectMeta, Pod } from "../shared/pod.ts";
import { backoff } from "../util/retry.ts";
import type { KubeApi } from "./api.ts";
import { after, type Clock, systemClock } from "./clock.ts";
import { LineSplitter } from "./lines.ts";

export interface PodScope {
  /** "" = all namespaces */
  namespace: string;
  labelSelector: string | undefined;
  fieldSelector: string | undefined;
  /** Narrows the pods further on our side (what selectors cannot say). */
  podFilter?: (pod: Pod) => boolean;
  /** The Job or CronJob a job/ or cronjob/ query resolved to: its run's condition ends --until-done. */
  workload?: { kind: "job" | "cronjob"; name: string; uid: string };
}

export interface WatchHooks<T> {
  upsert(obj: T): void;
  remove(obj: T): void;
  /** A full list: every object of the scope now (the ones it lacks were deleted meanwhile). */
  resync(objs: T[]): void;
  onError(message: string): void;
  onDebug(message: string): void;
}

export type PodWatchHooks = WatchHooks<Pod>;

/** Where a kind is listed and watched: "/api/v1" + "pods", "/apis/events.k8s.io/v1" + "events". */
export interface WatchedKind {
  prefix: string;
  resource: string;
  /** How errors name the watch ("pod watch"). */
  what: string;
}

const PODS: WatchedKind = { prefix: "/api/v1", resource: "pods", what: "pod watch" };
/** --until-done: the Jobs whose condition ends the run. */
export const JOBS: WatchedKind = { prefix: "/apis/batch/v1", resource: "jobs", what: "job watch" };

/** The collection's path in a namespace ("" = all namespaces). */
export function collectionPath(kind: WatchedKind, namespace: string): string {
  return namespace === ""
    ? `${kind.prefix}/${kind.resource}`
    : `${kind.prefix}/namespaces/${encodeURIComponent(namespace)}/${kind.resource}`;
}

interface ObjectList<T> {
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** LISTs every object of the scope, page by page. */
export async function listObjects<T>(
  client: KubeApi,
  kind: WatchedKind,
  scope: Omit<PodScope, "podFilter">,
  signal?: AbortSignal,
): Promise<ObjectList<T>> {
  const items: T[] = [];
  let cont: string | undefined;
  let resourceVersion: string | undefined;
  do {
    const page = await client.getJSON<ObjectList<T>>(
      collectionPath(kind, scope.namespace),
      { labelSelector: scope.labelSelector, fieldSelector: scope.fieldSelector, limit: 500, continue: cont },
      signal,
    );
    for (const p of page.items ?? []) items.push(p);
    resourceVersion ??= page.metadata?.resourceVersion;
    cont = page.metadata?.continue || undefined;
  } while (cont);
  return { metadata: { resourceVersion }, items };
}

/** LISTs every pod of the scope, page by page. */
export function listPods(client: KubeApi, scope: PodScope, signal?: AbortSignal): Promise<PodList> {
  return listObjects<Pod>(client, PODS, scope, signal);
}

interface WatchEventOf<T> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: T | Status;
}

class Expired extends Error {}

/** How long past its timeoutSeconds a watch may run before its connection is taken for dead. */
const WATCH_OVERDUE_SECONDS = 30;

export class ObjectWatch<T extends { metadata: ObjectMeta }> {
  private readonly client: KubeApi;
  private readonly kind: WatchedKind;
  private readonly scope: Omit<PodScope, "podFilter">;
  private readonly hooks: WatchHooks<T>;
  private resourceVersion = "";
  /** Whether the last watch request got a 200 before it ended. */
  private connected = false;
  /** Whether a failure was reported on stderr (then the recovery is reported too). */
  private reported = false;

  private readonly clock: Clock;

  constructor(
    client: KubeApi,
    kind: WatchedKind,
    scope: Omit<PodScope, "podFilter">,
    hooks: WatchHooks<T>,
    clock: Clock = systemClock,
  ) {
    this.client = client;
    this.kind = kind;
    this.scope = scope;
    this.hooks = hooks;
    this.clock = clock;
  }

  /** The first LIST: its errors are the caller's (a bad selector or a missing permission ends the run). */
  async start(signal: AbortSignal): Promise<void> {
    await this.relist(signal);
  }

  /** Watches until the signal aborts; never gives up on errors, backing off between tries. */
  async watchForever(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (this.resourceVersion === "") await this.relist(signal);
        const started = this.clock.now();
        await this.watchOnce(signal);
        failures = 0;
        // A server that ends every watch at once must not be asked again in a tight loop.
        if (this.clock.now() - started < 1000) await this.clock.sleep(1000, signal);
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof Expired || (err instanceof ApiError && err.code === 410)) {
          this.hooks.onDebug(`${this.kind.what}${this.where()}: resourceVersion expired; relisting`);
          this.resourceVersion = "";
          continue;
        }
        // A watch that was open before it broke is retried at once (the first backoff step), and so
        // is one whose connection was found dead (said once, by the transport).
        failures = this.connected || err instanceof ConnectionLostError ? 1 : failures + 1;
        const msg = `${this.kind.what}${this.where()} failed: ${(err as Error).message}; retrying`;
        if (!this.reported && failures >= 2) {
          this.hooks.onError(msg);
          this.reported = true;
        } else if (!(err instanceof ConnectionLostError)) this.hooks.onDebug(msg);
        await this.clock.sleep(backoff(failures), signal);
      }
    }
  }

  private where(): string {
    return this.scope.namespace === "" ? "" : ` in namespace ${this.scope.namespace}`;
  }

  private async relist(signal: AbortSignal): Promise<void> {
    const list = await listObjects<T>(this.client, this.kind, this.scope, signal);
    this.hooks.resync(list.items);
    this.resourceVersion = list.metadata.resourceVersion ?? "";
  }

  /** One WATCH request, read until the server ends it. */
  private async watchOnce(signal: AbortSignal): Promise<void> {
    // The server would pick 30-60 min; a shorter, jittered one keeps dead connections from lingering.
    const timeoutSeconds = 240 + Math.floor(Math.random() * 120);
    const query: Query = {
      watch: 1,
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds,
      labelSelector: this.scope.labelSelector,
      fieldSelector: this.scope.fieldSelector,
    };
    // A watch the server does not end when asked to ran on a connection that died unseen (HTTP/1.1
    // has no health check): give up on it then and resume.
    const overdue = new AbortController();
    const timer = after(this.clock, (timeoutSeconds + WATCH_OVERDUE_SECONDS) * 1000, () => overdue.abort());
    try {
      this.connected = false;
      const res = await this.client.stream(
        collectionPath(this.kind, this.scope.namespace),
        query,
        AbortSignal.any([signal, overdue.signal]),
      );
      this.connected = true;
      if (this.reported) {
        this.hooks.onError(`${this.kind.what}${this.where()} reconnected`);
        this.reported = false;
      }
      const splitter = new LineSplitter();
      let expired = false;
      const onLine = (buf: Buffer, start: number, end: number) => {
        if (end === start || expired) return;
        const event = JSON.parse(buf.toString("utf8", start, end)) as WatchEventOf<T>;
        if (this.handle(event)) expired = true;
      };
      for await (const chunk of res) {
        splitter.push(chunk as Buffer, onLine);
        if (expired) {
          res.destroy();
          throw new Expired();
        }
      }
    } catch (err) {
      if (overdue.signal.aborted && !signal.aborted)
        throw new Error(`the server did not end the watch ${WATCH_OVERDUE_SECONDS}s after its timeout`);
      throw err;
    } finally {
      timer.cancel();
    }
  }

  /** Applies one event; returns true when the server said our resourceVersion is too old. */
  private handle(event: WatchEventOf<T>): boolean {
    if (event.type === "ERROR") {
      const status = event.object as Status;
      if (status.code === 410) return true;
      throw new ApiError(status.code ?? 500, status, "");
    }
    const obj = event.object as T;
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === "BOOKMARK") return false;
    if (event.type === "DELETED") this.hooks.remove(obj);
    else this.hooks.upsert(obj);
    return false;
  }
}

export class PodWatch extends ObjectWatch<Pod> {
  constructor(client: KubeApi, scope: PodScope, hooks: PodWatchHooks, clock?: Clock) {
    super(client, PODS, scope, hooks, clock);
  }
}
