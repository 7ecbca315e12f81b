// stern's cobra command as cobra sees it: the text of stern's cmd/cmd.go (Use, Short, the line it adds
// to the usage template) and each flag of the table as pflag holds it (its DefValue is the text pflag
// prints as the default). The help text and `__complete` are made from this.
import { parseGoDuration } from "../util/duration.ts";
import { noOptDefVal } from "./args.ts";
import { FLAGS, type FlagSpec } from "./flags.ts";
import type { PflagType } from "./pflag.ts";

export const COMMAND_NAME = "stern";
export const USE = "stern pod-query";
export const SHORT = "Tail multiple pods and containers from Kubernetes";
/** What stern appends to cobra's usage template. */
export const USAGE_SUFFIX =
  '\nUse "stern --show-hidden-options" for a list of hidden command-line options.\n';

/** A flag as pflag holds it. */
export interface PflagFlag {
  name: string;
  short: string;
  type: PflagType;
  /** pflag's DefValue: the default as its Value.String() writes it. */
  defValue: string;
  usage: string;
  hidden: boolean;
  noOptDefVal: string;
}

/** cobra's own -h/--help (InitDefaultHelpFlag). */
export const HELP_FLAG: PflagFlag = {
  name: "help",
  short: "h",
  type: "bool",
  defValue: "false",
  usage: `help for ${COMMAND_NAME}`,
  hidden: false,
  noOptDefVal: "true",
};

/** Go's time.Duration.String. */
export function goDurationString(d: bigint): string {
  if (d === 0n) return "0s";
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  const frac = (v: bigint, prec: number): [string, bigint] => {
    let s = "";
    let print = false;
    for (let i = 0; i < prec; i++) {
      const digit = v % 10n;
      print ||= digit !== 0n;
      if (print) s = `${digit}${s}`;
      v /= 10n;
    }
    return [print ? `.${s}` : "", v];
  };
  if (u < 1_000_000_000n) {
    const [unit, prec] = u < 1000n ? ["ns", 0] : u < 1_000_000n ? ["\u00b5s", 3] : ["ms", 6];
    const [f, whole] = frac(u, prec as number);
    out = `${whole}${f}${unit}`;
  } else {
    const [f, secs] = frac(u, 9);
    out = `${secs % 60n}${f}s`;
    u = secs / 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** strconv.FormatFloat(float64(f), 'g', -1, 32): the shortest text that reads back as the float32. */
export function goFloat32String(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (!Number.isFinite(f)) return f > 0 ? "+Inf" : "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  let p = 1;
  while (p < 9 && Math.fround(Number(f.toPrecision(p))) !== f) p++;
  const [mant = "", expText = "0"] = f.toExponential(p - 1).split("e");
  const exp = Number(expText);
  const digits = mant.replace("-", "").replace(".", "").replace(/0+$/, "") || "0";
  const sign = f < 0 ? "-" : "";
  // 'g' with the shortest digits: an exponent when it is below -4 or from 6.
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${"0".repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** encoding/csv's Writer on one record, its newline dropped: how pflag writes a list's default. */
function csvRecord(fields: readonly string[]): string {
  const needsQuotes = (s: string) =>
    s !== "" && (s === "\\." || /[,"\r\n]/.test(s) || /^[\t\n\v\f\r \u0085\u00a0]/.test(s));
  return fields.map((s) => (needsQuotes(s) ? `"${s.replaceAll('"', '""')}"` : s)).join(",");
}

/** pflag's DefValue of a flag of the table. */
export function defValue(f: FlagSpec): string {
  const d = f.default;
  switch (f.type) {
    case "bool":
      return String(d === true);
    case "int":
      return String(d);
    case "float":
      return goFloat32String(Math.fround(Number(d)));
    case "duration":
      return goDurationString(parseGoDuration(String(d)));
    case "stringArray":
    case "stringSlice":
      return `[${csvRecord(d as readonly string[])}]`;
    default:
      return String(d);
  }
}

export function pflagFlag(f: FlagSpec): PflagFlag {
  return {
    name: f.name,
    short: f.short ?? "",
    type: f.type,
    defValue: defValue(f),
    usage: f.description,
    hidden: f.hidden === true,
    noOptDefVal: noOptDefVal(f),
  };
}

/** The table's flags as pflag holds them (without cobra's help flag). */
export function commandFlags(flags: readonly FlagSpec[] = FLAGS): PflagFlag[] {
  return flags.map(pflagFlag);
}
