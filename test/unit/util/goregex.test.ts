import { describe, expect, it } from "vitest";
import { compileGoRegex, requiredLiteral, unnameGroups } from "../../../src/util/goregex.ts";
import { toV8Regex, toV8Source } from "../../../src/util/goregex-v8.ts";

describe("compileGoRegex", () => {
  const cases: [string, string, boolean][] = [
    ["web-\\w", "web-backend", true],
    ["web-\\w", "web-123", true],
    ["web-\\w", "web-", false],
    ["^web$", "web", true],
    ["^web$", "web-1", false],
    ["(?i)WEB", "my-web-1", true],
    ["(?i)^WEB", "my-web", false],
    ["(?P<app>api)-\\d+", "api-12", true],
    ["\\Aapi", "api-1", true],
    ["\\Aapi", "my-api", false],
    ["api\\z", "my-api", true],
    ["api\\z", "api-1", false],
    ["\\Q.+\\E", "a.+b", true],
    ["\\Q.+\\E", "aab", false],
    ["[[:digit:]]+x", "ab12x", true],
    ["[[:alpha:]]{3}", "12ab3", false],
    ["[^[:space:]]", " ", false],
    ["[]a]", "]", true],
    ["\\pL+", "é", true],
    [".*", "", true],
    ["", "anything", true],
  ];
  it.each(cases)("%s on %s -> %s", (re, text, match) => {
    expect(compileGoRegex(re).test(text)).toBe(match);
  });

  it.each([
    ["(", "error parsing regexp: missing closing ): `(`"],
    ["a[", "error parsing regexp: missing closing ]: `[`"],
    ["[[:nope:]]", "error parsing regexp: invalid character class range: `[:nope:]`"],
    ["a\\", "error parsing regexp: trailing backslash at end of expression: ``"],
    ["(?=x)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"],
    // Go 1.22 and later (stern's Go), which take (?<name> as a named group.
    ["(?<=x)", "error parsing regexp: invalid named capture: `(?<=x)`"],
  ])("rejects %s as Go does", (re, why) => {
    expect(() => compileGoRegex(re)).toThrow(why);
  });

  it("takes what Go 1.22 and later take: (?<name>), and a name twice", () => {
    expect(compileGoRegex("(?<app>api)-(?<app>\\d)").test("api-1")).toBe(true);
    expect(compileGoRegex("(?P<n>a)|(?P<n>b)").test("b")).toBe(true);
  });

  it("names in classes, escapes and quotes stay when groups are unnamed", () => {
    expect(unnameGroups("(?P<a>x)[(?P<b>]\\(?P<c>\\Q(?P<d>\\E(?<e>y)")).toBe(
      "(x)[(?P<b>]\\(?P<c>\\Q(?P<d>\\E(y)",
    );
  });

  it("matches bytes: invalid UTF-8 as one U+FFFD per byte, as Go", () => {
    const bad = Buffer.from([0x61, 0xe2, 0x82, 0x62]);
    expect(compileGoRegex("^a..b$").testBytes(bad)).toBe(true);
    expect(compileGoRegex("^a.b$").testBytes(bad)).toBe(false);
    expect(compileGoRegex("\\x{FFFD}").testBytes(bad)).toBe(true);
    expect(compileGoRegex("b").testBytes(Buffer.from("xxbyy"), 0, 2)).toBe(false);
    expect(compileGoRegex("b").testBytes(Buffer.from("xxbyy"), 2, 3)).toBe(true);
  });

  it("never backtracks: a pathological pattern on a long line is fast", () => {
    const line = Buffer.from(`${"a".repeat(100_000)}!`);
    const t0 = performance.now();
    expect(compileGoRegex("(a+)+$x").testBytes(line)).toBe(false);
    expect(compileGoRegex("(.*a){20}b").testBytes(line)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it("on V8's path too: a deep backtrack on a multi-megabyte line falls back, never throws", () => {
    const line = Buffer.from("ab ".repeat(1_000_000));
    expect(compileGoRegex("(\\w+\\s?)+=").testBytes(line)).toBe(false);
    expect(compileGoRegex("^(a|b|ab| )+$x").testBytes(line)).toBe(false);
  });

  it.each([
    ["a.b", "a[^\\n]b"],
    ["\\s+\\S", "[\\t\\n\\f\\r ]+[^\\t\\n\\f\\r ]"],
    ["[\\s\\d]]", "[\\t\\n\\f\\r \\d]\\]"],
    ["(?:a|b)*?c$", "(?:a|b)*?c$"],
    ["[]a]", "[\\]a]"],
    ["(?i)a", undefined],
    ["a{2}", undefined],
    ["\\Aa", undefined],
    ["[[:alpha:]]", undefined],
    ["[\\S]", undefined],
    ["é", undefined],
  ])("V8 form of %s: %s", (re, v8) => {
    expect(toV8Source(re)).toBe(v8);
  });

  it("a leading (?i) or (?s) becomes V8's flag; (?m) and later flags do not", () => {
    expect(String(toV8Regex("(?i)error|warn"))).toBe("/error|warn/i");
    expect(String(toV8Regex("(?si)a.b"))).toBe("/a[^]b/i");
    expect(toV8Regex("(?m)^a")).toBeUndefined();
    expect(toV8Regex("a(?i)b")).toBeUndefined();
  });

  it.each([
    ["status=[45]\\d\\d", "status="],
    ["error.*timeout", "timeout"],
    ["x{2}yz", "yz"],
    ["\\.json$", ".json"],
    ["foo(bar)?baz", "foo"],
    ["ab{,3}cd", "cd"],
    ["a\\.b*", "a."],
    ["(?i)timeout", undefined],
    ["a(?i)bc", undefined],
    ["error|warn", undefined],
    ["ab+c", undefined],
    ["[ab]c", undefined],
    ["\\Qa.b\\E", undefined],
  ])("a match of %s needs %s", (re, lit) => {
    expect(requiredLiteral(re)).toBe(lit);
  });
});
