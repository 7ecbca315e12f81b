// Which of the pods the API sends the run follows, beyond the API's selectors: a scope's own filter
// (a CronJob's Jobs), --ignore (pods whose labels match are left out) and --node-selector (pods on the
// nodes whose labels match, the nodes being watched). While following, the newest state of every pod
// is kept when nodes decide, so that a node that starts matching brings in the pods already on it.
import type { ObjectMeta, Pod } from "../shared/pod.ts";
import type { LabelSelector } from "./label-selector.ts";
import type { PodScope, WatchedKind } from "./podwatch.ts";

export const NODES: WatchedKind = { prefix: "/api/v1", resource: "nodes", what: "node watch" };

export interface NodeObject {
  metadata: ObjectMeta;
}

export interface SelectionOptions {
  /** --ignore: a pod matching any of these is left out. */
  ignore?: readonly LabelSelector[] | undefined;
  /** --node-selector: only pods on the nodes whose labels match (the selector as the API takes it). */
  nodeSelector?: string | undefined;
}

export class PodSelection {
  private readonly scopes: readonly PodScope[];
  private readonly ignore: readonly LabelSelector[];
  /** The names of the nodes that match --node-selector; undefined without it. */
  private readonly nodes: Set<string> | undefined;
  /** With --node-selector: every pod's newest state, by scope, then namespace/name. */
  private readonly pods: Map<string, Pod>[];

  constructor(scopes: readonly PodScope[], o: SelectionOptions) {
    this.scopes = scopes;
    this.ignore = o.ignore ?? [];
    this.nodes = o.nodeSelector !== undefined ? new Set() : undefined;
    this.pods = scopes.map(() => new Map());
  }

  /** Whether nodes decide (then the nodes are listed and watched). */
  get byNodes(): boolean {
    return this.nodes !== undefined;
  }

  selected(pod: Pod, scope: number): boolean {
    const filter = this.scopes[scope]?.podFilter;
    if (filter && !filter(pod)) return false;
    if (this.ignore.some((s) => s.matches(pod.metadata.labels))) return false;
    // A pod not yet scheduled is on no node: it comes in once it is.
    return !this.nodes || this.nodes.has(pod.spec?.nodeName ?? "");
  }

  /** The pods of a scope's list the run follows. */
  select(pods: readonly Pod[], scope: number): Pod[] {
    return pods.filter((p) => this.selected(p, scope));
  }

  /** A pod's newest state (kept only when nodes decide). */
  remember(pod: Pod, scope: number): void {
    if (this.nodes) this.pods[scope]?.set(key(pod), pod);
  }

  forget(pod: Pod, scope: number): void {
    this.pods[scope]?.delete(key(pod));
  }

  /** A scope's full list: what it lacks is forgotten. */
  rememberAll(pods: readonly Pod[], scope: number): void {
    const m = this.pods[scope];
    if (!m || !this.nodes) return;
    m.clear();
    for (const p of pods) m.set(key(p), p);
  }

  /** The pods known to be on these nodes, with their scope. */
  podsOn(nodes: ReadonlySet<string>): [Pod, number][] {
    const out: [Pod, number][] = [];
    for (const [i, m] of this.pods.entries()) {
      for (const p of m.values()) if (nodes.has(p.spec?.nodeName ?? "")) out.push([p, i]);
    }
    return out;
  }

  /** Nodes that match now (one from a watch event, or a whole list): the names whose match changed. */
  nodesMatching(names: readonly string[], whole: boolean): Set<string> {
    const set = this.nodes;
    const changed = new Set<string>();
    if (!set) return changed;
    const before = new Set(set);
    if (whole) set.clear();
    for (const n of names) set.add(n);
    for (const n of set) if (!before.has(n)) changed.add(n);
    if (whole) for (const n of before) if (!set.has(n)) changed.add(n);
    return changed;
  }

  /** A node that no longer matches (deleted, or relabelled). */
  nodeGone(name: string): boolean {
    return this.nodes?.delete(name) === true;
  }
}

const key = (pod: Pod): string => `${pod.metadata.namespace ?? ""}/${pod.metadata.name}`;
