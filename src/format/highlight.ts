// -i/-H highlighting: every match of the include and highlight patterns in the rendered line, with
// stern's joined pattern (see joinGoRegexes), on the line's bytes.
import type { GoRegex } from "../util/goregex.ts";
import { HIGHLIGHT, paint } from "./color.ts";
import { OutBuffer } from "./out-buffer.ts";
import type { LineFormatter } from "./types.ts";

const [PREFIX, SUFFIX] = paint(HIGHLIGHT, "\0")
  .split("\0")
  .map((s) => Buffer.from(s, "latin1")) as [Buffer, Buffer];

/** The bytes with every match painted as stern paints it (an empty match too: stern writes its codes). */
export function highlightBytes(bytes: Buffer, re: GoRegex): Buffer {
  return re.replaceAll(bytes, (m) => Buffer.concat([PREFIX, m, SUFFIX]));
}

/** Wraps a formatter so its output has the matches highlighted. */
export function withHighlight(inner: LineFormatter, re: GoRegex): LineFormatter {
  const scratch = new OutBuffer(4096);
  return {
    append(out, time, buf, start, end) {
      inner.append(scratch, time, buf, start, end);
      out.putAll(highlightBytes(scratch.take(), re));
    },
  };
}
