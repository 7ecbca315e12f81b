// The interactive view's state, apart from any terminal: every line of the session (store), where
// they come from (sources), what is shown (filter, list, order) and what is on screen (viewport),
// search. The terminal front end (src/tui) reads it and calls its actions; a browser front end could.
import type { WhereTest } from "../structured/where.ts";
import { compileGoRegex, type GoRegex } from "../util/goregex.ts";
import { type FilterSpec, isEmpty, lineTest } from "./filter.ts";
import { FilteredList, type Order } from "./filtered.ts";
import { findMatch } from "./search.ts";
import { NO_SOURCE, Sources } from "./sources.ts";
import { LineKind, LineStore, type StoreOptions } from "./store.ts";
import { Viewport } from "./viewport.ts";

export interface ViewModelOptions {
  store?: StoreOptions;
  /** The command line's -i/-e, --level and --where: the filters' starting state. */
  initial?: {
    include?: string | undefined;
    exclude?: string | undefined;
    minLevel?: number | undefined;
    levelStrict?: boolean | undefined;
    where?: { text: string; test: WhereTest } | undefined;
  };
  order?: Order;
}

export class ViewModel {
  readonly store: LineStore;
  readonly sources = new Sources();
  readonly list: FilteredList;
  readonly viewport: Viewport;
  /** The filter box as typed ("!" first: keep what does not match). */
  filterText = "";
  minLevel: number | undefined;
  levelStrict = false;
  whereText = "";
  private where: WhereTest | undefined;
  /** The `/` search, compiled. */
  search: GoRegex | undefined;
  searchText = "";
  /** What went wrong with the last filter or search typed (shown on the status line). */
  problem = "";
  /** Lines that came, shown or not. */
  received = 0;

  constructor(opts: ViewModelOptions = {}) {
    this.store = new LineStore(opts.store);
    const init = opts.initial ?? {};
    // -i and -e together: the filter box takes one pattern, so -e becomes an inverted filter when alone.
    if (init.include) this.filterText = init.include;
    else if (init.exclude) this.filterText = `!${init.exclude}`;
    this.minLevel = init.minLevel;
    this.levelStrict = init.levelStrict === true;
    if (init.where) {
      this.whereText = init.where.text;
      this.where = init.where.test;
    }
    this.list = new FilteredList(this.store, this.test(), opts.order ?? "arrival");
    this.viewport = new Viewport(this.list);
    this.sources.onChange(() => this.refilter());
  }

  /** A line arrived (log, event or lifecycle news). */
  append(source: number, timeMs: number, kind: LineKind, buf: Buffer, start: number, end: number): void {
    const i = this.store.append(source, timeMs, kind, buf, start, end);
    this.received++;
    if (source !== NO_SOURCE) {
      const s = this.sources.get(source);
      if (s && kind === LineKind.Log) s.lines++;
    }
    if (this.list.add(i)) this.viewport.added();
  }

  /** Sets the filter box ("" clears it; a leading "!" inverts it). False (and `problem`) when it does not compile. */
  setFilter(text: string): boolean {
    this.filterText = text;
    return this.refilter();
  }

  /** Sets the least level shown (undefined: all). */
  setMinLevel(level: number | undefined): void {
    this.minLevel = level;
    this.refilter();
  }

  setWhere(text: string, test: WhereTest | undefined): void {
    this.whereText = text;
    this.where = test;
    this.refilter();
  }

  setOrder(order: Order): void {
    this.list.setOrder(order);
  }

  /** Sets the `/` search; false (and `problem`) when it does not compile. */
  setSearch(text: string): boolean {
    this.searchText = text;
    if (text === "") {
      this.search = undefined;
      return true;
    }
    try {
      this.search = compileGoRegex(text);
      this.problem = "";
      return true;
    } catch (err) {
      this.search = undefined;
      this.problem = (err as Error).message;
      return false;
    }
  }

  /** Jumps to the next (or previous) match of the search; false when there is none. */
  findNext(direction: 1 | -1, rows: number): boolean {
    if (!this.search || this.list.size === 0) return false;
    const from = this.viewport.selectedPosition();
    const p = findMatch(this.list, this.store, this.search, from, direction);
    if (p === undefined) return false;
    this.viewport.show(p, rows);
    return true;
  }

  /** Whether the shown lines are all lines of shown sources. */
  get unfiltered(): boolean {
    return isEmpty(this.spec());
  }

  private spec(): FilterSpec {
    const text = this.filterText;
    const invert = text.startsWith("!");
    const pattern = invert ? text.slice(1) : text;
    return {
      ...(pattern !== "" ? { text: { regex: compileGoRegex(pattern), invert } } : {}),
      ...(this.minLevel !== undefined ? { minLevel: this.minLevel, levelStrict: this.levelStrict } : {}),
      ...(this.where ? { where: this.where } : {}),
    };
  }

  private test(): (i: number) => boolean {
    try {
      return lineTest(this.store, this.sources, this.spec());
    } catch (err) {
      this.problem = (err as Error).message;
      return lineTest(this.store, this.sources, {});
    }
  }

  private refilter(): boolean {
    let spec: FilterSpec;
    try {
      spec = this.spec();
      this.problem = "";
    } catch (err) {
      this.problem = (err as Error).message;
      return false;
    }
    this.list.setTest(lineTest(this.store, this.sources, spec));
    this.viewport.newSince = 0;
    return true;
  }
}
