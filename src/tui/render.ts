// Draws one frame of the view from its model and the front end's settings: the lines on screen (each
// with its pod and container in their colours), the sources panel, the status line or the prompt,
// and the inspect and help overlays. Pure: model and settings in, a Frame out.
import { DEFAULT_PALETTE, pickColors } from "../format/color.ts";
import { formatTimestamp, type Zone } from "../format/timestamp.ts";
import { parseRecord } from "../structured/parse.ts";
import type { ViewModel } from "../view/model.ts";
import { NO_SOURCE, type Source } from "../view/sources.ts";
import { LineKind } from "../view/store.ts";
import { cellWidth, Frame, isPlainAscii, type Style, type Styles, safeText } from "./screen.ts";

export type Mode = "normal" | "filter" | "search" | "where" | "save" | "inspect" | "help";
export type TimestampMode = "none" | "short" | "full";

export interface Settings {
  mode: Mode;
  /** What is typed at the prompt (filter, search, where, save). */
  input: string;
  panel: boolean;
  panelFocus: boolean;
  panelRow: number;
  timestamps: TimestampMode;
  prefixes: boolean;
  wrap: boolean;
  colored: boolean;
  zone: Zone;
  /** A word for the status line (saved, copied, a problem). */
  message: string;
  /** Inspect: the line and how far it is scrolled. */
  inspect: { line: number; scroll: number } | undefined;
}

/** Where each shown line landed on screen: row → list position (for mouse clicks). */
export interface Layout {
  rowPositions: number[];
  contentRows: number;
  panelWidth: number;
}

const MARK_START = "\ue000";
const MARK_END = "\ue001";

export const LEVELS: readonly [string, number | undefined][] = [
  ["all", undefined],
  ["debug", 20],
  ["info", 30],
  ["warn", 40],
  ["error", 50],
];

export function levelName(min: number | undefined): string {
  return LEVELS.find(([, v]) => v === min)?.[0] ?? String(min);
}

export function render(
  model: ViewModel,
  s: Settings,
  rows: number,
  cols: number,
  styles: Styles,
): [Frame, Layout] {
  const frame = new Frame(rows, cols);
  const st = (sgr: string) => (s.colored || sgr === "7" || sgr === "1" ? styles.id(sgr) : 0);
  const contentRows = Math.max(1, rows - 1);
  const panelWidth = s.panel ? Math.min(48, Math.max(20, Math.floor(cols / 3))) : 0;
  const layout: Layout = { rowPositions: [], contentRows, panelWidth };
  if (s.mode === "help") {
    drawHelp(frame, st);
  } else if (s.mode === "inspect" && s.inspect) {
    drawInspect(frame, model, s, st);
  } else {
    if (s.panel) drawPanel(frame, model, s, panelWidth, contentRows, st);
    drawLines(frame, model, s, panelWidth ? panelWidth + 1 : 0, contentRows, st, layout);
  }
  drawStatus(frame, model, s, rows - 1, st);
  return [frame, layout];
}

/** stern's colours of a source, chosen once (they hash the pod's name). */
const colorsOf = new WeakMap<Source, { pod: string; container: string }>();

function sourceStyle(source: Source | undefined, st: (sgr: string) => Style): [Style, Style] {
  if (!source) return [0, 0];
  let c = colorsOf.get(source);
  if (!c) {
    c = pickColors(DEFAULT_PALETTE, source.pod, source.container, false);
    colorsOf.set(source, c);
  }
  return [st(c.pod), st(c.container)];
}

function lineText(model: ViewModel, i: number): string {
  let text = safeText(model.store.bytes(i));
  if (model.search && model.store.kind(i) !== LineKind.Lifecycle) text = marked(model, i) ?? text;
  return text;
}

