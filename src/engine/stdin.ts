// --stdin: lines from standard input through the same filters, highlight and format as log lines,
// with no pod, container or namespace (and no timestamps: stdin lines carry none).
import type { Readable } from "node:stream";
import { createLineFormatter, type FormatOptions } from "../format/index.ts";
import { LineSplitter } from "./lines.ts";
import type { Sink } from "./sink.ts";

export async function runStdin(
  input: Readable,
  format: FormatOptions,
  keep: ((message: Buffer) => boolean) | undefined,
  sink: Sink,
  onError: (message: string) => void,
): Promise<void> {
  const formatter = createLineFormatter(
    { ...format, timestamps: undefined, showNamespace: false, allNamespaces: false },
    {
      namespace: "",
      podName: "",
      containerName: "",
      nodeName: "",
      labels: undefined,
      annotations: undefined,
      colors: { pod: "", container: "" },
    },
    onError,
  );
  const splitter = new LineSplitter();
  let out: Buffer[] = [];
  let bytes = 0;
  const onLine = (buf: Buffer, start: number, end: number) => {
    const message = buf.subarray(start, end);
    if (keep && !keep(message)) return;
    bytes += formatter.append(out, undefined, message);
  };
  for await (const chunk of input) {
    splitter.push(chunk as Buffer, onLine);
    if (bytes > 0) {
      const writable = sink.write(out, bytes);
      out = [];
      bytes = 0;
      if (!writable) await sink.whenWritable();
    }
  }
  splitter.flush(onLine);
  if (bytes > 0) sink.write(out, bytes);
}
