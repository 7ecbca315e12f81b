// spf13/cobra and pflag are the reference for what the command says about itself:
// test/oracle/cobra/main.go builds stern's cobra command (Use, Short and usage template from stern's
// cmd/cmd.go) with the project's flag table declared in pflag, and returns what cobra prints for
// --help, what stern prints for --show-hidden-options, the completion scripts, and cobra's
// `__complete` answers. The project must print the same bytes.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CompletionCommand, type CompletionContext, runComplete } from "../../src/cli/cobra-complete.ts";
import { commandFlags, SHORT, USAGE_SUFFIX, USE } from "../../src/cli/command.ts";
import { completionScript, SHELLS } from "../../src/cli/completion.ts";
import { sternCompletion } from "../../src/cli/completion-candidates.ts";
import { FLAGS, type FlagSpec } from "../../src/cli/flags.ts";
import { helpText, hiddenOptionsText } from "../../src/cli/help.ts";
import { COMPLETE_LINES } from "./cobra/corpus.ts";
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
  completeEnv?: Record<string, string>;
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
    completeEnv: req.completeEnv ?? {},
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

describe("__complete, against cobra", () => {
  // The project's own functions are tested in test/unit/cli; here each is a stub that answers the same
  // on both sides and reports how it was called, so what is compared is cobra's part: which word is
  // completed, with which arguments, by which function, and what is printed. The stubs are registered
  // for the flags the project registers a function for.
  const project = sternCompletion({
    contexts: async () => [],
    namespaces: async () => [],
    nodes: async () => [],
    names: async () => [],
  });
  const registered = project.flags.map((f) => f.name).filter((n) => project.flagCompletion(n) !== undefined);
  const flagStubs: Record<string, Stub> = Object.fromEntries(
    registered.map((name, i) => [
      name,
      { comps: [`${name}-a`, `${name}-b\tthe b of ${name}`], directive: [4, 6, 0, 1, 2][i % 5] as number },
    ]),
  );
  const argsStub: Stub = {
    comps: ["pod/", "with\ttab", "two\nlines", "  padded\t  ", "_activeHelp_ hint"],
    directive: 6,
  };
  const called = (fn: string, ctx: CompletionContext) =>
    `call ${fn} [${ctx.args.join("|")}] <${ctx.toComplete}>`;
  const stubbed: CompletionCommand = {
    name: "stern",
    flags: commandFlags(FLAGS),
    flagCompletion: (name) => {
      const s = flagStubs[name];
      return s && ((ctx) => ({ completions: [...s.comps, called(name, ctx)], directive: s.directive }));
    },
    validArgs: (ctx) => ({
      completions: [...argsStub.comps, called("args", ctx)],
      directive: argsStub.directive,
    }),
  };
  const calls = COMPLETE_LINES.flatMap((line) => [
    ["__complete", ...line],
    ["__completeNoDesc", ...line],
  ]);
  const mine = async (lines: string[][], env: NodeJS.ProcessEnv): Promise<Run[]> => {
    const out: Run[] = [];
    for (const [calledAs, ...words] of lines) {
      const r = await runComplete(stubbed, calledAs as "__complete", words, env, USAGE_SUFFIX);
      out.push({ stdout: r.stdout, stderr: r.stderr, failed: r.code !== 0 });
    }
    return out;
  };

  it(`answers ${calls.length} command lines as cobra does: stdout, stderr and failure`, async () => {
    const go = cobra({ flags: FLAGS, flagStubs, argsStub, complete: calls });
    const got = await mine(calls, {});
    const differ = calls
      .map((line, i) => ({ line, go: go.complete[i], mine: got[i] }))
      .filter((d) => JSON.stringify(d.go) !== JSON.stringify(d.mine));
    expect(differ).toEqual([]);
    // The corpus reaches every branch: flag names, values, arguments, cobra's errors, no arguments.
    const printed = got.map((r) => r.stdout + r.stderr).join("");
    for (const part of [
      "--color\t",
      "call color [] <a>",
      "call args [",
      "[Error] Error while parsing",
      "[Error] Subcommand",
      "requires at least 1 arg",
    ]) {
      expect(printed).toContain(part);
    }
  });

  it("writes cobra's debug lines to BASH_COMP_DEBUG_FILE, and drops ActiveHelp when it is off", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stern-compdebug-"));
    try {
      const env = (name: string) => ({ BASH_COMP_DEBUG_FILE: join(dir, name), STERN_ACTIVE_HELP: "0" });
      const go = cobra({ flags: FLAGS, flagStubs, argsStub, complete: calls, completeEnv: env("go") });
      const got = await mine(calls, env("ts"));
      expect(got).toEqual(go.complete);
      expect(readFileSync(join(dir, "ts"), "utf8")).toBe(readFileSync(join(dir, "go"), "utf8"));
      expect(readFileSync(join(dir, "ts"), "utf8")).toContain("[Debug] [Error] ");
      expect(got.some((r) => r.stdout.includes("_activeHelp_"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the completion scripts", () => {
  const go = cobra({ flags: FLAGS });
  for (const shell of SHELLS) {
    it(`--completion ${shell} prints what cobra generates for stern`, () => {
      expect(completionScript(shell)).toBe(go.scripts[shell]);
    });
  }
});
