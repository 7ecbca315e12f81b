// -o default and -o raw: `[namespace ]pod container [timestamp ]message` and `[timestamp ]message`.
// The prefix depends only on the stream, so it is built once; per line only bytes are appended.
import { PREVIOUS_MARK, paint } from "./color.ts";
import { formatTimestamp } from "./timestamp.ts";
import type { FormatOptions, LineFormatter, StreamInfo } from "./types.ts";

const SPACE = 32;

export function plainFormatter(opts: FormatOptions, info: StreamInfo): LineFormatter {
  let prefixText = info.context ? `${paint(info.contextColor, info.context)} ` : "";
  if (opts.output === "default") {
    if (opts.showNamespace) prefixText += `${paint(info.colors.pod, info.namespace)} `;
    prefixText += `${paint(info.colors.pod, info.podName)} ${paint(info.colors.container, info.containerName)} `;
    // --previous: the previous instance's lines say so, in every line.
    if (info.previous) prefixText += `${opts.colored ? paint(PREVIOUS_MARK, "(previous)") : "(previous)"} `;
  }
  const prefix = Buffer.from(prefixText);
  const tsFormat = opts.timestamps;
  if (tsFormat === undefined) {
    return {
      append(out, _time, buf, start, end) {
        out.putAll(prefix);
        out.putLine(buf, start, end);
      },
    };
  }
  return {
    append(out, time, buf, start, end) {
      out.putAll(prefix);
      if (time) {
        out.putString(formatTimestamp(time, tsFormat, opts.zone));
        out.putByte(SPACE);
      }
      out.putLine(buf, start, end);
    },
  };
}
