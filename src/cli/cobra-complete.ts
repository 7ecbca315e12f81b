// cobra's `__complete` command (spf13/cobra 1.6, completions.go) for a root command without
// subcommands, as stern is: which word is completed (a flag's name, a flag's value, an argument),
// which completion function answers it, and what is printed: one candidate a line (`name\tdescription`,
// descriptions dropped for `__completeNoDesc`), then `:<directive>`, and cobra's notes on stderr.
// test/oracle/cobra.test.ts runs it and cobra side by side with the same completion functions.
import { appendFileSync } from "node:fs";
import { HELP_FLAG, type PflagFlag } from "./command.ts";
import { PflagError, type PflagSpec, type PflagValue, parsePflag } from "./pflag.ts";

/** cobra's ShellCompDirective bits. */
export const Directive = {
  Default: 0,
  Error: 1,
  NoSpace: 2,
  NoFileComp: 4,
  FilterFileExt: 8,
  FilterDirs: 16,
} as const;
const MAX_DIRECTIVE = 32;

export interface CompletionContext {
  /** The arguments on the line (flags and the flag being completed left out), as cobra passes them. */
  args: string[];
  toComplete: string;
  /** The flags set on the line, with their values as pflag parsed them. */
  changed: ReadonlyMap<string, PflagValue>;
}

export interface CompletionResult {
  completions: string[];
  directive: number;
}

export type CompletionFn = (ctx: CompletionContext) => CompletionResult | Promise<CompletionResult>;

export interface CompletionCommand {
  name: string;
  /** The command's flags (cobra adds -h/--help). */
  flags: readonly PflagFlag[];
  /** The function registered for a flag (RegisterFlagCompletionFunc), if any. */
  flagCompletion(name: string): CompletionFn | undefined;
  /** The command's ValidArgsFunction. */
  validArgs?: CompletionFn;
  /** Beyond cobra: hidden flags are offered once the word typed says this much. */
  offerHidden?: (toComplete: string) => boolean;
  /** Beyond cobra: `-xVALUE` (a shorthand with its value attached) completes the value. */
  attachedValues?: boolean;
}

interface Found {
  completions: string[];
  directive: number;
  error?: string;
}

const isRepeatable = (f: PflagFlag) => f.type === "stringSlice" || f.type === "stringArray";

/** Go's fmt %v of a []string. */
const goSlice = (xs: readonly string[]) => `[${xs.join(" ")}]`;

/** cobra's isFlagArg (its first test does not look at the first character). */
function isFlagArg(arg: string): boolean {
  return (arg.length >= 3 && arg[1] === "-") || (arg.length >= 2 && arg[0] === "-" && arg[1] !== "-");
}

function findFlag(flags: readonly PflagFlag[], name: string): PflagFlag | undefined {
  if (name.length === 1) return flags.find((f) => f.short === name);
  return flags.find((f) => f.name === name);
}

interface FlagCompletion {
  flag: PflagFlag | undefined;
  args: string[];
  toComplete: string;
  /** cobra's flagCompError: a flag on the line the command does not have. */
  unknownFlag?: string;
}

/** cobra's checkIfFlagCompletion: is the word a flag's value (`--flag=v`, or after `--flag`)? */
function checkIfFlagCompletion(flags: readonly PflagFlag[], args: string[], lastArg: string): FlagCompletion {
  let flagName = "";
  let trimmed = args;
  let withEqual = false;
  let toComplete = lastArg;
  if (lastArg.startsWith("-")) {
    const eq = lastArg.indexOf("=");
    if (eq < 0) return { flag: undefined, args, toComplete };
    // A shorthand before '=' is its last letter: -asd=x is d's value.
    flagName = lastArg.startsWith("--") && eq >= 2 ? lastArg.slice(2, eq) : lastArg.slice(eq - 1, eq);
    toComplete = lastArg.slice(eq + 1);
    withEqual = true;
  }
  if (flagName === "" && args.length > 0) {
    const prev = args[args.length - 1] as string;
    if (isFlagArg(prev) && !prev.includes("=")) {
      flagName = prev.startsWith("--") ? prev.slice(2) : prev.slice(-1);
      trimmed = args.slice(0, -1);
    }
  }
  if (flagName === "") return { flag: undefined, args: trimmed, toComplete };
  const flag = findFlag(flags, flagName);
  if (!flag) return { flag: undefined, args, toComplete: lastArg, unknownFlag: flagName };
  // A flag that takes no value (a boolean) given alone: the word is an argument after all.
  if (!withEqual && flag.noOptDefVal !== "") return { flag: undefined, args, toComplete };
  return { flag, args: trimmed, toComplete };
}

