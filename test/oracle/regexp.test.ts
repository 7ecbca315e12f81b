// Go's regexp is the reference: every pattern of the corpus is compiled and run by Go (test/oracle/
// regexp/main.go) and by the project, on the same bytes, and the answers must be the same bytes.
import { isUtf8 } from "node:buffer";
import { describe, expect, it } from "vitest";
import { lineFilter } from "../../src/cli/options.ts";
import { highlightBytes } from "../../src/format/highlight.ts";
import { compileGoRegex, type GoRegex, joinGoRegexes } from "../../src/util/goregex.ts";
import { goMinor, hex, runOracle } from "./go.ts";
import { COMMON_INPUTS, JOINS, PATTERNS } from "./regexp/corpus.ts";

interface Result {
  err: string;
  match: boolean[];
  hl: string[];
}

const message = (err: unknown) => (err as Error).message;

/** The project's answer, in the oracle's form: matches of `one`, highlights of the joined `hl`. */
function project(one: () => GoRegex | undefined, hl: () => GoRegex | undefined, inputs: string[]): Result {
  let matcher: GoRegex | undefined;
  let joined: GoRegex | undefined;
  try {
    matcher = one();
  } catch (err) {
    return { err: message(err), match: [], hl: [] };
  }
  try {
    joined = hl();
  } catch (err) {
    if (!matcher) return { err: message(err), match: [], hl: [] };
    // Go compiles each pattern alone and fails only when joining (stern panics on its first line).
    return {
      err: "",
      match: inputs.map((h) => matcher.testBytes(Buffer.from(h, "hex"))),
      hl: [message(err)],
    };
  }
  const r: Result = { err: "", match: [], hl: [] };
  const re = matcher ?? joined;
  const filter = re ? lineFilter([re], []) : undefined;
  for (const h of inputs) {
    const bytes = Buffer.from(h, "hex");
    // Every way the project asks: the line filter (one decode for ASCII lines), bytes, and text.
    const answers = new Set([filter?.(bytes, 0, bytes.length) ?? false, re?.testBytes(bytes) ?? false]);
    if (re && isUtf8(bytes)) answers.add(re.test(bytes.toString("utf8")));
    if (answers.size > 1) return { err: "the project's ways of matching disagree", match: [], hl: [] };
    r.match.push([...answers][0] as boolean);
    r.hl.push(joined ? highlightBytes(bytes, joined).toString("hex") : h);
  }
  return r;
}

describe("regular expressions, against Go's regexp", () => {
  const newer = goMinor();
  const cases = PATTERNS.filter((c) => (c.sinceGo ?? 0) <= newer);
  const request = {
    patterns: cases.map((c) => ({ p: c.p, in: [...COMMON_INPUTS, ...(c.in ?? [])].map(hex) })),
    joins: JOINS.map((j) => ({ ps: j.ps, in: [...COMMON_INPUTS, ...(j.in ?? [])].map(hex) })),
  };
  const go = runOracle<{ patterns: Result[]; joins: Result[] }>("regexp", request);

  it(`agrees on all ${cases.length} patterns (compile errors, matches, highlights)`, () => {
    const differ: string[] = [];
    request.patterns.forEach((c, i) => {
      const mine = project(
        () => compileGoRegex(c.p),
        () => joinGoRegexes([compileGoRegex(c.p)]),
        c.in,
      );
      if (JSON.stringify(mine) !== JSON.stringify(go.patterns[i])) differ.push(c.p);
    });
    expect(differ).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(300);
  });

  it(`agrees on all ${JOINS.length} joins of several -i/-H patterns`, () => {
    const differ: string[] = [];
    request.joins.forEach((j, i) => {
      const mine = project(
        () => undefined,
        () => joinGoRegexes(j.ps.map(compileGoRegex)),
        j.in,
      );
      if (JSON.stringify(mine) !== JSON.stringify(go.joins[i])) differ.push(j.ps.join(" , "));
    });
    expect(differ).toEqual([]);
  });
});
