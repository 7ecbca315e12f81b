// The --help text, in the shape of stern's (cobra) help.
import { FLAGS, type FlagSpec } from "./flags.ts";

function typeHint(f: FlagSpec): string {
  switch (f.type) {
    case "bool":
      return "";
    case "int":
      return " int";
    case "float":
      return " float32";
    case "duration":
      return " duration";
    case "stringArray":
      return " stringArray";
    case "stringSlice":
      return " strings";
    default:
      return " string";
  }
}

function defaultHint(f: FlagSpec): string {
  const d = f.default;
  if (f.type === "bool") return d === true ? " (default true)" : "";
  if (Array.isArray(d)) return d.length > 0 ? ` (default [${d.join(",")}])` : "";
  if (f.type === "int" || f.type === "float") return ` (default ${d})`;
  return d === "" ? "" : ` (default "${d}")`;
}

function flagRows(hidden: boolean): string[] {
  const rows = FLAGS.filter((f) => Boolean(f.hidden) === hidden).map((f) => {
    const names = f.short ? `-${f.short}, --${f.name}` : `    --${f.name}`;
    return [`  ${names}${typeHint(f)}`, `${f.description}${defaultHint(f)}`] as const;
  });
  if (rows.length === 0) return [];
  const width = Math.max(...rows.map(([l]) => l.length)) + 3;
  return rows.map(([l, r]) => l.padEnd(width) + r);
}

export function helpText(): string {
  return [
    "Tail multiple pods and containers from Kubernetes",
    "",
    "Usage:",
    "  stern pod-query [flags]",
    "",
    "Flags:",
    ...flagRows(false),
    "",
    'Use "stern --show-hidden-options" for a list of hidden command-line options.',
    "",
  ].join("\n");
}

export function hiddenOptionsText(): string {
  return ["The following options can also be used in stern:", ...flagRows(true), ""].join("\n");
}
