// stern's template functions and stern's own template examples (cmd/cmd_test.go, README).
import { describe, expect, it } from "vitest";
import { LogType } from "../../../src/format/go-template.ts";
import { type FuncMap, GoColor, parseTemplate, StringMap, sternFuncs } from "../../../src/template/index.ts";

function makeLog(message: string): unknown {
  return LogType.make([
    message,
    "",
    "node1",
    "ns1",
    "pod1",
    "container1",
    new StringMap({ app: "nginx", env: "prod" }),
    new StringMap({ version: "1.23.4" }),
    new GoColor("31"),
    new GoColor("34"),
  ]);
}

const plain: FuncMap = sternFuncs({ colorEnabled: false });
const colored: FuncMap = sternFuncs({ colorEnabled: true });

function run(text: string, message = "hello", funcs: FuncMap = plain): string {
  try {
    return parseTemplate("log", text, funcs).execute(makeLog(message));
  } catch (e) {
    return `ERR: ${(e as Error).message}`;
  }
}

const ESC = "\x1b";
const paint = (sgr: string, s: string, reset = "0"): string => `${ESC}[${sgr}m${s}${ESC}[${reset}m`;

// cmd/test.tpl (no trailing newline).
const TEST_TPL =
  "{{color .PodColor .PodName}} {{color .ContainerColor .ContainerName}} {{ with $msg := .Message | tryParseJSON }}[{{ colorGreen (toRFC3339Nano (toUTC $msg.ts)) }}] {{ levelColor $msg.level }} {{ $msg.msg }}{{ else }}{{ .Message }}{{ end }}";

const DEFAULT =
  "{{color .PodColor .PodName}} {{color .ContainerColor .ContainerName}} {{if .Timestamp}}{{.Timestamp}} {{end}}{{.Message}}";

