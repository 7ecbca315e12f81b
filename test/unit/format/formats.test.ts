// The output formats, against stern's own examples (cmd/cmd_test.go TestOptionsGenerateTemplate).
import { describe, expect, it } from "vitest";
import { compileLineTemplate } from "../../../src/format/go-template.ts";
import { highlightBytes } from "../../../src/format/highlight.ts";
import { createLineFormatter, type FormatOptions, type StreamInfo } from "../../../src/format/index.ts";
import { noticeLine } from "../../../src/format/notice.ts";
import { stdinStream } from "../../../src/format/stdin.ts";
import { Zone } from "../../../src/format/timestamp.ts";
import type { InstanceEnd } from "../../../src/shared/endings.ts";
import { parseRfc3339 } from "../../../src/shared/instant.ts";
import { compileGoRegex, joinGoRegexes } from "../../../src/util/goregex.ts";
import { OutBuffer } from "../../../src/util/out-buffer.ts";

const join = (...ps: string[]) => joinGoRegexes(ps.map(compileGoRegex));
const highlightText = (text: string, re: ReturnType<typeof compileGoRegex>) =>
  highlightBytes(Buffer.from(text), re).toString();

const info = (colored: boolean): StreamInfo => ({
  context: "",
  contextColor: "",
  namespace: "ns1",
  podName: "pod1",
  containerName: "container1",
  nodeName: "node1",
  labels: { env: "prod", app: "nginx" },
  annotations: { version: "1.23.4" },
  colors: colored ? { pod: "96", container: "36" } : { pod: "", container: "" },
});

const TS = "2023-03-12T00:29:33.637476100Z";

function render(
  opts: Partial<FormatOptions>,
  message = "default message",
  colored = false,
  stream: StreamInfo = info(colored),
): string {
  const errors: string[] = [];
  const f = createLineFormatter(
    {
      output: "default",
      showNamespace: false,
      allNamespaces: false,
      timestamps: undefined,
      zone: new Zone("UTC"),
      ...opts,
    },
    stream,
    (e) => errors.push(e),
  );
  const out = new OutBuffer();
  const msg = Buffer.from(message);
  f.append(out, parseRfc3339(TS), msg, 0, msg.length);
  expect(errors).toEqual([]);
  return out.take().toString();
}

describe("-o default", () => {
  it("pod container message", () => {
    expect(render({})).toBe("pod1 container1 default message\n");
  });
  it("with the namespace first (-A or several -n)", () => {
    expect(render({ showNamespace: true })).toBe("ns1 pod1 container1 default message\n");
  });
  it("with timestamps after the container", () => {
    expect(render({ timestamps: "default" })).toBe(`pod1 container1 ${TS} default message\n`);
    expect(render({ timestamps: "short", zone: new Zone("Asia/Tokyo") })).toBe(
      "pod1 container1 03-12 09:29:33 default message\n",
    );
  });
  it("colors pod (and namespace) with the pod color, container with its own", () => {
    expect(render({ showNamespace: true }, "m", true)).toBe(
      "\x1b[96mns1\x1b[0m \x1b[96mpod1\x1b[0m \x1b[36mcontainer1\x1b[0m m\n",
    );
  });
});

describe("-o raw", () => {
  it("the message alone, timestamp first with -t", () => {
    expect(render({ output: "raw" }, "raw message")).toBe("raw message\n");
    expect(render({ output: "raw", timestamps: "default" }, "raw message")).toBe(`${TS} raw message\n`);
  });
});

describe("-o json", () => {
  it("is stern's Log struct", () => {
    expect(render({ output: "json" }, "json message")).toBe(
      `{"message":"json message","nodeName":"node1","namespace":"ns1","podName":"pod1","containerName":"container1","labels":{"app":"nginx","env":"prod"},"annotations":{"version":"1.23.4"}}\n`,
    );
  });
  it("carries the timestamp in its own key with -t, keeping the message raw", () => {
    expect(render({ output: "json", timestamps: "default" }, '{"a":1}')).toBe(
      `{"message":"{\\"a\\":1}","timestamp":"${TS}","nodeName":"node1","namespace":"ns1","podName":"pod1","containerName":"container1","labels":{"app":"nginx","env":"prod"},"annotations":{"version":"1.23.4"}}\n`,
    );
  });
  it("escapes as Go does", () => {
    const line = render({ output: "json" }, "<a> & \u2028 \t \x01 é");
    expect(line.startsWith(`{"message":"\\u003ca\\u003e \\u0026 \\u2028 \\t \\u0001 é",`)).toBe(true);
  });
  it("says the stream with --stream, after stern's keys", () => {
    expect(render({ output: "json" }, "m", false, { ...info(false), previous: true, stream: "stderr" })).toBe(
      `{"message":"m","nodeName":"node1","namespace":"ns1","podName":"pod1","containerName":"container1","labels":{"app":"nginx","env":"prod"},"annotations":{"version":"1.23.4"},"previous":true,"stream":"stderr"}\n`,
    );
  });
  it("nil maps are null", () => {
    const f = createLineFormatter(
      {
        output: "json",
        showNamespace: false,
        allNamespaces: false,
        timestamps: undefined,
        zone: new Zone("UTC"),
      },
      { ...info(false), labels: undefined, annotations: undefined },
      () => {},
    );
    const out = new OutBuffer();
    f.append(out, undefined, Buffer.from("m"), 0, 1);
    expect(out.take().toString()).toContain(`"labels":null,"annotations":null}`);
  });
});

