// The Go text/template interpreter: language, printf, value printing and JSON encoding, against Go's output.
import { describe, expect, it } from "vitest";
import { LogType } from "../../../src/format/go-template.ts";
import { formatValue } from "../../../src/template/fmt.ts";
import {
  defineStruct,
  type FuncMap,
  GoColor,
  JsonNumber,
  jsonMarshal,
  NIL_ANY_MAP,
  parseTemplate,
  StringMap,
  sprintf,
  sternFuncs,
} from "../../../src/template/index.ts";
import { marshalIndent } from "../../../src/template/json.ts";
import { GoTime, UTC } from "../../../src/template/time.ts";

function makeLog(message: string, extra: Record<string, unknown> = {}): unknown {
  return LogType.make({
    Message: message,
    Timestamp: "",
    NodeName: "node1",
    Namespace: "ns1",
    PodName: "pod1",
    ContainerName: "container1",
    Labels: new StringMap({ app: "nginx", env: "prod" }),
    Annotations: new StringMap({ version: "1.23.4" }),
    PodColor: new GoColor("31"),
    ContainerColor: new GoColor("34"),
    ...extra,
  });
}

const plain: FuncMap = sternFuncs({ colorEnabled: false });

function run(text: string, data: unknown = makeLog("hello"), funcs: FuncMap = plain): string {
  try {
    return parseTemplate("log", text, funcs).execute(data);
  } catch (e) {
    return `ERR: ${(e as Error).message}`;
  }
}

const J = (o: string): string => JSON.stringify(o); // a Go string literal for JSON text

