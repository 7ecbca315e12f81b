// How a log line and the "+"/"-" notices look. Everything that depends only on the stream (prefix,
// colors) is computed once per stream; per line only the message and timestamp are added.
import { type ColorPair, paint, START_MARK, STOP_MARK } from "./color.ts";
import { formatTimestamp, type Instant, type TimestampFormat, type Zone } from "./timestamp.ts";

export interface StreamInfo {
  namespace: string;
  podName: string;
  containerName: string;
  nodeName: string;
  labels: Record<string, string> | undefined;
  annotations: Record<string, string> | undefined;
  /** Colors for this stream; empty strings when color is off. */
  colors: ColorPair;
}

export interface FormatOptions {
  output: "default" | "raw";
  /** Show the namespace before the pod (with -A or several namespaces). */
  showNamespace: boolean;
  timestamps: TimestampFormat | undefined;
  zone: Zone;
}

/** Builds the bytes of output lines for one stream. */
export interface LineFormatter {
  /** Appends the output for one log line to `out`; returns the number of bytes appended. */
  append(out: Buffer[], time: Instant | undefined, message: Buffer): number;
}

const SPACE = Buffer.from(" ");
const NEWLINE = Buffer.from("\n");

export function createLineFormatter(opts: FormatOptions, info: StreamInfo): LineFormatter {
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
      const ts = Buffer.from(time ? formatTimestamp(time, tsFormat, opts.zone) : "");
      out.push(prefix, ts, SPACE, message, NEWLINE);
      return prefix.length + ts.length + message.length + 2;
    },
  };
}

export function noticeLine(
  mark: "+" | "-",
  info: Pick<StreamInfo, "namespace" | "podName" | "containerName" | "colors">,
  showNamespace: boolean,
  colored: boolean,
): string {
  const markText = colored ? paint(mark === "+" ? START_MARK : STOP_MARK, mark) : mark;
  const ns = showNamespace ? `${paint(info.colors.pod, info.namespace)} ` : "";
  return `${markText} ${ns}${paint(info.colors.pod, info.podName)} › ${paint(info.colors.container, info.containerName)}\n`;
}