describe("-o extjson / ppextjson", () => {
  it("inlines a JSON message", () => {
    expect(render({ output: "extjson" }, `{"msg":"extjson message"}`)).toBe(
      `{"pod": "pod1", "container": "container1", "message": {"msg":"extjson message"}}\n`,
    );
  });
  it("adds the namespace with -A only", () => {
    expect(render({ output: "extjson", allNamespaces: true }, `{"msg":"extjson message"}`)).toBe(
      `{"namespace": "ns1", "pod": "pod1", "container": "container1", "message": {"msg":"extjson message"}}\n`,
    );
  });
  it("quotes a message that is not JSON", () => {
    expect(render({ output: "extjson" }, "plain <text>")).toBe(
      `{"pod": "pod1", "container": "container1", "message": "plain \\u003ctext\\u003e"}\n`,
    );
  });
  it("pretty-prints one key per line", () => {
    expect(render({ output: "ppextjson" }, `{"msg":"ppextjson message"}`)).toBe(
      `{\n  "pod": "pod1",\n  "container": "container1",\n  "message": {"msg":"ppextjson message"}\n}\n`,
    );
    expect(render({ output: "ppextjson", allNamespaces: true }, `{"msg":"x"}`)).toBe(
      `{\n  "namespace": "ns1",\n  "pod": "pod1",\n  "container": "container1",\n  "message": {"msg":"x"}\n}\n`,
    );
  });
  it("embeds colors in the strings when color is on, as stern does", () => {
    expect(render({ output: "extjson" }, "1", true)).toBe(
      `{"pod": "\x1b[96mpod1\x1b[0m", "container": "\x1b[36mcontainer1\x1b[0m", "message": 1}\n`,
    );
  });
});

describe("--template", () => {
  it("renders the record and reports failures instead of printing", () => {
    const errors: string[] = [];
    const f = createLineFormatter(
      {
        output: "default",
        showNamespace: false,
        allNamespaces: false,
        timestamps: "default",
        zone: new Zone("UTC"),
        template: {
          needsRecord: false,
          render: (i, message, ts) => {
            if (message === "boom") throw new Error("bad line");
            return `${i.podName}|${ts}|${message}`;
          },
        },
      },
      info(false),
      (e) => errors.push(e),
    );
    const out = new OutBuffer();
    f.append(out, parseRfc3339(TS), Buffer.from("boom"), 0, 4);
    expect(out.len).toBe(0);
    f.append(out, parseRfc3339(TS), Buffer.from("ok"), 0, 2);
    expect(out.take().toString()).toBe(`pod1|${TS}|ok`);
    expect(errors).toEqual(["expanding template failed: bad line"]);
  });
});

describe("the Go template's record", () => {
  it(".Stream is the stream with --stream, empty otherwise; {{json .}} leaves it out when empty", () => {
    const t = compileLineTemplate('{{printf "%q" .Stream}} {{json .}}', false);
    expect(render({ template: t }, "m", false, { ...info(false), stream: "stdout" })).toBe(
      `"stdout" {"message":"m","nodeName":"node1","namespace":"ns1","podName":"pod1","containerName":"container1","labels":{"app":"nginx","env":"prod"},"annotations":{"version":"1.23.4"},"stream":"stdout"}`,
    );
    expect(render({ template: t }, "m")).toBe(
      `"" {"message":"m","nodeName":"node1","namespace":"ns1","podName":"pod1","containerName":"container1","labels":{"app":"nginx","env":"prod"},"annotations":{"version":"1.23.4"}}`,
    );
  });
});

describe("highlight", () => {
  it("combines patterns longest first and highlights the whole rendered line", () => {
    const re = join("pod", "pod1 cont")!;
    expect(re.source).toBe("(pod1 cont|pod)");
    expect(highlightText("pod1 container1 pod", re)).toBe(
      "\x1b[31;1mpod1 cont\x1b[0;22mainer1 \x1b[31;1mpod\x1b[0;22m",
    );
    expect(render({ highlight: re }, "a pod", true)).toContain("\x1b[31;1mpod\x1b[0;22m\n");
  });
  it("joins the sources as stern does: a flag group applies to the patterns after it", () => {
    const re = join("(?i)error", "warn")!;
    expect(re.source).toBe("((?i)error|warn)");
    expect(highlightText("ERROR warn WARN", re)).toBe(
      "\x1b[31;1mERROR\x1b[0;22m \x1b[31;1mwarn\x1b[0;22m \x1b[31;1mWARN\x1b[0;22m",
    );
  });
  it("paints empty matches, as stern, and keeps invalid UTF-8 as it is", () => {
    expect(highlightText("ab", join("x*")!)).toBe(
      "\x1b[31;1m\x1b[0;22ma\x1b[31;1m\x1b[0;22mb\x1b[31;1m\x1b[0;22m",
    );
    const bytes = Buffer.from([0x61, 0xff, 0x62]);
    expect(highlightBytes(bytes, join("b")!)).toEqual(
      Buffer.from([0x61, 0xff, ...Buffer.from("\x1b[31;1mb\x1b[0;22m")]),
    );
  });
  it("is nothing without patterns", () => {
    expect(join()).toBeUndefined();
  });
});

