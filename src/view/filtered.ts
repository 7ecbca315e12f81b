// The lines the view shows, in the order it shows them (as they arrived, or by their timestamps):
// their indexes in the store, kept up to date as lines arrive, and rebuilt when a filter changes. A
// rebuild over the whole history is done in slices, so the view stays responsive: first the newest
// screenful is found (shown at once), then the rest from the oldest line on.
import type { LineStore } from "./store.ts";

export type Order = "arrival" | "time";

/** Lines looked at per slice of a rebuild: a few milliseconds' work. */
const SLICE = 50_000;
/** The first phase of a rebuild looks back this far for the newest matches. */
const QUICK_LOOK = 200_000;

class IntList {
  data = new Int32Array(1024);
  size = 0;
  push(v: number): void {
    if (this.size === this.data.length) this.grow(this.size * 2);
    this.data[this.size++] = v;
  }
  insertAt(p: number, v: number): void {
    if (this.size === this.data.length) this.grow(this.size * 2);
    this.data.copyWithin(p + 1, p, this.size);
    this.data[p] = v;
    this.size++;
  }
  private grow(n: number): void {
    const next = new Int32Array(n);
    next.set(this.data.subarray(0, this.size));
    this.data = next;
  }
}

export class FilteredList {
  private readonly store: LineStore;
  private test: (i: number) => boolean;
  private order: Order;
  private items = new IntList();
  /** Rebuild: the full scan so far (lines [0, scanned) looked at), and where the quick look began. */
  private rebuild: { full: IntList; scanned: number; until: number } | undefined;

  constructor(store: LineStore, test: (i: number) => boolean, order: Order = "arrival") {
    this.store = store;
    this.test = test;
    this.order = order;
    this.restart();
  }

  get size(): number {
    return this.items.size;
  }

  /** The store index of the line at position p. */
  at(p: number): number {
    return this.items.data[p] as number;
  }

  /** Whether every line of the store has been looked at. */
  get complete(): boolean {
    return this.rebuild === undefined;
  }

  /** How much of a rebuild is done, 0..1. */
  get progress(): number {
    const r = this.rebuild;
    return r ? r.scanned / Math.max(1, r.until) : 1;
  }

  get currentOrder(): Order {
    return this.order;
  }

  /** A new line in the store: shown if it passes. Returns whether it does. */
  add(i: number): boolean {
    if (!this.test(i)) return false;
    if (this.order === "arrival") this.items.push(i);
    else this.items.insertAt(this.insertionPoint(i), i);
    return true;
  }

  /** A new filter: the list is made again (see step()). */
  setTest(test: (i: number) => boolean): void {
    this.test = test;
    this.restart();
  }

  setOrder(order: Order): void {
    if (order === this.order) return;
    this.order = order;
    this.sortItems();
  }

  /**
   * Does up to `budget` lines of a rebuild; returns true when the list is complete. Lines that came
   * meanwhile are in the list already (add()).
   */
  step(budget = SLICE): boolean {
    const r = this.rebuild;
    if (!r) return true;
    const end = Math.min(r.until, r.scanned + budget);
    for (let i = r.scanned; i < end; i++) if (this.test(i)) r.full.push(i);
    r.scanned = end;
    if (end < r.until) return false;
    // The full scan reached the quick look's start: everything before it, then what is shown now.
    for (let p = 0; p < this.items.size; p++) r.full.push(this.items.data[p] as number);
    this.items = r.full;
    this.rebuild = undefined;
    if (this.order === "time") this.sortItems();
    return true;
  }

  /** The position of a store index in the list, or of the first line after it when it is not shown. */
  positionOf(i: number): number {
    let lo = 0;
    let hi = this.items.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.before(this.items.data[mid] as number, i)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private restart(): void {
    const n = this.store.count;
    const quick = new IntList();
    // The newest screenful first: look back from the end.
    const stop = Math.max(0, n - QUICK_LOOK);
    const found: number[] = [];
    for (let i = n - 1; i >= stop && found.length < 1000; i--) if (this.test(i)) found.push(i);
    const from = found.length > 0 ? (found.at(-1) as number) : stop;
    for (let k = found.length - 1; k >= 0; k--) quick.push(found[k] as number);
    this.items = quick;
    if (this.order === "time") this.sortItems();
    this.rebuild = from > 0 ? { full: new IntList(), scanned: 0, until: from } : undefined;
  }

  /** Whether line a comes before line b in this order. */
  private before(a: number, b: number): boolean {
    if (this.order === "arrival") return a < b;
    const ta = this.store.time(a);
    const tb = this.store.time(b);
    return ta < tb || (ta === tb && a < b);
  }

  private insertionPoint(i: number): number {
    // Most lines come in time order: look from the end first.
    const last = this.items.size - 1;
    if (last < 0 || this.before(this.items.data[last] as number, i)) return this.items.size;
    return this.positionOf(i);
  }

  private sortItems(): void {
    const view = this.items.data.subarray(0, this.items.size);
    if (this.order === "arrival") view.sort();
    else {
      const store = this.store;
      const sorted = Array.from(view).sort((a, b) => store.time(a) - store.time(b) || a - b);
      view.set(sorted);
    }
  }
}
