// -i/-H highlighting: every match of the include and highlight patterns in the rendered line, with
// stern's joined pattern (see joinGoRegexes), on the line's bytes.
import type { GoRegex } from "../util/goregex.ts";
import { OutBuffer } from "../util/out-buffer.ts";
import { HIGHLIGHT, paint } from "./color.ts";
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
    append(out, time, buf, start, end, record) {
      inner.append(scratch, time, buf, start, end, record);
      // Read straight from the reused scratch: no buffer is allocated per line for it.
      out.putAll(highlightBytes(scratch.buf.subarray(0, scratch.len), re));
      scratch.clear();
    },
  };
}
