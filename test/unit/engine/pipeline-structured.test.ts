// The pipeline parses a line only when a structured option is on, and then once for filter and format.
import { describe, expect, it } from "vitest";
import type { LineFormatter } from "../../../src/engine/output.ts";
import { LinePipeline, type PipelineOptions } from "../../../src/engine/pipeline.ts";
import { recordFilter } from "../../../src/structured/filter.ts";
import type { LogRecord } from "../../../src/structured/record.ts";
import { collectingOutput } from "./fakes.ts";

/** A formatter that writes the message and remembers the record it was handed. */
function recordingFormatter(seen: (LogRecord | null | undefined)[]): LineFormatter {
  return {
    append(out, _time, buf, start, end, record) {
      seen.push(record);
      out.putLine(buf, start, end);
    },
  };
}

function run(lines: string[], opts: Omit<PipelineOptions, "needsTime">) {
  const seen: (LogRecord | null | undefined)[] = [];
  const output = collectingOutput();
  const p = new LinePipeline(recordingFormatter(seen), output, { needsTime: false, ...opts });
  const buf = Buffer.from(lines.map((l) => `${l}\n`).join(""));
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0) break;
    p.line(buf, start, start, start, nl);
    start = nl + 1;
  }
  p.close();
  return { seen, text: output.text() };
}

const LINES = [`{"level":"error","msg":"a"}`, "level=debug msg=b", "plain", `{"level":"info","msg":"c"}`];

describe("structured records in the pipeline", () => {
  it("no structured option: nothing is parsed", () => {
    const { seen, text } = run(LINES, {});
    expect(seen).toEqual([undefined, undefined, undefined, undefined]);
    expect(text).toBe(LINES.map((l) => `${l}\n`).join(""));
  });
  it("-o pretty alone: every line parsed, text lines as null", () => {
    const { seen } = run(LINES, { parse: true });
    expect(seen.map((r) => (r === null ? null : r?.format))).toEqual(["json", "logfmt", null, "json"]);
  });
  it("the record the filter judged is the one the formatter gets (parsed once)", () => {
    const judged: (LogRecord | null)[] = [];
    const level = recordFilter({ minSeverity: 30 });
    const { seen, text } = run(LINES, {
      keepRecord: (r) => {
        judged.push(r);
        return level?.(r) ?? true;
      },
    });
    expect(text).toBe(`${LINES[0]}\nplain\n${LINES[3]}\n`);
    expect(judged).toHaveLength(4);
    expect(seen).toEqual([judged[0], judged[2], judged[3]]);
    expect(seen[0]).toBe(judged[0]);
  });
  it("-i/-e first: a line they drop is never parsed", () => {
    const judged: (LogRecord | null)[] = [];
    run(LINES, {
      keep: (buf, s, e) => !buf.toString("utf8", s, e).includes("debug"),
      keepRecord: (r) => {
        judged.push(r);
        return true;
      },
    });
    expect(judged).toHaveLength(3);
  });
  it("--multiline with --level: a stack trace goes or stays with its first line", () => {
    const lines = [
      "2024-05-01 10:00:00,123 INFO started",
      "2024-05-01 10:00:01,000 ERROR [main] request failed",
      "\tat com.example.Handler.run(Handler.java:42)",
      "\tat java.base/java.lang.Thread.run(Thread.java:1583)",
      "2024-05-01 10:00:02,000 DEBUG tick",
      "\tat nothing",
    ];
    const { text } = run(lines, { multiline: true, keepRecord: recordFilter({ minSeverity: 40 }) });
    expect(text).toBe(`${lines.slice(1, 4).join("\n")}\n`);
  });
});