describe("notices", () => {
  it("plain", () => {
    expect(noticeLine("+", info(false), false, false)).toBe("+ pod1 › container1\n");
    expect(noticeLine("-", info(false), true, false)).toBe("- ns1 pod1 › container1\n");
  });
  it("colored like stern", () => {
    expect(noticeLine("+", info(true), false, true)).toBe(
      "\x1b[92;1m+\x1b[0;22m \x1b[96mpod1\x1b[0m › \x1b[36mcontainer1\x1b[0m\n",
    );
    expect(noticeLine("-", info(true), false, true)).toBe(
      "\x1b[91;1m-\x1b[0;22m \x1b[96mpod1\x1b[0m › \x1b[36mcontainer1\x1b[0m\n",
    );
  });
});

describe("notices with what the pod's status says", () => {
  const end = (o: Partial<InstanceEnd>): InstanceEnd => ({
    exitCode: undefined,
    signal: undefined,
    reason: undefined,
    message: undefined,
    restartCount: 0,
    evicted: undefined,
    ...o,
  });
  const oom = end({ exitCode: 137, reason: "OOMKilled", restartCount: 3 });
  it("how an instance ended, and how often it restarted", () => {
    expect(noticeLine("-", info(false), false, false, { kind: "stop", end: oom })).toBe(
      "- pod1 › container1 (exit 137, OOMKilled, restart 3)\n",
    );
    expect(noticeLine("-", info(false), false, false, { kind: "stop", end: undefined })).toBe(
      "- pod1 › container1\n",
    );
    expect(noticeLine("+", info(false), false, false, { kind: "start", restartCount: 3 })).toBe(
      "+ pod1 › container1 (restart 3)\n",
    );
    expect(noticeLine("+", info(false), false, false, { kind: "start", restartCount: 0 })).toBe(
      "+ pod1 › container1\n",
    );
  });
  it("the previous instance says so", () => {
    expect(
      noticeLine("+", info(false), false, false, { kind: "start", restartCount: 3, previous: true }),
    ).toBe("+ pod1 › container1 (previous)\n");
    expect(noticeLine("-", info(false), false, false, { kind: "stop", end: oom, previous: true })).toBe(
      "- pod1 › container1 (previous, exit 137, OOMKilled, restart 3)\n",
    );
  });
  it("a waiting container", () => {
    const waiting = { reason: "ImagePullBackOff", message: undefined, image: "nginx:nope" };
    expect(noticeLine("!", info(false), true, false, { kind: "waiting", waiting })).toBe(
      "! ns1 pod1 › container1 ImagePullBackOff (image nginx:nope)\n",
    );
  });
  it("failures red, a clean end dim, the wait mark yellow", () => {
    expect(noticeLine("-", info(true), false, true, { kind: "stop", end: oom })).toContain(
      "\x1b[31m(exit 137, OOMKilled, restart 3)\x1b[0m",
    );
    expect(
      noticeLine("-", info(true), false, true, {
        kind: "stop",
        end: end({ exitCode: 0, reason: "Completed" }),
      }),
    ).toContain("\x1b[2m(exit 0, Completed)\x1b[22m");
    const waiting = { reason: "CrashLoopBackOff", message: "back-off 5m0s", image: undefined };
    const line = noticeLine("!", info(true), false, true, { kind: "waiting", waiting });
    expect(line.startsWith("\x1b[93;1m!\x1b[0;22m ")).toBe(true);
    expect(line).toContain("\x1b[31mCrashLoopBackOff: back-off 5m0s\x1b[0m");
  });
});

describe("OutBuffer", () => {
  it("reuses a line's own newline, adds one when it has none, and grows as needed", () => {
    const out = new OutBuffer(4);
    const src = Buffer.from("ab\ncd");
    out.putLine(src, 0, 2);
    out.putLine(src, 3, 5);
    out.putString("é");
    out.putAll(Buffer.alloc(100, 120));
    const text = out.take().toString();
    expect(text).toBe(`ab\ncd\né${"x".repeat(100)}`);
    expect(out.len).toBe(0);
  });
});

describe("--stdin's record", () => {
  it("has stern's color.New(color.Reset) colors: reset codes around the empty names with color on", () => {
    expect(render({ colored: true }, "hello", true, stdinStream(true))).toBe(
      "\x1b[0m\x1b[0m \x1b[0m\x1b[0m hello\n",
    );
    expect(render({ colored: false }, "hello", false, stdinStream(false))).toBe("  hello\n");
  });
});
