// Context lines around -i matches, as grep's -B/-A/-C, per container: up to `before` lines before a
// match and `after` lines after it are printed too, and "--" separates groups that are not adjacent.
// Lines that -e excludes are never shown, not even as context. One per stream; the lines it holds are
// copies (a chunk's buffer is reused once read).

/** What the filter needs of a compiled -i/-e pattern (a Go regexp: src/util/goregex.ts). */
export interface LineMatcher {
  testBytes(buf: Buffer, start: number, end: number): boolean;
}

export interface ContextOptions {
  before: number;
  after: number;
  include: LineMatcher[];
  exclude: LineMatcher[];
}

/** Prints one line: its timestamp key and its message buf[start, end). */
export type EmitLine = (key: string, buf: Buffer, start: number, end: number) => void;

const SEPARATOR = Buffer.from("--\n");

export class ContextFilter {
  private readonly opts: ContextOptions;
  private readonly emit: EmitLine;
  /** The last `before` lines not printed (oldest first). */
  private held: { key: string; line: Buffer }[] = [];
  /** Lines still to print after the last match. */
  private afterLeft = 0;
  /** Whether a line was printed, and whether lines were skipped since the last printed one. */
  private printed = false;
  private gap = false;

  constructor(opts: ContextOptions, emit: EmitLine) {
    this.opts = opts;
    this.emit = emit;
  }

  line(key: string, buf: Buffer, start: number, end: number): void {
    const o = this.opts;
    if (o.exclude.some((re) => re.testBytes(buf, start, end))) return;
    if (o.include.some((re) => re.testBytes(buf, start, end))) {
      // Lines were left out since the group before: grep's "--" between the two.
      if (this.printed && this.gap) this.separator(this.held[0]?.key ?? key);
      for (const h of this.held) this.emit(h.key, h.line, 0, h.line.length);
      this.held = [];
      this.gap = false;
      this.emit(key, buf, start, end);
      this.printed = true;
      this.afterLeft = o.after;
      return;
    }
    if (this.afterLeft > 0) {
      this.afterLeft--;
      this.emit(key, buf, start, end);
      return;
    }
    if (o.before === 0) {
      this.gap = true;
      return;
    }
    if (this.held.length === o.before) {
      this.held.shift();
      this.gap = true;
    }
    this.held.push({ key, line: Buffer.from(buf.subarray(start, end)) });
  }

  private separator(key: string): void {
    this.emit(key, SEPARATOR, 0, SEPARATOR.length - 1);
  }
}
