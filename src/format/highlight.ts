// -i/-H highlighting: every match of the include and highlight patterns in the rendered line, longest
// pattern first, in one combined regex built once.

import { OutBuffer } from "../util/out-buffer.ts";
import { HIGHLIGHT, paint } from "./color.ts";
import type { LineFormatter } from "./types.ts";

/** Joins patterns as stern does, "(p1|p2|...)" by length, descending; null when there are none. */
export function combinePatterns(patterns: RegExp[]): RegExp | undefined {
  if (patterns.length === 0) return undefined;
  const sorted = [...patterns].sort((a, b) => b.source.length - a.source.length);
  const unicode = sorted.some((r) => r.unicode);
  const parts = sorted.map((r) => {
    const inline = r.flags.replace(/[gyud]/g, "");
    return inline ? `(?${inline}:${r.source})` : r.source;
  });
  return new RegExp(`(${parts.join("|")})`, unicode ? "gu" : "g");
}

export function highlightText(text: string, re: RegExp): string {
  re.lastIndex = 0;
  return text.replace(re, (m) => (m === "" ? m : paint(HIGHLIGHT, m)));
}

/** Wraps a formatter so its output has the matches highlighted. */
export function withHighlight(inner: LineFormatter, re: RegExp): LineFormatter {
  const scratch = new OutBuffer(4096);
  return {
    append(out, time, buf, start, end, record) {
      inner.append(scratch, time, buf, start, end, record);
      // Decoded straight from the reused scratch: no buffer is allocated per line.
      const text = scratch.buf.toString("utf8", 0, scratch.len);
      scratch.clear();
      out.putString(highlightText(text, re));
    },
  };
}