describe("stern's TestOptionsGenerateTemplate (NO_COLOR)", () => {
  const cases: [string, string, string, string][] = [
    ["output=default", `${DEFAULT}\n`, "default message", "pod1 container1 default message\n"],
    [
      "output=default+allNamespaces",
      `{{color .PodColor .Namespace}} ${DEFAULT}\n`,
      "default message",
      "ns1 pod1 container1 default message\n",
    ],
    ["output=raw", "{{if .Timestamp}}{{.Timestamp}} {{end}}{{.Message}}\n", "raw message", "raw message\n"],
    [
      "output=json",
      "{{json .}}\n",
      "json message",
      '{"message":"json message","nodeName":"node1","namespace":"ns1","podName":"pod1","containerName":"container1","labels":{"app":"nginx","env":"prod"},"annotations":{"version":"1.23.4"}}\n',
    ],
    [
      "output=extjson",
      '{"pod": "{{color .PodColor .PodName}}", "container": "{{color .ContainerColor .ContainerName}}", "message": {{extjson .Message}}}\n',
      '{"msg":"extjson message"}',
      '{"pod": "pod1", "container": "container1", "message": {"msg":"extjson message"}}\n',
    ],
    [
      "output=extjson+allNamespaces",
      '{"namespace": "{{color .PodColor .Namespace}}", "pod": "{{color .PodColor .PodName}}", "container": "{{color .ContainerColor .ContainerName}}", "message": {{extjson .Message}}}\n',
      '{"msg":"extjson message"}',
      '{"namespace": "ns1", "pod": "pod1", "container": "container1", "message": {"msg":"extjson message"}}\n',
    ],
    [
      "output=ppextjson",
      '{\n  "pod": "{{color .PodColor .PodName}}",\n  "container": "{{color .ContainerColor .ContainerName}}",\n  "message": {{extjson .Message}}\n}\n',
      '{"msg":"ppextjson message"}',
      '{\n  "pod": "pod1",\n  "container": "container1",\n  "message": {"msg":"ppextjson message"}\n}\n',
    ],
    [
      "template",
      "Message={{.Message}} NodeName={{.NodeName}} Namespace={{.Namespace}} PodName={{.PodName}} ContainerName={{.ContainerName}}",
      "template message",
      "Message=template message NodeName=node1 Namespace=ns1 PodName=pod1 ContainerName=container1",
    ],
    ["template-file", TEST_TPL, "template message", "pod1 container1 template message"],
    [
      "template-file-json-log-ts-float",
      TEST_TPL,
      '{"ts": 123, "level": "INFO", "msg": "template message"}',
      "pod1 container1 [1970-01-01T00:02:03Z] INFO template message",
    ],
    [
      "template-file-json-log-ts-str",
      TEST_TPL,
      '{"ts": "1970-01-01T01:02:03+01:00", "level": "INFO", "msg": "template message"}',
      "pod1 container1 [1970-01-01T00:02:03Z] INFO template message",
    ],
    [
      "template-to-timestamp-with-timezone",
      '{{ toTimestamp .Message "Jan 02 2006 15:04 MST" "US/Eastern" }}',
      "2024-01-01T05:00:00",
      "Jan 01 2024 00:00 EST",
    ],
    [
      "template-to-timestamp-without-timezone",
      '{{ toTimestamp .Message "Jan 02 2006 15:04 MST" }}',
      "2024-01-01T05:00:00",
      "Jan 01 2024 05:00 UTC",
    ],
    ["template with specific label", "{{.PodName}} [{{.Labels.app}}] {{.Message}}", "m", "pod1 [nginx] m"],
    [
      "template with specific annotation",
      "{{.PodName}} [{{.Annotations.version}}] {{.Message}}",
      "m",
      "pod1 [1.23.4] m",
    ],
    [
      "template with labels as json",
      "{{.PodName}} {{json .Labels}} {{.Message}}",
      "m",
      'pod1 {"app":"nginx","env":"prod"} m',
    ],
    [
      "template with annotations as json",
      "{{.PodName}} {{json .Annotations}} {{.Message}}",
      "m",
      'pod1 {"version":"1.23.4"} m',
    ],
    [
      "template with missing label",
      "{{.PodName}} [{{.Labels.missing}}] {{.Message}}",
      "m",
      "pod1 [<no value>] m",
    ],
    [
      "template with missing annotation",
      "{{.PodName}} [{{.Annotations.missing}}] {{.Message}}",
      "m",
      "pod1 [<no value>] m",
    ],
  ];
  it.each(cases)("%s", (_name, text, message, want) => {
    expect(run(text, message)).toBe(want);
  });

  it("invalid template", () => {
    expect(() => parseTemplate("log", "{{invalid", plain)).toThrow(
      'template: log:1: function "invalid" not defined',
    );
  });
});

