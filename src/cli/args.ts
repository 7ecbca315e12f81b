// Parses the command line (yargs underneath) into flag values typed by FLAGS, with pflag's rules:
// no --no-<flag> negation, "-t" without "=" means "default", comma-splitting only for slice flags.
import yargs from "yargs";
import { UsageError } from "./errors.ts";
import { FLAGS, type FlagSpec } from "./flags.ts";

export type FlagValue = string | number | boolean | string[];

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, FlagValue>;
  /** Flags given on the command line (the rest hold defaults). */
  explicit: Set<string>;
}

/** pflag's NoOptDefVal for --timestamps: a bare -t never takes the next word as its value. */
function expandBareTimestamps(argv: string[]): string[] {
  const out: string[] = [];
  for (const [i, a] of argv.entries()) {
    if (a === "--") return out.concat(argv.slice(i));
    out.push(a === "-t" || a === "--timestamps" ? "--timestamps=default" : a);
  }
  return out;
}

/** pflag's rule: a flag that takes a value and ends the command line is an error, not an empty value. */
function checkTrailingFlag(argv: string[]): void {
  const last = argv[argv.length - 1];
  if (last === undefined || !last.startsWith("-") || last.includes("=") || last === "--") return;
  const name = last.replace(/^--?/, "");
  const spec = FLAGS.find((f) => (last.startsWith("--") ? f.name === name : f.short === name));
  if (spec && spec.type !== "bool" && spec.name !== "timestamps")
    throw new UsageError(`flag needs an argument: ${last}`);
}

export function parseArgs(argv: string[]): ParsedArgs {
  checkTrailingFlag(argv);
  const options: Record<string, { alias?: string; type: "boolean" | "string"; array?: boolean }> = {};
  for (const f of FLAGS) {
    options[f.name] = {
      ...(f.short ? { alias: f.short } : {}),
      type: f.type === "bool" ? "boolean" : "string",
      ...(f.type === "stringArray" || f.type === "stringSlice" ? { array: true } : {}),
    };
  }
  let failure: string | undefined;
  const parsed = yargs(expandBareTimestamps(argv))
    .parserConfiguration({
      "camel-case-expansion": false,
      "boolean-negation": false,
      "duplicate-arguments-array": true,
      "greedy-arrays": false,
      "short-option-groups": true,
      "parse-numbers": false,
      "parse-positional-numbers": false,
      "dot-notation": false,
    })
    .help(false)
    .version(false)
    .options(options)
    .strictOptions()
    .fail((msg) => {
      failure = msg;
    })
    .parseSync();
  if (failure !== undefined) throw new UsageError(rewordYargs(failure));

  const values: Record<string, FlagValue> = {};
  const explicit = new Set<string>();
  for (const f of FLAGS) {
    const raw = (parsed as Record<string, unknown>)[f.name];
    if (raw === undefined) {
      values[f.name] = f.default;
      continue;
    }
    explicit.add(f.name);
    values[f.name] = convertFlagValue(f, raw);
  }
  return { positionals: parsed._.map(String), values, explicit };
}

/** Turns what the parser (or the config file) found for a flag into its typed value. */
export function convertFlagValue(f: FlagSpec, raw: unknown): FlagValue {
  const last = (v: unknown) => (Array.isArray(v) ? v[v.length - 1] : v);
  switch (f.type) {
    case "bool":
      return Boolean(last(raw));
    case "stringArray":
      return (raw as unknown[]).map(String);
    case "stringSlice":
      return (raw as unknown[]).flatMap((v) => String(v).split(",")).filter((v) => v !== "");
    case "int": {
      const text = String(last(raw));
      if (!/^[+-]?\d+$/.test(text.trim())) {
        throw new UsageError(`invalid argument "${text}" for "--${f.name}" flag: not an integer`);
      }
      return Number(text);
    }
    case "float": {
      const text = String(last(raw));
      if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text.trim())) {
        throw new UsageError(`invalid argument "${text}" for "--${f.name}" flag: not a number`);
      }
      return Number(text);
    }
    default:
      return String(last(raw) ?? "");
  }
}

function rewordYargs(msg: string): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(msg);
  if (unknown) {
    const names = (unknown[1] ?? "").split(", ").map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
    return `unknown flag: ${names.join(", ")}`;
  }
  const missing = /^Not enough arguments following: (.*)$/.exec(msg);
  if (missing) {
    const n = missing[1] ?? "";
    return `flag needs an argument: ${n.length === 1 ? `-${n}` : `--${n}`}`;
  }
  return msg;
}
