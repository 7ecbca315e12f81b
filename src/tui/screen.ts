// The screen as a grid of cells, drawn in full each frame and written as the difference from the last
// frame: only rows that changed go to the terminal. Text reaches a cell only through text(), which
// measures each grapheme's width (East Asian wide characters and emoji take two cells, as the
// terminal shows them) and never writes a control character: what is drawn is safe text already
// (see safeText), and anything else is dropped here.
import { eastAsianWidth } from "get-east-asian-width";
import stringWidth from "string-width";
import { sanitizeForTerminal } from "../format/terminal.ts";

/** A style is an SGR parameter string ("" = the terminal's default); styles() interns them. */
export type Style = number;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const TAB = 8;

/** A pod's bytes as text fit for cells: no escape sequence, controls as ^X, tabs and newlines as spaces. */
export function safeText(buf: Buffer): string {
  let text = sanitizeForTerminal(buf, false).toString("utf8");
  if (text.includes("\n")) text = text.replaceAll("\n", " ");
  return text.includes("\t") ? expandTabs(text) : text;
}

function expandTabs(text: string): string {
  let out = "";
  for (const ch of text) out += ch === "\t" ? " ".repeat(TAB - (out.length % TAB)) : ch;
  return out;
}

function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0);
}

/** Emoji drawn as pictures take two cells, whatever their East Asian width says. */
const EMOJI = /^\p{Emoji_Presentation}$/u;
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\p{Default_Ignorable_Code_Point}]$/u;

/**
 * Cells a grapheme takes. One code point: its East Asian width (get-east-asian-width, the table
 * string-width reads), two for an emoji shown as a picture, none for a combining mark or a format
 * character. Several (emoji sequences, a letter with its marks): string-width, whose first call
 * compiles Unicode's emoji sets (~150 ms), so it is asked only for these. A control takes one
 * (drawn "?").
 */
export function cellWidth(g: string): number {
  const code = g.charCodeAt(0);
  if (g.length === 1 && code >= 0x20 && code < 0x7f) return 1;
  if (isControl(code)) return 1;
  const cp = g.codePointAt(0) as number;
  if (g.length === (cp > 0xffff ? 2 : 1)) {
    // A regional indicator alone (half of a flag) is one cell; a flag is a cluster.
    if (cp >= 0x1f1e6 && cp <= 0x1f1ff) return 1;
    if (EMOJI.test(g)) return 2;
    if (ZERO_WIDTH.test(g)) return 0;
    return eastAsianWidth(cp);
  }
  return stringWidth(g);
}

/** Whether text is printable ASCII only: then each character is one cell, no segmenting needed. */
export function isPlainAscii(text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

export class Frame {
  readonly rows: number;
  readonly cols: number;
  /** Per row: the grapheme of each cell ("" for the second cell of a wide one). */
  readonly chars: string[][];
  readonly styles: Uint16Array[];

  constructor(rows: number, cols: number) {
    this.rows = rows;
    this.cols = cols;
    this.chars = Array.from({ length: rows }, () => new Array<string>(cols).fill(" "));
    this.styles = Array.from({ length: rows }, () => new Uint16Array(cols));
  }

  /**
   * Writes text at (row, col), no further than `end` (default: the row's end); returns the column
   * after it. Characters are what safeText made; a control that slipped through becomes "?".
   */
  text(row: number, col: number, text: string, style: Style = 0, end = this.cols): number {
    if (row < 0 || row >= this.rows) return col;
    const chars = this.chars[row] as string[];
    const styles = this.styles[row] as Uint16Array;
    let c = col;
    if (isPlainAscii(text)) {
      for (let k = 0; k < text.length && c < end; k++, c++) {
        chars[c] = text[k] as string;
        styles[c] = style;
      }
      return c;
    }
    for (const { segment } of segmenter.segment(text)) {
      const w = cellWidth(segment);
      if (w === 0) continue;
      const g = w === 1 && isControl(segment.charCodeAt(0)) ? "?" : segment;
      if (c + w > end) break;
      chars[c] = g;
      styles[c] = style;
      if (w === 2) {
        chars[c + 1] = "";
        styles[c + 1] = style;
      }
      c += w;
    }
    return c;
  }

  /** One grapheme of width w (1 or 2) at (row, col); returns the column after it. */
  cell(row: number, col: number, g: string, w: number, style: Style): number {
    if (row < 0 || row >= this.rows || col + w > this.cols) return col + w;
    const chars = this.chars[row] as string[];
    const styles = this.styles[row] as Uint16Array;
    chars[col] = w === 1 && isControl(g.charCodeAt(0)) ? "?" : g;
    styles[col] = style;
    if (w === 2) {
      chars[col + 1] = "";
      styles[col + 1] = style;
    }
    return col + w;
  }

  /** Fills cells [col, end) of a row with spaces of a style. */
  fill(row: number, col: number, end: number, style: Style = 0): void {
    if (row < 0 || row >= this.rows) return;
    const chars = this.chars[row] as string[];
    const styles = this.styles[row] as Uint16Array;
    for (let c = Math.max(0, col); c < Math.min(end, this.cols); c++) {
      chars[c] = " ";
      styles[c] = style;
    }
  }
}

/** Interned styles: an id per SGR parameter string. */
export class Styles {
  private readonly ids = new Map<string, Style>([["", 0]]);
  private readonly sgr: string[] = [""];

  id(params: string): Style {
    let id = this.ids.get(params);
    if (id === undefined) {
      id = this.sgr.length;
      this.sgr.push(params);
      this.ids.set(params, id);
    }
    return id;
  }

  sgrOf(style: Style): string {
    return this.sgr[style] ?? "";
  }
}

/** The bytes that turn the `prev` screen into `next` (every row when prev is absent or of another size). */
export function diff(prev: Frame | undefined, next: Frame, styles: Styles): string {
  const full = !prev || prev.rows !== next.rows || prev.cols !== next.cols;
  let out = full ? "\x1b[0m\x1b[2J" : "";
  for (let r = 0; r < next.rows; r++) {
    const chars = next.chars[r] as string[];
    const st = next.styles[r] as Uint16Array;
    if (!full && sameRow(prev, r, chars, st)) continue;
    out += `\x1b[${r + 1};1H`;
    let current = -1;
    for (let c = 0; c < next.cols; c++) {
      const ch = chars[c] as string;
      if (ch === "") continue;
      const s = st[c] as number;
      if (s !== current) {
        out += `\x1b[0${s === 0 ? "" : `;${styles.sgrOf(s)}`}m`;
        current = s;
      }
      out += ch;
    }
  }
  return out === "" ? "" : `${out}\x1b[0m`;
}

function sameRow(prev: Frame | undefined, r: number, chars: string[], st: Uint16Array): boolean {
  const pc = prev?.chars[r] as string[];
  const ps = prev?.styles[r] as Uint16Array;
  for (let c = 0; c < chars.length; c++) if (pc[c] !== chars[c] || ps[c] !== st[c]) return false;
  return true;
}