describe("language", () => {
  const cases: [string, string, string][] = [
    ["field", "{{.Message}}", "hello"],
    ["text only", "plain text", "plain text"],
    ["empty", "", ""],
    ["trim markers", "a {{- ` b ` -}} c", "a b c"],
    ["trim newlines", "a\n  {{- .PodName }}\n", "apod1\n"],
    ["dash without space is a number", "{{-3}}", "-3"],
    ["comment", "x{{/* a comment */}}y", "xy"],
    ["trimmed comment", "x  {{- /* c */ -}}  y", "xy"],
    ["map[string]string field", "{{.Labels.app}}", "nginx"],
    ["missing map key prints <no value>", "{{.Labels.missing}}", "<no value>"],
    ["index of missing string key is empty", "[{{index .Labels `missing`}}]", "[]"],
    [
      "map[string]interface{} fields",
      `{{$d := parseJSON ${J('{"a":{"b":1.5},"n":null}')}}}{{$d.a.b}} {{$d.x}} {{$d.n}} {{index $d "x"}} {{$d.x.y}}`,
      "1.5 <no value> <no value> <no value> <no value>",
    ],
    ["variable declare and assign", `{{$x := "a"}}{{$x = "b"}}{{$x}}`, "b"],
    ["$ is the data", "{{with .Labels}}{{$.PodName}} {{.app}}{{end}}", "pod1 nginx"],
    ["variable field access", "{{$l := .Labels}}{{$l.env}}", "prod"],
    ["pipeline passes last argument", `{{.Message | printf "%s!"}}`, "hello!"],
    ["chained pipeline", `{{printf "%s-%s" "a" "b" | printf "%q"}}`, '"a-b"'],
    ["parenthesized pipeline", `{{(printf "%d" 300) | len}}`, "3"],
    ["field of parenthesized pipeline", '{{(parseJSON `{"a":{"b":"c"}}`).a.b}}', "c"],
    ["string escapes", `{{"a\\tb\\u00e9\\x41"}}`, "a\tbéA"],
    ["raw string", "{{`raw\\n`}}", "raw\\n"],
    ["char constant", "{{'a'}} {{'\\n'}}", "97 10"],
    ["hex octal binary", "{{0x1F}} {{0o17}} {{017}} {{0b101}} {{1_000}}", "31 15 15 5 1000"],
    ["floats", "{{1.5}} {{1e3}} {{1e6}} {{.5}} {{0x1p4}}", "1.5 1000 1e+06 0.5 16"],
    ["bools", "{{true}} {{false}}", "true false"],
    ["nil command", "{{nil}}", 'ERR: template: log:1:2: executing "log" at <nil>: nil is not a command'],
    ["if", "{{if .PodName}}yes{{end}}", "yes"],
    ["if else", "{{if .Timestamp}}yes{{else}}no{{end}}", "no"],
    ["else if chain", `{{if eq .PodName "x"}}A{{else if eq .PodName "pod1"}}B{{else}}C{{end}}`, "B"],
    [
      "range slice with index",
      `{{range $i, $v := (parseJSON ${J('{"a":[1,2,3]}')}).a}}{{$i}}={{$v}};{{end}}`,
      "0=1;1=2;2=3;",
    ],
    ["range single var", `{{range $v := (parseJSON ${J('{"a":["x","y"]}')}).a}}{{$v}}{{end}}`, "xy"],
    ["range dot", `{{range (parseJSON ${J('{"a":["x","y"]}')}).a}}<{{.}}>{{end}}`, "<x><y>"],
    ["range map in key order", "{{range $k, $v := .Labels}}{{$k}}:{{$v}},{{end}}", "app:nginx,env:prod,"],
    [
      "range any map sorted",
      `{{range $k, $v := parseJSON ${J('{"b":2,"a":1,"c":3}')}}}{{$k}}{{$v}}{{end}}`,
      "a1b2c3",
    ],
    ["range else", `{{range (parseJSON ${J('{"a":[]}')}).a}}x{{else}}empty{{end}}`, "empty"],
    [
      "range nil",
      "{{range .Nope}}x{{else}}none{{end}}",
      'ERR: template: log:1:8: executing "log" at <.Nope>: can\'t evaluate field Nope in type stern.Log',
    ],
    ["range missing key", "{{range .Labels.none}}x{{else}}none{{end}}", "none"],
    [
      "break and continue",
      `{{range $i, $v := (parseJSON ${J('{"a":[1,2,3,4]}')}).a}}{{if eq $i 1}}{{continue}}{{end}}{{if eq $i 3}}{{break}}{{end}}{{$v}}{{end}}`,
      "13",
    ],
    ["range over int", "{{range 3}}{{.}}{{end}}", "012"],
    ["range assign", `{{$x := 0}}{{range $x = 3}}{{end}}{{$x}}`, "2"],
    [
      "range over string fails",
      `{{range "ab"}}{{end}}`,
      'ERR: template: log:1:8: executing "log" at <"ab">: range can\'t iterate over ab',
    ],
    ["with", "{{with .PodName}}[{{.}}]{{end}}", "[pod1]"],
    ["with else", "{{with .Timestamp}}T{{else}}none{{end}}", "none"],
    ["with declare", "{{with $x := .PodName}}{{$x}}{{end}}", "pod1"],
    ["else with", "{{with .Timestamp}}a{{else with .PodName}}{{.}}{{end}}", "pod1"],
    ["define and template", `{{define "T"}}[{{.}}]{{end}}{{template "T" .PodName}}`, "[pod1]"],
    ["template without data", `{{define "T"}}[{{.}}]{{end}}{{template "T"}}`, "[<no value>]"],
    ["block", `{{block "B" .NodeName}}<{{.}}>{{end}}`, "<node1>"],
    ["variables do not leak into templates", `{{define "T"}}{{$}}{{end}}{{$x := 1}}{{template "T" 5}}`, "5"],
    ["and", "{{and 1 0 2}} {{and 1 2}}", "0 2"],
    ["or", `{{or 0 "" "x"}} [{{or 0 ""}}]`, "x []"],
    ["and/or short-circuit", "{{or true .Nope}} {{and false .Nope}}", "true false"],
    ["not", `{{not 0}} {{not "a"}}`, "true false"],
    ["len", `{{len .Labels}} {{len "héllo"}} {{len (parseJSON ${J('{"a":[1,2]}')}).a}}`, "2 6 2"],
    ["index nested", `{{index (parseJSON ${J('{"a":[[1,2],[3,4]]}')}).a 1 0}}`, "3"],
    ["index string gives a byte", `{{index "abc" 1}}`, "98"],
    [
      "slice",
      `{{slice "abcdef" 1 3}} {{slice "abc" 1}} {{slice (parseJSON ${J('{"a":[1,2,3]}')}).a 1}}`,
      "bc bc [2 3]",
    ],
    ["print spacing", `{{print 1 2 "a" "b" 3}}`, "1 2ab3"],
    ["println", `{{println 1 "a"}}`, "1 a\n"],
    ["printf", `{{printf "%05.1f|%-4s|%x" 3.14158 "ab" 255}}`, "003.1|ab  |ff"],
    ["eq", `{{eq "a" "b" "a"}} {{eq 1 2}} {{eq .PodName "pod1"}}`, "true false true"],
    [
      "ne lt le gt ge",
      `{{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt 1.5 1.2}} {{ge "b" "a"}}`,
      "true true true true true",
    ],
    [
      "int vs float comparison",
      "{{lt 1 2.0}}",
      'ERR: template: log:1:2: executing "log" at <lt 1 2.0>: error calling lt: incompatible types for comparison',
    ],
    [
      "eq string vs int",
      "{{eq .PodName 1}}",
      'ERR: template: log:1:2: executing "log" at <eq .PodName 1>: error calling eq: incompatible types for comparison',
    ],
    ["eq with missing value", "{{eq .Labels.nope 1}}", "false"],
    ["json.Number is a string kind", `{{$m := tryParseJSON ${J('{"n":30}')}}}{{eq $m.n "30"}}`, "true"],
    ["html", `{{html "<a href='x'>&\\""}}`, "&lt;a href=&#39;x&#39;&gt;&amp;&#34;"],
    ["js", `{{js "a'b\\"<>=\\n"}}`, "a\\'b\\\"\\u003C\\u003E\\u003D\\u000A"],
    ["urlquery", `{{urlquery "a b&c/é"}}`, "a+b%26c%2F%C3%A9"],
    ["html of several args", "{{html 1 2}}", "1 2"],
    ["nested template data", `{{define "x"}}{{.a}}{{end}}{{template "x" parseJSON ${J('{"a":"A"}')}}}`, "A"],
  ];
  it.each(cases)("%s", (_name, text, want) => {
    expect(run(text)).toBe(want);
  });

  it("call", () => {
    const data = { f: (a: unknown, b: unknown) => (a as bigint) + (b as bigint) };
    expect(run("{{call .f 1 2}}", data)).toBe("3");
    expect(run("{{call .g 1}}", data)).toBe(
      'ERR: template: log:1:2: executing "log" at <call .g 1>: error calling call: call of nil',
    );
  });

  it("funcs that throw become exec errors", () => {
    const funcs: FuncMap = {
      boom: () => {
        throw new Error("kaboom");
      },
    };
    expect(run("x{{boom}}", null, funcs)).toBe(
      'ERR: template: log:1:3: executing "log" at <boom>: error calling boom: kaboom',
    );
  });

  it("executes with nil data", () => {
    expect(run("{{.}} {{.X}}", null)).toBe("<no value> <no value>");
  });
});

