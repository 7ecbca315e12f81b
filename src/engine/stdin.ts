// --stdin: lines from standard input through the same pipeline as log lines (filters, --multiline,
// structured records), into the formatter the caller built for them, with no timestamps parsed: stdin
// lines carry none.
import type { Readable } from "node:stream";
import { LineSplitter } from "./lines.ts";
import { type LineFormatter, sinkOutput } from "./output.ts";
import { LinePipeline, type PipelineOptions } from "./pipeline.ts";
import type { Sink } from "./sink.ts";

export async function runStdin(
  input: Readable,
  formatter: LineFormatter,
  filters: Omit<PipelineOptions, "needsTime">,
  sink: Sink,
): Promise<void> {
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
