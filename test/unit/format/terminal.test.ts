// The one place where bytes meet a terminal: table cases, and properties over arbitrary bytes with
// strip-ansi (the well-kept reference for what counts as an escape sequence) as an oracle.
import fc from "fast-check";
import stripAnsi from "strip-ansi";
import { describe, expect, it } from "vitest";
import { sanitizeForTerminal } from "../../../src/format/terminal.ts";

const safe = (text: string, keepColors: boolean) =>
  sanitizeForTerminal(Buffer.from(text, "utf8"), keepColors).toString("utf8");

describe("sanitizeForTerminal", () => {
  it.each([
    ["plain text\n", true, "plain text\n"],
    ["tab\tkept\n", true, "tab\tkept\n"],
    ["\x1b[31mred\x1b[0m\n", true, "\x1b[31mred\x1b[0m\n"],
    ["\x1b[31mred\x1b[0m\n", false, "red\n"],
    ["title\x1b]0;pwned\x07!\n", true, "title!\n"],
    ["clip\x1b]52;c;aGVsbG8=\x1b\\!\n", true, "clip!\n"],
    ["clip\x1b]52;c;aGVsbG8=\x07!\n", false, "clip!\n"],
    ["cursor\x1b[2J\x1b[Hhome\n", true, "cursorhome\n"],
    ["hide\rpod\n", true, "hide^Mpod\n"],
    ["crlf line\r\n", true, "crlf line\n"],
    ["nul\x00bell\x07del\x7f\n", true, "nul^@bell^Gdel^?\n"],
    ["c1 \u009b1m\n", true, "c1 \\u009b1m\n"],
    ["lone esc \x1b", true, "lone esc "],
    ["charset \x1b(Bkept\n", true, "charset kept\n"],
    ["dcs \x1bPq#0;2;0;0;0\x1b\\ after\n", true, "dcs  after\n"],
    // An OSC without its end stops at the line's end: the next line is not swallowed.
    ["open \x1b]0;title\nnext\n", true, "open \nnext\n"],
    // Conceal would hide what follows; a colour left on is reset before the newline.
    ["\x1b[8msecret\n", true, "secret\n"],
    ["\x1b[1;8;31mbold red\x1b[0m\n", true, "\x1b[1;31mbold red\x1b[0m\n"],
    ["\x1b[38;5;8mgrey 8 is a colour\n", true, "\x1b[38;5;8mgrey 8 is a colour\x1b[0m\n"],
    ["\x1b[41mbleeds\nnext\n", true, "\x1b[41mbleeds\x1b[0m\nnext\n"],
    ["\x1b[41mreset here\x1b[m\n", true, "\x1b[41mreset here\x1b[m\n"],
    ["é ü 日本 🚀\n", true, "é ü 日本 🚀\n"],
  ])("%j (colors %s) -> %j", (input, keep, expected) => {
    expect(safe(input, keep)).toBe(expected);
  });

  it("bytes that are not UTF-8 show as U+FFFD; raw C1 bytes cannot reach the terminal as controls", () => {
    const bad = Buffer.from([0x61, 0x9b, 0x33, 0x31, 0x6d, 0xff, 0xc3, 0x28, 0x0a]);
    expect(sanitizeForTerminal(bad, true).toString("utf8")).toBe("a\ufffd31m\ufffd\ufffd(\n");
  });

  it("returns the very buffer when there is nothing to change", () => {
    const b = Buffer.from("\x1b[96mweb-1\x1b[0m \x1b[36mapp\x1b[0m héllo\n");
    expect(sanitizeForTerminal(b, true)).toBe(b);
  });

  const bytes = fc.uint8Array({ maxLength: 300, size: "max" }).map((a) => Buffer.from(a));
  // Text rich in what terminals react to.
  const hostile = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          "\x1b",
          "[",
          "]",
          "m",
          ";",
          "8",
          "38",
          "5",
          "2",
          "\x07",
          "\\",
          "\r",
          "\n",
          "\t",
          "P",
          "(",
          "B",
        ),
        fc.string({ maxLength: 4 }),
        fc.constantFrom("\u009b", "\u0085", "\x00", "\x7f", "é"),
      ),
      { maxLength: 60 },
    )
    .map((a) => Buffer.from(a.join(""), "utf8"));
  const input = fc.oneof(bytes, hostile);

  it("never lets a control through: only colour sequences with colours on, none with them off", () => {
    fc.assert(
      fc.property(input, fc.boolean(), (buf, keep) => {
        const out = sanitizeForTerminal(buf, keep).toString("latin1");
        const withoutSgr = keep ? out.replace(/\x1b\[[0-9;:]*m/g, "") : out;
        expect(withoutSgr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
        expect(out.split("\n").length).toBe(buf.toString("latin1").split("\n").length);
        // No "conceal": a parameter 8 that is not part of an extended colour (38;5;8).
        for (const m of out.matchAll(/\x1b\[([0-9;:]*)m/g)) {
          const plain = (m[1] as string).replace(/(?:^|;)[345]8;(?:5;\d*|2;\d*;\d*;\d*)/g, "");
          expect(plain.split(";")).not.toContain("8");
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("is UTF-8, idempotent, and what strip-ansi would strip is gone with colours off", () => {
    fc.assert(
      fc.property(input, fc.boolean(), (buf, keep) => {
        const once = sanitizeForTerminal(buf, keep);
        expect(once.toString("utf8")).toBe(once.toString("utf8", 0, once.length));
        expect(Buffer.from(once.toString("utf8"), "utf8").equals(once)).toBe(true);
        expect(sanitizeForTerminal(once, keep).equals(once)).toBe(true);
        if (!keep) expect(stripAnsi(once.toString("utf8"))).toBe(once.toString("utf8"));
      }),
      { numRuns: 2000 },
    );
  });

  it("no colour is left on at the end of a line", () => {
    fc.assert(
      fc.property(input, (buf) => {
        const out = sanitizeForTerminal(buf, true).toString("latin1");
        for (const line of out.split("\n")) {
          const sgrs = [...line.matchAll(/\x1b\[([0-9;:]*)m/g)].map((m) => m[1] as string);
          const last = sgrs.at(-1);
          if (last !== undefined) expect(last === "" || /^0+$/.test(last) || /;0+$/.test(last)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
