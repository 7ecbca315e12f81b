// --template / --template-file: the user's Go template, run for every line.
import { parseRecord } from "../structured/parse.ts";
import type { LogRecord } from "../structured/record.ts";
import { decodeGoBytes, goBytes, isWellFormed } from "../util/gostring.ts";
import { formatTimestamp } from "./timestamp.ts";
import type { FormatErrorHook, FormatOptions, LineFormatter, LineTemplate, StreamInfo } from "./types.ts";

/**
 * One line through the template, bytes in and bytes out: bytes that are not UTF-8 reach the output
 * as they were, as in Go (src/util/gostring.ts). Throws the template's execution error.
 */
export function renderLine(
  template: LineTemplate,
  info: StreamInfo,
  buf: Buffer,
  start: number,
  end: number,
  timestamp: string,
  record?: LogRecord | null,
): Buffer | string {
  const text = template.render(info, decodeGoBytes(buf, start, end), timestamp, record);
  return isWellFormed(text) ? text : goBytes(text);
}

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
      let rendered: Buffer | string;
      try {
        const record = template.needsRecord && parsed === undefined ? parseRecord(buf, start, end) : parsed;
        rendered = renderLine(template, info, buf, start, end, ts, record);
      } catch (err) {
        onError(`expanding template failed: ${(err as Error).message}`);
        return;
      }
      if (typeof rendered === "string") out.putString(rendered);
      else out.putAll(rendered);
    },
  };
}
