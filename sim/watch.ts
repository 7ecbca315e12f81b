// Watch streams: newline-delimited events with watch-cache semantics (resourceVersion, 410, bookmarks).
import type { ServerResponse } from "node:http";
import { expired, type Status } from "./status.ts";
import type { EventType, KubeObject, Store, StoreEvent } from "./store.ts";
import { type IncludeObject, toTable } from "./table.ts";

export interface WatchParams {
  resource: string;
  kind: string;
  apiVersion: string;
  matches: (o: KubeObject) => boolean;
  /** As sent by the client: undefined/"0" means "start with synthetic ADDED events". */
  resourceVersion: number | undefined;
  bookmarks: boolean;
  timeoutSeconds: number | undefined;
  table: IncludeObject | undefined;
}

export interface WatchContext {
  store: Store;
  now: () => number;
  bookmarkIntervalMs: number;
}

/** A client that stops reading is dropped once this much is queued, as the real server does. */
const maxQueuedBytes = 16 * 1024 * 1024;

const objectJson = new WeakMap<KubeObject, string>();

function serialize(o: KubeObject): string {
  let s = objectJson.get(o);
  if (s === undefined) {
    s = JSON.stringify(o);
    objectJson.set(o, s);
  }
  return s;
}

export class WatchStream {
  readonly params: WatchParams;
  private readonly res: ServerResponse;
  private readonly ctx: WatchContext;
  private unsubscribe: (() => void) | undefined;
  private timers: NodeJS.Timeout[] = [];
  private sentHeaders = false;
  private closed = false;
  private readonly onClose: () => void;

  constructor(res: ServerResponse, params: WatchParams, ctx: WatchContext, onClose: () => void) {
    this.res = res;
    this.params = params;
    this.ctx = ctx;
    this.onClose = onClose;
    res.on("close", () => this.cleanup());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  start(): void {
    const { store } = this.ctx;
    const p = this.params;
    this.res.writeHead(200, {
      "content-type": "application/json",
      "cache-control": "no-cache, private",
    });
    this.res.flushHeaders();
    if (p.resourceVersion === undefined || p.resourceVersion === 0) {
      for (const o of store.list(p.resource)) if (p.matches(o)) this.send("ADDED", o);
    } else {
      const past = store.eventsAfter(p.resourceVersion);
      if (past === "expired") {
        this.expire(p.resourceVersion);
        return;
      }
      for (const e of past) this.deliver(e);
    }
    this.unsubscribe = store.subscribe((e) => this.deliver(e));
    if (p.bookmarks && this.ctx.bookmarkIntervalMs > 0) {
      this.timers.push(setInterval(() => this.bookmark(), this.ctx.bookmarkIntervalMs));
    }
    if (p.timeoutSeconds !== undefined && p.timeoutSeconds > 0) {
      this.timers.push(setTimeout(() => this.end(), p.timeoutSeconds * 1000));
    }
  }

  /** Sends the 410 ERROR event and closes, as the watch cache does for a too-old resourceVersion. */
  expire(rv?: number): void {
    if (this.closed) return;
    const s: Status = expired(
      `too old resource version: ${rv ?? this.ctx.store.oldestRetained} (${this.ctx.store.oldestRetained})`,
    );
    this.write(`{"type":"ERROR","object":${JSON.stringify(s)}}\n`);
    this.end();
  }

  /** Clean end (terminating chunk). */
  end(): void {
    if (this.closed) return;
    this.cleanup();
    this.res.end();
  }

  destroy(): void {
    this.cleanup();
    this.res.destroy();
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.onClose();
  }

  private deliver(e: StoreEvent): void {
    if (e.resource !== this.params.resource) return;
    const now = this.params.matches(e.object);
    const before = e.prev !== undefined && this.params.matches(e.prev);
    if (e.type === "ADDED" && now) this.send("ADDED", e.object);
    else if (e.type === "DELETED" && before) this.send("DELETED", e.object);
    else if (e.type === "MODIFIED") {
      if (now && before) this.send("MODIFIED", e.object);
      else if (now) this.send("ADDED", e.object);
      else if (before && e.prev) {
        // No longer matching: the watch cache reports the old state, at the new resourceVersion.
        this.send("DELETED", { ...e.prev, metadata: { ...e.prev.metadata, resourceVersion: String(e.rv) } });
      }
    }
  }

  private send(type: EventType, o: KubeObject): void {
    let body: string;
    if (this.params.table) {
      const t = toTable(this.params.resource, [o], this.ctx.now(), {
        include: this.params.table,
        noHeaders: this.sentHeaders,
        resourceVersion: o.metadata.resourceVersion,
      });
      this.sentHeaders = true;
      body = JSON.stringify(t);
    } else body = serialize(o);
    this.write(`{"type":"${type}","object":${body}}\n`);
  }

  private bookmark(): void {
    const rv = String(this.ctx.store.resourceVersion);
    const o = {
      kind: this.params.kind,
      apiVersion: this.params.apiVersion,
      metadata: { resourceVersion: rv },
    };
    this.write(`{"type":"BOOKMARK","object":${JSON.stringify(o)}}\n`);
  }

  private write(s: string): void {
    if (this.closed) return;
    if (this.res.writableLength > maxQueuedBytes) {
      this.destroy();
      return;
    }
    this.res.write(s);
  }
}
