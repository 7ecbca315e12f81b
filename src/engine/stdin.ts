// --stdin: lines from standard input through the same filters, highlight and format as log lines,
// with no pod, container or namespace (and no timestamps: stdin lines carry none).
import type { Readable } from "node:stream";
import { createLineFormatter, type FormatOptions, type StreamInfo } from "../format/index.ts";
import { LineSplitter } from "./lines.ts";
import type { Sink } from "./sink.ts";

/**
 * stern's record for a stdin line: no pod, container or namespace, and color.New(color.Reset) for
 * both colors (so -o default --color always writes reset codes around the empty names, as stern).
 */
export function stdinStream(colored: boolean): StreamInfo {
  const reset = { pod: "0", container: "0" };
  return { ...STDIN_RECORD, colors: colored ? reset : { pod: "", container: "" }, recordColors: reset };
}

const STDIN_RECORD: StreamInfo = {
  context: "",
  contextColor: "",
  namespace: "",
  podName: "",
  containerName: "",
  nodeName: "",
  labels: undefined,
  annotations: undefined,
  colors: { pod: "0", container: "0" },
};

export async function runStdin(
  input: Readable,
  format: FormatOptions,
  keep: ((buf: Buffer, start: number, end: number) => boolean) | undefined,
  sink: Sink,
  onError: (message: string) => void,
): Promise<void> {
  const formatter = createLineFormatter(
    { ...format, timestamps: undefined, showNamespace: false, allNamespaces: false },
    stdinStream(format.colored === true),
    onError,
  );
  const splitter = new LineSplitter();
  const out = sink.out;
  const onLine = (buf: Buffer, start: number, end: number) => {
    if (keep && !keep(buf, start, end)) return;
    formatter.append(out, undefined, buf, start, end);
  };
  for await (const chunk of input) {
    splitter.push(chunk as Buffer, onLine);
    if (!sink.commit()) await sink.whenWritable();
  }
  splitter.flush(onLine);
  sink.commit();
}