function flagNameCompletions(f: PflagFlag, toComplete: string, hiddenOk: boolean): string[] {
  if (f.hidden && !hiddenOk) return [];
  const out: string[] = [];
  if (`--${f.name}`.startsWith(toComplete)) out.push(`--${f.name}\t${f.usage}`);
  if (f.short !== "" && `-${f.short}`.startsWith(toComplete)) out.push(`-${f.short}\t${f.usage}`);
  return out;
}

/** cobra's getCompletions: the candidates and directive for the last of `args`. */
export async function getCompletions(cmd: CompletionCommand, args: readonly string[]): Promise<Found> {
  const lastArg = args[args.length - 1] ?? "";
  // cobra adds its help flag unless the command has one.
  const flags = cmd.flags.some((f) => f.name === HELP_FLAG.name)
    ? [...cmd.flags]
    : [...cmd.flags, { ...HELP_FLAG, usage: `help for ${cmd.name}` }];
  const specs: PflagSpec[] = flags.map((f) => ({
    name: f.name,
    ...(f.short !== "" ? { short: f.short } : {}),
    type: f.type,
    ...(f.noOptDefVal !== "" ? { noOptDefVal: f.noOptDefVal } : {}),
  }));
  const found = checkIfFlagCompletion(flags, args.slice(0, -1), lastArg);
  const { flag, toComplete } = found;

  // A "--" already on the line makes the "--" cobra appends an argument: no flag completion then.
  let newArgCount = 0;
  try {
    newArgCount = parsePflag([...found.args, "--"], specs).args.length;
  } catch (err) {
    if (!(err instanceof PflagError)) throw err;
  }
  let parsed: ReturnType<typeof parsePflag>;
  try {
    parsed = parsePflag(found.args, specs);
  } catch (err) {
    if (!(err instanceof PflagError)) throw err;
    return {
      completions: [],
      directive: Directive.Default,
      error: `Error while parsing flags from args ${goSlice(found.args)}: ${err.message}`,
    };
  }
  const flagCompletion = !(newArgCount > parsed.args.length);
  if (found.unknownFlag !== undefined && flagCompletion) {
    return {
      completions: [],
      directive: Directive.Default,
      error: `Subcommand '${cmd.name}' does not support flag '${found.unknownFlag}'`,
    };
  }
  if (parsed.changed.has("help")) return { completions: [], directive: Directive.NoFileComp };
  const positional = parsed.args;
  const ctx = (word: string): CompletionContext => ({
    args: positional,
    toComplete: word,
    changed: parsed.changed,
  });

  if (!flag && toComplete.startsWith("-") && !toComplete.includes("=") && flagCompletion) {
    const hiddenOk = cmd.offerHidden?.(toComplete) ?? false;
    const sorted = [...flags].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    const completions: string[] = [];
    for (const f of sorted) {
      if (!parsed.changed.has(f.name) || isRepeatable(f)) {
        completions.push(...flagNameCompletions(f, toComplete, hiddenOk));
      }
    }
    if (completions.length === 0 && cmd.attachedValues) {
      completions.push(...(await attachedValue(cmd, flags, toComplete, ctx)));
    }
    const directive =
      completions.length === 1 && completions[0]?.endsWith("=") ? Directive.NoSpace : Directive.NoFileComp;
    return { completions, directive };
  }

  const fn = flag && flagCompletion ? cmd.flagCompletion(flag.name) : cmd.validArgs;
  if (!fn) return { completions: [], directive: Directive.Default };
  const r = await fn(ctx(toComplete));
  return { completions: [...r.completions], directive: r.directive };
}

