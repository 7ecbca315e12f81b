// The interactive view in a terminal: keys and mouse in, frames out. It owns the front end's settings
// (mode, prompt, panel, toggles) and turns keys into the model's actions; the model holds the lines.
// Frames are drawn at most every FRAME_MS while lines pour in, and at once after a key.
import { writeFileSync } from "node:fs";
import type { Zone } from "../format/timestamp.ts";
import { compileWhere } from "../structured/where.ts";
import type { ViewModel } from "../view/model.ts";
import { type Key, parseKeys } from "./keys.ts";
import { type Layout, LEVELS, type Mode, render, type Settings } from "./render.ts";
import { diff, type Frame, Styles, safeText } from "./screen.ts";
import type { Terminal } from "./terminal.ts";

/** Frames come at most this often while lines pour in (20 a second), at once after a quiet spell. */
const FRAME_MS = 50;

/** Time, from the caller's clock (the engine's, so tests control it). */
export interface Scheduler {
  now(): number;
  after(ms: number, fn: () => void): { cancel(): void };
}

export interface AppOptions {
  model: ViewModel;
  terminal: Terminal;
  scheduler: Scheduler;
  colored: boolean;
  zone: Zone;
  timestamps?: "none" | "short" | "full";
  /** The user quit (q, Ctrl-C). */
  onQuit: () => void;
}

export class App {
  private readonly model: ViewModel;
  private readonly term: Terminal;
  private readonly scheduler: Scheduler;
  private readonly onQuit: () => void;
  private readonly styles = new Styles();
  private readonly s: Settings;
  private last: Frame | undefined;
  private layout: Layout | undefined;
  private pending: { cancel(): void } | undefined;
  private stepping = false;
  private ticker: { cancel(): void } | undefined;
  private closed = false;

  constructor(o: AppOptions) {
    this.model = o.model;
    this.term = o.terminal;
    this.scheduler = o.scheduler;
    this.onQuit = o.onQuit;
    this.s = {
      mode: "normal",
      input: "",
      panel: false,
      panelFocus: false,
      panelRow: 0,
      timestamps: o.timestamps ?? "none",
      prefixes: true,
      wrap: false,
      colored: o.colored,
      zone: o.zone,
      message: "",
      inspect: undefined,
    };
  }

  start(): void {
    this.term.enter(
      (data) => this.keys(data),
      () => {
        this.last = undefined;
        this.draw();
      },
    );
    this.draw();
    const tick = () => {
      this.model.sources.tick(1000);
      this.changed();
      this.ticker = this.scheduler.after(1000, tick);
    };
    this.ticker = this.scheduler.after(1000, tick);
    this.rebuild();
  }

  /** Gives the terminal back (q, a signal, the end of the run). */
  stop(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending?.cancel();
    this.ticker?.cancel();
    this.term.leave();
  }

  /** The model changed (lines came): a frame soon — at once if none was drawn for a frame's time. */
  changed(): void {
    if (this.closed || this.pending) return;
    const wait = Math.max(0, this.lastDraw + FRAME_MS - this.scheduler.now());
    this.pending = this.scheduler.after(wait, () => {
      this.pending = undefined;
      this.draw();
    });
  }

  /** Handles a read from the terminal: keys, then one frame. */
  keys(data: string): void {
    for (const key of parseKeys(data)) {
      if (this.closed) return;
      this.key(key);
    }
    this.rebuild();
    this.draw();
  }

  private get rows(): number {
    return this.layout?.contentRows ?? Math.max(1, this.term.rows - 1);
  }

  private lastDraw = Number.NEGATIVE_INFINITY;

  private draw(): void {
    if (this.closed) return;
    this.lastDraw = this.scheduler.now();
    const [frame, layout] = render(this.model, this.s, this.term.rows, this.term.cols, this.styles);
    this.term.write(diff(this.last, frame, this.styles));
    this.last = frame;
    this.layout = layout;
  }

  /** A filter change is done in slices between frames, the newest screenful first. */
  private rebuild(): void {
    if (this.stepping || this.model.list.complete) return;
    this.stepping = true;
    const step = () => {
      if (this.closed) return;
      const done = this.model.list.step();
      this.draw();
      if (done) this.stepping = false;
      else setImmediate(step);
    };
    setImmediate(step);
  }

