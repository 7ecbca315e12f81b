import { describe, expect, it } from "vitest";
import { terminalSafe, withTerminalSafety } from "../../src/format/terminal.ts";

describe("terminalSafe", () => {
  it.each([
    ["plain text", true, "plain text"],
    ["tab\tkept", true, "tab\tkept"],
    ["\x1b[31mred\x1b[0m", true, "\x1b[31mred\x1b[0m"],
    ["\x1b[31mred\x1b[0m", false, "red"],
    ["title\x1b]0;pwned\x07!", true, "title!"],
    ["clip\x1b]52;c;aGVsbG8=\x1b\\!", true, "clip!"],
    ["cursor\x1b[2J\x1b[Hhome", true, "cursorhome"],
    ["hide\rpod", true, "hide^Mpod"],
    ["crlf line\r", true, "crlf line"],
    ["nul\x00bell\x07del\x7f", true, "nul^@bell^Gdel^?"],
    ["c1 \u009b1m", true, "c1 \\u009b1m"],
    ["lone esc \x1b", true, "lone esc "],
  ])("%j (colors %s) -> %j", (input, keep, expected) => {
    expect(terminalSafe(input, keep)).toBe(expected);
  });

  it("passes messages without control bytes through untouched (same buffer)", () => {
    const seen: Buffer[] = [];
    const f = withTerminalSafety(
      {
        append: (_o, _t, m) => {
          seen.push(m);
          return m.length;
        },
      },
      true,
    );
    const msg = Buffer.from("héllo wörld");
    f.append([], undefined, msg);
    expect(seen[0]).toBe(msg);
    f.append([], undefined, Buffer.from("a\x1b]0;x\x07b"));
    expect(seen[1]?.toString()).toBe("ab");
  });
});