/** `-oj`, `-Aoj`: the value of the shorthand that takes one, completed with the flag's function. */
async function attachedValue(
  cmd: CompletionCommand,
  flags: readonly PflagFlag[],
  word: string,
  ctx: (word: string) => CompletionContext,
): Promise<string[]> {
  for (let i = 1; i < word.length; i++) {
    const f = flags.find((x) => x.short === word[i]);
    if (!f) return [];
    if (f.noOptDefVal !== "") continue;
    const rest = word.slice(i + 1);
    const fn = cmd.flagCompletion(f.name);
    if (rest === "" || !fn) return [];
    const r = await fn(ctx(rest));
    if ((r.directive & Directive.Error) !== 0) return [];
    return r.completions.map((c) => word.slice(0, i + 1) + c);
  }
  return [];
}

/** ShellCompDirective.string(). */
export function directiveString(d: number): string {
  if (d >= MAX_DIRECTIVE) return `ERROR: unexpected ShellCompDirective value: ${d}`;
  const names: [number, string][] = [
    [Directive.Error, "ShellCompDirectiveError"],
    [Directive.NoSpace, "ShellCompDirectiveNoSpace"],
    [Directive.NoFileComp, "ShellCompDirectiveNoFileComp"],
    [Directive.FilterFileExt, "ShellCompDirectiveFilterFileExt"],
    [Directive.FilterDirs, "ShellCompDirectiveFilterDirs"],
  ];
  const set = names.filter(([bit]) => (d & bit) !== 0).map(([, name]) => name);
  return set.length > 0 ? set.join(", ") : "ShellCompDirectiveDefault";
}

/** Go's strings.TrimSpace (unicode.IsSpace). */
function goTrimSpace(s: string): string {
  const space = "[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+";
  return s.replace(new RegExp(`^${space}|${space}$`, "gu"), "");
}

export const COMPLETE = "__complete";
export const COMPLETE_NO_DESC = "__completeNoDesc";

export interface Printed {
  stdout: string;
  stderr: string;
  code: number;
}

/** cobra's `__complete` and `__completeNoDesc` commands: what they print, and the exit code. */
export async function runComplete(
  cmd: CompletionCommand,
  calledAs: typeof COMPLETE | typeof COMPLETE_NO_DESC,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  usageSuffix = "",
): Promise<Printed> {
  if (args.length === 0) {
    // cobra's MinimumNArgs(1), then the usage of the hidden command.
    const usage =
      `Usage:\n  ${cmd.name} ${COMPLETE} [command-line]\n\nAliases:\n  ${COMPLETE}, ${COMPLETE_NO_DESC}\n\n` +
      `Flags:\n  -h, --help   help for ${COMPLETE}\n${usageSuffix}`;
    return { stdout: "", stderr: `Error: requires at least 1 arg(s), only received 0\n${usage}\n`, code: 1 };
  }
  let stderr = "";
  const found = await getCompletions(cmd, args);
  if (found.error !== undefined) {
    // cobra's CompErrorln: to stderr, and to BASH_COMP_DEBUG_FILE when set.
    const msg = `[Debug] [Error] ${found.error}\n`;
    const file = env.BASH_COMP_DEBUG_FILE;
    if (file) {
      try {
        appendFileSync(file, msg, { mode: 0o644 });
      } catch {
        // cobra ignores a debug file it cannot open
      }
    }
    stderr += msg;
  }
  const activeHelpOff =
    env.COBRA_ACTIVE_HELP === "0" ||
    env[`${cmd.name.toUpperCase().replaceAll("-", "_")}_ACTIVE_HELP`] === "0";
  let stdout = "";
  for (let comp of found.completions) {
    if (activeHelpOff && comp.startsWith("_activeHelp_ ")) continue;
    if (calledAs === COMPLETE_NO_DESC) comp = comp.split("\t")[0] as string;
    comp = goTrimSpace(comp.split("\n")[0] as string);
    stdout += `${comp}\n`;
  }
  stdout += `:${found.directive}\n`;
  stderr += `Completion ended with directive: ${directiveString(found.directive)}\n`;
  return { stdout, stderr, code: 0 };
}
