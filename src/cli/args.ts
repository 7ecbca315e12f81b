// Parses the command line into flag values typed by FLAGS, with pflag's rules: no --no-<flag>
// negation, "-t" without "=" means "default", comma-splitting only for slice flags. yargs' own parser
// (yargs-parser) does the tokenizing: loading all of yargs costs about 70 ms at start-up, its parser 10.
import yargsParser from "yargs-parser";
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
  const alias: Record<string, string> = {};
  const booleans: string[] = [];
  const strings: string[] = [];
  const arrays: string[] = [];
  for (const f of FLAGS) {
    if (f.short) alias[f.name] = f.short;
    if (f.type === "bool") booleans.push(f.name);
    else strings.push(f.name);
    if (f.type === "stringArray" || f.type === "stringSlice") arrays.push(f.name);
  }
  const result = yargsParser.detailed(expandBareTimestamps(argv), {
    alias,
    boolean: booleans,
    string: strings,
    array: arrays,
    configuration: {
      "camel-case-expansion": false,
      "boolean-negation": false,
      "duplicate-arguments-array": true,
      "greedy-arrays": false,
      "short-option-groups": true,
      "parse-numbers": false,
      "parse-positional-numbers": false,
      "dot-notation": false,
      "unknown-options-as-args": true,
      "populate--": true,
    },
  });
  if (result.error) throw new UsageError(result.error.message);
  const parsed = result.argv as Record<string, unknown> & {
    _: (string | number)[];
    "--"?: (string | number)[];
  };
  const unknown = parsed._.map(String).filter((a) => a.startsWith("-") && a !== "-");
  if (unknown.length > 0) {
    const names = unknown.map((a) => a.split("=")[0]);
    throw new UsageError(`unknown flag: ${names.join(", ")}`);
  }

  const values: Record<string, FlagValue> = {};
  const explicit = new Set<string>();
  for (const f of FLAGS) {
    const raw = parsed[f.name];
    if (raw === undefined) {
      values[f.name] = f.default;
      continue;
    }
    explicit.add(f.name);
    values[f.name] = convertFlagValue(f, raw);
  }
  return { positionals: [...parsed._, ...(parsed["--"] ?? [])].map(String), values, explicit };
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
