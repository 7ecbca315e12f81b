// The terminal front end's pure parts: cell widths against string-width, frames and their
// difference, pod bytes made into safe text, and keys from terminal bytes.
import fc from "fast-check";
import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { parseKeys } from "../../../src/tui/keys.ts";
import { cellWidth, diff, Frame, Styles, safeText } from "../../../src/tui/screen.ts";

describe("cellWidth", () => {
  it("is string-width's answer for any one code point (it asks string-width only for clusters)", () => {
    const printable = fc
      .integer({ min: 0xa0, max: 0x10ffff })
      .filter((cp) => cp < 0xd800 || cp > 0xdfff)
      .map((cp) => String.fromCodePoint(cp));
    fc.assert(
      fc.property(printable, (g) => {
        expect(cellWidth(g)).toBe(stringWidth(g));
      }),
      { numRuns: 30_000 },
    );
  });

  it("clusters: emoji sequences and letters with marks", () => {
    for (const g of ["👍🏽", "🇫🇷", "e\u0301", "👩‍💻", "a"]) expect(cellWidth(g)).toBe(stringWidth(g));
  });
});

describe("Frame and diff", () => {
  it("writes only the rows that changed, and everything for a new size", () => {
    const styles = new Styles();
    const a = new Frame(3, 10);
    a.text(0, 0, "one");
    a.text(1, 0, "two");
    const first = diff(undefined, a, styles);
    expect(first).toContain("\x1b[2J");
    const b = new Frame(3, 10);
    b.text(0, 0, "one");
    b.text(1, 0, "TWO", styles.id("1"));
    const second = diff(a, b, styles);
    expect(second).not.toContain("one");
    expect(second).toContain("\x1b[2;1H");
    expect(second).toContain("\x1b[0;1mTWO");
    expect(diff(b, b, styles)).toBe("");
  });

  it("a wide character takes two cells and is never cut in half", () => {
    const f = new Frame(1, 5);
    expect(f.text(0, 0, "日本語")).toBe(4);
    expect(f.chars[0]).toEqual(["日", "", "本", "", " "]);
  });
});

describe("safeText", () => {
  it("no control character and no escape sequence survives, whatever the bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200, size: "max" }), (bytes) => {
        expect(safeText(Buffer.from(bytes))).not.toMatch(/[\x00-\x1f\x7f\x80-\x9f]/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("parseKeys", () => {
  it("keys, escape sequences of both kinds, SGR mouse reports and UTF-8", () => {
    expect(parseKeys("q\x1b[A\x1bOB\x1b[5~\x1b[6~\x1b[H\x1b[F\x1b[1~\x1b[4~\r\x7f\t\x15é🚀\x1b")).toEqual([
      { kind: "char", ch: "q" },
      { kind: "key", name: "up" },
      { kind: "key", name: "down" },
      { kind: "key", name: "pageup" },
      { kind: "key", name: "pagedown" },
      { kind: "key", name: "home" },
      { kind: "key", name: "end" },
      { kind: "key", name: "home" },
      { kind: "key", name: "end" },
      { kind: "key", name: "enter" },
      { kind: "key", name: "backspace" },
      { kind: "key", name: "tab" },
      { kind: "ctrl", ch: "u" },
      { kind: "char", ch: "é" },
      { kind: "char", ch: "🚀" },
      { kind: "key", name: "escape" },
    ]);
    expect(parseKeys("\x1b[<64;10;5M\x1b[<65;1;1M\x1b[<0;3;7M\x1b[<0;3;7m")).toEqual([
      { kind: "mouse", action: "wheelup", x: 9, y: 4 },
      { kind: "mouse", action: "wheeldown", x: 0, y: 0 },
      { kind: "mouse", action: "press", x: 2, y: 6 },
      { kind: "mouse", action: "release", x: 2, y: 6 },
    ]);
  });
});