describe("parse errors", () => {
  const cases: [string, string][] = [
    ["{{nope}}", 'template: log:1: function "nope" not defined'],
    ["{{invalid", 'template: log:1: function "invalid" not defined'],
    ["{{.Message", "template: log:1: unclosed action"],
    ["a\n{{.Message\n", "template: log:3: unclosed action started at log:2"],
    ["a\n{{.X}", "template: log:2: bad character U+007D '}'"],
    ["{{if .X}}abc", "template: log:1: unexpected EOF"],
    ["{{end}}", "template: log:1: unexpected {{end}}"],
    ["{{else}}", "template: log:1: unexpected {{else}}"],
    ["{{$x}}", 'template: log:1: undefined variable "$x"'],
    ["{{if 1}}{{$x := 1}}{{end}}{{$x}}", 'template: log:1: undefined variable "$x"'],
    ["a\n{{.X }", 'template: log:2: unexpected "}" in operand'],
    ["{{break}}", "template: log:1: {{break}} outside {{range}}"],
    ["{{range .X}}{{else}}{{else}}{{end}}", "template: log:1: expected end; found {{else}}"],
    ['{{"abc}}', "template: log:1: unterminated quoted string"],
    ["{{/* x }}", "template: log:1: unclosed comment"],
    ["{{/* x */ .X}}", "template: log:1: comment ends before closing delimiter"],
    ['{{.X | "a"}}', "template: log:1: non executable command in pipeline stage 2"],
    ["{{}}", "template: log:1: missing value for command"],
    ["{{(1}}", "template: log:1: unclosed left paren"],
    ["{{1)}}", "template: log:1: unexpected right paren"],
    ["{{3x}}", 'template: log:1: bad number syntax: "3x"'],
    ["{{08}}", 'template: log:1: integer overflow: "08"'],
    ["{{range $a, $b, $c := .}}{{end}}", "template: log:1: too many declarations in range"],
    ["{{with $a, $b := .}}{{end}}", "template: log:1: too many declarations in with"],
    ['{{"a".X}}', 'template: log:1: unexpected . after term "\\"a\\""'],
    ["{{.X ! }}", 'template: log:1: unexpected "!" in operand'],
    ["{{template .X}}", 'template: log:1: unexpected ".X" in template clause'],
    ["{{template .}}", "template: log:1: unexpected <.> in template clause"],
    ["{{$ :b}}", "template: log:1: expected :="],
    ["{{\x01}}", "template: log:1: unrecognized character in action: U+0001"],
    [
      '{{define "a"}}x{{end}}{{define "a"}}y{{end}}',
      'template: log:1: template: multiple definition of template "a"',
    ],
  ];
  it.each(cases)("%j", (text, want) => {
    expect(run(text)).toBe(`ERR: ${want}`);
    expect(() => parseTemplate("log", text, plain)).toThrow(
      expect.objectContaining({ name: "TemplateParseError" }),
    );
  });
});

