// Parses the command line into flag values typed by FLAGS, with pflag's rules (src/cli/pflag.ts):
// stern's flags are pflag flags under cobra, which adds -h/--help.

import { goDurationMs } from "../util/duration.ts";
import { UsageError } from "./errors.ts";
import { FLAGS, type FlagSpec, type FlagValues } from "./flags.ts";
import { PflagError, type PflagSpec, type PflagValue, parsePflag, parseValue } from "./pflag.ts";

export type FlagValue = string | number | boolean | string[];

export interface ParsedArgs {
  positionals: string[];
  /** Every flag's value, typed by the flag table (src/cli/flags.ts). */
  values: FlagValues;
  /** Flags given on the command line (the rest hold defaults). */
  explicit: Set<string>;
  /** -h/--help, cobra's flag: help is printed when the rest parsed. */
  help: boolean;
}

/** pflag's NoOptDefVal, the value of a flag given alone: booleans "true", --timestamps "default". */
export function noOptDefVal(f: FlagSpec): string {
  return f.type === "bool" ? "true" : f.name === "timestamps" ? "default" : "";
}

const SPECS: PflagSpec[] = [
  ...FLAGS.map((f) => ({
    name: f.name,
    short: f.short,
    type: f.type,
    noOptDefVal: noOptDefVal(f) || undefined,
  })),
  { name: "help", short: "h", type: "bool", noOptDefVal: "true" },
];

/** The pflag specs of stern's flags (with cobra's help), for the parser and its tests. */
export const PFLAG_SPECS: readonly PflagSpec[] = SPECS;

/** A pflag value as the rest of the program takes it: a duration in milliseconds. */
function toFlagValue(v: PflagValue): FlagValue {
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "object" && !Array.isArray(v)) return Number(v.durationNs) / 1e6;
  return v;
}

/** A flag's default as a value: a duration's text ("48h0m0s", as help shows it) in milliseconds. */
function defaultValue(f: FlagSpec): FlagValue {
  if (Array.isArray(f.default)) return [...(f.default as readonly string[])];
  if (f.type === "duration") return goDurationMs(f.default as string);
  return f.default as FlagValue;
}

/** Sets a flag named at run time (the config file's keys), as the parser sets it. */
export function setFlagValue(values: FlagValues, name: string, value: FlagValue): void {
  (values as unknown as Record<string, FlagValue>)[name] = value;
}

export function parseArgs(argv: string[]): ParsedArgs {
  let parsed: ReturnType<typeof parsePflag>;
  try {
    parsed = parsePflag(argv, SPECS);
  } catch (err) {
    if (err instanceof PflagError) throw new UsageError(err.message);
    throw err;
  }
  const values: Record<string, FlagValue> = {};
  const explicit = new Set<string>();
  for (const f of FLAGS) {
    const v = parsed.changed.get(f.name);
    if (v === undefined) {
      values[f.name] = defaultValue(f);
      continue;
    }
    explicit.add(f.name);
    values[f.name] = toFlagValue(v);
  }
  // Each value was parsed by its flag's type, so the record is what the table says it is.
  return {
    positionals: parsed.args,
    values: values as FlagValues,
    explicit,
    help: parsed.changed.get("help") === true,
  };
}

/** Turns the values of a flag from the config file (each as if given once) into its typed value. */
export function convertFlagValue(f: FlagSpec, raw: unknown): FlagValue {
  const texts = (Array.isArray(raw) ? raw : [raw]).map((v) => String(v));
  if (f.type === "bool") return texts[texts.length - 1] === "true";
  let value: PflagValue | undefined;
  for (const text of texts) {
    try {
      value = parseValue(f.type, text, value);
    } catch (err) {
      throw new UsageError(`invalid argument "${text}" for "--${f.name}" flag: ${(err as Error).message}`);
    }
  }
  return value === undefined
    ? f.type === "stringArray" || f.type === "stringSlice"
      ? []
      : defaultValue(f)
    : toFlagValue(value);
}
