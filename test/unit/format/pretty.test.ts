import { describe, expect, it } from "vitest";
import { plainFormatter } from "../../../src/format/plain.ts";
import { prettyFormatter } from "../../../src/format/pretty.ts";
import { sanitizeForTerminal } from "../../../src/format/terminal.ts";
import { Zone } from "../../../src/format/timestamp.ts";
import type { FormatOptions, StreamInfo } from "../../../src/format/types.ts";
import { type Instant, parseRfc3339 } from "../../../src/shared/instant.ts";
import { instantFromNumber, instantFromString } from "../../../src/structured/json.ts";
import { OutBuffer } from "../../../src/util/out-buffer.ts";

// Asserted rather than annotated so the test does not depend on which optional stream fields exist.
const info = (colored: boolean) =>
  ({
    context: "",
    contextColor: "",
    namespace: "ns1",
    podName: "pod1",
    containerName: "container1",
    nodeName: "node1",
    labels: undefined,
    annotations: undefined,
    colors: colored ? { pod: "96", container: "36" } : { pod: "", container: "" },
  }) as StreamInfo;

const API_TS = "2023-03-12T00:29:33.637476100Z";

const options = (opts: Partial<FormatOptions>): FormatOptions => ({
  output: "default",
  showNamespace: false,
  allNamespaces: false,
  timestamps: undefined,
  zone: new Zone("UTC"),
  ...opts,
});

function render(message: string, opts: Partial<FormatOptions> = {}, colored = false): string {
  const f = prettyFormatter(options(opts), info(colored), colored);
  const out = new OutBuffer(16);
  // The message sits inside a larger buffer with its newline, as the engine passes it.
  const buf = Buffer.from(`xx${message}\nyy`);
  f.append(out, parseRfc3339(API_TS), buf, 2, buf.length - 3);
  return out.take().toString();
}

function renderDefault(message: string, opts: Partial<FormatOptions> = {}, colored = false): string {
  const f = plainFormatter(options(opts), info(colored));
  const out = new OutBuffer(16);
  const buf = Buffer.from(`${message}\n`);
  f.append(out, parseRfc3339(API_TS), buf, 0, buf.length - 1);
  return out.take().toString();
}

const P = "pod1 container1 ";

