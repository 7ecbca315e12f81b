// spf13/cobra and pflag are the reference for what the command says about itself:
// test/oracle/cobra/main.go builds stern's cobra command (Use, Short and usage template from stern's
// cmd/cmd.go) with the project's flag table declared in pflag, and returns what cobra prints for
// --help, what stern prints for --show-hidden-options, the completion scripts, and cobra's
// `__complete` answers. The project must print the same bytes.
import { describe, expect, it } from "vitest";
import { commandFlags, SHORT, USAGE_SUFFIX, USE } from "../../src/cli/command.ts";
import { FLAGS, type FlagSpec } from "../../src/cli/flags.ts";
import { helpText, hiddenOptionsText } from "../../src/cli/help.ts";
import { runOracle } from "./go.ts";

interface Run {
  stdout: string;
  stderr: string;
  failed: boolean;
}

interface Stub {
  comps: string[];
  directive: number;
}

interface Response {
  help: Run[];
  hidden: Run;
  scripts: Record<"bash" | "zsh" | "fish" | "powershell", string>;
  complete: Run[];
}

interface Request {
  flags: readonly FlagSpec[];
  help?: string[][];
  flagStubs?: Record<string, Stub>;
  argsStub?: Stub;
  complete?: string[][];
}

/** Asks the oracle about a flag table, declared as the project declares it. */
function cobra(req: Request): Response {
  const flags = commandFlags(req.flags).map((f, i) => ({
    name: f.name,
    short: f.short,
    type: f.type,
    default: (req.flags[i] as FlagSpec).default,
    usage: f.usage,
    hidden: f.hidden,
    noOpt: f.type === "bool" ? "" : f.noOptDefVal,
  }));
  return runOracle<Response>("cobra", {
    use: USE,
    short: SHORT,
    usageSuffix: USAGE_SUFFIX,
    flags,
    help: req.help ?? [],
    flagStubs: req.flagStubs ?? {},
    argsStub: req.argsStub ?? null,
    complete: req.complete ?? [],
  });
}

/** A table with what stern's has not: every type with and without a default, odd defaults and usages. */
const ODD: FlagSpec[] = [
  { name: "zeta", type: "string", default: 'a "quoted"\tvalue', description: "Goes last." },
  { name: "alpha", short: "a", type: "float", default: 0.5, description: "A float." },
  { name: "big", type: "float", default: 1234567, description: "A float with an exponent." },
  { name: "tiny", type: "float", default: 0.00001, description: "A small float." },
  { name: "neg", type: "int", default: -3, description: "Negative." },
  { name: "wait", type: "duration", default: "1h30m", description: "Written back as Go writes it." },
  { name: "short-wait", type: "duration", default: "1500us", description: "Under a second." },
  { name: "no-wait", type: "duration", default: "0", description: "Zero." },
  { name: "list", short: "L", type: "stringSlice", default: ["a", "b,c", ' d"'], description: "A list." },
  { name: "array", type: "stringArray", default: ["x"], description: "An array." },
  { name: "on", type: "bool", default: true, description: "On by default." },
  { name: "named", type: "string", default: "", description: "Path to the `file` to read." },
  { name: "multi", type: "string", default: "", description: "First line\nsecond line." },
  { name: "secret", type: "string", default: "s", hidden: true, description: "Hidden." },
  { name: "timestamps", short: "t", type: "string", default: "", description: "Optional value." },
];

describe("--help and --show-hidden-options, against cobra and pflag", () => {
  const go = cobra({ flags: FLAGS, help: [["--help"], ["-h"]] });

  it("prints cobra's help for the project's flags, byte for byte", () => {
    expect(go.help[0]?.stderr).toBe("");
    expect(helpText()).toBe(go.help[0]?.stdout);
    expect(helpText()).toBe(go.help[1]?.stdout);
  });

  it("prints stern's list of hidden options, byte for byte (header and rows)", () => {
    expect(hiddenOptionsText()).toBe(go.hidden.stdout + go.hidden.stderr);
  });

  it("follows pflag on every type, default and usage the table could hold", () => {
    const odd = cobra({ flags: ODD, help: [["--help"]] });
    const flags = commandFlags(ODD);
    expect(helpText(flags)).toBe(odd.help[0]?.stdout);
    expect(hiddenOptionsText(flags)).toBe(odd.hidden.stdout + odd.hidden.stderr);
  });
});