describe("exec errors", () => {
  const cases: [string, string][] = [
    [
      "{{.Nope}}",
      'template: log:1:2: executing "log" at <.Nope>: can\'t evaluate field Nope in type stern.Log',
    ],
    [
      "{{.Message.X}}",
      'template: log:1:10: executing "log" at <.Message.X>: can\'t evaluate field X in type string',
    ],
    [
      "{{parseJSON .Message}}",
      "template: log:1:2: executing \"log\" at <parseJSON .Message>: error calling parseJSON: invalid character 'h' looking for beginning of value",
    ],
    [
      "{{.Message | parseJSON}}",
      "template: log:1:13: executing \"log\" at <parseJSON>: error calling parseJSON: invalid character 'h' looking for beginning of value",
    ],
    [
      "{{parseJSON .Labels}}",
      'template: log:1:12: executing "log" at <.Labels>: wrong type for value; expected string; got map[string]string',
    ],
    [
      "{{parseJSON .Labels.nope}}",
      'template: log:1:19: executing "log" at <.Labels.nope>: invalid value; expected string',
    ],
    ["{{len 3}}", 'template: log:1:2: executing "log" at <len 3>: error calling len: len of type int'],
    [
      "{{index .Labels 1}}",
      'template: log:1:2: executing "log" at <index .Labels 1>: error calling index: value has type int; should be string',
    ],
    [
      '{{index (parseJSON `{"a":[1]}`).a 5}}',
      'template: log:1:2: executing "log" at <index (parseJSON `{"...>: error calling index: index out of range: 5',
    ],
    [
      "{{printf}}",
      'template: log:1:2: executing "log" at <printf>: wrong number of args for printf: want at least 1 got 0',
    ],
    ["{{not}}", 'template: log:1:2: executing "log" at <not>: wrong number of args for not: want 1 got 0'],
    [
      "{{json 1 2}}",
      'template: log:1:2: executing "log" at <json>: wrong number of args for json: want 1 got 2',
    ],
    [
      "{{.PodName 1}}",
      'template: log:1:2: executing "log" at <.PodName>: PodName has arguments but cannot be invoked as function',
    ],
    ['{{"x" 1}}', 'template: log:1:2: executing "log" at <"x">: can\'t give argument to non-function "x"'],
    [
      '{{$d := parseJSON `{"n":null}`}}{{$d.n.x}}',
      'template: log:1:36: executing "log" at <$d.n.x>: nil pointer evaluating interface {}.x',
    ],
    [
      '{{$d := parseJSON `{"n":"s"}`}}{{$d.n.x}}',
      'template: log:1:35: executing "log" at <$d.n.x>: can\'t evaluate field x in type interface {}',
    ],
    [
      '{{template "x"}}',
      'template: log:1:11: executing "log" at <{{template "x"}}>: template "x" not defined',
    ],
    [
      "line1\n  {{.Nope}}",
      'template: log:2:4: executing "log" at <.Nope>: can\'t evaluate field Nope in type stern.Log',
    ],
    [
      `{{define "T"}}{{.Nope}}{{end}}{{template "T" .}}`,
      'template: log:1:16: executing "T" at <.Nope>: can\'t evaluate field Nope in type stern.Log',
    ],
    ["{{colorRed 1}}", 'template: log:1:11: executing "log" at <1>: expected string; found 1'],
    ["{{colorCustom `x` 1.5}}", 'template: log:1:18: executing "log" at <1.5>: expected integer; found 1.5'],
  ];
  it.each(cases)("%j", (text, want) => {
    expect(run(text)).toBe(`ERR: ${want}`);
  });
});

