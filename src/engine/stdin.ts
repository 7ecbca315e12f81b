// --stdin: lines from standard input through the same pipeline as log lines (filters, --multiline,
// structured records, highlight and format), with no pod, container or namespace (and no timestamps:
// stdin lines carry none).
import type { Readable } from "node:stream";
import { createLineFormatter, type FormatOptions, type StreamInfo } from "../format/index.ts";
import { LineSplitter } from "./lines.ts";
import { sinkOutput } from "./output.ts";
import { LinePipeline, type PipelineOptions } from "./pipeline.ts";
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
  filters: Omit<PipelineOptions, "needsTime">,
  sink: Sink,
  onError: (message: string) => void,
): Promise<void> {
  const formatter = createLineFormatter(
    { ...format, timestamps: undefined, showNamespace: false, allNamespaces: false },
    stdinStream(format.colored === true),
    onError,
  );
  const pipeline = new LinePipeline(formatter, sinkOutput(sink), { ...filters, needsTime: false });
  const splitter = new LineSplitter();
  const onLine = (buf: Buffer, start: number, end: number) => pipeline.line(buf, start, start, start, end);
  for await (const chunk of input) {
    splitter.push(chunk as Buffer, onLine);
    if (!pipeline.endChunk()) await pipeline.whenWritable();
  }
  splitter.flush(onLine);
  pipeline.close();
}
