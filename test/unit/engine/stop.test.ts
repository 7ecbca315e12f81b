// --exit-on and --exit-on-level: which shown line ends the run (stopCause, pure), and that the line
// that fires it is the last one any stream shows (LinePipeline with a shared LineStop).
import { describe, expect, it } from "vitest";
import type { LineOutput } from "../../../src/engine/output.ts";
import { LinePipeline } from "../../../src/engine/pipeline.ts";
import { LineStop, stopCause } from "../../../src/engine/stop.ts";
import { createLineFormatter } from "../../../src/format/index.ts";
import { Zone } from "../../../src/format/timestamp.ts";
import { ERROR, WARN } from "../../../src/structured/levels.ts";
import { parseRecord } from "../../../src/structured/parse.ts";
import { compileGoRegex } from "../../../src/util/goregex.ts";
import { OutBuffer } from "../../../src/util/out-buffer.ts";
import { FakeClock } from "./fakes.ts";

const cause = (rule: Parameters<typeof stopCause>[0], text: string) => {
  const buf = Buffer.from(`xx${text}yy`);
  return stopCause(rule, buf, 2, buf.length - 2, parseRecord(buf, 2, buf.length - 2));
};

describe("stopCause", () => {
  const ready = { patterns: [compileGoRegex("ready in \\d+ms"), compileGoRegex("^listening")] };
  it("a pattern that matches the message, by Go's rules, and only within the message", () => {
    expect(cause(ready, "server ready in 35ms")).toEqual({ kind: "match", pattern: "ready in \\d+ms" });
    expect(cause(ready, "listening on :8080")).toEqual({ kind: "match", pattern: "^listening" });
    expect(cause(ready, "not listening")).toBeUndefined();
    expect(cause(ready, "ready in ms")).toBeUndefined();
    // The bytes around the message (yy) are not the message: "$" is its end.
    expect(cause({ patterns: [compileGoRegex("done$")] }, "all done")).toEqual({
      kind: "match",
      pattern: "done$",
    });
  });

  it("lines that are not ASCII, as bytes", () => {
    expect(cause({ patterns: [compileGoRegex("fertig.$")] }, "Übersetzung fertig✓")).toEqual({
      kind: "match",
      pattern: "fertig.$",
    });
  });

  it("a level at or above the threshold; lower levels and lines without one do not", () => {
    const rule = { patterns: [], minSeverity: ERROR };
    expect(cause(rule, '{"level":"error","msg":"boom"}')).toEqual({ kind: "level", severity: ERROR });
    expect(cause(rule, "level=fatal msg=gone")).toEqual({ kind: "level", severity: 60 });
    expect(cause(rule, "E1206 12:00:00.000000 1 x.go:1] bad")).toEqual({ kind: "level", severity: ERROR });
    expect(cause(rule, '{"level":"warn","msg":"hmm"}')).toBeUndefined();
    expect(cause(rule, "error without a structure")).toBeUndefined();
    expect(cause({ patterns: [], minSeverity: WARN }, '{"level":"warn"}')).toEqual({
      kind: "level",
      severity: WARN,
    });
  });

  it("the level is told before a pattern", () => {
    const rule = { patterns: [compileGoRegex("boom")], minSeverity: ERROR };
    expect(cause(rule, '{"level":"error","msg":"boom"}')?.kind).toBe("level");
    expect(cause(rule, '{"level":"info","msg":"boom"}')?.kind).toBe("match");
  });
});

function output(): LineOutput & { text(): string } {
  const out = new OutBuffer(256);
  return {
    out,
    wantsKeys: false,
    lineDone() {},
    commit: () => true,
    whenWritable: () => Promise.resolve(),
    end() {},
    text: () => out.buf.toString("utf8", 0, out.len),
  };
}

const formatter = (pod: string) =>
  createLineFormatter(
    {
      output: "default",
      showNamespace: false,
      allNamespaces: false,
      timestamps: undefined,
      zone: new Zone("UTC"),
    },
    {
      context: "",
      contextColor: "",
      namespace: "ns",
      podName: pod,
      containerName: "app",
      nodeName: "",
      labels: undefined,
      annotations: undefined,
      colors: { pod: "", container: "" },
    },
    () => {},
  );

/** Feeds one chunk of lines ("ts message") to a pipeline, as a tail does. */
function feed(p: LinePipeline, ...lines: string[]): void {
  for (const l of lines) {
    const buf = Buffer.from(`2026-12-01T10:00:00.000000000Z ${l}`);
    p.line(buf, 0, 30, 31, buf.length);
  }
  p.endChunk();
}

describe("a pipeline with a LineStop", () => {
  for (const multiline of [false, true]) {
    it(`shows the line that fires it, then nothing more from any stream${multiline ? " (--multiline)" : ""}`, async () => {
      const stop = new LineStop({ patterns: [compileGoRegex("READY")] });
      const clock = new FakeClock();
      const a = output();
      const b = output();
      const pa = new LinePipeline(formatter("web-1"), a, { needsTime: false, stop, multiline, clock });
      const pb = new LinePipeline(formatter("web-2"), b, { needsTime: false, stop, multiline, clock });
      feed(pb, "starting");
      await clock.advance(200);
      feed(pa, "one", "READY now", "after, same chunk", "  indented after");
      expect(stop.signal.aborted).toBe(true);
      expect(stop.fired).toEqual({ kind: "match", pattern: "READY" });
      feed(pb, "late line");
      pa.close();
      pb.close();
      expect(a.text()).toBe("web-1 app one\nweb-1 app READY now\n");
      expect(b.text()).toBe("web-2 app starting\n");
    });
  }

  it("is not fired by a line a filter drops", () => {
    const stop = new LineStop({ patterns: [compileGoRegex("READY")] });
    const o = output();
    const p = new LinePipeline(formatter("web-1"), o, {
      needsTime: false,
      stop,
      keep: (buf, s, e) => !buf.toString("utf8", s, e).includes("debug"),
    });
    feed(p, "debug: READY soon", "READY");
    expect(o.text()).toBe("web-1 app READY\n");
    expect(stop.fired).toBeDefined();
  });

  it("parses the lines for their level when it watches one", () => {
    const stop = new LineStop({ patterns: [], minSeverity: ERROR });
    const o = output();
    const p = new LinePipeline(formatter("web-1"), o, { needsTime: false, stop });
    feed(p, '{"level":"info","msg":"ok"}', '{"level":"error","msg":"bad"}', '{"level":"info","msg":"never"}');
    expect(o.text()).toBe('web-1 app {"level":"info","msg":"ok"}\nweb-1 app {"level":"error","msg":"bad"}\n');
    expect(stop.fired).toEqual({ kind: "level", severity: ERROR });
  });
});
