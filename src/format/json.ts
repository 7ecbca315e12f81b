// -o json: stern's `{{json .}}`, the Log struct with its JSON tags in field order. Everything but the
// message and timestamp is fixed per stream, so it is encoded once.
import { goQuote, goStringMap } from "./gojson.ts";
import { formatTimestamp } from "./timestamp.ts";
import type { FormatOptions, LineFormatter, StreamInfo } from "./types.ts";

export function jsonFormatter(opts: FormatOptions, info: StreamInfo): LineFormatter {
  const rest =
    `,"nodeName":${goQuote(info.nodeName)},"namespace":${goQuote(info.namespace)}` +
    `,"podName":${goQuote(info.podName)},"containerName":${goQuote(info.containerName)}` +
    `,"labels":${goStringMap(info.labels)},"annotations":${goStringMap(info.annotations)}` +
    `${info.context ? `,"context":${goQuote(info.context)}` : ""}${info.previous ? `,"previous":true` : ""}` +
    `${info.stream ? `,"stream":"${info.stream}"` : ""}}\n`;
  const tsFormat = opts.timestamps;
  return {
    append(out, time, buf, start, end) {
      let line = `{"message":${goQuote(buf.toString("utf8", start, end))}`;
      if (tsFormat !== undefined && time)
        line += `,"timestamp":${goQuote(formatTimestamp(time, tsFormat, opts.zone))}`;
      out.putString(line + rest);
    },
  };
}
