// The output formats behind one interface: pick one for a stream.
import { extjsonFormatter } from "./extjson.ts";
import { withHighlight } from "./highlight.ts";
import { jsonFormatter } from "./json.ts";
import { plainFormatter } from "./plain.ts";
import { prettyFormatter } from "./pretty.ts";
import { templateFormatter } from "./template.ts";
import type { FormatErrorHook, FormatOptions, LineFormatter, StreamInfo } from "./types.ts";

export type { FormatOptions, LineFormatter, OutputMode, StreamInfo } from "./types.ts";

export function createLineFormatter(
  opts: FormatOptions,
  info: StreamInfo,
  onError: FormatErrorHook,
): LineFormatter {
  let f: LineFormatter;
  if (opts.template) f = templateFormatter(opts, info, opts.template, onError);
  else if (opts.output === "json") f = jsonFormatter(opts, info);
  else if (opts.output === "pretty") f = prettyFormatter(opts, info, opts.colored === true);
  else if (opts.output === "extjson" || opts.output === "ppextjson") {
    f = extjsonFormatter(opts, info, opts.output === "ppextjson");
  } else f = plainFormatter(opts, info);
  if (opts.highlight) f = withHighlight(f, opts.highlight);
  return f;
}