describe("printf", () => {
  const cases: [string, unknown[], string][] = [
    ["%s", ["hello"], "hello"],
    ["%d", [42n], "42"],
    ["%5d|%-5d|%05d", [42n, 42n, 42n], "   42|42   |00042"],
    ["%+d % d %+d", [5n, 5n, -5n], "+5  5 -5"],
    [
      "%x %X %o %b %#x %#o %O",
      [255n, 255n, 255n, 255n, 255n, 255n, 255n],
      "ff FF 377 11111111 0xff 0377 0o377",
    ],
    ["%x %08.3d %.0d|", [-255n, 7n, 0n], "-ff      007 |"],
    ["%c %q %U %#U", [65n, 65n, 0x1f600n, 65n], "A 'A' U+1F600 U+0041 'A'"],
    ["%f %.2f %8.3f %-8.1f|", [3.14158, 3.14158, 3.14158, 3.14158], "3.141580 3.14    3.142 3.1     |"],
    [
      "%e %E %.3e %+.2e",
      [1234.5678, 1234.5678, 1234.5678, -0.0001234],
      "1.234568e+03 1.234568E+03 1.235e+03 -1.23e-04",
    ],
    ["%g %g %g %.3g %G", [1234.5678, 1e21, 1e-7, 1234.5678, 1e-7], "1234.5678 1e+21 1e-07 1.23e+03 1E-07"],
    ["%.3g %.10g %g", [100.0, 1.0 / 3, 100000.0], "100 0.3333333333 100000"],
    ["%v %v %v %v", [1e6, 3.0, 0.000001, 123456.0], "1e+06 3 1e-06 123456"],
    ["%.0f %.0f %.0f %.1f %.2f", [0.5, 1.5, 2.5, 0.05, 1.005], "0 2 2 0.1 1.00"],
    ["%08.3f|%+.1f|% .1f|%-7.2f|", [-3.14158, 2.0, 2.0, 1.5], "-003.142|+2.0| 2.0|1.50   |"],
    ["%6.2f%%", [99.5], " 99.50%"],
    ["%f %v %5.1f|", [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN], "+Inf -Inf   NaN|"],
    ["%t %v", [true, false], "true false"],
    ["%q %+q %#q %q", ['a"b', "é", "x", "\x01\n"], '"a\\"b" "\\u00e9" `x` "\\x01\\n"'],
    ["%x % x %X %#x", ["hi", "hi", "hi", "hi"], "6869 68 69 6869 0x6869"],
    ["%T %T %T %T %T %T", ["s", 1n, 1.5, true, null, [1n]], "string int float64 bool <nil> []interface {}"],
    [
      "%T %T %T",
      [new StringMap({}), new JsonNumber("1"), NIL_ANY_MAP],
      "map[string]string json.Number map[string]interface {}",
    ],
    ["%d", ["hello"], "%!d(string=hello)"],
    ["%s", [5n], "%!s(int=5)"],
    ["%d", [1.5], "%!d(float64=1.5)"],
    ["%s", [true], "%!s(bool=true)"],
    ["%s", [null], "%!s(<nil>)"],
    ["%v", [null], "<nil>"],
    ["%s %s", ["a"], "a %!s(MISSING)"],
    ["%s", ["a", "x", 1n], "a%!(EXTRA string=x, int=1)"],
    ["%d%%", [50n], "50%"],
    ["%*d|%-*d|", [5n, 42n, 4n, 7n], "   42|7   |"],
    ["%*d", ["x", 1n], "%!(BADWIDTH)1"],
    ["%.3s|%.10s|%5.1s|", ["abcdef", "ab", "xyz"], "abc|ab|    x|"],
    ["%[2]s %[1]s", ["a", "b"], "b a"],
    ["%[3]s", ["a"], "%!s(BADINDEX)"],
    ["%", [], "%!(NOVERB)"],
    ["%!", [], "%!!(MISSING)"],
    ["%z", [1n], "%!z(int=1)"],
    [
      "%v %s",
      [
        [1n, "a", null],
        ["a", 1n],
      ],
      "[1 a <nil>] [a %!s(int=1)]",
    ],
    ["%5s|%-5s|", ["ab", "ab"], "   ab|ab   |"],
    ["%d", [new JsonNumber("30")], "%!d(json.Number=30)"],
    ["%s %v %q", [new JsonNumber("30"), new JsonNumber("1.50"), new JsonNumber("7")], '30 1.50 "7"'],
    ["%v", [new StringMap({ b: "2", a: "1" })], "map[a:1 b:2]"],
    [
      "%+v",
      [
        defineStruct("x.T", [
          { go: "A", json: "a" },
          { go: "B", json: "b" },
        ]).make(["s", 2n]),
      ],
      "{A:s B:2}",
    ],
    [
      "%v",
      [
        defineStruct("x.T", [
          { go: "A", json: "a" },
          { go: "B", json: "b" },
        ]).make(["s", 2n]),
      ],
      "{s 2}",
    ],
    ["%v", [new GoTime(1136171045, 20000000, UTC)], "2006-01-02 03:04:05.02 +0000 UTC"],
  ];
  it.each(cases)("printf %s", (format, args, want) => {
    expect(sprintf(format, args)).toBe(want);
  });

  // Go's fmt: a width or precision whose digits pass 1e6 before the last one ends the format; a `*`
  // argument beyond ±1e6 is refused. Nothing is ever formatted a billion characters wide.
  it.each([
    ["%.999999999f", [1.0], "%!(NOVERB)%!(EXTRA float64=1)"],
    ["%999999999d|", [1n], "%!(NOVERB)%!(EXTRA int=1)"],
    ["%.10000010f|", [1.0], "%!(NOVERB)%!(EXTRA float64=1)"],
    ["%99999999999999999999s|", ["x"], "%!(NOVERB)%!(EXTRA string=x)"],
    ["%.*f|%*d|", [1000001n, 1.0, -1000001n, 2n], "%!(BADPREC)1.000000|%!(BADWIDTH)2|"],
    ["%.0000000000000000003f|", [1.0], "1.000|"],
    ["%#g|%#.3g|%#.0f|%#x|%.3x", [1.0, 1.0, 2.0, 1.0, 1 / 3], "1.00000|1.00|2.|0x1.0000p+00|0x1.555p-02"],
  ] as [string, unknown[], string][])("printf %s at Go's limits", (format, args, want) => {
    expect(sprintf(format, args)).toBe(want);
  });

  it.each([
    ["%.1000000f", [0.1], 1_000_002],
    ["%.1000001f", [1.0], 1_000_003],
    ["%.10000009f", [0.1], 10_000_011],
    ["%1000000d|%-1000001s|", [7n, "x"], 2_000_003],
    ["%.1000000x", [1.5], 1_000_008],
  ] as [string, unknown[], number][])("printf %s: as long as Go makes it", (format, args, length) => {
    expect(sprintf(format, args).length).toBe(length);
  });
});