describe("README examples", () => {
  it("printf", () => {
    expect(
      run('{{printf "%s (%s/%s/%s/%s)\\n" .Message .NodeName .Namespace .PodName .ContainerName}}', "hi"),
    ).toBe("hi (node1/ns1/pod1/container1)\n");
  });

  it("stern-provided colors", () => {
    const t =
      '{{.Message}} ({{.Namespace}}/{{color .PodColor .PodName}}/{{color .ContainerColor .ContainerName}}){{"\\n"}}';
    expect(run(t, "hi", colored)).toBe(`hi (ns1/${paint("31", "pod1")}/${paint("34", "container1")})\n`);
    expect(run(t, "hi")).toBe("hi (ns1/pod1/container1)\n");
  });

  it("parseJSON", () => {
    const t =
      '{{.PodName}}/{{.ContainerName}} {{with $d := .Message | parseJSON}}[{{$d.level}}] {{$d.message}}{{end}}{{"\\n"}}';
    expect(run(t, '{"level":"info","message":"started"}')).toBe("pod1/container1 [info] started\n");
    expect(run(t, "not json")).toBe(
      "ERR: template: log:1:56: executing \"log\" at <parseJSON>: error calling parseJSON: invalid character 'o' in literal null (expecting 'u')",
    );
  });

  it("tryParseJSON with fallback", () => {
    const t =
      '{{.PodName}}/{{.ContainerName}} {{ with $msg := .Message | tryParseJSON }}[{{ colorGreen (toRFC3339Nano $msg.ts) }}] {{ levelColor $msg.level }} ({{ colorCyan $msg.caller }}) {{ $msg.msg }}{{ else }} {{ .Message }} {{ end }}{{"\\n"}}';
    const line = '{"ts":"2024-01-02T03:04:05.5Z","level":"warn","caller":"main.go:12","msg":"careful"}';
    expect(run(t, line, colored)).toBe(
      `pod1/container1 [${paint("32", "2024-01-02T03:04:05.5Z")}] ${paint("33", "warn")} (${paint("36", "main.go:12")}) careful\n`,
    );
    expect(run(t, line)).toBe("pod1/container1 [2024-01-02T03:04:05.5Z] warn (main.go:12) careful\n");
    expect(run(t, "plain line")).toBe("pod1/container1  plain line \n");
    // Like Go, a missing key given to a string parameter aborts the line.
    expect(run(t, '{"ts":"2024-01-02T03:04:05Z","level":"warn","msg":"m"}')).toContain(
      "at <$msg.caller>: invalid value; expected string",
    );
  });

  it("prettyJSON", () => {
    expect(run('{{ .Message | prettyJSON }}{{"\\n"}}', '{"b":1,"a":[1,2]}')).toBe(
      '{\n  "a": [\n    1,\n    2\n  ],\n  "b": 1\n}\n',
    );
    expect(run('{{ .Message | prettyJSON }}{{"\\n"}}', "not json")).toBe("not json\n");
    const t = '{{ with $msg := .Message | tryParseJSON }}{{ prettyJSON $msg }}{{"\\n"}}{{end}}';
    expect(run(t, '{"n":1.50,"s":"<x>"}')).toBe('{\n  "n": 1.50,\n  "s": "\\u003cx\\u003e"\n}\n');
    expect(run(t, "not json")).toBe("");
  });
});

