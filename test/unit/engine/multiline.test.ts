import { describe, expect, it } from "vitest";
import { isContinuation, MultilineGrouper } from "../../../src/engine/multiline.ts";

interface Rec {
  time: string;
  text: string;
}

function grouper(opts?: { maxLines?: number; maxBytes?: number }) {
  const records: Rec[] = [];
  const g = new MultilineGrouper((record, time) => records.push({ time, text: record.toString() }), opts);
  return { g, records };
}

/** Pushes lines as the engine does: from one shared chunk that is overwritten afterwards. */
function pushAll(g: MultilineGrouper, lines: string[], timeOf = (i: number) => `t${i}`): void {
  const chunk = Buffer.from(`${lines.join("\n")}\n`);
  let start = 0;
  lines.forEach((_, i) => {
    const end = chunk.indexOf(10, start);
    g.push(timeOf(i), chunk, start, end);
    start = end + 1;
  });
  chunk.fill(0x58); // the caller reuses its buffer: records must have been copied
}

const cont = (s: string) => {
  const b = Buffer.from(`##${s}##`);
  return isContinuation(b, 2, b.length - 2);
};

describe("isContinuation", () => {
  it.each([
    ["  indented", true],
    ["\tat com.example.Main.main(Main.java:5)", true],
    ["at com.example.Main.main(Main.java:5)", true],
    ["Caused by: java.io.IOException: x", true],
    ["... 3 more", true],
    ['Exception in thread "main" java.lang.RuntimeException: x', false],
    ["attribute=1", false],
    ["at", false],
    ["Caused by", false],
    ["..", false],
    ["", false],
    ["ValueError: bad", false],
    ["goroutine 1 [running]:", false],
  ])("%j -> %s", (line, expected) => {
    expect(cont(line)).toBe(expected);
  });
});

