// The --help text as cobra prints it for stern's command, and --show-hidden-options as stern prints it:
// pflag's FlagUsages (rows sorted by name, aligned, pflag's type names and defaults) in cobra's help
// and usage templates. test/oracle/cobra.test.ts compares both with real cobra and pflag.
import { quoteGo } from "../util/goquote.ts";
import { commandFlags, HELP_FLAG, type PflagFlag, SHORT, USAGE_SUFFIX, USE } from "./command.ts";

/** pflag's UnquoteUsage: a `back-quoted` name in the usage, else the name of the value's type. */
function unquoteUsage(f: PflagFlag): [name: string, usage: string] {
  const i = f.usage.indexOf("`");
  const j = i < 0 ? -1 : f.usage.indexOf("`", i + 1);
  if (j >= 0) {
    const name = f.usage.slice(i + 1, j);
    return [name, f.usage.slice(0, i) + name + f.usage.slice(j + 1)];
  }
  const names: Partial<Record<PflagFlag["type"], string>> = {
    bool: "",
    int: "int",
    float: "float32",
    stringSlice: "strings",
  };
  return [names[f.type] ?? f.type, f.usage];
}

/** pflag's defaultIsZeroValue, for the types the table uses. */
function defaultIsZero(f: PflagFlag): boolean {
  switch (f.type) {
    case "bool":
      return f.defValue === "false";
    case "duration":
      return f.defValue === "0" || f.defValue === "0s";
    case "int":
    case "float":
      return f.defValue === "0";
    case "stringArray":
    case "stringSlice":
      return f.defValue === "[]";
    default:
      return f.defValue === "";
  }
}

const byteLength = (s: string) => Buffer.byteLength(s, "utf8");

/** pflag's FlagUsages (FlagUsagesWrapped(0)): one row per visible flag, sorted by name. */
export function flagUsages(flags: readonly PflagFlag[]): string {
  const sorted = [...flags].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  const rows: [left: string, right: string][] = [];
  for (const f of sorted) {
    if (f.hidden) continue;
    let left = f.short !== "" ? `  -${f.short}, --${f.name}` : `      --${f.name}`;
    const [varname, usage] = unquoteUsage(f);
    if (varname !== "") left += ` ${varname}`;
    if (f.noOptDefVal !== "") {
      if (f.type === "string") left += `[="${f.noOptDefVal}"]`;
      else if (f.type !== "bool" || f.noOptDefVal !== "true") left += `[=${f.noOptDefVal}]`;
    }
    let right = usage;
    if (!defaultIsZero(f)) {
      right += f.type === "string" ? ` (default ${quoteGo(f.defValue)})` : ` (default ${f.defValue})`;
    }
    rows.push([left, right]);
  }
  // pflag's width counts the NUL that marks the column, and Fprintln adds a space on each side of the
  // padding: usage starts at maxlen + 2.
  const maxlen = Math.max(0, ...rows.map(([l]) => byteLength(l) + 1));
  return rows
    .map(([l, r]) => {
      const pad = " ".repeat(maxlen - byteLength(l));
      return `${l} ${pad} ${r.replaceAll("\n", `\n${" ".repeat(maxlen + 2)}`)}\n`;
    })
    .join("");
}

/** cobra's trimRightSpace (strings.TrimRightFunc(s, unicode.IsSpace)). */
function trimRightSpace(s: string): string {
  return s.replace(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/u, "");
}

/** cobra's help: Short, then the usage template (a runnable command without subcommands). */
export function helpText(flags: readonly PflagFlag[] = commandFlags()): string {
  // cobra adds its help flag unless the command has one.
  const all = flags.some((f) => f.name === HELP_FLAG.name) ? [...flags] : [...flags, HELP_FLAG];
  const useLine = all.some((f) => !f.hidden) && !USE.includes("[flags]") ? `${USE} [flags]` : USE;
  let usage = `Usage:\n  ${useLine}`;
  if (all.some((f) => !f.hidden)) usage += `\n\nFlags:\n${trimRightSpace(flagUsages(all))}`;
  return `${trimRightSpace(SHORT)}\n\n${usage}\n${USAGE_SUFFIX}`;
}

/**
 * stern's --show-hidden-options: a header, then pflag's usage rows of the flags with Hidden flipped
 * (stern writes the rows to stderr, pflag's default output; here both go to stdout, see
 * docs/compatibility.md).
 */
export function hiddenOptionsText(flags: readonly PflagFlag[] = commandFlags()): string {
  const flipped = flags.map((f) => ({ ...f, hidden: !f.hidden }));
  return `The following options can also be used in stern:\n${flagUsages(flipped)}`;
}