/** The line with the search's matches between markers (drawn highlighted), or undefined. */
function marked(model: ViewModel, i: number): string | undefined {
  const re = model.search;
  if (!re) return undefined;
  const bytes = model.store.bytes(i);
  if (!re.testBytes(bytes, 0, bytes.length)) return undefined;
  const withMarks = re.replaceAll(Buffer.from(bytes), (m) => `${MARK_START}${m.toString("utf8")}${MARK_END}`);
  return safeText(withMarks);
}

interface Cell {
  g: string;
  w: number;
  style: Style;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The cells of a line's segments; the search's markers switch the match style on and off. */
function cellsOf(segments: [string, Style][], matchStyle: Style): Cell[] {
  const cells: Cell[] = [];
  let inMatch = false;
  for (const [text, style] of segments) {
    if (isPlainAscii(text)) {
      // Most lines: a cell a character, no segmenting.
      for (let k = 0; k < text.length; k++)
        cells.push({ g: text[k] as string, w: 1, style: inMatch ? matchStyle : style });
      continue;
    }
    for (const { segment } of segmenter.segment(text)) {
      if (segment === MARK_START || segment === MARK_END) {
        inMatch = segment === MARK_START;
        continue;
      }
      const w = cellWidth(segment);
      if (w > 0) cells.push({ g: segment, w, style: inMatch ? matchStyle : style });
    }
  }
  return cells;
}

/** Rows of cells at most `width` wide (one row, cut, without wrapping). */
function rowsOf(cells: Cell[], width: number, wrap: boolean): Cell[][] {
  const rows: Cell[][] = [[]];
  let used = 0;
  for (const c of cells) {
    if (used + c.w > width) {
      if (!wrap) break;
      rows.push([]);
      used = 0;
      if (c.w > width) continue;
    }
    (rows.at(-1) as Cell[]).push(c);
    used += c.w;
  }
  return rows;
}

function drawLines(
  frame: Frame,
  model: ViewModel,
  s: Settings,
  x: number,
  rows: number,
  st: (sgr: string) => Style,
  layout: Layout,
): void {
  const { list, viewport } = model;
  const width = frame.cols - x;
  if (width <= 0) return;
  const selected = viewport.following ? -1 : viewport.selectedPosition();
  const matchStyle = st("30;43");
  const layoutOf = (p: number): { cells: Cell[][]; fill: Style } => {
    const i = list.at(p);
    const source = model.sources.get(model.store.source(i));
    const kind = model.store.kind(i);
    const sel = p === selected ? st("7") : 0;
    const [podStyle, containerStyle] = sourceStyle(source, st);
    const segments: [string, Style][] = [];
    if (kind === LineKind.Log && s.prefixes && source) {
      segments.push(
        [source.pod, sel || podStyle],
        [" ", sel],
        [source.container, sel || containerStyle],
        [" ", sel],
      );
    }
    if (s.timestamps !== "none" && kind === LineKind.Log) {
      const ms = model.store.time(i);
      if (!Number.isNaN(ms)) {
        const nanos = `${String(ms % 1000).padStart(3, "0")}000000`;
        const t = formatTimestamp({ ms, nanos }, s.timestamps === "short" ? "short" : "default", s.zone);
        segments.push([t, sel || st("2")], [" ", sel]);
      }
    }
    const text = lineText(model, i);
    const bodyStyle =
      kind === LineKind.Event
        ? st(text.includes(" Warning ") ? "33" : "2")
        : kind === LineKind.Lifecycle
          ? st(text.startsWith("+") ? "32" : text.startsWith("-") ? "31" : "33")
          : 0;
    segments.push([text, sel || bodyStyle]);
    return { cells: rowsOf(cellsOf(segments, matchStyle), width, s.wrap), fill: sel };
  };
  const put = (row: number, line: { cells: Cell[][]; fill: Style }, p: number): number => {
    let r = row;
    for (const cells of line.cells) {
      if (r >= 0 && r < rows) {
        let col = x;
        for (const c of cells) col = frame.cell(r, col, c.g, c.w, c.style);
        if (line.fill) frame.fill(r, col, frame.cols, line.fill);
        layout.rowPositions[r] = p;
      }
      r++;
    }
    return r;
  };
  if (viewport.following) {
    // From the newest line up, as many as fit.
    let bottom = rows;
    for (let p = list.size - 1; p >= 0 && bottom > 0; p--) {
      const line = layoutOf(p);
      bottom -= line.cells.length;
      put(bottom, line, p);
    }
  } else {
    let row = 0;
    for (let p = viewport.topPosition(rows); p < list.size && row < rows; p++) row = put(row, layoutOf(p), p);
  }
}

function drawPanel(
  frame: Frame,
  model: ViewModel,
  s: Settings,
  width: number,
  rows: number,
  st: (sgr: string) => Style,
): void {
  const nodes = model.sources.tree();
  const top = Math.max(0, Math.min(s.panelRow - Math.floor(rows / 2), nodes.length - rows));
  for (let r = 0; r < rows; r++) {
    frame.fill(r, 0, width, 0);
    frame.text(r, width, "│", st("2"));
    const node = nodes[top + r];
    if (!node) continue;
    const focused = s.panelFocus && top + r === s.panelRow;
    const muted = model.sources.isMuted(node.path);
    const solo = model.sources.soloPath === node.path;
    const base = focused ? st("7") : muted ? st("2") : 0;
    let col = frame.text(r, node.depth * 2, `${solo ? "◆" : muted ? "×" : " "}`, base, width);
    const src = node.source;
    if (src) {
      const mark = src.state === "following" ? "+" : src.state === "ended" ? "-" : "!";
      const markStyle = focused
        ? base
        : st(mark === "+" ? "32" : mark === "-" ? (src.failed ? "31" : "2") : "33");
      col = frame.text(r, col, mark, markStyle, width);
      col = frame.text(r, col, ` ${node.label}`, base, width);
      const info = [
        src.restarts > 0 ? `r${src.restarts}` : "",
        src.rate >= 0.5 ? `${Math.round(src.rate)}/s` : "",
        src.state !== "following" && src.detail ? src.detail : "",
      ]
        .filter((x) => x !== "")
        .join(" ");
      if (info) col = frame.text(r, col, ` ${info}`, focused ? base : st("2"), width);
    } else {
      col = frame.text(r, col, node.label || "(context)", focused ? base : st("1"), width);
    }
    if (focused) frame.fill(r, col, width, base);
  }
}

function drawStatus(
  frame: Frame,
  model: ViewModel,
  s: Settings,
  row: number,
  st: (sgr: string) => Style,
): void {
  const bar = st("7");
  frame.fill(row, 0, frame.cols, bar);
  const prompts: Partial<Record<Mode, string>> = {
    filter: "filter (! inverts)",
    search: "search",
    where: "where (CEL)",
    save: "save to",
  };
  const prompt = prompts[s.mode];
  if (prompt !== undefined) {
    const col = frame.text(row, 0, `${prompt}: ${s.input}`, bar);
    frame.text(row, col, "▏", bar);
    if (model.problem) frame.text(row, col + 2, model.problem, bar);
    return;
  }
  const { viewport, list } = model;
  const parts: string[] = [];
  parts.push(viewport.following ? "FOLLOW" : viewport.newSince > 0 ? `HELD +${viewport.newSince}` : "HELD");
  parts.push(`${list.size.toLocaleString("en")}/${model.received.toLocaleString("en")} lines`);
  if (!list.complete) parts.push(`filtering ${Math.floor(list.progress * 100)}%`);
  if (model.filterText) parts.push(`filter ${model.filterText}`);
  if (model.minLevel !== undefined)
    parts.push(`level ≥ ${levelName(model.minLevel)}${model.levelStrict ? " (strict)" : ""}`);
  if (model.whereText) parts.push(`where ${model.whereText}`);
  if (model.searchText) parts.push(`/${model.searchText}`);
  if (list.currentOrder === "time") parts.push("time order");
  if (s.message) parts.push(s.message);
  else if (model.problem) parts.push(model.problem);
  const col = frame.text(row, 0, ` ${parts.join(" │ ")}`, bar);
  const hint = "? keys ";
  if (col + hint.length < frame.cols) frame.text(row, frame.cols - hint.length, hint, bar);
}

function drawInspect(frame: Frame, model: ViewModel, s: Settings, st: (sgr: string) => Style): void {
  const ins = s.inspect as { line: number; scroll: number };
  const i = ins.line;
  const store = model.store;
  const source = model.sources.get(store.source(i));
  const out: [string, Style][] = [];
  const ms = store.time(i);
  out.push(["Line", st("1")]);
  if (source && source.id !== NO_SOURCE) {
    out.push([`  pod        ${source.namespace}/${source.pod}`, 0]);
    out.push([`  container  ${source.container}`, 0]);
    if (source.node) out.push([`  node       ${source.node}`, 0]);
    if (source.context) out.push([`  context    ${source.context}`, 0]);
  }
  if (!Number.isNaN(ms)) {
    const nanos = `${String(ms % 1000).padStart(3, "0")}000000`;
    out.push([`  time       ${formatTimestamp({ ms, nanos }, "default", s.zone)}`, 0]);
  }
  out.push(["", 0], ["Text", st("1")]);
  const width = frame.cols - 2;
  const text = safeText(store.bytes(i));
  for (let k = 0; k < text.length; k += width) out.push([`  ${text.slice(k, k + width)}`, 0]);
  const bytes = store.bytes(i);
  const record = parseRecord(Buffer.from(bytes), 0, bytes.length);
  if (record) {
    out.push(["", 0], [`Fields (${record.format})`, st("1")]);
    if (record.level) out.push([`  level: ${record.level.text}`, 0]);
    if (record.message !== undefined) out.push([`  message: ${safeText(Buffer.from(record.message))}`, 0]);
    // Flattened keys as a tree: a.b.c under a, then b.
    let last: string[] = [];
    for (const f of record.fields) {
      const path = f.key.split(".");
      let d = 0;
      while (d < path.length - 1 && last[d] === path[d]) d++;
      for (let k = d; k < path.length - 1; k++) out.push([`  ${"  ".repeat(k)}${path[k]}:`, st("2")]);
      out.push([`  ${"  ".repeat(path.length - 1)}${path.at(-1)}: ${safeText(Buffer.from(f.value))}`, 0]);
      last = path;
    }
  }
  const rows = frame.rows - 1;
  const start = Math.max(0, Math.min(ins.scroll, out.length - rows));
  for (let r = 0; r < rows; r++) {
    const entry = out[start + r];
    if (entry) frame.text(r, 0, entry[0], entry[1]);
  }
}

export const HELP: readonly [string, string][] = [
  ["↑ ↓  k j", "select a line (up holds the view)"],
  ["PgUp PgDn  wheel", "scroll"],
  ["g Home / G End", "first line / follow the newest again"],
  ["p", "hold the view / follow again"],
  ["/  n  N", "search (Go regexp), next, previous"],
  ["f", "filter as you type (! first: lines that do not match)"],
  ["l  L", "least level shown / lines without a level too or not"],
  ["w", "--where (CEL) over structured lines"],
  ["s  Tab", "sources panel / move into it"],
  ["  space m / o", "  mute / solo the pod or container"],
  ["Enter", "inspect the selected line (c copies it)"],
  ["t  x  z  o", "timestamps / prefixes / wrap / time order"],
  ["S  A", "save the shown lines / every line to a file"],
  ["q  Ctrl-C", "quit"],
];

function drawHelp(frame: Frame, st: (sgr: string) => Style): void {
  frame.text(0, 1, "Keys", st("1"));
  HELP.forEach(([keys, what], k) => {
    const col = frame.text(k + 2, 2, keys, st("1"));
    frame.text(k + 2, Math.max(col + 2, 24), what);
  });
  frame.text(HELP.length + 3, 1, "any key closes this", st("2"));
}