  private key(k: Key): void {
    this.s.message = "";
    const m = this.s.mode;
    if (k.kind === "ctrl" && k.ch === "c") this.quit();
    else if (m === "help") this.s.mode = "normal";
    else if (m === "filter" || m === "search" || m === "where" || m === "save") this.prompt(m, k);
    else if (m === "inspect") this.inspectKey(k);
    else if (this.s.panelFocus) this.panelKey(k);
    else this.normalKey(k);
  }

  private normalKey(k: Key): void {
    const v = this.model.viewport;
    const rows = this.rows;
    if (k.kind === "mouse") {
      if (k.action === "wheelup") v.scroll(-3, rows);
      else if (k.action === "wheeldown") v.scroll(3, rows);
      else if (k.action === "press") {
        const p = this.layout?.rowPositions[k.y];
        if (p !== undefined && k.x >= (this.layout?.panelWidth ?? 0)) v.show(p, rows);
      }
      return;
    }
    if (k.kind === "key") {
      const actions: Partial<Record<typeof k.name, () => void>> = {
        up: () => v.select(-1, rows),
        down: () => v.select(1, rows),
        pageup: () => v.scroll(-rows, rows),
        pagedown: () => v.scroll(rows, rows),
        home: () => v.toFirst(rows),
        end: () => v.follow(),
        enter: () => this.openInspect(),
        tab: () => this.focusPanel(),
      };
      actions[k.name]?.();
      return;
    }
    if (k.kind === "ctrl") {
      if (k.ch === "b") v.scroll(-rows, rows);
      else if (k.ch === "f") v.scroll(rows, rows);
      return;
    }
    const bindings: Record<string, () => void> = {
      q: () => this.quit(),
      k: () => v.select(-1, rows),
      j: () => v.select(1, rows),
      " ": () => v.scroll(rows, rows),
      g: () => v.toFirst(rows),
      G: () => v.follow(),
      p: () => (v.following ? v.hold(rows) : v.follow()),
      "/": () => this.openPrompt("search", this.model.searchText),
      n: () => this.next(1),
      N: () => this.next(-1),
      f: () => this.openPrompt("filter", this.model.filterText),
      "&": () => this.openPrompt("filter", this.model.filterText),
      w: () => this.openPrompt("where", this.model.whereText),
      l: () => {
        const at = LEVELS.findIndex(([, level]) => level === this.model.minLevel);
        this.model.setMinLevel(LEVELS[(at + 1) % LEVELS.length]?.[1]);
      },
      L: () => {
        this.model.levelStrict = !this.model.levelStrict;
        this.model.setMinLevel(this.model.minLevel);
      },
      s: () => {
        this.s.panel = !this.s.panel;
        this.s.panelFocus = false;
      },
      t: () => {
        this.s.timestamps =
          this.s.timestamps === "none" ? "short" : this.s.timestamps === "short" ? "full" : "none";
      },
      x: () => {
        this.s.prefixes = !this.s.prefixes;
      },
      z: () => {
        this.s.wrap = !this.s.wrap;
      },
      o: () => this.model.setOrder(this.model.list.currentOrder === "time" ? "arrival" : "time"),
      S: () => this.openPrompt("save", "stern-view.log", "shown"),
      A: () => this.openPrompt("save", "stern-all.log", "all"),
      "?": () => {
        this.s.mode = "help";
      },
    };
    bindings[k.ch]?.();
  }

  private next(direction: 1 | -1): void {
    if (!this.model.findNext(direction, this.rows))
      this.s.message = this.model.search ? "no match" : "no search: press /";
  }

  private saveWhat: "shown" | "all" = "shown";

  private openPrompt(mode: Mode, text: string, what: "shown" | "all" = "shown"): void {
    this.s.mode = mode;
    this.s.input = text;
    this.saveWhat = what;
  }