describe("-o pretty, colors off", () => {
  const cases: [string, string, string][] = [
    [
      "the brief's example",
      `{"level":"info","msg":"request handled","status":200,"path":"/api/cart","ts":"2024-05-01T10:00:00Z"}`,
      "INFO request handled status=200 path=/api/cart",
    ],
    ["bunyan numeric level", `{"level":30,"msg":"hi","pid":1}`, "INFO hi pid=1"],
    ["pino trace", `{"level":10,"msg":"t"}`, "TRACE t"],
    ["pino debug", `{"level":20,"msg":"d"}`, "DEBUG d"],
    ["pino warn", `{"level":40,"msg":"w"}`, "WARN w"],
    ["pino error", `{"level":50,"msg":"e"}`, "ERROR e"],
    ["pino fatal", `{"level":60,"msg":"f"}`, "FATAL f"],
    ["a custom numeric level as written", `{"level":35,"msg":"x"}`, "35 x"],
    ["lvl (logfmt-style)", `{"lvl":"warn","msg":"careful"}`, "WARN careful"],
    ["severity (GCP)", `{"severity":"ERROR","message":"boom"}`, "ERROR boom"],
    [
      "log.level (ECS)",
      `{"log.level":"debug","message":"x","ecs.version":"1.6.0"}`,
      "DEBUG x ecs.version=1.6.0",
    ],
    ["level wins over severity", `{"severity":"ERROR","level":"info","msg":"m"}`, "INFO m severity=ERROR"],
    ["numeric lvl is only a field", `{"lvl":3,"msg":"m"}`, "m lvl=3"],
    ["empty level falls through", `{"level":"","lvl":"warn","msg":"m"}`, 'WARN m level=""'],
    ["unknown level upper-cased", `{"level":"notice","msg":"m"}`, "NOTICE m"],
    ["no level", `{"msg":"just a message","a":1}`, "just a message a=1"],
    ["no message", `{"level":"info","a":1}`, "INFO a=1"],
    ["neither", `{"a":1,"b":"two"}`, "a=1 b=two"],
    ["message key", `{"message":"m","x":true}`, "m x=true"],
    ["log key (docker)", `{"log":"hello","stream":"stdout"}`, "hello stream=stdout"],
    ["text key", `{"text":"hello"}`, "hello"],
    ["msg wins over message", `{"message":"second","msg":"first"}`, "first message=second"],
    ["a non-string msg stays a field", `{"msg":{"a":1},"message":"m"}`, `m msg.a=1`],
    ["empty message", `{"level":"info","msg":"","a":1}`, "INFO a=1"],
    ["line breaks in the message", `{"msg":"a\\nb\\r\\nc"}`, "a\\nb\\nc"],
    [
      "nested objects flattened, arrays as compact JSON",
      `{"msg":"m","req": { "id" : 7, "tags": [ "a", "b c" ], "h": {"x-y": "z", "e": {}} },"arr":[1, 2]}`,
      `m req.id=7 req.tags=["a","b c"] req.h.x-y=z req.h.e={} arr=[1,2]`,
    ],
    ["null and booleans", `{"a":null,"b":false,"c":true}`, "a=null b=false c=true"],
    [
      "numbers exactly as written",
      `{"big":12345678901234567890,"f":1.50,"e":1e3}`,
      "big=12345678901234567890 f=1.50 e=1e3",
    ],
    ["quoting: space", `{"a":"x y"}`, `a="x y"`],
    ["quoting: equals", `{"a":"k=v"}`, `a="k=v"`],
    ["quoting: double quote", `{"a":"say \\"hi\\""}`, `a="say \\"hi\\""`],
    ["quoting: single quote", `{"a":"it's"}`, `a="it's"`],
    ["quoting: tab and newline", `{"a":"x\\ty","b":"l1\\nl2"}`, `a="x\\ty" b="l1\\nl2"`],
    ["quoting: empty string", `{"a":""}`, `a=""`],
    ["escapes decoded when bare", `{"a":"caf\\u00e9/\\/x"}`, "a=café//x"],
    ["key order kept, integer-like keys too", `{"z":1,"2":2,"a":3,"1":4}`, "z=1 2=2 a=3 1=4"],
    ["duplicate keys: the first is used, the rest stay", `{"msg":"a","msg":"b"}`, "a msg=b"],
    ["a key that needs quotes", `{"a key":1}`, `"a key"=1`],
    ["time field dropped without -t", `{"time":"2024-05-01T10:00:00Z","msg":"m"}`, "m"],
    ["numeric ts dropped without -t", `{"ts":1714557600.5,"msg":"m"}`, "m"],
    ["a small number under a time key is a field", `{"time":0.25,"msg":"m"}`, "m time=0.25"],
    ["an unparseable time stays a field", `{"time":"yesterday","msg":"m"}`, "m time=yesterday"],
    [
      "the next time key is used",
      `{"time":"yesterday","@timestamp":"2024-05-01T10:00:00Z","msg":"m"}`,
      "m time=yesterday",
    ],
    ["blanks around the object", `  {"msg":"m"}  \r`, "m"],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      expect(render(input)).toBe(`${P}${expected}\n`);
    });
  }
});

describe("-o pretty passes other lines through as -o default", () => {
  const cases: [string, string][] = [
    ["plain text", "plain text"],
    ["empty line", ""],
    ["a JSON array", `[{"msg":"m"}]`],
    ["a JSON string", `"{\\"msg\\":1}"`],
    ["a JSON number", "42"],
    ["invalid JSON", `{"msg":"m",}`],
    ["braces but not JSON", "{ not json }"],
    ["unterminated", `{"msg":"m"`],
    ["trailing text", `{"msg":"m"} tail`],
    ["two objects", `{"a":1}{"b":2}`],
    ["an empty object", "{}"],
  ];
  for (const [name, input] of cases) {
    it(name, () => {
      expect(render(input)).toBe(renderDefault(input));
      expect(render(input, { timestamps: "default", showNamespace: true }, true)).toBe(
        renderDefault(input, { timestamps: "default", showNamespace: true }, true),
      );
    });
  }
  it("plain text exactly", () => {
    expect(render("plain text")).toBe(`${P}plain text\n`);
    expect(render("plain text", { timestamps: "default" })).toBe(`${P}${API_TS} plain text\n`);
  });
});

