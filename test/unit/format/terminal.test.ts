import { describe, expect, it } from "vitest";
import { terminalSafe, withTerminalSafety } from "../../../src/format/terminal.ts";
import { OutBuffer } from "../../../src/util/out-buffer.ts";

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
        append: (_o, _t, b, start, end) => {
          seen.push(start === 0 && end === b.length ? b : b.subarray(start, end));
        },
      },
      true,
    );
    const msg = Buffer.from("héllo wörld");
    f.append(new OutBuffer(), undefined, msg, 0, msg.length);
    expect(seen[0]).toBe(msg);
    const evil = Buffer.from("a\x1b]0;x\x07b");
    f.append(new OutBuffer(), undefined, evil, 0, evil.length);
    expect(seen[1]?.toString()).toBe("ab");
  });
});
