// Where lines come from: context › namespace › pod › container, each with its live state (following,
// ended and how, waiting and why), restarts, how many lines a second it writes, and whether the user
// has muted it or made it the only one shown (solo). Muting or soloing a node covers everything
// under it, so one noisy pod can be muted with a key.

export type SourceState = "following" | "ended" | "waiting";

export interface Source {
  readonly id: number;
  readonly context: string;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  node: string;
  state: SourceState;
  /** How it ended ("exit 137, OOMKilled"), or what it waits for ("CrashLoopBackOff: …"). */
  detail: string;
  /** A failed end or a wait that will not pass by itself. */
  failed: boolean;
  restarts: number;
  /** Lines in all. */
  lines: number;
  /** Lines a second, smoothed (see tick()). */
  rate: number;
}

/** A node of the tree: its path ("ctx\0ns\0pod" and so on) and what it is. */
export interface SourceNode {
  readonly path: string;
  readonly depth: number;
  readonly label: string;
  /** The source, for a container; undefined for a context, namespace or pod. */
  readonly source: Source | undefined;
}

const SEP = "\u0000";

/** The id of lines that belong to no container (events of objects, notices of the run). */
export const NO_SOURCE = 0;

export class Sources {
  private readonly list: Source[] = [];
  private readonly byKey = new Map<string, Source>();
  private readonly muted = new Set<string>();
  private solo: string | undefined;
  /** Visibility per source id, recomputed when mutes or the solo change. */
  private shown = new Uint8Array(16).fill(1);
  private lastCounts: number[] = [];
  private readonly listeners: (() => void)[] = [];

  /** The source of a container, made on first sight. Ids start at 1 (0 is NO_SOURCE). */
  ensure(context: string, namespace: string, pod: string, container: string): Source {
    const key = [context, namespace, pod, container].join(SEP);
    let s = this.byKey.get(key);
    if (s) return s;
    s = {
      id: this.list.length + 1,
      context,
      namespace,
      pod,
      container,
      node: "",
      state: "following",
      detail: "",
      failed: false,
      restarts: 0,
      lines: 0,
      rate: 0,
    };
    this.list.push(s);
    this.byKey.set(key, s);
    if (this.shown.length <= s.id) {
      const next = new Uint8Array(this.shown.length * 2).fill(1);
      next.set(this.shown);
      this.shown = next;
    }
    this.shown[s.id] = this.computeShown(s) ? 1 : 0;
    return s;
  }

  get(id: number): Source | undefined {
    return this.list[id - 1];
  }

  get all(): readonly Source[] {
    return this.list;
  }

  /** Whether lines of this source are shown (NO_SOURCE always is). */
  shows(id: number): boolean {
    return id === NO_SOURCE || this.shown[id] === 1;
  }

  /** The tree as rows: contexts (when there are several), namespaces, pods, containers. */
  tree(): SourceNode[] {
    const rows: SourceNode[] = [];
    const contexts = new Set(this.list.map((s) => s.context));
    const showContext = contexts.size > 1 || (contexts.size === 1 && !contexts.has(""));
    const sorted = [...this.list].sort(
      (a, b) =>
        a.context.localeCompare(b.context) ||
        a.namespace.localeCompare(b.namespace) ||
        a.pod.localeCompare(b.pod) ||
        a.container.localeCompare(b.container),
    );
    let last: string[] = [];
    for (const s of sorted) {
      const parts = [s.context, s.namespace, s.pod, s.container];
      for (let d = showContext ? 0 : 1; d < 4; d++) {
        const path = parts.slice(0, d + 1).join(SEP);
        if (d < 3 && last.slice(0, d + 1).join(SEP) === path) continue;
        rows.push({
          path,
          depth: showContext ? d : d - 1,
          label: parts[d] as string,
          source: d === 3 ? s : undefined,
        });
      }
      last = parts;
    }
    return rows;
  }

  isMuted(path: string): boolean {
    return this.muted.has(path);
  }

  get soloPath(): string | undefined {
    return this.solo;
  }

  /** Mutes or unmutes a node (and what is under it). */
  toggleMute(path: string): void {
    if (!this.muted.delete(path)) this.muted.add(path);
    this.recompute();
  }

  /** Shows only this node (again: everything). */
  toggleSolo(path: string): void {
    this.solo = this.solo === path ? undefined : path;
    this.recompute();
  }

  /** Called when visibility changes (the filtered list must be rebuilt). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Once a second: lines a second per source, smoothed. */
  tick(elapsedMs: number): void {
    for (const s of this.list) {
      const before = this.lastCounts[s.id] ?? 0;
      const now = ((s.lines - before) * 1000) / Math.max(1, elapsedMs);
      s.rate = s.rate === 0 ? now : s.rate * 0.5 + now * 0.5;
      this.lastCounts[s.id] = s.lines;
    }
  }

  private computeShown(s: Source): boolean {
    const path = [s.context, s.namespace, s.pod, s.container].join(SEP);
    if (this.solo !== undefined && !(path === this.solo || path.startsWith(this.solo + SEP))) return false;
    for (const m of this.muted) if (path === m || path.startsWith(m + SEP)) return false;
    return true;
  }

  private recompute(): void {
    for (const s of this.list) this.shown[s.id] = this.computeShown(s) ? 1 : 0;
    for (const l of this.listeners) l();
  }
}
