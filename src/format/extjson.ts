// -o extjson and -o ppextjson: pod, container (and with -A the namespace) as colored strings, and the
// message inlined when it is JSON itself, else quoted.
import { paint } from "./color.ts";
import { goQuote, isValidJson } from "./gojson.ts";
import type { FormatOptions, LineFormatter, StreamInfo } from "./types.ts";

export function extjson(message: string): string {
  if (isValidJson(message)) return message.endsWith("\n") ? message.slice(0, -1) : message;
  return goQuote(message);
}

export function extjsonFormatter(opts: FormatOptions, info: StreamInfo, pretty: boolean): LineFormatter {
  const fields: [string, string][] = [];
  if (info.context) fields.push(["context", paint(info.contextColor, info.context)]);
  if (opts.allNamespaces) fields.push(["namespace", paint(info.colors.pod, info.namespace)]);
  fields.push(
    ["pod", paint(info.colors.pod, info.podName)],
    ["container", paint(info.colors.container, info.containerName)],
  );
  // --previous: as in -o json, a true that only the previous instance's lines have.
  const values = fields.map(([k, v]) => `"${k}": "${v}"`);
  if (info.previous) values.push(`"previous": true`);
  const head = pretty
    ? `{\n${values.map((kv) => `  ${kv},\n`).join("")}  "message": `
    : `{${values.map((kv) => `${kv}, `).join("")}"message": `;
  const tail = pretty ? "\n}\n" : "}\n";
  return {
    append(out, _time, buf, start, end) {
      out.putString(head + extjson(buf.toString("utf8", start, end)) + tail);
    },
  };
}