describe("MultilineGrouper", () => {
  it("Java stack trace with a cause, one record, the first line's time", () => {
    const { g, records } = grouper();
    const trace = [
      'Exception in thread "main" java.lang.RuntimeException: x',
      "\tat com.example.Main.run(Main.java:9)",
      "\tat com.example.Main.main(Main.java:5)",
      "Caused by: java.lang.IllegalStateException: y",
      "\tat com.example.Main.inner(Main.java:14)",
      "\t... 3 more",
    ];
    pushAll(g, ["starting", ...trace, "next line"]);
    expect(records).toEqual([
      { time: "t0", text: "starting" },
      { time: "t1", text: trace.join("\n") },
    ]);
    expect(g.pending).toBe(true);
    g.flush();
    expect(records[2]).toEqual({ time: "t7", text: "next line" });
    expect(g.pending).toBe(false);
  });

  it("Python traceback: the unindented last line starts a record of its own", () => {
    const { g, records } = grouper();
    pushAll(g, [
      "Traceback (most recent call last):",
      '  File "x.py", line 1, in <module>',
      "    main()",
      '  File "x.py", line 5, in main',
      '    raise ValueError("bad")',
      "ValueError: bad",
    ]);
    g.flush();
    expect(records.map((r) => r.text)).toEqual([
      [
        "Traceback (most recent call last):",
        '  File "x.py", line 1, in <module>',
        "    main()",
        '  File "x.py", line 5, in main',
        '    raise ValueError("bad")',
      ].join("\n"),
      "ValueError: bad",
    ]);
  });

  it("Go panic: the goroutine header starts a new record", () => {
    const { g, records } = grouper();
    pushAll(g, [
      "panic: runtime error: index out of range [3] with length 3",
      "",
      "goroutine 1 [running]:",
      "main.main()",
      "\t/app/main.go:12 +0x1d",
      "exit status 2",
    ]);
    g.flush();
    expect(records.map((r) => r.text)).toEqual([
      "panic: runtime error: index out of range [3] with length 3",
      "",
      "goroutine 1 [running]:",
      "main.main()\n\t/app/main.go:12 +0x1d",
      "exit status 2",
    ]);
  });

  it("a continuation line with nothing pending starts a record", () => {
    const { g, records } = grouper();
    pushAll(g, ["\tat a.b(C.java:1)", "\tat a.c(C.java:2)", "new"]);
    g.flush();
    expect(records).toEqual([
      { time: "t0", text: "\tat a.b(C.java:1)\n\tat a.c(C.java:2)" },
      { time: "t2", text: "new" },
    ]);
  });

  it("flush with nothing pending emits nothing", () => {
    const { g, records } = grouper();
    expect(g.pending).toBe(false);
    g.flush();
    g.flush();
    expect(records).toEqual([]);
  });

  it("flush after a quiet period, then a continuation starts a new record", () => {
    const { g, records } = grouper();
    pushAll(g, ["error", "  detail 1"]);
    g.flush();
    pushAll(g, ["  detail 2"], () => "later");
    g.flush();
    expect(records).toEqual([
      { time: "t0", text: "error\n  detail 1" },
      { time: "later", text: "  detail 2" },
    ]);
  });

  it("caps the lines of a record, emitting as soon as it is full", () => {
    const { g, records } = grouper({ maxLines: 3 });
    pushAll(g, ["head", " 1", " 2", " 3", " 4", " 5", " 6", "tail"]);
    // " 6" has nothing pending after the second full record, so it starts one; "tail" ends it.
    expect(records.map((r) => r.text)).toEqual(["head\n 1\n 2", " 3\n 4\n 5", " 6"]);
    expect(records.map((r) => r.time)).toEqual(["t0", "t3", "t6"]);
    g.flush();
    expect(records.map((r) => r.text).slice(3)).toEqual(["tail"]);
  });

  it("caps the bytes of a record, joining newlines included, never cutting a line", () => {
    const { g, records } = grouper({ maxBytes: 10 });
    // "head\n 1234" is exactly 10 bytes; " 5" would make 13.
    pushAll(g, ["head", " 1234", " 5", " 6", "a line longer than ten bytes", " x"]);
    g.flush();
    expect(records.map((r) => r.text)).toEqual([
      "head\n 1234",
      " 5\n 6",
      "a line longer than ten bytes",
      " x",
    ]);
    for (const r of records.slice(0, 2)) expect(Buffer.byteLength(r.text)).toBeLessThanOrEqual(10);
  });

  it("defaults: 500 lines a record", () => {
    const { g, records } = grouper();
    pushAll(g, ["head", ...Array.from({ length: 600 }, (_, i) => `\tat f${i}()`)]);
    g.flush();
    expect(records.map((r) => r.text.split("\n").length)).toEqual([500, 101]);
  });

  it("defaults: 1 MiB a record", () => {
    const { g, records } = grouper({ maxLines: 10_000 });
    const line = ` ${"x".repeat(1023)}`; // 1 KiB, 1025 with its joining newline
    pushAll(g, ["head", ...Array.from({ length: 1100 }, () => line)]);
    g.flush();
    expect(records.length).toBe(2);
    expect(records[0]!.text.length).toBeLessThanOrEqual(1024 * 1024);
    expect(records[0]!.text.length).toBeGreaterThan(1024 * 1024 - 1100);
    expect(records[0]!.text.split("\n").length + records[1]!.text.split("\n").length).toBe(1101);
  });

  it("multi-byte text is kept intact", () => {
    const { g, records } = grouper();
    pushAll(g, ["erreur: échec ✗", "\tà la ligne 3 — fin"]);
    g.flush();
    expect(records[0]!.text).toBe("erreur: échec ✗\n\tà la ligne 3 — fin");
  });

  it("one grouper per container: interleaved lines do not mix", () => {
    const a = grouper();
    const b = grouper();
    const lines: [ReturnType<typeof grouper>, string, string][] = [
      [a, "A: Exception x", "a0"],
      [b, "B: Traceback (most recent call last):", "b0"],
      [a, "\tat A.one(A.java:1)", "a1"],
      [b, '  File "b.py", line 2, in f', "b1"],
      [a, "\tat A.two(A.java:2)", "a2"],
      [b, "B: ValueError: bad", "b2"],
      [a, "A: done", "a3"],
    ];
    for (const [gr, text, time] of lines) {
      const buf = Buffer.from(text);
      gr.g.push(time, buf, 0, buf.length);
    }
    a.g.flush();
    b.g.flush();
    expect(a.records).toEqual([
      { time: "a0", text: "A: Exception x\n\tat A.one(A.java:1)\n\tat A.two(A.java:2)" },
      { time: "a3", text: "A: done" },
    ]);
    expect(b.records).toEqual([
      { time: "b0", text: 'B: Traceback (most recent call last):\n  File "b.py", line 2, in f' },
      { time: "b2", text: "B: ValueError: bad" },
    ]);
  });

  it("a throwing emit leaves the grouper usable", () => {
    let fail = true;
    const out: string[] = [];
    const g = new MultilineGrouper((r) => {
      if (fail) throw new Error("sink closed");
      out.push(r.toString());
    });
    const push = (s: string) => g.push("t", Buffer.from(s), 0, Buffer.byteLength(s));
    push("one");
    expect(() => push("two")).toThrow("sink closed");
    fail = false;
    push("  more");
    g.flush();
    expect(out).toEqual(["two\n  more"]);
  });
});
