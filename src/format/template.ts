// --template / --template-file: the user's Go template, run for every line.
import { formatTimestamp } from "./timestamp.ts";
import type { FormatErrorHook, FormatOptions, LineFormatter, LineTemplate, StreamInfo } from "./types.ts";

export function templateFormatter(
  opts: FormatOptions,
  info: StreamInfo,
  template: LineTemplate,
  onError: FormatErrorHook,
): LineFormatter {
  const tsFormat = opts.timestamps;
  return {
    append(out, time, message) {
      const ts = tsFormat !== undefined && time ? formatTimestamp(time, tsFormat, opts.zone) : "";
      let text: string;
      try {
        text = template.render(info, message.toString("utf8"), ts);
      } catch (err) {
        onError(`expanding template failed: ${(err as Error).message}`);
        return 0;
      }
      const bytes = Buffer.from(text);
      out.push(bytes);
      return bytes.length;
    },
  };
}
