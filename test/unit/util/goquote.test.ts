// Go's strconv quoting, as Go prints it (strconv.Quote, QuoteToASCII, QuoteRune, CanBackquote).
import { describe, expect, it } from "vitest";
import { canBackquote, isPrint, quoteGo, quoteRune } from "../../../src/util/goquote.ts";

describe("quoteGo", () => {
  it.each([
    ["plain", '"plain"'],
    ['a\tb"c\\', '"a\\tb\\"c\\\\"'],
    ["\x00\x7f", '"\\x00\\x7f"'],
    ["é😀", '"é😀"'],
    ["\u00a0", '"\\u00a0"'],
    // A raw byte (util/gostring.ts) is quoted as Go quotes a byte that is not UTF-8.
    ["\udcff", '"\\xff"'],
  ])("%j -> %s", (s, quoted) => {
    expect(quoteGo(s)).toBe(quoted);
  });

  it("QuoteToASCII escapes everything past ASCII", () => {
    expect(quoteGo("é😀", true)).toBe('"\\u00e9\\U0001f600"');
  });
});

describe("quoteRune", () => {
  it.each([
    [0x61, "'a'"],
    [0x27, "'\\''"],
    [0x22, "'\"'"],
    [0x0a, "'\\n'"],
    [0x1f600, "'😀'"],
    [0xd800, "'�'"],
  ])("%i -> %s", (cp, quoted) => {
    expect(quoteRune(cp)).toBe(quoted);
  });
});

describe("canBackquote and isPrint", () => {
  it("a raw string holds tabs but no newline, backquote or BOM", () => {
    expect(canBackquote("a\tb")).toBe(true);
    expect(canBackquote("a\nb")).toBe(false);
    expect(canBackquote("a`b")).toBe(false);
    expect(canBackquote("\ufeff")).toBe(false);
  });
  it("space is printable, control characters and U+00A0 are not", () => {
    expect([0x20, 0x41, 0xe9].map(isPrint)).toEqual([true, true, true]);
    expect([0x09, 0x7f, 0xa0].map(isPrint)).toEqual([false, false, false]);
  });
});