describe("-o pretty, prefix and timestamps", () => {
  it("shows the namespace as -o default does", () => {
    expect(render(`{"msg":"m"}`, { showNamespace: true })).toBe(`ns1 ${P}m\n`);
  });
  it("-t: the record's own time replaces the API timestamp", () => {
    expect(
      render(`{"level":"info","msg":"m","ts":"2024-05-01T10:00:00.5+02:00"}`, { timestamps: "default" }),
    ).toBe(`${P}2024-05-01T08:00:00.500000000Z INFO m\n`);
    expect(
      render(`{"msg":"m","time":"2024-05-01T10:00:00Z"}`, {
        timestamps: "short",
        zone: new Zone("Asia/Tokyo"),
      }),
    ).toBe(`${P}05-01 19:00:00 m\n`);
  });
  it("-t: numeric times in seconds, milliseconds, microseconds, nanoseconds", () => {
    const at = (v: string) => render(`{"ts":${v},"msg":"m"}`, { timestamps: "default" });
    expect(at("1714557600")).toBe(`${P}2024-05-01T10:00:00.000000000Z m\n`);
    expect(at("1714557600.123456")).toBe(`${P}2024-05-01T10:00:00.123456000Z m\n`);
    expect(at("1714557600123")).toBe(`${P}2024-05-01T10:00:00.123000000Z m\n`);
    expect(at("1714557600123.5")).toBe(`${P}2024-05-01T10:00:00.123500000Z m\n`);
    expect(at("1714557600123456")).toBe(`${P}2024-05-01T10:00:00.123456000Z m\n`);
    expect(at("1714557600123456789")).toBe(`${P}2024-05-01T10:00:00.123456789Z m\n`);
    expect(at("1.7145576e9")).toBe(`${P}2024-05-01T10:00:00.000000000Z m\n`);
  });
  it("-t: without a time field the API timestamp is shown", () => {
    expect(render(`{"level":"info","msg":"m"}`, { timestamps: "default" })).toBe(`${P}${API_TS} INFO m\n`);
  });
  it("-t: @timestamp (ECS), not repeated", () => {
    expect(
      render(`{"@timestamp":"2024-05-01T10:00:00.000Z","log.level":"warn","message":"m","x":1}`, {
        timestamps: "default",
      }),
    ).toBe(`${P}2024-05-01T10:00:00.000000000Z WARN m x=1\n`);
  });
});

