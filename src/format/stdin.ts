// How --stdin lines look: stern formats them as a stream with no pod, container or namespace; under -t
// with the time the engine gives each line (its own timestamp, or when it was read).
import { createLineFormatter } from "./index.ts";
import type { FormatErrorHook, FormatOptions, LineFormatter, StreamInfo } from "./types.ts";

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

/** The formatter of --stdin lines, from the options of log lines. */
export function stdinFormatter(format: FormatOptions, onError: FormatErrorHook): LineFormatter {
  return createLineFormatter(
    { ...format, showNamespace: false, allNamespaces: false },
    stdinStream(format.colored === true),
    onError,
  );
}