describe("stern functions", () => {
  it("json", () => {
    expect(run("{{json .Message}}", 'a"<b>')).toBe('"a\\"\\u003cb\\u003e"');
    expect(run("{{json .Labels.missing}}")).toBe("null");
    expect(run("{{json 1}} {{json 1.0}} {{json true}}")).toBe("1 1 true");
  });

  const parseErrors: [string, string][] = [
    ["", "unexpected end of JSON input"],
    ["  ", "unexpected end of JSON input"],
    ['{"a":', "unexpected end of JSON input"],
    ["hello", "invalid character 'h' looking for beginning of value"],
    ["[1]", "json: cannot unmarshal array into Go value of type map[string]interface {}"],
    ['"s"', "json: cannot unmarshal string into Go value of type map[string]interface {}"],
    ["12", "json: cannot unmarshal number into Go value of type map[string]interface {}"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair"],
    ['{"a":[1 2]}', "invalid character '2' after array element"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":-x}', "invalid character 'x' in numeric literal"],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
    ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
    ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
    ['{"a":"\\u12x4"}', "invalid character 'x' in \\u hexadecimal character escape"],
    ['{"a":"x\ny"}', "invalid character '\\n' in string literal"],
    ["{} x", "invalid character 'x' after top-level value"],
    ['{"a":01}', "invalid character '1' after object key:value pair"],
    ["\u00e9", "invalid character 'Ã' looking for beginning of value"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
  ];
  it.each(parseErrors)("parseJSON error for %j", (msg, want) => {
    expect(run("{{parseJSON .Message}}", msg)).toBe(
      `ERR: template: log:1:2: executing "log" at <parseJSON .Message>: error calling parseJSON: ${want}`,
    );
  });

  it("parseJSON values are float64", () => {
    expect(
      run(
        "{{$d := parseJSON .Message}}{{$d.n}} {{$d.big}} {{printf `%T` $d.n}}",
        '{"n":30,"big":1700000000}',
      ),
    ).toBe("30 1.7e+09 float64");
    expect(run("{{$d := parseJSON .Message}}[{{$d}}] {{len $d}}", "null")).toBe("[map[]] 0");
  });

  it("tryParseJSON", () => {
    expect(run("{{$m := tryParseJSON .Message}}{{$m.n}} {{printf `%T` $m.n}}", '{"n":1700000000}')).toBe(
      "1700000000 json.Number",
    );
    expect(run("{{with tryParseJSON .Message}}yes{{else}}no{{end}}", "nope")).toBe("no");
    expect(run("{{with tryParseJSON .Message}}{{.a}}{{end}}", '{"a":1} trailing')).toBe("1");
    expect(run("{{with tryParseJSON .Message}}{{.a}}{{else}}no{{end}}", "[1]")).toBe("no");
    expect(run("{{printf `%T` (tryParseJSON .Message)}}", "x")).toBe("map[string]interface {}");
  });

  it("extractJSONParts and tryExtractJSONParts", () => {
    const msg = '{"a":1,"b":"x","c":{"d":[1,2]}}';
    expect(run('{{extractJSONParts .Message "a" "b" "c" "z"}}', msg)).toBe("1, x, map[d:[1 2]], <nil>");
    expect(run('{{extractJSONParts .Message "a"}}', "oops")).toContain(
      "error calling extractJSONParts: invalid character 'o' looking for beginning of value",
    );
    expect(run('{{tryExtractJSONParts .Message "a" "b"}}', msg)).toBe("1, x");
    expect(run('{{tryExtractJSONParts .Message "a"}}', "oops")).toBe("oops");
  });

  // stern PR #373's cases (cmd/cmd_test.go TestOptionsGenerateTemplate, TestExtractJSONPart).
  it("extractJSONParts with dotted keys: the top-level key first, then the nested path", () => {
    const nested = '{"python":{"levelname":"INFO","lineno":96}}';
    expect(run('{{extractJSONParts .Message "level"}}', '{"level":"INFO"}')).toBe("INFO");
    expect(run('{{extractJSONParts .Message "python.levelname"}}', nested)).toBe("INFO");
    expect(run('{{extractJSONParts .Message "python.levelname" "python.lineno"}}', nested)).toBe("INFO, 96");
    expect(run('{{extractJSONParts .Message "python.missing"}}', nested)).toBe("<nil>");
    expect(run('{{tryExtractJSONParts .Message "python.levelname"}}', nested)).toBe("INFO");
    expect(run('{{tryExtractJSONParts .Message "python.levelname"}}', "not json")).toBe("not json");
    const obj = '{"level":"INFO","python":{"levelname":"INFO","lineno":96},"with.dot":"literal"}';
    const parts =
      '"level" "python.levelname" "python.lineno" "with.dot" "missing" "python.missing" "level.deeper"';
    expect(run(`{{extractJSONParts .Message ${parts}}}`, obj)).toBe(
      "INFO, INFO, 96, literal, <nil>, <nil>, <nil>",
    );
  });

  it("extjson", () => {
    expect(run("{{extjson .Message}}", '{"a": 1}\n')).toBe('{"a": 1}');
    expect(run("{{extjson .Message}}", 'say "hi" <now>')).toBe('"say \\"hi\\" \\u003cnow\\u003e"');
    expect(run("{{extjson .Message}}", "42")).toBe("42");
  });

  it("prettyJSON of other values", () => {
    expect(run("{{prettyJSON .Labels}}")).toBe("map[app:nginx env:prod]");
    expect(run("{{prettyJSON 3}}")).toBe("3");
    expect(run("{{prettyJSON (parseJSON .Message)}}", '{"a":{}}')).toBe('{\n  "a": {}\n}');
    expect(run("{{prettyJSON .Message}}", "null")).toBe("null");
  });

  it("toRFC3339Nano", () => {
    expect(run("{{toRFC3339Nano (toUTC .Message)}}", "1136171056.02")).toBe("2006-01-02T03:04:16.02Z");
    expect(run("{{toRFC3339Nano (toUTC .Message)}}", "1136171045")).toBe("2006-01-02T03:04:05Z");
    expect(run("{{toRFC3339Nano (toUTC .Message)}}", "1136171045.12345678912345")).toBe(
      "2006-01-02T03:04:05.123456789Z",
    );
    expect(run("{{toRFC3339Nano .Message}}", "2006-01-02T15:04:05.02+01:00")).toBe(
      "2006-01-02T15:04:05.02+01:00",
    );
    expect(run("{{toRFC3339Nano .Message}}", "2006-01-02T03:04:05.123456789")).toBe(
      "2006-01-02T03:04:05.123456789Z",
    );
    expect(run("{{toRFC3339Nano .Message}}", "2006-01-02 03:04:05")).toBe("2006-01-02T03:04:05Z");
    expect(run("{{toRFC3339Nano .Message}}", "2006-01-02")).toBe("2006-01-02T00:00:00Z");
    expect(run("{{toRFC3339Nano .Message}}", "Mon, 02 Jan 2006 15:04:05 MST")).toBe("2006-01-02T15:04:05Z");
    expect(run("{{toRFC3339Nano .Message}}", "abc")).toBe("0001-01-01T00:00:00Z");
    expect(run("{{toRFC3339Nano 1.5}}")).toBe("0001-01-01T00:00:00Z");
    expect(run("{{toRFC3339Nano (toUTC 1136171045)}}")).toBe("2006-01-02T03:04:05Z");
    expect(run("{{toRFC3339Nano (toUTC (parseJSON .Message).ts)}}", '{"ts":1136171045}')).toBe(
      "0001-01-01T00:00:00Z",
    );
  });

  it("toUTC prints like time.Time", () => {
    expect(run("{{toUTC .Message}}", "2006-01-02T15:04:05.02+01:00")).toBe(
      "2006-01-02 14:04:05.02 +0000 UTC",
    );
    expect(run("{{(toUTC .Message).Unix}} {{(toUTC .Message).Year}}", "2006-01-02T15:04:05Z")).toBe(
      "1136214245 2006",
    );
    expect(run('{{(toUTC .Message).Format "15:04"}}', "2006-01-02T15:04:05Z")).toBe("15:04");
  });

  it("toTimestamp layouts", () => {
    expect(
      run(
        '{{toTimestamp .Message "Mon Monday Jan January 1 2 02 _2 06 2006 3 03 15 4 04 5 05 PM pm .000 .999 ,00 -0700 -07:00 -07 Z07:00 Z0700 MST 002 __2"}}',
        "2024-03-05T07:08:09.5Z",
      ),
    ).toBe(
      "Tue Tuesday Mar March 3 5 05  5 24 2024 7 07 07 8 08 9 09 AM am .500 .5 ,50 +0000 +00:00 +00 Z Z UTC 065  65",
    );
    expect(
      run(
        '{{toTimestamp .Message "2006-01-02T15:04:05.999999999Z07:00" "Asia/Tokyo"}}',
        "2024-03-05T07:08:09Z",
      ),
    ).toBe("2024-03-05T16:08:09+09:00");
    expect(run('{{toTimestamp .Message "15:04 MST" "Europe/Berlin"}}', "2024-07-01T10:00:00Z")).toBe(
      "12:00 CEST",
    );
    expect(run('{{toTimestamp .Message "3:04PM"}}', "2024-07-01T00:30:00Z")).toBe("12:30AM");
    expect(run('{{toTimestamp .Message "Jan _2"}}', "2024-07-01T00:30:00Z")).toBe("Jul  1");
    expect(run('{{toTimestamp .Message "2006" "Nope/Zone"}}', "2024-01-01")).toContain(
      "error calling toTimestamp: unknown time zone Nope/Zone",
    );
    expect(run('{{toTimestamp .Message "2006"}}', "abc")).toContain(
      "error calling toTimestamp: unable to parse date: abc",
    );
    expect(run('{{toTimestamp 1.5 "2006"}}')).toContain("unable to cast 1.5 of type float64 to time.Time");
  });

  it("color", () => {
    expect(run("{{color .PodColor .PodName}}", "m", colored)).toBe(paint("31", "pod1"));
    expect(run("{{color .PodColor .PodName}}")).toBe("pod1");
    expect(parseTemplate("log", "{{color .C .T}}", colored).execute({ C: new GoColor("92;1"), T: "x" })).toBe(
      paint("92;1", "x", "0;22"),
    );
    expect(run("{{color .PodName .PodName}}", "m", colored)).toContain(
      "wrong type for value; expected color.Color; got string",
    );
  });

  it("colorCustom", () => {
    expect(run('{{colorCustom "Hi" 3 96}}', "m", colored)).toBe(paint("3;96", "Hi", "23;0"));
    expect(run('{{colorCustom "Hi" 1}}', "m", colored)).toBe(paint("1", "Hi", "22"));
    expect(run('{{colorCustom "Hi" 3 96}}')).toBe("Hi");
  });

  it("colorBlack..colorWhite", () => {
    const names = ["Black", "Red", "Green", "Yellow", "Blue", "Magenta", "Cyan", "White"];
    names.forEach((n, i) => {
      expect(run(`{{color${n} .PodName}}`, "m", colored)).toBe(paint(String(30 + i), "pod1"));
    });
    expect(run('{{colorRed "100%"}}', "m", colored)).toBe(paint("31", "100%"));
    expect(run('{{colorRed "%d%%" 5}}', "m", colored)).toBe(paint("31", "5%"));
    expect(run('{{colorRed "100%"}}')).toBe("100%");
  });

  it("levelColor", () => {
    const cases: [string, string][] = [
      ["debug", "35"],
      ["INFO", "34"],
      ["warn", "33"],
      ["Warning", "33"],
      ["error", "31"],
      ["dpanic", "31"],
      ["PANIC", "31"],
      ["fatal", "36"],
      ["critical", "36"],
    ];
    for (const [lv, sgr] of cases) expect(run("{{levelColor .Message}}", lv, colored)).toBe(paint(sgr, lv));
    expect(run("{{levelColor .Message}}", "trace", colored)).toBe("trace");
    expect(run("{{levelColor .Message}}", "INFO")).toBe("INFO");
    expect(run("{{levelColor 5}}", "m", colored)).toBe("");
    expect(run("{{levelColor (tryParseJSON .Message).level}}", '{"level":30}', colored)).toBe("");
  });

  it("bunyanLevelColor", () => {
    const t = "{{bunyanLevelColor (parseJSON .Message).level}}";
    expect(run(t, '{"level":20}', colored)).toBe(paint("35", "20"));
    expect(run(t, '{"level":30}', colored)).toBe(paint("34", "30"));
    expect(run(t, '{"level":40}', colored)).toBe(paint("33", "40"));
    expect(run(t, '{"level":50}', colored)).toBe(paint("31", "50"));
    expect(run(t, '{"level":60}', colored)).toBe(paint("36", "60"));
    expect(run(t, '{"level":100}', colored)).toBe("100");
    expect(run(t, '{"level":"info"}', colored)).toBe("");
    expect(run(t, '{"level":30}')).toBe("30");
    expect(run("{{bunyanLevelColor (tryParseJSON .Message).level}}", '{"level":50}', colored)).toBe(
      paint("31", "50"),
    );
    expect(run("{{bunyanLevelColor (tryParseJSON .Message).level}}", '{"level":5.5}', colored)).toBe("");
  });
});