describe("-o pretty, colors on", () => {
  const CP = "\x1b[96mpod1\x1b[0m \x1b[36mcontainer1\x1b[0m ";
  const key = (k: string) => `\x1b[2m${k}\x1b[22m`;
  const cases: [string, string, string][] = [
    ["debug magenta", `{"level":"debug","msg":"m"}`, "\x1b[35mDEBUG\x1b[0m m"],
    ["info blue", `{"level":"INFO","msg":"m"}`, "\x1b[34mINFO\x1b[0m m"],
    ["warn yellow", `{"level":"warn","msg":"m"}`, "\x1b[33mWARN\x1b[0m m"],
    ["warning yellow", `{"severity":"Warning","msg":"m"}`, "\x1b[33mWARNING\x1b[0m m"],
    ["error red", `{"level":"error","msg":"m"}`, "\x1b[31mERROR\x1b[0m m"],
    ["dpanic red", `{"level":"dpanic","msg":"m"}`, "\x1b[31mDPANIC\x1b[0m m"],
    ["panic red", `{"level":"panic","msg":"m"}`, "\x1b[31mPANIC\x1b[0m m"],
    ["fatal cyan", `{"level":"fatal","msg":"m"}`, "\x1b[36mFATAL\x1b[0m m"],
    ["critical cyan", `{"severity":"CRITICAL","msg":"m"}`, "\x1b[36mCRITICAL\x1b[0m m"],
    ["unknown string level uncolored", `{"level":"trace","msg":"m"}`, "TRACE m"],
    ["a level named like an Object method", `{"level":"constructor","msg":"m"}`, "CONSTRUCTOR m"],
    ["bunyan 10 magenta", `{"level":10,"msg":"m"}`, "\x1b[35mTRACE\x1b[0m m"],
    ["bunyan 20 magenta", `{"level":20,"msg":"m"}`, "\x1b[35mDEBUG\x1b[0m m"],
    ["bunyan 30 blue", `{"level":30,"msg":"m"}`, "\x1b[34mINFO\x1b[0m m"],
    ["bunyan 40 yellow", `{"level":40,"msg":"m"}`, "\x1b[33mWARN\x1b[0m m"],
    ["bunyan 50 red", `{"level":50,"msg":"m"}`, "\x1b[31mERROR\x1b[0m m"],
    ["bunyan 60 cyan", `{"level":60,"msg":"m"}`, "\x1b[36mFATAL\x1b[0m m"],
    ["bunyan 35 blue, as written", `{"level":35,"msg":"m"}`, "\x1b[34m35\x1b[0m m"],
    ["bunyan 100 uncolored", `{"level":100,"msg":"m"}`, "100 m"],
    ["keys dimmed", `{"msg":"m","a":1,"b c":"d e"}`, `m ${key("a")}=1 ${key('"b c"')}="d e"`],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      expect(render(input, {}, true)).toBe(`${CP}${expected}\n`);
    });
  }
});

describe("-o pretty on a terminal", () => {
  // Escape sequences spelled as JSON escapes are decoded here; what reaches a terminal is made safe
  // after formatting, on the output side (sanitizeForTerminal), whatever the format.
  const onTerminal = (text: string, keepColors: boolean) =>
    sanitizeForTerminal(Buffer.from(text), keepColors).toString();
  it("message and level: colors kept or dropped, other sequences removed, controls shown as ^X", () => {
    const line = `{"level":"info\\u001b]0;x\\u0007","msg":"\\u001b[31mred\\u001b[0m \\u001b[2Jbell\\u0007"}`;
    expect(onTerminal(render(line), true)).toBe(`${P}INFO \x1b[31mred\x1b[0m bell^G\n`);
    expect(onTerminal(render(line), false)).toBe(`${P}INFO red bell^G\n`);
  });
  it("keys and values are escaped, C1 controls too", () => {
    const line = `{"a":"\\u001b[2J","b":"x\\u009b2Jy","c\\u001b":1}`;
    const expected = `${P}a="\\u001b[2J" b="x\\u009b2Jy" "c\\u001b"=1\n`;
    expect(render(line)).toBe(expected);
    expect(onTerminal(render(line), true)).toBe(expected);
  });
});

describe("time parsing helpers", () => {
  const iso = (t: Instant | undefined) => (t ? `${new Date(t.ms).toISOString()} ${t.nanos}` : undefined);
  it("numbers by magnitude", () => {
    expect(iso(instantFromNumber("1714557600"))).toBe("2024-05-01T10:00:00.000Z 000000000");
    expect(iso(instantFromNumber("1714557600999"))).toBe("2024-05-01T10:00:00.999Z 999000000");
    expect(instantFromNumber("999999999")).toBeUndefined();
    expect(instantFromNumber("-1714557600")).toBeUndefined();
    expect(instantFromNumber("1e25")).toBeUndefined();
  });
  it("RFC3339 with the variants it allows", () => {
    expect(iso(instantFromString("2024-05-01 10:00:00Z"))).toBe("2024-05-01T10:00:00.000Z 000000000");
    expect(iso(instantFromString("2024-05-01t10:00:00.25z"))).toBe("2024-05-01T10:00:00.250Z 250000000");
    expect(instantFromString("2024-05-01")).toBeUndefined();
    expect(instantFromString("May 1 2024 10:00:00 UTC")).toBeUndefined();
  });
});

