// The pipeline's two paths: the lean one (no timestamp strings made per line) and the one that keeps
// each line's timestamp (--sort lanes, --multiline, context lines). For the same lines and filters
// they must print the same bytes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LineOutput } from "../../../src/engine/output.ts";
import { LinePipeline } from "../../../src/engine/pipeline.ts";
import { createLineFormatter } from "../../../src/format/index.ts";
import { Zone } from "../../../src/format/timestamp.ts";
import { OutBuffer } from "../../../src/util/out-buffer.ts";

function output(wantsKeys: boolean): LineOutput & { text(): string } {
  const out = new OutBuffer(1024);
  return {
    out,
    wantsKeys,
    lineDone() {},
    commit: () => true,
    whenWritable: () => Promise.resolve(),
    end() {},
    text: () => out.buf.toString("utf8", 0, out.len),
  };
}

const formatOptions = (output: "default" | "raw" | "json" | "pretty", timestamps: boolean) => ({
  output,
  showNamespace: false,
  allNamespaces: false,
  timestamps: timestamps ? ("default" as const) : undefined,
  zone: new Zone("UTC"),
});
const info = {
  context: "",
  contextColor: "",
  namespace: "ns",
  podName: "web",
  containerName: "app",
  nodeName: "",
  labels: undefined,
  annotations: undefined,
  colors: { pod: "", container: "" },
};

const message = fc.oneof(
  fc.string({ maxLength: 30 }).map((s) => s.replace(/\n/g, " ")),
  fc.constantFrom(
    '{"level":"error","msg":"boom","n":1}',
    "level=info msg=ok",
    "E1206 12:00:00.000000 1 x.go:1] bad",
  ),
);
const line = fc.record({
  second: fc.integer({ min: 0, max: 59 }),
  nanos: fc.integer({ min: 0, max: 999_999_999 }),
  stamped: fc.boolean(),
  message,
});

describe("the pipeline's two paths print alike", () => {
  it("for any lines, format, filter and timestamps", () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 20 }),
        fc.constantFrom("default", "raw", "json", "pretty"),
        fc.boolean(),
        fc.constantFrom("", "a", "boom"),
        (lines, format, timestamps, needle) => {
          const run = (wantsKeys: boolean) => {
            const out = output(wantsKeys);
            const formatter = createLineFormatter(formatOptions(format, timestamps), info, () => {});
            const keep =
              needle === ""
                ? undefined
                : (b: Buffer, s: number, e: number) => b.subarray(s, e).includes(needle);
            const pipeline = new LinePipeline(formatter, out, {
              keep,
              parse: format === "pretty",
              needsTime: timestamps,
            });
            for (const l of lines) {
              const ts = l.stamped
                ? `2026-12-06T10:00:${String(l.second).padStart(2, "0")}.${String(l.nanos).padStart(9, "0")}Z`
                : "";
              const buf = Buffer.from(`${ts}${ts ? " " : ""}${l.message}\n`);
              const tsEnd = ts.length;
              const msg = ts ? tsEnd + 1 : 0;
              pipeline.line(buf, 0, tsEnd, msg, buf.length - 1);
              pipeline.endChunk();
            }
            pipeline.close();
            return out.text();
          };
          expect(run(true)).toBe(run(false));
        },
      ),
      { numRuns: 500 },
    );
  });
});
