// What every output format gets: the stream it formats for, the options, and the one method it offers.

import type { Instant } from "../shared/instant.ts";
import type { LogRecord } from "../structured/record.ts";
import type { GoRegex } from "../util/goregex.ts";
import type { OutBuffer } from "../util/out-buffer.ts";
import type { ColorPair, Sgr } from "./color.ts";
import type { TimestampFormat, Zone } from "./timestamp.ts";

export interface StreamInfo {
  /** The kubeconfig context, shown first when several clusters are tailed ("" otherwise). */
  context: string;
  contextColor: Sgr;
  namespace: string;
  podName: string;
  containerName: string;
  /** --previous: the lines are the previous instance's. */
  previous?: boolean;
  /** --stream: the container stream the lines are from, when known. */
  stream?: "stdout" | "stderr";
  nodeName: string;
  labels: Record<string, string> | undefined;
  annotations: Record<string, string> | undefined;
  /** Colors for this stream; empty strings when color is off. */
  colors: ColorPair;
  /**
   * The record's .PodColor/.ContainerColor for templates: stern's *color.Color values, there even
   * when color is off (a template can print them); absent means `colors`.
   */
  recordColors?: ColorPair;
}

export type OutputMode = "default" | "raw" | "json" | "extjson" | "ppextjson" | "pretty";

/** A compiled --template: renders one log record (see template.ts). */
export interface LineTemplate {
  /** `record`: the line's structured record for .Level and .Fields (null: text; undefined: not read). */
  render(info: StreamInfo, message: string, timestamp: string, record?: LogRecord | null): string;
  /** Whether the template uses .Level or .Fields, so that lines must be parsed for it. */
  readonly needsRecord: boolean;
}

export interface FormatOptions {
  output: OutputMode;
  /** --template / --template-file; overrides output. */
  template?: LineTemplate;
  /** Namespace before the pod in default output (-A or several namespaces). */
  showNamespace: boolean;
  /** A "namespace" key in extjson/ppextjson (only -A, as stern). */
  allNamespaces: boolean;
  timestamps: TimestampFormat | undefined;
  zone: Zone;
  /** Matches of -i/-H to highlight in the rendered line (only when colored). */
  highlight?: GoRegex;
  /** Whether our colors are on (-o pretty colors levels and keys). */
  colored?: boolean;
  /** --fields: the keys -o pretty shows (and what is nested under them); empty or absent = all. */
  fields?: readonly string[];
  /** --exclude-fields: keys -o pretty leaves out. */
  excludeFields?: readonly string[];
}

/** Builds the bytes of output lines for one stream: the shape of engine/output.ts's LineFormatter. */
export interface LineFormatter {
  /**
   * Appends the output for the log line whose message is buf[start, end) to `out` (the byte at
   * `end`, when there is one, is the line's newline). `record` is the line's structured record when
   * the pipeline has parsed it already (null: it is text); undefined when it has not.
   */
  append(
    out: OutBuffer,
    time: Instant | undefined,
    buf: Buffer,
    start: number,
    end: number,
    record?: LogRecord | null,
  ): void;
}

/** Where a line that cannot be rendered is reported (stern: "expanding template failed: ..."). */
export type FormatErrorHook = (message: string) => void;
