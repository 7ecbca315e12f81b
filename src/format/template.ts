// --template / --template-file: the user's Go template, run for every line.
import { parseRecord } from "../structured/parse.ts";
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
    append(out, time, buf, start, end, parsed) {
      const ts = tsFormat !== undefined && time ? formatTimestamp(time, tsFormat, opts.zone) : "";
      let text: string;
      try {
        const record = template.needsRecord && parsed === undefined ? parseRecord(buf, start, end) : parsed;
        text = template.render(info, buf.toString("utf8", start, end), ts, record);
      } catch (err) {
        onError(`expanding template failed: ${(err as Error).message}`);
        return;
      }
      out.putString(text);
    },
  };
}
