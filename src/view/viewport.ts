// What part of the shown lines is on screen: following the newest line, or held at a line while the
// user reads (every stream keeps being read; the lines that arrived since are counted), and the line
// the user has selected. Positions move as the list changes (a rebuild adds older lines in front), so
// a held view remembers lines by their store index, never by position.
import type { FilteredList } from "./filtered.ts";

export class Viewport {
  private readonly list: FilteredList;
  /** Following: the newest lines are on screen, the selection is the last line. */
  following = true;
  /** Held: the store index of the first line on screen. */
  private top: number | undefined;
  /** The selected line's store index (held views only). */
  private selected: number | undefined;
  /** Lines shown since the view stopped following. */
  newSince = 0;

  constructor(list: FilteredList) {
    this.list = list;
  }

  /**
   * The position of the first line on screen, for `rows` lines of room (following: the last `rows`).
   * Wrapped lines take more rows: the caller lays out from here, or from the end when following.
   */
  topPosition(rows: number): number {
    const size = this.list.size;
    if (this.following || this.top === undefined) return Math.max(0, size - rows);
    return Math.min(this.list.positionOf(this.top), Math.max(0, size - 1));
  }

  /** The position of the selected line (following: the last). */
  selectedPosition(): number {
    const size = this.list.size;
    if (this.following || this.selected === undefined) return size - 1;
    return Math.min(this.list.positionOf(this.selected), size - 1);
  }

  /** A line was added to the list. */
  added(): void {
    if (!this.following) this.newSince++;
  }

  /** Holds the view where it is (the pause key). */
  hold(rows: number): void {
    if (!this.following) return;
    const size = this.list.size;
    if (size === 0) return;
    this.following = false;
    this.newSince = 0;
    this.top = this.list.at(Math.max(0, size - rows));
    this.selected = this.list.at(size - 1);
  }

  /** Follows the newest line again (End, G). */
  follow(): void {
    this.following = true;
    this.newSince = 0;
    this.top = undefined;
    this.selected = undefined;
  }

  /** Moves the first line on screen by `delta` lines (negative: up); a held view stays held at the end. */
  scroll(delta: number, rows: number): void {
    const size = this.list.size;
    if (size === 0) return;
    if (this.following) {
      if (delta >= 0) return;
      this.hold(rows);
    }
    const last = Math.max(0, size - rows);
    const p = Math.max(0, Math.min(last, this.topPosition(rows) + delta));
    this.top = this.list.at(p);
    // The selection stays on screen.
    const sel = this.selectedPosition();
    if (sel < p) this.selected = this.list.at(p);
    else if (sel >= p + rows) this.selected = this.list.at(Math.min(size - 1, p + rows - 1));
  }

  /**
   * Moves the selection by `delta` lines, scrolling to keep it on screen. From following, up holds the
   * view with the newest line selected (the next key moves from there).
   */
  select(delta: number, rows: number): void {
    const size = this.list.size;
    if (size === 0) return;
    if (this.following) {
      if (delta < 0) this.hold(rows);
      return;
    }
    const p = Math.max(0, Math.min(size - 1, this.selectedPosition() + delta));
    this.selected = this.list.at(p);
    const top = this.topPosition(rows);
    if (p < top) this.top = this.list.at(p);
    else if (p >= top + rows) this.top = this.list.at(p - rows + 1);
  }

  /** The first line of all (g, Home). */
  toFirst(rows: number): void {
    if (this.list.size === 0) return;
    if (this.following) this.hold(rows);
    this.top = this.list.at(0);
    this.selected = this.top;
  }

  /** Puts the line at this position on screen and selects it (a search's match). */
  show(position: number, rows: number): void {
    if (position < 0 || position >= this.list.size) return;
    if (this.following) this.hold(rows);
    this.selected = this.list.at(position);
    const top = this.topPosition(rows);
    if (position < top || position >= top + rows)
      this.top = this.list.at(Math.max(0, position - Math.floor(rows / 2)));
  }

  /** The selected line's store index, if any line is shown. */
  get selection(): number | undefined {
    const p = this.selectedPosition();
    return p >= 0 ? this.list.at(p) : undefined;
  }
}
