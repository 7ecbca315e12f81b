import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { compileGoRegex, requiredLiteral, unnameGroups } from "../../../src/util/goregex.ts";
import { linearCapable, toV8Regex, toV8Source } from "../../../src/util/goregex-v8.ts";

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

  it("a leading (?i) makes letters case classes, never V8's i flag; (?m) and later flags are left out", () => {
    expect(String(toV8Regex("(?i)error|warn"))).toBe("/[eE][rR][rR][oO][rR]|[wW][aA][rR][nN]/");
    expect(String(toV8Regex("(?si)a.b"))).toBe("/[aA][^][bB]/");
    expect(String(toV8Regex("(?i)[^k]"))).toBe("/[^\\x4b\\x6b]/");
    expect(String(toV8Regex("(?i)[Z-a\\d]"))).toBe("/[\\x30-\\x39\\x41\\x5a-\\x61\\x7a]/");
    expect(String(toV8Regex("(?i)[]a-]\\w"))).toBe("/[\\x2d\\x41\\x5d\\x61]\\w/");
    expect(toV8Regex("(?i)[[:alpha:]]")).toBeUndefined();
    expect(toV8Regex("(?i)[\\S]")).toBeUndefined();
    expect(toV8Regex("(?m)^a")).toBeUndefined();
    expect(toV8Regex("a(?i)b")).toBeUndefined();
    expect(toV8Regex("(?i:a)")).toBeUndefined();
  });

  it("only a regexp V8's linear engine takes is used, so its backtracking always has a way out", () => {
    expect(linearCapable("([aA]|[aA][aA])*[cC]")).toBe(true);
    expect(linearCapable("(a)\\1")).toBe(false);
    expect(linearCapable("a{2000}")).toBe(false);
    for (const p of ["(?i)(a|aa)*c", "(?is)^(\\w+\\s?)*$", "(?s).*", "\\bx[^a-c]+?\\B"]) {
      const re = toV8Regex(p);
      expect(re?.flags).toBe("");
      expect(linearCapable(re?.source ?? "")).toBe(true);
    }
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

// A hang cannot be caught in-process: each batch runs in a child Node, killed after a generous
// timeout (each match takes milliseconds; a backtracking engine would take years).
describe("no pattern can hang", () => {
  const MODULE = new URL("../../../src/util/goregex.ts", import.meta.url).pathname;
  const CHILD = `
    import { compileGoRegex } from ${JSON.stringify(MODULE)};
    const cases = JSON.parse(process.argv[1]);
    const out = cases.map(([p, line]) => {
      const re = compileGoRegex(p);
      return [re.testBytes(Buffer.from(line)), re.test(line)];
    });
    process.stdout.write(JSON.stringify(out));
  `;
  function matchInChild(cases: [string, string][]): boolean[][] {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", CHILD, JSON.stringify(cases)], {
      encoding: "utf8",
      timeout: 20_000,
      killSignal: "SIGKILL",
    });
    if (r.signal) throw new Error(`the child was killed (${r.signal}): a match did not finish within 20s`);
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as boolean[][];
  }

  const line = `${"a".repeat(39)}!`;
  const words = `${"ab ".repeat(13)}!`;
  it.each([
    ["(?i)(a|aa)*c", line, false],
    ["(?i)(a|aa)*c", "AaAaC", true],
    ["(?i)^(\\w+\\s?)*$", words, false],
    ["(?i)^(\\w+\\s?)*$", "Ab Cd", true],
    ["(?is)(a|aa)*c", line, false],
    ["(?si)(a|aa)*.c", line, false],
    ["(?s)(a|aa)*c", line, false],
    ["(?i:(a|aa)*c)", line, false],
    ["x(?i)(a|aa)*c", line, false],
    ["(?i)([a-z]|[A-Z][a-z])*[^a-z]c", line, false],
    ["(?i)(?s)(a|aa)*c", line, false],
    ["(?m)(a|aa)*c", line, false],
    ["(?U)(a|aa)*c", line, false],
  ])("%s on a hostile ASCII line %s finishes: %s", (p, text, match) => {
    expect(matchInChild([[p, text]])).toEqual([[match, match]]);
  });
});
