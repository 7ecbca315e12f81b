// -o default and -o raw: `[namespace ]pod container [timestamp ]message` and `[timestamp ]message`.
// The prefix depends only on the stream, so it is built once; per line only bytes are appended.
import { paint } from "./color.ts";
import { formatTimestamp } from "./timestamp.ts";
import type { FormatOptions, LineFormatter, StreamInfo } from "./types.ts";

const SPACE = Buffer.from(" ");
const NEWLINE = Buffer.from("\n");

export function plainFormatter(opts: FormatOptions, info: StreamInfo): LineFormatter {
  let prefixText = "";
  if (opts.output === "default") {
    if (opts.showNamespace) prefixText += `${paint(info.colors.pod, info.namespace)} `;
    prefixText += `${paint(info.colors.pod, info.podName)} ${paint(info.colors.container, info.containerName)} `;
  }
  const prefix = Buffer.from(prefixText);
  const tsFormat = opts.timestamps;
  if (tsFormat === undefined) {
    if (prefix.length === 0) {
      return {
        append(out, _time, message) {
          out.push(message, NEWLINE);
          return message.length + 1;
        },
      };
    }
    return {
      append(out, _time, message) {
        out.push(prefix, message, NEWLINE);
        return prefix.length + message.length + 1;
      },
    };
  }
  return {
    append(out, time, message) {
      if (!time) {
        out.push(prefix, message, NEWLINE);
        return prefix.length + message.length + 1;
      }
      const ts = Buffer.from(formatTimestamp(time, tsFormat, opts.zone));
      out.push(prefix, ts, SPACE, message, NEWLINE);
      return prefix.length + ts.length + message.length + 2;
    },
  };
}
