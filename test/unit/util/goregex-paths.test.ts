// The regex fast paths against their slow twin: on ASCII lines a pattern may run on V8 (rewritten
// from Go's syntax), and the line filter decodes an ASCII line once for every pattern; re2js, a port
// of Go's regexp, is the reference both must agree with (Go itself checks re2js in test/oracle/).
import fc from "fast-check";
import { RE2JS } from "re2js";
import { describe, expect, it } from "vitest";
import { lineFilter } from "../../../src/cli/options.ts";
import { compileGoRegex } from "../../../src/util/goregex.ts";

// Patterns the fast path takes (and some it leaves to re2js), over a small alphabet so they match.
const PATTERNS = [
  "ab",
  "a.c",
  "^a",
  "c$",
  "a|bc",
  "(a|aa)*c",
  "[a-c]+d",
  "[^a]b",
  "\\d+",
  "\\w\\s\\w",
  "(?i)AB",
  "(?i)[A-C]x",
  "(?i)[^k]",
  "(?s)a.b",
  "(?i)^(\\w+\\s?)*$",
  "a{2,3}",
  "\\bab\\b",
  "x*",
  "(?:ab)+c?",
  "[[:alpha:]]1",
];
const ALPHABET = ["a", "b", "c", "d", "k", "K", "A", "B", "x", "1", " ", "\t", "\n", ".", "-", "_"];
const asciiLine = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 40 }).map((a) => a.join(""));

describe("regex fast paths agree with re2js", () => {
  it("testAscii (V8 where it can) and testBytes give re2js's answer on ASCII lines", () => {
    const compiled = PATTERNS.map((p) => ({ p, re: compileGoRegex(p), ref: RE2JS.compile(p) }));
    fc.assert(
      fc.property(asciiLine, fc.integer({ min: 0, max: compiled.length - 1 }), (line, k) => {
        const { re, ref } = compiled[k]!;
        const want = ref.matcher(line).find();
        expect(re.testAscii(line)).toBe(want);
        expect(re.testBytes(Buffer.from(line))).toBe(want);
        expect(re.test(line)).toBe(want);
      }),
      { numRuns: 5000 },
    );
  });

  it("the line filter's ASCII branch and its bytes branch decide alike", () => {
    const compiled = PATTERNS.map((p) => compileGoRegex(p));
    const pick = fc.subarray(compiled, { maxLength: 3 });
    fc.assert(
      fc.property(asciiLine, pick, pick, fc.constantFrom("", "é", "\xff"), (line, include, exclude, tail) => {
        const keep = lineFilter(include, exclude);
        if (!keep) return;
        // An ASCII line takes the decoded-once branch, the same line with a non-ASCII tail the bytes
        // branch: each must decide as the patterns' own byte tests do.
        const ascii = Buffer.from(line);
        const bytesOnly = (buf: Buffer) =>
          !exclude.some((re) => re.testBytes(buf, 0, buf.length)) &&
          (include.length === 0 || include.some((re) => re.testBytes(buf, 0, buf.length)));
        expect(keep(ascii, 0, ascii.length)).toBe(bytesOnly(ascii));
        const mixed = Buffer.concat([ascii, Buffer.from(tail, "latin1")]);
        expect(keep(mixed, 0, mixed.length)).toBe(bytesOnly(mixed));
      }),
      { numRuns: 3000 },
    );
  });

  it("a line tested inside a larger buffer (a read of many lines) gives the answer of the line alone", () => {
    const compiled = [...PATTERNS, "needle", "é", "x"].map((p) => compileGoRegex(p));
    fc.assert(
      fc.property(
        asciiLine,
        asciiLine,
        asciiLine,
        fc.integer({ min: 0, max: compiled.length - 1 }),
        (before, line, after, k) => {
          const re = compiled[k]!;
          const buf = Buffer.from(`${before}\n${line}\n${after}needle é`);
          const start = before.length + 1;
          const end = start + line.length;
          expect(re.testBytes(buf, start, end)).toBe(re.testBytes(Buffer.from(line)));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