describe("-o pretty reads logfmt, klog and level prefixes too", () => {
  const cases: [string, string, string][] = [
    [
      "logrus text",
      `time="2024-05-01T10:00:00Z" level=warning msg="cache miss rate high" rate=0.42`,
      "WARNING cache miss rate high rate=0.42",
    ],
    [
      "slog text",
      `time=2024-05-01T10:00:00.123Z level=ERROR msg="connect failed" err="connection refused" attempt=3`,
      `ERROR connect failed err="connection refused" attempt=3`,
    ],
    ["logfmt without level or message", "a=1 b=two", "a=1 b=two"],
    [
      "klog structured",
      `E0501 10:00:04.000000       1 controller.go:114] "Error syncing" err="timeout" key="default/web"`,
      `ERROR Error syncing err=timeout key=default/web caller=controller.go:114`,
    ],
    [
      "klog text",
      `W0501 10:00:02.000000       1 reflector.go:539] failed to list *v1.Pod: Unauthorized`,
      `WARNING failed to list *v1.Pod: Unauthorized caller=reflector.go:539`,
    ],
    ["a level prefix", "[warn] deprecated option", "WARN deprecated option"],
    ["a time and a level", "2024-05-01T10:00:00.5Z ERROR boom", "ERROR boom"],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      expect(render(input)).toBe(`${P}${expected}\n`);
    });
  }
  it("-t: logfmt's time replaces the API timestamp; klog's (no year, no zone) does not", () => {
    expect(render(`time=2024-05-01T10:00:00Z level=info msg=m`, { timestamps: "default" })).toBe(
      `${P}2024-05-01T10:00:00.000000000Z INFO m\n`,
    );
    expect(render(`I0501 10:00:00.000000       1 a.go:1] m`, { timestamps: "default" })).toBe(
      `${P}${API_TS} INFO m caller=a.go:1\n`,
    );
  });
  it("klog levels colored by name", () => {
    expect(render(`E0501 10:00:00.000000       1 a.go:1] m`, {}, true)).toContain("\x1b[31mERROR\x1b[0m m");
    expect(render(`W0501 10:00:00.000000       1 a.go:1] m`, {}, true)).toContain("\x1b[33mWARNING\x1b[0m m");
  });
  it("a --multiline record: the first line formatted, the continuation as it is", () => {
    const f = prettyFormatter(options({}), info(false), false);
    const out = new OutBuffer(16);
    const buf = Buffer.from(`{"level":"error","msg":"boom"}\n\tat A.run(A.java:1)\n\tat B.main(B.java:2)`);
    f.append(out, undefined, buf, 0, buf.length);
    expect(out.take().toString()).toBe(`${P}ERROR boom\n\tat A.run(A.java:1)\n\tat B.main(B.java:2)\n`);
  });
});

describe("--fields and --exclude-fields", () => {
  const line = `{"level":"info","msg":"m","status":200,"req":{"method":"GET","path":"/a"},"request_id":"x","caller":"a.go:1"}`;
  it("--fields keeps the keys named and what is nested under them, in the line's order", () => {
    expect(render(line, { fields: ["status", "req"] })).toBe(
      `${P}INFO m status=200 req.method=GET req.path=/a\n`,
    );
    expect(render(line, { fields: ["req.path", "status"] })).toBe(`${P}INFO m status=200 req.path=/a\n`);
    // "req" names req.* but not request_id.
    expect(render(line, { fields: ["req"] })).toBe(`${P}INFO m req.method=GET req.path=/a\n`);
  });
  it("--exclude-fields drops them; both together", () => {
    expect(render(line, { excludeFields: ["caller", "req"] })).toBe(`${P}INFO m status=200 request_id=x\n`);
    expect(render(line, { fields: ["req", "status"], excludeFields: ["req.path"] })).toBe(
      `${P}INFO m status=200 req.method=GET\n`,
    );
  });
  it("level and message stay; text lines are untouched", () => {
    expect(render(line, { fields: ["nothing"] })).toBe(`${P}INFO m\n`);
    expect(render("plain", { fields: ["a"] })).toBe(`${P}plain\n`);
  });
});
