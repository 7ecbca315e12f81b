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

export function helpText(): string {
  const rows = FLAGS.filter((f) => !f.hidden).map((f) => {
    const names = f.short ? `-${f.short}, --${f.name}` : `    --${f.name}`;
    return [`  ${names}${typeHint(f)}`, `${f.description}${defaultHint(f)}`] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 3;
  return [
    "Tail multiple pods and containers from Kubernetes",
    "",
    "Usage:",
    "  stern pod-query [flags]",
    "",
    "Flags:",
    ...rows.map(([l, r]) => l.padEnd(width) + r),
    "",
  ].join("\n");
}
