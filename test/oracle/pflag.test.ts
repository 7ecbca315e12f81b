// spf13/pflag is the reference for the command line: test/oracle/pflag/main.go declares the
// project's flags (with cobra's -h/--help) in real pflag and parses every line of the corpus; the
// project's parser must fail with the same text or set the same flags to the same values.
import { describe, expect, it } from "vitest";
import { PFLAG_SPECS } from "../../src/cli/args.ts";
import { type PflagValue, parsePflag } from "../../src/cli/pflag.ts";
import { runOracle } from "./go.ts";
import { COMMAND_LINES } from "./pflag/corpus.ts";

interface Result {
  err: string;
  changed: Record<string, unknown>;
  args: string[];
  dash: number;
}

/** A value in the oracle's form: numbers as text (float32 widened), durations in nanoseconds. */
function asOracle(v: PflagValue): unknown {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return Number.isFinite(v) ? v : v > 0 ? "+Inf" : v < 0 ? "-Inf" : "NaN";
  if (typeof v === "object" && !Array.isArray(v)) return v.durationNs.toString();
  return v;
}

function project(line: string[]): Result {
  try {
    const r = parsePflag(line, PFLAG_SPECS);
    const changed: Record<string, unknown> = {};
    for (const [k, v] of r.changed) changed[k] = asOracle(v);
    return { err: "", changed, args: r.args, dash: r.argsLenAtDash };
  } catch (err) {
    return { err: (err as Error).message, changed: {}, args: [], dash: 0 };
  }
}

const sorted = (r: Result) => ({ ...r, changed: Object.fromEntries(Object.entries(r.changed).sort()) });

describe("the command line, against spf13/pflag", () => {
  const flags = PFLAG_SPECS.filter((f) => f.name !== "help").map((f) => ({
    name: f.name,
    short: f.short ?? "",
    type: f.type,
    noOpt: f.type === "bool" ? "" : (f.noOptDefVal ?? ""),
  }));
  const go = runOracle<Result[]>("pflag", { flags, lines: COMMAND_LINES });

  it(`parses all ${COMMAND_LINES.length} command lines as pflag does`, () => {
    const differ: { line: string[]; go: Result; mine: Result }[] = [];
    COMMAND_LINES.forEach((line, i) => {
      const want = sorted(go[i] as Result);
      const mine = sorted(project(line));
      if (JSON.stringify(want) !== JSON.stringify(mine)) differ.push({ line, go: want, mine });
    });
    expect(differ).toEqual([]);
  });
});