  private prompt(mode: Mode, k: Key): void {
    const apply = (text: string) => {
      if (mode === "filter") this.model.setFilter(text);
      else if (mode === "search") this.model.setSearch(text);
    };
    if (k.kind === "key" && k.name === "escape") {
      this.s.mode = "normal";
      return;
    }
    if (k.kind === "key" && k.name === "enter") {
      this.s.mode = "normal";
      if (mode === "where") this.applyWhere(this.s.input);
      else if (mode === "save") this.save(this.s.input);
      else if (mode === "search" && this.model.search && !this.model.findNext(-1, this.rows))
        this.s.message = "no match";
      return;
    }
    if (k.kind === "key" && k.name === "backspace") this.s.input = [...this.s.input].slice(0, -1).join("");
    else if (k.kind === "ctrl" && k.ch === "u") this.s.input = "";
    else if (k.kind === "char") this.s.input += k.ch;
    else return;
    // The filter and the search follow the text as it is typed.
    apply(this.s.input);
  }

  private applyWhere(text: string): void {
    if (text.trim() === "") {
      this.model.setWhere("", undefined);
      return;
    }
    try {
      this.model.setWhere(text, compileWhere(text));
    } catch (err) {
      this.model.problem = `--where: ${(err as Error).message}`;
    }
  }

  private save(path: string): void {
    const { model } = this;
    const lines: string[] = [];
    const count = this.saveWhat === "all" ? model.store.count : model.list.size;
    for (let k = 0; k < count; k++) {
      const i = this.saveWhat === "all" ? k : model.list.at(k);
      const src = model.sources.get(model.store.source(i));
      const text = model.store.bytes(i).toString("utf8");
      lines.push(src && model.store.kind(i) === 0 ? `${src.pod} ${src.container} ${text}` : text);
    }
    try {
      writeFileSync(path, lines.length > 0 ? `${lines.join("\n")}\n` : "");
      this.s.message = `saved ${count.toLocaleString("en")} lines to ${path}`;
    } catch (err) {
      this.s.message = `cannot save: ${(err as Error).message}`;
    }
  }

  private openInspect(): void {
    const line = this.model.viewport.selection;
    if (line === undefined) return;
    this.s.mode = "inspect";
    this.s.inspect = { line, scroll: 0 };
  }

  private inspectKey(k: Key): void {
    const ins = this.s.inspect;
    if (!ins) return;
    if (
      (k.kind === "key" && (k.name === "escape" || k.name === "enter")) ||
      (k.kind === "char" && k.ch === "q")
    ) {
      this.s.mode = "normal";
      this.s.inspect = undefined;
    } else if ((k.kind === "key" && k.name === "down") || (k.kind === "char" && k.ch === "j")) ins.scroll++;
    else if ((k.kind === "key" && k.name === "up") || (k.kind === "char" && k.ch === "k"))
      ins.scroll = Math.max(0, ins.scroll - 1);
    else if (k.kind === "char" && k.ch === "c") {
      // OSC 52: the terminal puts it on the clipboard, over SSH too.
      const text = safeText(this.model.store.bytes(ins.line));
      this.term.write(`\x1b]52;c;${Buffer.from(text).toString("base64")}\x07`);
      this.s.message = "copied";
    }
  }

  private focusPanel(): void {
    this.s.panel = true;
    this.s.panelFocus = !this.s.panelFocus;
  }

  private panelKey(k: Key): void {
    const nodes = this.model.sources.tree();
    const node = nodes[this.s.panelRow];
    if (k.kind === "key") {
      if (k.name === "up") this.s.panelRow = Math.max(0, this.s.panelRow - 1);
      else if (k.name === "down") this.s.panelRow = Math.min(nodes.length - 1, this.s.panelRow + 1);
      else if (k.name === "tab" || k.name === "escape") this.s.panelFocus = false;
      return;
    }
    if (k.kind !== "char") return;
    if (k.ch === "q") this.quit();
    else if (k.ch === "k") this.s.panelRow = Math.max(0, this.s.panelRow - 1);
    else if (k.ch === "j") this.s.panelRow = Math.min(nodes.length - 1, this.s.panelRow + 1);
    else if ((k.ch === " " || k.ch === "m") && node) this.model.sources.toggleMute(node.path);
    else if (k.ch === "o" && node) this.model.sources.toggleSolo(node.path);
    else if (k.ch === "s") {
      this.s.panel = false;
      this.s.panelFocus = false;
    }
  }

  private quit(): void {
    this.stop();
    this.onQuit();
  }
}