describe("value printing", () => {
  const floats: [number, string][] = [
    [0, "0"],
    [1, "1"],
    [-0, "-0"],
    [1.5, "1.5"],
    [100, "100"],
    [123456, "123456"],
    [999999, "999999"],
    [1e6, "1e+06"],
    [1234567, "1.234567e+06"],
    [123456789, "1.23456789e+08"],
    [1700000000, "1.7e+09"],
    [1e20, "1e+20"],
    [1e21, "1e+21"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [2.5e-5, "2.5e-05"],
    [0.1 + 0.2, "0.30000000000000004"],
    [-3.25, "-3.25"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [5e-324, "5e-324"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "+Inf"],
    [Number.NEGATIVE_INFINITY, "-Inf"],
  ];
  it.each(floats)("float64 %d", (x, want) => {
    expect(formatValue(x)).toBe(want);
    expect(run("{{.}}", x)).toBe(want);
  });

  it("composite values", () => {
    const m = JSON.parse('{"b":1,"a":"x","c":[1,"y",null],"d":{"e":true}}');
    expect(run("{{.}}", m)).toBe("map[a:x b:1 c:[1 y <nil>] d:map[e:true]]");
    expect(run("{{.}}", new StringMap(null))).toBe("map[]");
    expect(run("{{.}}", 42n)).toBe("42");
    expect(run("{{.}}", true)).toBe("true");
    expect(run("{{.}}", new JsonNumber("30"))).toBe("30");
    expect(run("{{.}}", NIL_ANY_MAP)).toBe("map[]");
    expect(run("{{.}}", [])).toBe("[]");
    // text/template prints what a pointer points to; printf gets the pointer itself.
    expect(run("{{.}}", new GoColor("96"))).toBe("{[96] <nil>}");
    expect(run('{{printf "%v" .}}', new GoColor("96"))).toBe("&{[96] <nil>}");
    expect(run("{{.Labels}} {{.Annotations}}")).toBe("map[app:nginx env:prod] map[version:1.23.4]");
  });
});

describe("json marshal", () => {
  const cases: [string, unknown, string][] = [
    ["html escaping", "<a>&b", '"\\u003ca\\u003e\\u0026b"'],
    ["line separators", "a\u2028b\u2029", '"a\\u2028b\\u2029"'],
    ["control characters", '\x01\b\f\n\r\t\x1f"\\', '"\\u0001\\b\\f\\n\\r\\t\\u001f\\"\\\\"'],
    ["invalid utf-16 becomes U+FFFD", "a\ud800b", '"a\\ufffdb"'],
    ["unicode kept", "héllo 😀", '"héllo 😀"'],
    ["float integer", 1, "1"],
    ["float", 1.5, "1.5"],
    ["large float", 1e21, "1e+21"],
    ["float below 1e21", 1e20, "100000000000000000000"],
    ["small float", 1e-7, "1e-7"],
    ["small float boundary", 0.000001, "0.000001"],
    ["negative zero", -0, "-0"],
    ["int", 5n, "5"],
    ["json.Number", new JsonNumber("1.50"), "1.50"],
    ["bool and nil", [true, false, null], "[true,false,null]"],
    ["nested maps sorted", JSON.parse('{"b":{"z":1,"y":[]},"a":"x"}'), '{"a":"x","b":{"y":[],"z":1}}'],
    ["nil any map", NIL_ANY_MAP, "null"],
    ["nil string map", new StringMap(null), "null"],
    ["string map sorted", new StringMap({ z: "1", a: "<" }), '{"a":"\\u003c","z":"1"}'],
    ["time", new GoTime(1136171045, 20000000, UTC), '"2006-01-02T03:04:05.02Z"'],
    ["color", new GoColor("31"), "{}"],
    [
      "log with timestamp",
      makeLog("m", { Timestamp: "2024-01-01T00:00:00Z", Labels: new StringMap(null) }),
      '{"message":"m","timestamp":"2024-01-01T00:00:00Z","nodeName":"node1","namespace":"ns1","podName":"pod1","containerName":"container1","labels":null,"annotations":{"version":"1.23.4"}}',
    ],
  ];
  it.each(cases)("%s", (_name, v, want) => {
    expect(jsonMarshal(v)).toBe(want);
  });

  it("rejects NaN", () => {
    expect(() => jsonMarshal(Number.NaN)).toThrow("json: unsupported value: NaN");
  });

  it("indents like MarshalIndent", () => {
    expect(marshalIndent(JSON.parse('{"b":{},"a":[1,{"c":"d"}],"e":[]}'), "  ")).toBe(
      '{\n  "a": [\n    1,\n    {\n      "c": "d"\n    }\n  ],\n  "b": {},\n  "e": []\n}',
    );
  });
});
