// ANSI colour as fatih/color writes it (stern's colour library), shared by the output formats and the
// template functions: ESC[attrs m, the text, then each attribute's own reset (0 for colours).

/** SGR attributes such as "96" or "92;1" ("" = no colour at all). */
export class AnsiStyle {
  readonly params: readonly number[];
  readonly prefix: string;
  readonly suffix: string;
  constructor(sgr: string) {
    const parts = sgr === "" ? [] : sgr.split(";").map((p) => Number.parseInt(p.trim(), 10));
    this.params = parts.filter((n) => Number.isFinite(n));
    if (this.params.length === 0) {
      this.prefix = "";
      this.suffix = "";
    } else {
      this.prefix = `\x1b[${this.params.join(";")}m`;
      this.suffix = `\x1b[${this.params.map((p) => RESET_ATTR[p] ?? 0).join(";")}m`;
    }
  }
  wrap(s: string): string {
    return this.prefix === "" ? s : this.prefix + s + this.suffix;
  }
}

const RESET_ATTR: Record<number, number> = { 1: 22, 2: 22, 3: 23, 4: 24, 5: 25, 6: 25, 7: 27, 8: 28, 9: 29 };

const styles = new Map<string, AnsiStyle>();

/** Wraps text in the SGR attributes `sgr` ("" leaves it as it is). */
export function paint(sgr: string, text: string): string {
  if (sgr === "") return text;
  let c = styles.get(sgr);
  if (!c) {
    c = new AnsiStyle(sgr);
    styles.set(sgr, c);
  }
  return c.wrap(text);
}
